"""Tabular processors: `FillMissing`, `Categorify`, `NormalizeTab`, vectorised in pandas and numpy.

A processor learns its state (`setup`) from the training rows of a `TabularPandas`, rewrites
whole columns (`encodes`) of any frame with that state (training, validation, test), and maps
encoded columns back to readable values (`decodes`). Processors run in `order`: `FillMissing`
first, so the `<col>_na` flag columns it adds are categorified like any categorical column.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lamella.data import CategoryMap

if TYPE_CHECKING:
    from .core import TabularPandas

__all__ = ["Categorify", "FillMissing", "FillStrategy", "NormalizeTab", "TabularProc", "no_values_error"]


class TabularDataError(ValueError):
    """A data frame's values or column lists that cannot be used: the message names the column and rows.

    Examples:
        >>> from lamella.tabular import TabularPandas
        >>> try:
        ...     TabularPandas(pd.DataFrame({"x": [1.0, float("inf")]}), cont_names="x")
        ... except TabularDataError as e:
        ...     print(str(e)[:39])
        continuous column 'x' holds 1 infinite
    """


class ColumnTypeError(TypeError):
    """A column whose type does not fit its role (text in a continuous column...): the message names it.

    Examples:
        >>> from lamella.tabular import TabularPandas
        >>> try:
        ...     TabularPandas(pd.DataFrame({"x": ["a", "b"]}), cont_names="x")
        ... except ColumnTypeError as e:
        ...     print(str(e)[:38])
        continuous column 'x' holds non-number
    """


class TabularProc:
    """Base of tabular processors: `setup` on the training rows, `encodes` and `decodes` whole columns.

    Examples:
        >>> class Clip(TabularProc):
        ...     def encodes(self, to):
        ...         for n in to.cont_names:
        ...             to.items[n] = to.items[n].clip(upper=100)
        >>> Clip().order
        0
    """

    order: int = 0

    def setup(self, to: TabularPandas) -> None:
        """Learn the processor's state from `to`'s training rows (nothing by default).

        Examples:
            >>> TabularProc().setup(None)
        """

    def encodes(self, to: TabularPandas) -> None:
        """Rewrite `to.items` in place (nothing by default).

        Examples:
            >>> TabularProc().encodes(None)
        """

    def decodes(self, df: pd.DataFrame) -> pd.DataFrame:
        """Map encoded columns of `df` back to readable values (unchanged by default).

        Examples:
            >>> TabularProc().decodes(pd.DataFrame({"a": [1]}))["a"].tolist()
            [1]
        """
        return df

    def __repr__(self) -> str:
        return type(self).__name__


class FillStrategy(str, Enum):
    """How `FillMissing` fills a continuous column: its training `median`, `mode`, or a `constant`.

    Examples:
        >>> FillStrategy.median.fill(np.array([1.0, 2.0, 10.0]), 0)
        2.0
    """

    median = "median"
    mode = "mode"
    constant = "constant"

    def fill(self, values: np.ndarray, constant: Any) -> Any:
        """The value that replaces missing entries, from a column's non-missing training `values`.

        Examples:
            >>> FillStrategy.mode.fill(np.array([3.0, 1.0, 1.0]), 0)
            1.0
        """
        if self is FillStrategy.constant:
            return constant
        if self is FillStrategy.median:
            return float(np.median(values))
        uniques, counts = np.unique(values, return_counts=True)  # the smallest of the most frequent
        return uniques[np.argmax(counts)].item()


class FillMissing(TabularProc):
    """Fill missing continuous values with a training statistic, flagging them in a `<col>_na` column.

    Every continuous column gets a fill value (a validation or test row may miss a value the
    training rows never missed); the flag column is added, and listed in `cat_names`, for the
    columns that have missing values in the training rows, as fastai does.

    Args:
        fill_strategy: `FillStrategy.median` (default), `mode` or `constant`.
        add_col: add the `<col>_na` flag columns.
        fill_vals: the constant per column for `FillStrategy.constant` (0 when absent).

    Examples:
        >>> from lamella.tabular import TabularPandas
        >>> df = pd.DataFrame({"x": [1.0, None, 3.0]})
        >>> to = TabularPandas(df, [FillMissing], cont_names=["x"])
        >>> to.items["x"].tolist(), to.cat_names
        ([1.0, 2.0, 3.0], ['x_na'])
    """

    order = 0

    def __init__(
        self, fill_strategy: FillStrategy | str = FillStrategy.median, add_col: bool = True,
        fill_vals: dict[str, Any] | None = None,
    ) -> None:  # fmt: skip
        self.fill_strategy, self.add_col = FillStrategy(fill_strategy), add_col
        self.fill_vals = dict(fill_vals or {})
        self.na_dict: dict[str, Any] = {}
        self.fills: dict[str, Any] = {}

    def setup(self, to: TabularPandas) -> None:  # noqa: D102  (the class documents it)
        self.fills, self.na_dict = {}, {}
        for n in to.cont_names:
            x = to.train_values(n)
            missing = np.isnan(x)
            if missing.all():
                raise no_values_error(n)
            self.fills[n] = self.fill_strategy.fill(x[~missing], self.fill_vals.get(n, 0))
            if missing.any():
                self.na_dict[n] = self.fills[n]

    def encodes(self, to: TabularPandas) -> None:  # noqa: D102
        for n in to.cont_names:
            col = to.items[n]
            if pd.api.types.is_float_dtype(col):
                x = col.to_numpy()
                missing = np.isnan(x)
            else:  # integers and booleans cannot miss values
                x, missing = None, np.zeros(len(col), dtype=bool)
            if self.add_col and n in self.na_dict:
                to.items[f"{n}_na"] = missing
                if f"{n}_na" not in to.cat_names:
                    to.cat_names.append(f"{n}_na")
            if x is not None and n in self.fills and missing.any():
                to.items[n] = np.where(missing, x.dtype.type(self.fills[n]), x)


class Categorify(TabularProc):
    """Replace categorical columns by integer codes; `#na#` (missing or unseen values) is code 0.

    The vocabulary of each column (`classes[col]`) comes from its training rows: the sorted
    values, or a pandas categorical column's own categories in their order.

    Examples:
        >>> from lamella.tabular import TabularPandas
        >>> df = pd.DataFrame({"a": ["x", "y", None, "x"]})
        >>> to = TabularPandas(df, [Categorify], cat_names=["a"])
        >>> to.items["a"].tolist(), list(to.classes["a"])
        ([1, 2, 0, 1], ['#na#', 'x', 'y'])
    """

    order = 1

    def __init__(self) -> None:
        self.classes: dict[str, CategoryMap] = {}

    def setup(self, to: TabularPandas) -> None:  # noqa: D102
        self.classes = {}
        for n in to.cat_names:
            if isinstance(to.items[n].dtype, pd.CategoricalDtype):
                values = list(to.items[n].dtype.categories)
            else:
                values = training_vocab(to, n)
            if not values:
                raise no_values_error(n)
            self.classes[n] = CategoryMap(values, sort=False, add_na=True)

    def encodes(self, to: TabularPandas) -> None:  # noqa: D102
        for n in to.cat_names:
            vocab = self.classes[n]
            codes = pd.Index(vocab[1:]).get_indexer(to.items[n])  # -1 for missing or unseen values
            to.items[n] = (codes + 1).astype(_code_dtype(len(vocab)))

    def decodes(self, df: pd.DataFrame) -> pd.DataFrame:  # noqa: D102
        for n, vocab in self.classes.items():
            if n in df:
                df[n] = np.asarray(vocab, dtype=object)[df[n].to_numpy().astype(np.int64)]
        return df


def no_values_error(name: str) -> ValueError:
    """The error for a column with no values in the training rows (what a processor cannot learn from).

    Examples:
        >>> str(no_values_error("age"))[:38]
        "column 'age' has no values in the trai"
    """
    return TabularDataError(
        f"column {name!r} has no values in the training rows (all missing): "
        "drop it or fill it before making a TabularPandas"
    )


def _code_dtype(n: int) -> type:
    return np.int8 if n < 128 else np.int16 if n < 32_768 else np.int32


def training_vocab(to: TabularPandas, name: str) -> list:
    """The sorted distinct values of column `name` in `to`'s training rows, missing values left out."""
    # unique first, then drop the missing marker from the few values left
    return _sorted_values(v for v in pd.unique(to.train_values(name)) if not pd.isna(v))


