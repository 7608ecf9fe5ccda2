"""`TabularPandas`: a data frame processed into categorical codes, continuous floats and targets.

Processors (`procs.py`) learn from the training rows and rewrite whole columns at once; the
result is then held as three tensors (codes, floats, targets), so a batch is three index
lookups, never a per-row collation. The frame keeps the processed columns for decoding and
display. Bad input is refused at construction, naming the column: one that is absent, a
continuous column holding strings, a column with no values in the training rows, a target
with missing values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import Tensor

from lamella.data import Categorize, CategoryMap, MultiCategorize, Normalize, TransformBlock
from lamella.typedtensor import TensorCategory

from .checks import TableChecks
from .procs import ColumnTypeError, NormalizeTab, TabularDataError, TabularProc, training_vocab
from .views import TableViews

__all__ = ["ColumnTypeError", "TabularDataError", "TabularPandas"]  # the errors live in procs (lower)


def _names(o: Any) -> list[str]:
    if o is None:
        return []
    return [o] if isinstance(o, str) else list(o)


def _make_proc(p: Any) -> TabularProc:
    # lamella.data's `Normalize` normalises image batches; in `procs` it means the tabular one,
    # so `procs=[Categorify, FillMissing, Normalize]` reads as in fastai.
    if p is Normalize or isinstance(p, Normalize):
        return NormalizeTab()
    p = p() if isinstance(p, type) else p
    if not isinstance(p, TabularProc):
        raise TypeError(f"procs must be TabularProc classes or instances, got {p!r}")
    return p


def _y_kind(y_block: Any, df: pd.DataFrame, y_names: list[str]) -> str | None:
    if not y_names:
        return None
    if y_block is None:  # as fastai: float targets are a regression, anything else categories
        numeric = all(pd.api.types.is_float_dtype(df[n]) for n in y_names)
        return "regression" if numeric else "category"
    block = y_block() if callable(y_block) and not isinstance(y_block, TransformBlock) else y_block
    tfms = list(getattr(block, "type_tfms", []))
    if any(isinstance(t, MultiCategorize) for t in tfms):
        raise ValueError("TabularPandas takes one categorical target or regression targets, not multi-label")
    return "category" if any(isinstance(t, Categorize) for t in tfms) else "regression"


class TabularPandas(TableChecks, TableViews):
    """A data frame processed for a tabular model: categorical codes, continuous floats, targets.

    Args:
        df: the raw frame (left untouched unless `inplace`).
        procs: processors, classes or instances (`Categorify`, `FillMissing`, `Normalize`).
        cat_names: categorical columns (embedded by the model).
        cont_names: continuous columns (numbers).
        y_names: target column(s).
        y_block: `CategoryBlock()` or `RegressionBlock()`; None: float targets are a regression.
        splits: training and validation row positions (None: every row is training).
        do_setup: learn the processors' state from the training rows (False: already set up).
        device: where batches go.
        inplace: write the processed columns into `df` instead of a new frame.
        reduce_memory: keep continuous columns as float32 (else float64) in the frame.

    Examples:
        >>> df = pd.DataFrame({"a": ["x", "y", "x", None], "b": [1.0, None, 3.0, 4.0], "y": [0, 1, 0, 1]})
        >>> from lamella.tabular import Categorify, FillMissing
        >>> to = TabularPandas(df, [Categorify, FillMissing], cat_names="a", cont_names="b", y_names="y",
        ...                    splits=([0, 1, 2], [3]))
        >>> to.cat_names, list(to.vocab), len(to.train), len(to.valid)
        (['a', 'b_na'], [0, 1], 3, 1)
        >>> cats, conts, y = to.train[0:2]
        >>> cats.tolist(), conts.tolist(), y.tolist()
        ([[1, 1], [2, 2]], [[1.0], [2.0]], [0, 1])
    """

    dls_type: Any = None  # TabularDataLoaders, set by `lamella.tabular.data` (which builds on this module)

    def __init__(
        self,
        df: pd.DataFrame,
        procs: Sequence[Any] | None = None,
        cat_names: str | Sequence[str] | None = None,
        cont_names: str | Sequence[str] | None = None,
        y_names: str | Sequence[str] | None = None,
        y_block: Any = None,
        splits: Sequence[Sequence[int]] | None = None,
        do_setup: bool = True,
        device: torch.device | str | None = None,
        inplace: bool = False,
        reduce_memory: bool = True,
    ) -> None:
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"TabularPandas needs a pandas DataFrame, got {type(df).__name__}")
        self.cat_names, self.cont_names = _names(cat_names), _names(cont_names)
        self.y_names, self.device, self.reduce_memory = _names(y_names), device, reduce_memory
        self._check_columns(df)
        self.procs = sorted((_make_proc(p) for p in procs or []), key=lambda p: p.order)
        self.y_kind = _y_kind(y_block, df, self.y_names)
        n = len(df)
        self.splits = [np.arange(n)] if splits is None else [np.asarray(s, dtype=np.int64) for s in splits]
        self.split_idx: int | None = None
        self.with_cont = True
        self.vocab: CategoryMap | None = None  # the target's vocabulary (classification)
        cols = list(dict.fromkeys(self.cat_names + self.cont_names + self.y_names))
        # copy=False: columns are replaced, never written into, so `df` stays as it was
        self.items = df if inplace else pd.DataFrame({c: df[c] for c in cols}, index=df.index, copy=False)
        self._check_values()
        if do_setup:
            self.setup()
        self.process()

    # -- setting up and processing ----------------------------------------------------------
    @property
    def classes(self) -> dict[str, CategoryMap]:
        """The vocabulary of each categorical column (from `Categorify`), `#na#` first.

        Examples:
            >>> from lamella.tabular import Categorify
            >>> list(TabularPandas(pd.DataFrame({"a": ["y", "x"]}), [Categorify], "a").classes["a"])
            ['#na#', 'x', 'y']
        """
        classes: dict[str, CategoryMap] = {}
        for p in self.procs:
            classes.update(getattr(p, "classes", {}))
        return classes

    def train_values(self, name: str, dtype: Any = None) -> np.ndarray:
        """Column `name` of the training rows as a numpy array (floats for continuous columns).

        Examples:
            >>> to = TabularPandas(pd.DataFrame({"x": [1, 2, 3]}), cont_names="x", splits=([0, 2], [1]))
            >>> to.train_values("x", np.float64)
            array([1., 3.])
        """
        if dtype is None and name in self.cont_names:
            dtype = np.float64
        x, train = self.items[name].to_numpy(dtype=dtype), self.splits[0]
        return x if len(train) == len(x) else x[train]

    def setup(self) -> None:
        """Learn every processor's state, and the target vocabulary, from the training rows.

        Examples:
            >>> to = TabularPandas(pd.DataFrame({"y": ["b", "a"]}), y_names="y")
            >>> list(to.vocab)
            ['a', 'b']
        """
        for p in self.procs:
            p.setup(self)
            p.encodes(self)  # later processors learn from processed columns (Normalize after filling)
        self._encoded = True
        if self.y_kind == "category":
            self.vocab = CategoryMap(training_vocab(self, self.y_names[0]), sort=False)
        self.c = len(self.vocab) if self.vocab is not None else len(self.y_names)

    def process(self) -> None:
        """Apply the processors to every row (once), then build the tensors batches are taken from.

        Examples:
            >>> from lamella.tabular import Categorify
            >>> to = TabularPandas(pd.DataFrame({"a": ["x", "y"]}), [Categorify], cat_names="a")
            >>> to.process(); to.cats.tolist()  # processing again leaves the codes as they are
            [[1], [2]]
        """
        if not getattr(self, "_encoded", False):
            for p in self.procs:
                p.encodes(self)
            self._encoded = True
        self._check_processed()
        self.cats = _stack(self.items, self.cat_names, None)  # codes kept small; batches get int64
        dtype = np.float32 if self.reduce_memory else np.float64
        for n in self.cont_names:
            if self.items[n].dtype != dtype:
                self.items[n] = self.items[n].astype(dtype)
        self.conts = _stack(self.items, self.cont_names, np.float32)
        self.y_tensor = self._encode_y()

    def _encode_y(self) -> Tensor | None:
        if self.y_kind is None or not self.y_names or any(n not in self.items for n in self.y_names):
            return None
        if self.y_kind == "regression":
            return _stack(self.items, self.y_names, np.float32)
        n, vocab = self.y_names[0], list(self.vocab or [])
        codes = pd.Index(vocab).get_indexer(self.items[n])
        unknown = np.flatnonzero(codes < 0)
        if len(unknown):
            values = sorted({str(v) for v in self.items[n].iloc[unknown[:20]]})
            raise TabularDataError(
                f"target column {n!r} holds values not seen in the training rows ({', '.join(values)}); "
                f"the vocabulary is {vocab}"
            )
        return torch.from_numpy(codes.astype(np.int64))

    # -- subsets and new data ---------------------------------------------------------------
    def _subset(self, i: int) -> TabularPandas:
        idx = self.splits[i]
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.items, new.split_idx, new.splits = self.items.iloc[idx], i, [np.arange(len(idx))]
        t = torch.from_numpy(idx)
        new.cats, new.conts = self.cats[t], self.conts[t]
        new.y_tensor = None if self.y_tensor is None else self.y_tensor[t]
        new.cat_names = list(self.cat_names)
        return new

    @property
    def train(self) -> TabularPandas:
        """The training rows (processed with the same state).

        Examples:
            >>> TabularPandas(pd.DataFrame({"x": [1.0, 2.0]}), cont_names="x", splits=([1], [0])).train.conts
            tensor([[2.]])
        """
        return self._subset(0)

    @property
    def valid(self) -> TabularPandas:
        """The validation rows (processed with the training state).

        Examples:
            >>> TabularPandas(pd.DataFrame({"x": [1.0, 2.0]}), cont_names="x", splits=([1], [0])).valid.conts
            tensor([[1.]])
        """
        return self._subset(1)

    def new(self, df: Any, split_idx: int | None = 1) -> TabularPandas:
        """Process a new frame with this one's state (no setup): test data, or an empty frame.

        Unknown categories become `#na#`; a missing input column is an error naming it; the
        target columns may be absent (test data).

        Examples:
            >>> from lamella.tabular import Categorify
            >>> to = TabularPandas(pd.DataFrame({"a": ["x", "y"]}), [Categorify], cat_names="a")
            >>> to.new(pd.DataFrame({"a": ["y", "zebra"]})).cats.tolist()
            [[2], [0]]
        """
        if not isinstance(df, pd.DataFrame):
            df = pd.DataFrame(list(df), columns=self._raw_names(with_y=True) if not len(df) else None)
        base = self._given_cat_names()
        y_names = [n for n in self.y_names if n in df.columns]
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.cat_names, new.y_names = base, y_names
        new._check_columns(df)
        new.splits, new.split_idx, new._encoded = [np.arange(len(df))], split_idx, False
        cols = list(dict.fromkeys(base + self.cont_names + y_names))
        new.items = pd.DataFrame({c: df[c] for c in cols}, index=df.index, copy=False)
        new._check_conts()  # new rows meet the training rows' rules: no inf, nothing beyond float32
        new.process()
        new.y_names = self.y_names
        return new

    def _given_cat_names(self) -> list[str]:
        """The categorical columns of the raw frame (without the `<col>_na` flags FillMissing added)."""
        added = {f"{n}_na" for n in self.cont_names}
        return [n for n in self.cat_names if n not in added]

    def _raw_names(self, with_y: bool) -> list[str]:
        return self._given_cat_names() + self.cont_names + (self.y_names if with_y else [])

    def dataloaders(self, bs: int = 64, val_bs: int | None = None, shuffle_train: bool = True,
                    device: torch.device | str | None = None, **kwargs: Any) -> Any:  # fmt: skip
        """`TabularDataLoaders` over this table's splits (see `TabularDataLoaders.from_tabular`).

        Examples:
            >>> to = TabularPandas(pd.DataFrame({"x": [1.0, 2.0]}), cont_names="x", splits=([0], [1]))
            >>> to.dataloaders(bs=1, device="cpu").valid.one_batch()[1]
            tensor([[2.]])
        """
        if self.dls_type is None:
            raise RuntimeError(
                "TabularPandas.dataloaders needs lamella.tabular.data imported (import lamella.tabular)"
            )
        return self.dls_type.from_tabular(self, bs, val_bs, shuffle_train, device, **kwargs)

    # -- the dataset protocol ---------------------------------------------------------------
    @property
    def n_inp(self) -> int:
        """How many batch elements are model inputs: codes and floats (codes only without `with_cont`).

        Examples:
            >>> TabularPandas(pd.DataFrame({"x": [1.0]}), cont_names="x").n_inp
            2
        """
        return 2 if self.with_cont else 1

    def __len__(self) -> int:
        return len(self.cats)

    def __getitem__(self, i: int | slice) -> tuple[Tensor, ...]:
        return self._fetch(lambda t: t[i])

    def __getitems__(self, idxs: Sequence[int]) -> tuple[Tensor, ...]:
        i = idxs if isinstance(idxs, Tensor) else torch.from_numpy(np.fromiter(idxs, np.int64, len(idxs)))
        return self._fetch(lambda t: t.index_select(0, i))  # twice as fast as t[i] on the CPU

    def _fetch(self, take: Callable[[Tensor], Tensor]) -> tuple[Tensor, ...]:
        cats = take(self.cats).long()
        xs = (cats, take(self.conts)) if self.with_cont else (cats,)
        if self.y_tensor is None:
            return xs
        y = take(self.y_tensor)
        return (*xs, TensorCategory(y) if self.y_kind == "category" else y)

    def __repr__(self) -> str:
        return (
            f"TabularPandas({len(self)} rows; cat_names={self.cat_names}, cont_names={self.cont_names}, "
            f"y_names={self.y_names})"
        )


def _stack(df: pd.DataFrame, names: list[str], dtype: Any) -> Tensor:
    """Columns side by side as one (rows, columns) tensor; `dtype` None keeps the columns' own."""
    if not names:
        return torch.from_numpy(np.empty((len(df), 0), dtype or np.int64))
    return torch.from_numpy(np.stack([df[n].to_numpy(dtype=dtype) for n in names], axis=1))
