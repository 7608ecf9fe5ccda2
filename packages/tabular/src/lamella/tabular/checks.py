"""`TableChecks`: a `TabularPandas` refuses bad columns when built, naming the column and the rows.

Checked once, at construction (and for new data in `new`), never per batch: absent, duplicated
or leaking columns (a target listed as an input), continuous columns holding strings or values
beyond float32, missing or non-numeric targets, and, after the processors, categorical columns
that are not codes or continuous columns still missing values.

Examples:
    >>> from lamella.tabular import TabularPandas
    >>> TabularPandas(pd.DataFrame({"x": [1.0], "y": [2.0]}), cont_names=["x", "y"], y_names="y")
    Traceback (most recent call last):
    ...
    lamella.tabular.procs.TabularDataError: column 'y' is the target (y_names) and also an input ...
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .procs import ColumnTypeError, TabularDataError

__all__ = ["TableChecks"]


class TableChecks:
    """The construction-time checks of `TabularPandas` (see the module's docstring).

    Examples:
        >>> from lamella.tabular import TabularPandas
        >>> TabularPandas(pd.DataFrame({"x": ["1", "a"]}), cont_names="x")
        Traceback (most recent call last):
        ...
        lamella.tabular.procs.ColumnTypeError: continuous column 'x' holds non-numbers ...
    """

    items: pd.DataFrame
    cat_names: list[str]
    cont_names: list[str]
    y_names: list[str]
    y_kind: str | None

    def _check_columns(self, df: pd.DataFrame) -> None:
        dup = df.columns[df.columns.duplicated()]
        if len(dup):
            raise TabularDataError(
                f"the frame has column {dup[0]!r} twice: pandas would hand back two columns for one name; "
                "rename or drop one (df.loc[:, ~df.columns.duplicated()])"
            )
        for kind, names in (("cat_names", self.cat_names), ("cont_names", self.cont_names),
                            ("y_names", self.y_names)):  # fmt: skip
            missing = [n for n in names if n not in df.columns]
            if missing:
                raise KeyError(
                    f"column {missing[0]!r} of {kind} is not in the frame; its columns are {list(df.columns)}"
                )
        leaked = [n for n in self.y_names if n in self.cat_names or n in self.cont_names]
        if leaked:
            kind = "cat_names" if leaked[0] in self.cat_names else "cont_names"
            raise TabularDataError(
                f"column {leaked[0]!r} is the target (y_names) and also an input ({kind}): the model would "
                f"be fed its own answer; remove it from {kind}"
            )
        for kind, names in (("cat_names", self.cat_names), ("cont_names", self.cont_names)):
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise TabularDataError(
                    f"column {twice[0]!r} is listed twice in {kind}; list each column once"
                )
        for n in self.cont_names:
            col = df[n]
            if len(col) and not pd.api.types.is_numeric_dtype(col):
                bad = _first_non_number(col)
                raise ColumnTypeError(
                    f"continuous column {n!r} holds non-numbers (dtype {col.dtype}, e.g. {bad!r}); "
                    "convert it with pd.to_numeric or list it in cat_names"
                )

    def _check_values(self) -> None:
        self._check_conts()
        self._check_targets()

    def _check_conts(self) -> None:
        limit = float(np.finfo(np.float32).max)  # the model's inputs are float32: beyond is inf there
        for n in self.cont_names:
            col = pd.to_numeric(self.items[n], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
            bad = np.flatnonzero(np.abs(col) > limit)  # inf included; NaN is FillMissing's to handle
            if len(bad):
                rows = ", ".join(f"{self.items.index[i]} ({col[i]:g})" for i in bad[:5])
                raise TabularDataError(
                    f"continuous column {n!r} holds {len(bad)} infinite or out-of-float32-range values "
                    f"(rows {rows}{', ...' if len(bad) > 5 else ''}): replace them (with NaN for FillMissing "
                    "to fill, or clip them) first"
                )

    def _check_targets(self) -> None:
        for n in self.y_names:
            missing = np.flatnonzero(self.items[n].isna().to_numpy())
            if len(missing):
                rows = ", ".join(str(self.items.index[i]) for i in missing[:5])
                raise TabularDataError(
                    f"target column {n!r} has {len(missing)} missing values (rows {rows}"
                    f"{', ...' if len(missing) > 5 else ''}); drop those rows or fill them"
                )
            col = self.items[n]
            if self.y_kind == "regression" and (
                pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col)
            ):
                raise ColumnTypeError(
                    f"target column {n!r} of a regression holds non-numbers (dtype {col.dtype}, e.g. "
                    f"{_first_non_number(col)!r}): convert it with pd.to_numeric, or pass "
                    "y_block=CategoryBlock() to classify"
                )

    def _check_processed(self) -> None:
        for n in self.cat_names:
            col = self.items[n]
            if not (pd.api.types.is_integer_dtype(col) or pd.api.types.is_bool_dtype(col)):
                raise ColumnTypeError(
                    f"categorical column {n!r} is not integer codes after the procs "
                    f"(dtype {col.dtype}): add Categorify to procs"
                )
        for n in self.cont_names:
            col = self.items[n]
            if pd.api.types.is_float_dtype(col) and np.isnan(col.to_numpy()).any():
                raise TabularDataError(
                    f"continuous column {n!r} has missing values after the procs: add FillMissing"
                )


def _first_non_number(col: pd.Series) -> Any:
    numbers = pd.to_numeric(col, errors="coerce")
    bad = col[numbers.isna() & col.notna()]
    return bad.iloc[0] if len(bad) else col.iloc[0]
