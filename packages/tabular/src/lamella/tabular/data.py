"""`TabDataLoader` and `TabularDataLoaders`: whole batches by index, and readable rows for display.

A `TabularPandas` hands out a batch as three tensor lookups (`__getitems__`), so the loader
never collates rows; decoding turns a batch back into a data frame of readable values.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import pandas as pd
import torch
from torch import Tensor

from lamella.data import DataLoader, DataLoaders, check_loader_kwargs, pick_splitter, read_csv
from lamella.data import display_df as _display
from lamella.typedtensor import to_cpu

from .core import TabularPandas

__all__ = ["TabDataLoader", "TabularDataLoaders"]


class TabDataLoader(DataLoader):
    """A DataLoader over a `TabularPandas`: batches `(cats, conts, y)`, decoded into data frames.

    Examples:
        >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0.5, 1.5, 2.5]})
        >>> dl = TabDataLoader(TabularPandas(df, cont_names="x", y_names="y"), bs=2)
        >>> [t.shape for t in dl.one_batch()]
        [torch.Size([2, 0]), torch.Size([2, 1]), torch.Size([2, 1])]
        >>> dl.decode_batch(dl.one_batch())["y"].tolist()
        [0.5, 1.5]
    """

    def _frame(self, b: Sequence[Tensor], max_n: int) -> pd.DataFrame:
        to: TabularPandas = self.dataset
        b = to_cpu(tuple(b))
        cats, conts = b[0][:max_n], (b[1][:max_n] if to.with_cont else None)
        df = pd.DataFrame(cats.numpy(), columns=to.cat_names)
        if conts is not None:
            df[to.cont_names] = conts.numpy()
        return to.decode(df)

    def decode_batch(self, b: Any, max_n: int = 10, full: bool = True) -> pd.DataFrame:
        """The rows of a batch as readable values, targets included when the batch has them.

        Examples:
            >>> list(dl.decode_batch(dl.one_batch(), max_n=3).columns)
            ['workclass', 'age', 'salary']
        """
        df = self._frame(b, max_n)
        n_inp = self.dataset.n_inp
        if len(b) > n_inp:
            self._add_y(df, b[n_inp][:max_n], "")
        return df

    def _add_y(self, df: pd.DataFrame, y: Tensor, suffix: str) -> None:
        to: TabularPandas = self.dataset
        values = to.decode_y(y)
        if len(to.y_names) == 1:
            df[to.y_names[0] + suffix] = values
        else:
            for j, n in enumerate(to.y_names):
                df[n + suffix] = [v[j] for v in values]

    def show_batch(
        self, b: Any = None, max_n: int = 10, ctxs: Any = None, show: bool = True, unique: bool = False,
        **kwargs: Any,
    ) -> pd.DataFrame:  # fmt: skip
        """Print (or display, in a notebook) a batch's rows, readable; returns the data frame.

        `unique` (one item under its augmentations, for images) changes nothing: rows are not augmented.

        Examples:
            >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0.5, 1.5, 2.5]})
            >>> dl = TabDataLoader(TabularPandas(df, cont_names="x", y_names="y"), bs=2)
            >>> _ = dl.show_batch(max_n=2)  # doctest: +NORMALIZE_WHITESPACE
                 x    y
            0  1.0  0.5
            1  2.0  1.5
        """
        df = self.decode_batch(self.one_batch() if b is None else b, max_n)
        return _display(df) if show else df

    def show_results(
        self, b: Any, out: Any, max_n: int = 10, ctxs: Any = None, **kwargs: Any
    ) -> pd.DataFrame:
        """Show a batch's rows with their targets and the decoded predictions `out` (`<y>_pred`).

        Examples:
            >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0.5, 1.5, 2.5]})
            >>> dl = TabDataLoader(TabularPandas(df, cont_names="x", y_names="y"), bs=2)
            >>> b = dl.one_batch()
            >>> _ = dl.show_results(b, torch.tensor([[0.4], [1.6]]))  # doctest: +NORMALIZE_WHITESPACE
                 x    y  y_pred
            0  1.0  0.5     0.4
            1  2.0  1.5     1.6
        """
        df = self.decode_batch(b, max_n)
        out = out[0] if isinstance(out, tuple) else out
        self._add_y(df, out[:max_n], "_pred")
        return _display(df)

    def test_dl(self, items: Any, with_labels: bool | None = None, **kwargs: Any) -> TabDataLoader:
        """A loader over a new data frame processed with the training state (targets kept when present).

        Examples:
            >>> dl = TabDataLoader(TabularPandas(pd.DataFrame({"x": [1.0, 2.0]}), cont_names="x"), bs=2)
            >>> dl.test_dl(pd.DataFrame({"x": [5.0]})).one_batch()[1]
            tensor([[5.]])
        """
        df = items if isinstance(items, pd.DataFrame) else pd.DataFrame(items)
        if with_labels is False:
            df = df.drop(columns=[n for n in self.dataset.y_names if n in df.columns])
        return cast(TabDataLoader, self.new(self.dataset.new(df), shuffle=False, drop_last=False, **kwargs))


class TabularDataLoaders(DataLoaders):
    """Training and validation `TabDataLoader`s of a data frame.

    Examples:
        >>> import lamella.samples
        >>> from lamella.tabular import Categorify, FillMissing
        >>> from lamella.data import Normalize
        >>> path = lamella.samples.path("adult_sample")
        >>> dls = TabularDataLoaders.from_csv(path / "adult.csv", y_names="salary",
        ...     cat_names=["workclass", "education"], cont_names=["age", "fnlwgt"],
        ...     procs=[Categorify, FillMissing, Normalize], seed=42, device="cpu")
        >>> [t.shape for t in dls.one_batch()]
        [torch.Size([64, 2]), torch.Size([64, 2]), torch.Size([64])]
    """

    @classmethod
    def from_df(
        cls,
        df: pd.DataFrame,
        path: str | Path = ".",
        procs: Sequence[Any] | None = None,
        cat_names: str | Sequence[str] | None = None,
        cont_names: str | Sequence[str] | None = None,
        y_names: str | Sequence[str] | None = None,
        y_block: Any = None,
        valid_idx: Sequence[int] | None = None,
        valid_pct: float = 0.2,
        seed: int | None = None,
        **kwargs: Any,
    ) -> TabularDataLoaders:
        """From a data frame; `valid_idx` rows (default: a random `valid_pct`, seeded by `seed`) validate.

        `kwargs` go to `TabularPandas.dataloaders` (`bs`, `val_bs`, `shuffle_train`, `device`,
        `num_workers`...); an unknown keyword is refused here, naming the accepted ones.

        Examples:
            >>> df = pd.DataFrame({"x": range(10), "y": [0.0, 1.0] * 5})
            >>> dls = TabularDataLoaders.from_df(df, cont_names="x", y_names="y", valid_idx=[0, 1], bs=4)
            >>> len(dls.train_ds), len(dls.valid_ds)
            (8, 2)
        """
        check_loader_kwargs(f"{cls.__name__}.from_df", kwargs, cls.from_tabular)
        splits = pick_splitter(valid_idx=valid_idx, valid_pct=valid_pct, seed=seed)(range(len(df)))
        to = TabularPandas(df, procs, cat_names, cont_names, y_names, y_block=y_block, splits=splits)
        return to.dataloaders(path=path, seed=seed, **kwargs)

    @classmethod
    def from_csv(cls, csv: str | Path, skipinitialspace: bool = True, **kwargs: Any) -> TabularDataLoaders:
        """From a CSV file read with pandas (spaces after commas skipped); then as `from_df`.

        Examples:
            >>> import tempfile
            >>> csv = Path(tempfile.mkdtemp()) / "adult.csv"; df.to_csv(csv, index=False)
            >>> from lamella.tabular import Categorify
            >>> dls = TabularDataLoaders.from_csv(csv, procs=[Categorify], cat_names="workclass",
            ...                                   cont_names="age", y_names="salary", device="cpu")
            >>> dls.vocab
            ['<50k', '>=50k']
        """
        csv = Path(csv)
        df = read_csv(csv, f"{cls.__name__}.from_csv", skipinitialspace=skipinitialspace)
        return cls.from_df(df, path=kwargs.pop("path", csv.parent), **kwargs)

    @classmethod
    def from_tabular(
        cls,
        to: TabularPandas,
        bs: int = 64,
        val_bs: int | None = None,
        shuffle_train: bool = True,
        device: torch.device | str | None = None,
        path: str | Path = ".",
        *,
        shuffle: bool | None = None,
        drop_last: bool | None = None,
        val_shuffle: bool = False,
        **kwargs: Any,
    ) -> TabularDataLoaders:
        """Loaders over the splits of `to`: the first shuffled, its last partial batch dropped.

        `shuffle` (fastai's name; `shuffle_train` is its older one) and `drop_last` (default: as
        `shuffle`) set the training loader; `val_shuffle` the others.

        Examples:
            >>> to = TabularPandas(pd.DataFrame({"x": [1.0, 2.0, 3.0]}), cont_names="x", splits=([0, 1], [2]))
            >>> TabularDataLoaders.from_tabular(to, bs=2, device="cpu").valid.one_batch()
            (tensor([], size=(1, 0), dtype=torch.int64), tensor([[3.]]))
        """
        device = device if device is not None else to.device
        shuffle = shuffle_train if shuffle is None else shuffle
        drop_last = shuffle if drop_last is None else drop_last
        train = TabDataLoader(to.train, bs=bs, shuffle=shuffle, drop_last=drop_last, **kwargs)
        valids = [
            TabDataLoader(to._subset(i), bs=val_bs or bs, shuffle=val_shuffle, **kwargs)
            for i in range(1, len(to.splits))
        ]
        return cls(train, *valids, path=path, device=device)

    def test_dl(self, items: Any, with_labels: bool | None = None, **kwargs: Any) -> TabDataLoader:
        """A loader over a new data frame (see `TabDataLoader.test_dl`): targets kept when present.

        Examples:
            >>> len(dls.test_dl(df.head(5)).dataset)
            5
        """
        return cast(TabDataLoader, self._test_source).test_dl(items, with_labels=with_labels, **kwargs)

    @property
    def vocab(self) -> Any:
        """The target's vocabulary (classification), else None.

        Examples:
            >>> dls.vocab
            ['<50k', '>=50k']
        """
        return self.train_ds.vocab


# `TabularPandas.dataloaders` builds these (as fastai's `TabularPandas._dbunch_type`); set here
# because the loaders build on the table, not the other way round.
TabularPandas.dls_type = TabularDataLoaders