def _sorted_values(values: Any) -> list:
    """Plain Python values (numpy scalars unwrapped), sorted; by their text when types are mixed.

    Examples:
        >>> _sorted_values(np.array([3, 1, 2]))
        [1, 2, 3]
        >>> _sorted_values(["b", 1, "a"])
        [1, 'a', 'b']
    """
    values = [v.item() if hasattr(v, "item") else v for v in values]
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


class NormalizeTab(TabularProc):
    """Standardise continuous columns with their training mean and standard deviation.

    `procs=[..., Normalize]` with lamella.data's `Normalize` means this processor.

    Examples:
        >>> from lamella.tabular import TabularPandas
        >>> to = TabularPandas(pd.DataFrame({"x": [1.0, 3.0]}), [NormalizeTab], cont_names=["x"])
        >>> to.items["x"].round(3).tolist(), to.procs[0].means["x"]
        ([-1.0, 1.0], 2.0)
    """

    order = 2
    eps: float = 1e-7

    def __init__(self) -> None:
        self.means: dict[str, float] = {}
        self.stds: dict[str, float] = {}
        self.int_names: set[str] = set()

    def setup(self, to: TabularPandas) -> None:  # noqa: D102
        self.means, self.stds, self.int_names = {}, {}, set()
        for n in to.cont_names:
            if pd.api.types.is_integer_dtype(to.items[n]):  # decoded back to whole numbers
                self.int_names.add(n)
            x = to.train_values(n)
            x = x[~np.isnan(x)]
            if not len(x):
                raise no_values_error(n)
            self.means[n], self.stds[n] = float(x.mean()), float(x.std())

    def encodes(self, to: TabularPandas) -> None:  # noqa: D102
        for n in to.cont_names:
            col = to.items[n].to_numpy(dtype=np.float32)
            to.items[n] = (col - np.float32(self.means[n])) / np.float32(self.stds[n] + self.eps)

    def decodes(self, df: pd.DataFrame) -> pd.DataFrame:  # noqa: D102
        for n in self.means:
            if n in df:
                col = df[n].to_numpy(dtype=np.float64) * (self.stds[n] + self.eps) + self.means[n]
                df[n] = col.round().astype(np.int64) if n in self.int_names else col
        return df
