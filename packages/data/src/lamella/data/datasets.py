"""`TfmdLists` and `Datasets`: items with transform pipelines applied lazily, split into train and valid.

Nothing is transformed until an item is read. The pipelines are set up once, on the training
split, and shared by every subset; a subset runs them with its own `split_idx` (0 train,
1 valid), so training-only transforms skip validation items.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from lamella.transforms import Pipeline, TransformError
from lamella.transforms.transform import describe

from .getters import AttrGetter, ColReader, FuncGetter, ItemGetter

__all__ = ["Datasets", "TfmdLists", "range_of", "show_at"]


def _as_list(items: Any) -> Any:
    """Keep indexable collections as they are (lists, arrays, data frames); materialise iterators."""
    return items if hasattr(items, "__getitem__") and hasattr(items, "__len__") else list(items)


def _take(items: Any, idx: Sequence[int]) -> Any:
    if hasattr(items, "take") and hasattr(items, "epoch_order"):  # ShardedItems: a lazy view
        return items.take(idx)
    if hasattr(items, "iloc"):  # pandas
        return items.iloc[list(idx)]
    if isinstance(items, np.ndarray):
        return items[np.asarray(idx, dtype=np.int64)]
    return [items[i] for i in idx]


def _indices(idx: Any, n: int) -> list[int]:
    """Positions selected by a slice, a boolean mask or a list of ints."""
    if isinstance(idx, slice):
        return list(range(n))[idx]
    arr = np.asarray(idx)
    if arr.dtype == bool:
        if len(arr) != n:
            raise IndexError(f"a boolean mask of {len(arr)} values cannot index {n} items")
        return np.flatnonzero(arr).tolist()
    return arr.astype(np.int64).tolist()


class _SetupItems(Sequence):
    """Every item (a data frame: its rows), with `.train`, the training ones, for `Transform.setup`."""

    def __init__(self, items: Any, train: Sequence[int] | None = None) -> None:
        self.items, self._train = items, train
        self._fetch = items.iloc.__getitem__ if hasattr(items, "iloc") else items.__getitem__

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._fetch(j) for j in range(len(self))[i]]
        return self._fetch(i)

    def __iter__(self) -> Iterator[Any]:
        return (self._fetch(i) for i in range(len(self)))

    @property
    def train(self) -> _SetupItems:
        return self if self._train is None else _SetupItems(_take(self.items, self._train))


class TfmdLists:
    """Items and a `Pipeline` applied to each when read, with train/valid splits.

    Args:
        items: any indexable collection (list, array, data frame) or iterable.
        tfms: transforms or a `Pipeline`.
        splits: `(train_indices, valid_indices, ...)`; None: everything is training.
        split_idx: which split this list is (0 train, 1 valid), passed to the transforms.
        do_setup: set the transforms up on the training items now.

    Examples:
        >>> from lamella.transforms import Transform
        >>> tl = TfmdLists([1, 2, 3, 4], [lambda x: x * 10], splits=([0, 1, 2], [3]))
        >>> tl[0], tl[1:3], tl.valid[0], len(tl.train)
        (10, [20, 30], 40, 3)
    """

    def __init__(
        self,
        items: Any,
        tfms: Any = None,
        splits: Sequence[Sequence[int]] | None = None,
        split_idx: int | None = None,
        do_setup: bool = True,
    ) -> None:
        self.items = _as_list(items)
        self.splits = [list(s) for s in splits] if splits is not None else [list(range(len(self.items))), []]
        self.split_idx = split_idx
        self._fetch = self.items.iloc.__getitem__ if hasattr(self.items, "iloc") else self.items.__getitem__
        self.tfms = tfms if isinstance(tfms, Pipeline) else Pipeline(tfms)
        self._pipe = Pipeline(self.tfms.fs, split_idx=split_idx)
        if do_setup:
            self.setup()

    def setup(self, train_setup: bool = True) -> None:
        """Set the transforms up on the training items (all items when `train_setup=False`).

        Examples:
            >>> from lamella.data import Categorize
            >>> tl = TfmdLists(["b", "a", "c"], [Categorize()], splits=([0, 1], [2]), do_setup=False)
            >>> tl.setup(); tl.tfms.fs[0].vocab
            ['a', 'b']
        """
        self.tfms.setup(_SetupItems(self.items, self.splits[0]), train_setup=train_setup)

    def _item(self, i: int) -> Any:
        raw = self._fetch(i)
        try:
            return self._pipe(raw)
        except TransformError as e:
            raise TransformError(f"item {i} ({describe(raw)}): {e}") from e.__cause__

    def __getitem__(self, idx: Any) -> Any:
        if isinstance(idx, (int, np.integer)):
            return self._item(int(idx))
        return [self._item(i) for i in _indices(idx, len(self))]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return (self._item(i) for i in range(len(self)))

    def dataloaders(
        self, bs: int = 64, shuffle_train: bool = True, device: Any = None, path: Any = ".", **kwargs: Any
    ) -> Any:
        """DataLoaders over the splits (the first shuffled, its last partial batch dropped), as fastai's.

        `kwargs` go to each `DataLoader` (`after_item`, `after_batch`, `num_workers`, `seed`...).

        Examples:
            >>> tl = TfmdLists(list(range(10)), [], splits=(list(range(8)), [8, 9]))
            >>> tl.dataloaders(bs=4, device="cpu").valid.one_batch()
            tensor([8, 9])
        """
        return _dataloaders(self, bs, shuffle_train, device, path, kwargs)

    def subset(self, i: int) -> TfmdLists:
        """Split `i` (0 train, 1 valid) as a `TfmdLists` sharing these set-up transforms.

        Examples:
            >>> TfmdLists(list("abcd"), splits=([0, 1], [2, 3])).subset(1).items
            ['c', 'd']
        """
        return TfmdLists(_take(self.items, self.splits[i]), self.tfms, split_idx=i, do_setup=False)

    @property
    def train(self) -> TfmdLists:
        """The training split.

        Examples:
            >>> len(TfmdLists(range(5), splits=([0, 1, 2], [3, 4])).train)
            3
        """
        return self.subset(0)

    @property
    def valid(self) -> TfmdLists:
        """The validation split.

        Examples:
            >>> TfmdLists(range(5), splits=([0, 1, 2], [3, 4])).valid.items
            [3, 4]
        """
        return self.subset(1)

    def overlapping_splits(self) -> list[int]:
        """The item indices that are in more than one split (none, for a sound split).

        fastai returns how many times each of them is repeated; the indices say which items leak.

        Examples:
            >>> TfmdLists(range(6), splits=([0, 1, 2, 3], [3, 4, 5])).overlapping_splits()
            [3]
        """
        seen = Counter(i for s in self.splits for i in set(s))
        return sorted(i for i, n in seen.items() if n > 1)

    @property
    def n_subsets(self) -> int:
        """How many splits there are.

        Examples:
            >>> TfmdLists(range(3)).n_subsets
            2
        """
        return len(self.splits)

    def new(self, items: Any, split_idx: int | None = None) -> TfmdLists:
        """The same (set-up) transforms over new items, e.g. a test set.

        Examples:
            >>> TfmdLists([1], [lambda x: x + 1]).new([5, 6])[1]
            7
        """
        return TfmdLists(items, self.tfms, split_idx=split_idx, do_setup=False)

    @property
    def getters(self) -> list:
        """The leading getters of the transforms (`ColReader`, `ItemGetter`, `AttrGetter`, `FuncGetter`).

        Examples:
            >>> from lamella.data import ItemGetter
            >>> len(TfmdLists([(1, 2)], [ItemGetter(0), lambda x: x * 10]).getters)
            1
        """
        fs = list(self.tfms.fs)
        getter = (AttrGetter, ColReader, FuncGetter, ItemGetter)
        n = next((i for i, f in enumerate(fs) if not isinstance(f, getter)), len(fs))
        return fs[:n]

    def without_getters(self) -> TfmdLists:
        """These items through the transforms after the leading getters.

        For raw items that already are what the getters would read (a path instead of a row).

        Examples:
            >>> from lamella.data import ItemGetter
            >>> TfmdLists([(1, 2)], [ItemGetter(0), lambda x: x * 10]).new([3]).without_getters()[0]
            30
        """
        return TfmdLists(
            self.items, self.tfms.fs[len(self.getters) :], split_idx=self.split_idx, do_setup=False
        )

    def decode(self, o: Any, full: bool = True) -> Any:
        """Undo the transforms on an encoded item.

        Examples:
            >>> from lamella.data import Categorize
            >>> tl = TfmdLists(["b", "a"], [Categorize()])
            >>> tl.decode(tl[0])
            'b'
        """
        return self._pipe.decode(o, full=full)

    def show(self, o: Any, ctx: Any = None, **kwargs: Any) -> Any:
        """Decode `o` until it can show itself, then show it on `ctx` (nothing to show: `ctx` back).

        Examples:
            >>> ax = TfmdLists(["b", "a"], []).show("b")  # doctest: +NEEDS_MATPLOTLIB
        """
        return self._pipe.show(o, ctx=ctx, strict=False, **kwargs)

    @property
    def vocab(self) -> Any:
        """The vocabulary of the last transform that has one (a `Categorize`), else None.

        Examples:
            >>> from lamella.data import Categorize
            >>> TfmdLists(["b", "a"], [Categorize()]).vocab
            ['a', 'b']
        """
        vocabs = (getattr(f, "vocab", None) for f in reversed(self.tfms.fs))
        return next((v for v in vocabs if v is not None), None)

    def __repr__(self) -> str:
        return f"TfmdLists: {len(self)} items, {self.tfms!r}"


class Datasets:
    """Several `TfmdLists` over the same items: each item becomes a tuple `(x, ..., y)`.

    Args:
        items: the raw items.
        tfms: one list of transforms (or Pipeline) per element of the tuple, inputs first.
        splits: `(train_indices, valid_indices)`.
        n_inp: how many elements are inputs (default: all but the last, or 1).
        split_idx: which split this is (0 train, 1 valid).
        do_setup: set the pipelines up on the training items now.

    Examples:
        >>> from lamella.data import Categorize
        >>> dsets = Datasets(["cat.1", "dog.2", "cat.3"], [[lambda o: int(o.split(".")[1])],
        ...                  [lambda o: o.split(".")[0], Categorize()]], splits=([0, 1], [2]))
        >>> dsets[1], dsets.valid[0], dsets.vocab
        ((2, TensorCategory(1)), (3, TensorCategory(0)), ['cat', 'dog'])
        >>> dsets.decode(dsets[1])
        (2, 'dog')
    """

    def __init__(
        self,
        items: Any = None,
        tfms: Sequence[Any] | None = None,
        splits: Sequence[Sequence[int]] | None = None,
        n_inp: int | None = None,
        split_idx: int | None = None,
        do_setup: bool = True,
        tls: list[TfmdLists] | None = None,
    ) -> None:
        if tls is None:
            # one callable or Pipeline alone is one element's transforms, as fastai's `L(tfms)` makes it
            tfms = [None] if tfms is None else tfms if isinstance(tfms, (list, tuple)) else [tfms]
            items = _as_list(items)
            tls = [TfmdLists(items, t, splits=splits, split_idx=split_idx, do_setup=do_setup) for t in tfms]
        self.tls = tls
        self.n_inp = n_inp if n_inp is not None else max(1, len(self.tls) - 1)
        self.split_idx = split_idx

    @property
    def items(self) -> Any:
        """The raw items.

        Examples:
            >>> Datasets([1, 2], [[]]).items
            [1, 2]
        """
        return self.tls[0].items

    @property
    def splits(self) -> list[list[int]]:
        """The split indices.

        Examples:
            >>> Datasets([1, 2], [[]], splits=([1], [0])).splits
            [[1], [0]]
        """
        return self.tls[0].splits

    def __getitem__(self, idx: Any) -> Any:
        if type(idx) is int:
            return tuple([tl._item(idx) for tl in self.tls])
        if isinstance(idx, np.integer):
            return self[int(idx)]
        return [tuple(tl[i] for tl in self.tls) for i in _indices(idx, len(self))]

    def __len__(self) -> int:
        return len(self.tls[0])

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))

    def dataloaders(
        self, bs: int = 64, shuffle_train: bool = True, device: Any = None, path: Any = ".", **kwargs: Any
    ) -> Any:
        """DataLoaders over the splits (the first shuffled, its last partial batch dropped), as fastai's.

        `kwargs` go to each `DataLoader` (`after_item`, `after_batch`, `num_workers`, `seed`...).

        Examples:
            >>> dsets = Datasets(list(range(10)), [[]], splits=(list(range(8)), [8, 9]))
            >>> dsets.dataloaders(bs=4, device="cpu").valid.one_batch()
            (tensor([8, 9]),)
        """
        return _dataloaders(self, bs, shuffle_train, device, path, kwargs)

    def subset(self, i: int) -> Datasets:
        """Split `i` (0 train, 1 valid) sharing these set-up pipelines.

        Examples:
            >>> len(Datasets(range(4), [[]], splits=([0], [1, 2, 3])).subset(1))
            3
        """
        return Datasets(tls=[tl.subset(i) for tl in self.tls], n_inp=self.n_inp, split_idx=i)

    @property
    def train(self) -> Datasets:
        """The training split.

        Examples:
            >>> len(Datasets(range(4), [[]], splits=([0], [1, 2, 3])).train)
            1
        """
        return self.subset(0)

    @property
    def valid(self) -> Datasets:
        """The validation split.

        Examples:
            >>> len(Datasets(range(4), [[]], splits=([0], [1, 2, 3])).valid)
            3
        """
        return self.subset(1)

    @property
    def n_subsets(self) -> int:
        """How many splits there are.

        Examples:
            >>> Datasets(range(4), [[]], splits=([0], [1], [2, 3])).n_subsets
            3
        """
        return self.tls[0].n_subsets

    def new(self, items: Any, split_idx: int | None = None) -> Datasets:
        """The same (set-up) pipelines over new items.

        Examples:
            >>> Datasets([1], [[lambda x: x * 2]]).new([5])[0]
            (10,)
        """
        return Datasets(
            tls=[tl.new(items, split_idx) for tl in self.tls], n_inp=self.n_inp, split_idx=split_idx
        )

    def without_getters(self) -> Datasets:
        """Each pipeline without its leading getters (see `TfmdLists.without_getters`).

        Examples:
            >>> from lamella.data import ItemGetter
            >>> Datasets([(1, 2)], [[ItemGetter(0)], [ItemGetter(1)]]).new([7]).without_getters()[0]
            (7, 7)
        """
        return Datasets(
            tls=[tl.without_getters() for tl in self.tls], n_inp=self.n_inp, split_idx=self.split_idx
        )

    def decode(self, o: Sequence[Any], full: bool = True) -> tuple:
        """Decode each element of an encoded tuple with its own pipeline.

        Examples:
            >>> Datasets([1], [[lambda x: x]]).decode((1,))
            (1,)
        """
        return tuple(tl.decode(o_, full=full) for o_, tl in zip(o, self.tls))

    def show(self, o: Sequence[Any], ctx: Any = None, **kwargs: Any) -> Any:
        """Show each element of an encoded tuple on the same `ctx` (an image, then its label as title).

        Examples:
            >>> ax = Datasets([1], [[lambda x: x]]).show((1,))  # doctest: +NEEDS_MATPLOTLIB
        """
        for o_, tl in zip(o, self.tls):
            ctx = tl.show(o_, ctx=ctx, **kwargs)
        return ctx

    @property
    def vocab(self) -> Any:
        """The vocabulary of the pipeline that has one; a list of them when several have one (fastai's).

        A text classifier's `dls.vocab` is `[text vocab, label vocab]`, as in fastai.

        Examples:
            >>> from lamella.data import Categorize
            >>> Datasets(["b", "a"], [[], [Categorize()]]).vocab
            ['a', 'b']
        """
        found = [v for v in (tl.vocab for tl in self.tls) if v is not None]
        return found[0] if len(found) == 1 else (found or None)

    def __repr__(self) -> str:
        return (
            f"Datasets: {len(self)} items, n_inp={self.n_inp}, pipelines: {[repr(t.tfms) for t in self.tls]}"
        )


def show_at(o: Any, idx: int, **kwargs: Any) -> Any:
    """Show item `idx` of `o` (a `Datasets` or `TfmdLists`) with its decoded parts, as fastai's `show_at`.

    Examples:
        >>> from lamella.data import Categorize
        >>> dsets = Datasets(["cat", "dog"], [[Categorize()]], splits=([0, 1], []))
        >>> show_at(dsets.train, 1).get_title()  # doctest: +NEEDS_MATPLOTLIB
        'dog'
    """
    return o.show(o[idx], **kwargs)


def range_of(x: Any) -> list[int]:
    """`list(range(len(x)))`: every position of `x`, as fastai's.

    Examples:
        >>> range_of("abc")
        [0, 1, 2]
    """
    return list(range(len(x)))


def _dataloaders(dsets: Any, bs: int, shuffle_train: bool, device: Any, path: Any, kwargs: dict) -> Any:
    """DataLoaders over every split of a `TfmdLists` or `Datasets` (their `dataloaders`)."""
    from .loaders import DataLoaders  # the loaders build on this module

    subsets = [dsets.subset(i) for i in range(dsets.n_subsets)]
    dls = DataLoaders.from_dsets(*subsets, bs=bs, device=device, path=path, **kwargs)
    if not shuffle_train:
        dls.loaders[0] = dls.train.new(shuffle=False, drop_last=False)
    return dls
