"""`TableViews`: what a `TabularPandas` shows: fastai's `xs`/`ys`/`y` frames and decoded rows.

The frames are the hand-off to scikit-learn and XGBoost (as in fastai's tabular chapter);
decoding runs the processors backwards, so categories read as labels and normalised columns as
the raw numbers.

Examples:
    >>> from lamella.tabular import Categorify, TabularPandas
    >>> to = TabularPandas(pd.DataFrame({"a": ["x", "y"], "y": [0.5, 1.5]}), [Categorify], "a", y_names="y")
    >>> to.xs.to_dict("list"), to.y.tolist(), to.decode()["a"].tolist()
    ({'a': [1, 2]}, [0.5, 1.5], ['x', 'y'])
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from torch import Tensor

from lamella.data import CategoryMap
from lamella.data import display_df as _display

__all__ = ["TableViews"]


class TableViews:
    """The frame views and decoding of `TabularPandas`.

    Examples:
        >>> from lamella.tabular import TabularPandas
        >>> TabularPandas(pd.DataFrame({"y": ["b", "a"]}), y_names="y").ys.to_dict("list")
        {'y': [1, 0]}
    """

    items: pd.DataFrame
    procs: list[Any]
    cat_names: list[str]
    cont_names: list[str]
    y_names: list[str]
    y_tensor: Tensor | None
    vocab: CategoryMap | None

    @property
    def xs(self) -> pd.DataFrame:
        """The processed inputs as a frame: category codes and continuous columns (fastai's `to.xs`).

        Examples:
            >>> from lamella.tabular import TabularPandas
            >>> from lamella.tabular import Categorify
            >>> to = TabularPandas(pd.DataFrame({"a": ["x", "y"], "b": [1.0, 2.0]}), [Categorify], "a", "b")
            >>> to.xs.to_dict("list")
            {'a': [1, 2], 'b': [1.0, 2.0]}
        """
        return self.items[self.cat_names + self.cont_names]

    @property
    def ys(self) -> pd.DataFrame:
        """The encoded targets as a frame (class indices, or the values of a regression), as fastai's.

        Examples:
            >>> from lamella.tabular import TabularPandas
            >>> df = pd.DataFrame({"b": [1.0, 2.0], "y": ["no", "yes"]})
            >>> to = TabularPandas(df, cont_names="b", y_names="y")
            >>> to.ys.to_dict("list")
            {'y': [0, 1]}
        """
        y = self.y_tensor
        if y is None:
            return self.items[[n for n in self.y_names if n in self.items]]
        values = y.numpy().reshape(len(y), -1)
        return pd.DataFrame(values, columns=self.y_names[: values.shape[1]], index=self.items.index)

    @property
    def y(self) -> pd.Series:
        """The first target column of `ys` (fastai's `to.y`).

        Examples:
            >>> from lamella.tabular import TabularPandas
            >>> df = pd.DataFrame({"b": [1.0, 2.0], "y": [0.5, 1.5]})
            >>> to = TabularPandas(df, cont_names="b", y_names="y")
            >>> to.y.tolist()
            [0.5, 1.5]
        """
        return self.ys.iloc[:, 0]

    def decode(self, df: pd.DataFrame | None = None) -> pd.DataFrame:
        """Readable values of processed rows (`self.items` when None): categories, raw numbers, labels.

        Examples:
            >>> from lamella.tabular import TabularPandas
            >>> from lamella.tabular import Categorify, FillMissing, NormalizeTab
            >>> df = pd.DataFrame({"a": ["x", "y"], "b": [1.0, 3.0]})
            >>> TabularPandas(df, [Categorify, NormalizeTab], "a", "b").decode().round(4).values.tolist()
            [['x', 1.0], ['y', 3.0]]
        """
        df = (self.items if df is None else df).copy()
        for p in reversed(self.procs):
            df = p.decodes(df)
        return df

    def decode_y(self, y: Tensor) -> list[Any]:
        """Readable targets (labels or numbers) of encoded targets `y`.

        Examples:
            >>> from lamella.tabular import TabularPandas
            >>> to = TabularPandas(pd.DataFrame({"y": ["b", "a"]}), y_names="y")
            >>> to.decode_y(to.y_tensor)
            ['b', 'a']
        """
        y = y.detach().cpu()
        if self.vocab is not None:
            return [self.vocab[int(i)] for i in y.reshape(-1)]
        return y.reshape(len(y), -1).tolist() if len(self.y_names) > 1 else y.reshape(-1).tolist()

    def decode_row(self, row: pd.Series) -> pd.Series:
        """One processed row, readable.

        Examples:
            >>> from lamella.tabular import TabularPandas
            >>> from lamella.tabular import Categorify
            >>> to = TabularPandas(pd.DataFrame({"a": ["x", "y"]}), [Categorify], cat_names="a")
            >>> to.decode_row(to.items.iloc[1])["a"]
            'y'
        """
        return self.decode(row.to_frame().T).iloc[0]

    def show(self, max_n: int = 10, **kwargs: Any) -> pd.DataFrame:
        """Print (or display, in a notebook) the first `max_n` rows decoded; returns them.

        Examples:
            >>> from lamella.tabular import TabularPandas
            >>> _ = TabularPandas(pd.DataFrame({"x": [1.0]}), cont_names="x").show()
                 x
            0  1.0
        """
        return _display(self.decode(self.items.iloc[:max_n]))
