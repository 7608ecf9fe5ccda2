"""The data block API: declare the types, getters, splitter and transforms; get DataLoaders.

A block is the set of transforms one kind of data needs: `type_tfms` that turn a raw item
into it (set up on the training items), `item_tfms` per item, `batch_tfms` per batch.
`DataBlock` combines blocks with `get_items`, `get_x`/`get_y` and a splitter.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from lamella.transforms import Pipeline, Transform
from lamella.transforms.transform import describe
from lamella.typedtensor import is_listy

from .convert import ToTensor
from .datasets import Datasets
from .getters import FuncGetter, ItemGetter
from .labels import Categorize, EncodedMultiCategorize, MultiCategorize, OneHotEncode, RegressionSetup
from .loader import DataLoader, check_loader_kwargs, tfm_list
from .loaders import DataLoaders
from .splitters import RandomSplitter

__all__ = ["CategoryBlock", "DataBlock", "MultiCategoryBlock", "RegressionBlock", "TransformBlock"]


class TransformBlock:
    """The transforms one kind of data needs, for `DataBlock(blocks=...)`.

    Args:
        type_tfms: from the raw item to this type (set up on the training items).
        item_tfms: applied to each item in the DataLoader.
        batch_tfms: applied to each batch, on its device.
        dl_type: a DataLoader class this kind of data needs (else `DataLoader`).
        dls_kwargs: DataLoader arguments this kind of data needs (boxes: `before_batch=bb_pad`).

    Examples:
        >>> TransformBlock(type_tfms=[str.upper]).type_tfms[0]("a")
        'A'
    """

    def __init__(
        self,
        type_tfms: Any = None,
        item_tfms: Any = None,
        batch_tfms: Any = None,
        dl_type: type | None = None,
        dls_kwargs: dict[str, Any] | None = None,
    ) -> None:
        self.type_tfms = tfm_list(type_tfms)
        self.item_tfms = tfm_list(item_tfms)
        self.batch_tfms = tfm_list(batch_tfms)
        self.dl_type = dl_type
        self.dls_kwargs = dict(dls_kwargs or {})


def CategoryBlock(
    vocab: Sequence[Any] | None = None, sort: bool = True, add_na: bool = False
) -> TransformBlock:  # noqa: N802
    """A single-label classification target (`Categorize`).

    Examples:
        >>> CategoryBlock(add_na=True).type_tfms[0].add_na
        True
    """
    return TransformBlock(type_tfms=Categorize(vocab=vocab, sort=sort, add_na=add_na))


def MultiCategoryBlock(  # noqa: N802
    encoded: bool = False, vocab: Sequence[Any] | None = None, add_na: bool = False
) -> TransformBlock:
    """A multi-label target: lists of labels (`MultiCategorize` + `OneHotEncode`), or one-hot already.

    Examples:
        >>> [type(t).__name__ for t in MultiCategoryBlock().type_tfms]
        ['MultiCategorize', 'OneHotEncode']
    """
    if encoded:
        if vocab is None:
            raise ValueError("MultiCategoryBlock(encoded=True) needs the vocab: the names of the columns")
        return TransformBlock(type_tfms=EncodedMultiCategorize(vocab))
    return TransformBlock(type_tfms=[MultiCategorize(vocab=vocab, add_na=add_na), OneHotEncode()])


def RegressionBlock(n_out: int | None = None) -> TransformBlock:  # noqa: N802
    """A float target with `n_out` values (learnt from the data when None).

    Examples:
        >>> RegressionBlock(2).type_tfms[0].c
        2
    """
    return TransformBlock(type_tfms=RegressionSetup(c=n_out))


def _getter(g: Any) -> Any:
    """A getter receives the whole item (a tuple item is not split element by element)."""
    return g if isinstance(g, (Transform, Pipeline)) else FuncGetter(g)


def _zip(columns: Any) -> list[tuple]:
    return list(zip(*columns))


def _zip_after(get_items: Callable, source: Any) -> list[tuple]:
    return _zip(get_items(source))


def _merge(tfms: list[Any]) -> list[Any]:
    """One transform per class (the last given wins, so a user's Normalize replaces a block's)."""
    last = {type(t) if isinstance(t, Transform) else id(t): t for t in tfms}
    return list(last.values())


def _block(b: Any) -> TransformBlock:
    if b is None:  # fastai's `blocks=(None, CategoryBlock)`: the element as get_x/get_y give it
        return TransformBlock()
    return b() if isinstance(b, type) or (callable(b) and not isinstance(b, TransformBlock)) else b


class DataBlock:
    """Declare how to build DataLoaders: the blocks, where items come from, how to split and label.

    Args:
        blocks: one block per element of a sample, inputs first (default: two plain blocks; None is a
            plain block, as in fastai).
        get_items: from the source to the list of items (default: the source itself).
        get_x: from an item to the input (one per input block, or one for all).
        get_y: from an item to the target (one per target block, or one for all).
        splitter: from the items to `(train, valid)` indices (default `RandomSplitter()`).
        item_tfms: transforms applied to each item.
        batch_tfms: transforms applied to each batch, on its device.
        n_inp: how many blocks are inputs (default: all but the last).
        dl_type: the DataLoader class (default: the blocks' choice, else `DataLoader`).

    Examples:
        >>> import numpy as np
        >>> rows = np.arange(20).reshape(10, 2)
        >>> dblock = DataBlock(blocks=(TransformBlock, CategoryBlock), get_x=lambda r: float(r[0]),
        ...                    get_y=lambda r: "odd" if r[1] % 4 == 3 else "even",
        ...                    splitter=RandomSplitter(seed=0))
        >>> dls = dblock.dataloaders(rows, bs=4, device="cpu")
        >>> dls.vocab
        ['even', 'odd']
    """

    def __init__(
        self,
        blocks: Sequence[Any] | None = None,
        get_items: Callable[[Any], Sequence[Any]] | None = None,
        get_x: Any = None,
        get_y: Any = None,
        splitter: Callable[[Sequence[Any]], Any] | None = None,
        item_tfms: Any = None,
        batch_tfms: Any = None,
        n_inp: int | None = None,
        dl_type: type | None = None,
        getters: Sequence[Any] | None = None,
    ) -> None:
        if blocks is None:
            blocks = (TransformBlock, TransformBlock)
        elif not is_listy(blocks):
            blocks = [blocks]  # one block (a language model's text), as fastai's
        self.blocks = [_block(b) for b in blocks]
        self.n_inp = n_inp if n_inp is not None else max(1, len(self.blocks) - 1)
        self.get_items, self.splitter = get_items, splitter if splitter is not None else RandomSplitter()
        self.getters = list(getters) if getters is not None else self._getters(get_x, get_y)
        if len(self.getters) != len(self.blocks):
            raise ValueError(f"DataBlock: {len(self.getters)} getters for {len(self.blocks)} blocks")
        self._set_tfms(item_tfms, batch_tfms)
        block_dl = next((b.dl_type for b in self.blocks if b.dl_type is not None), DataLoader)
        self.dl_type: type[DataLoader] = dl_type or block_dl
        self.dls_kwargs = {k: v for b in self.blocks for k, v in getattr(b, "dls_kwargs", {}).items()}

    def _set_tfms(self, item_tfms: Any, batch_tfms: Any) -> None:
        self.item_tfms = _merge(
            [ToTensor()] + [t for b in self.blocks for t in b.item_tfms] + tfm_list(item_tfms)
        )
        self.batch_tfms = _merge([t for b in self.blocks for t in b.batch_tfms] + tfm_list(batch_tfms))

    def new(self, item_tfms: Any = None, batch_tfms: Any = None) -> DataBlock:
        """This DataBlock with other `item_tfms` and `batch_tfms` (the blocks' own are kept), as fastai's.

        Examples:
            >>> dblock = DataBlock(item_tfms=[lambda x: x])
            >>> len(dblock.new().item_tfms) < len(dblock.item_tfms)
            True
        """
        res = copy.copy(self)
        res._set_tfms(item_tfms, batch_tfms)
        return res

    @classmethod
    def from_columns(
        cls, blocks: Sequence[Any] | None = None, getters: Sequence[Any] | None = None,
        get_items: Callable | None = None, **kwargs: Any,
    ) -> DataBlock:  # fmt: skip
        """A DataBlock over columns side by side (`(fnames, labels)`): item `i` is element `i` of each.

        Examples:
            >>> dblock = DataBlock.from_columns(splitter=lambda items: ([0, 1], [2]))
            >>> dblock.datasets((["a", "b", "c"], [1, 2, 3])).valid[0]
            ('c', 3)
        """
        n = 2 if blocks is None else len(blocks)
        getters = [ItemGetter(i) for i in range(n)] if getters is None else getters
        zipped = _zip if get_items is None else partial(_zip_after, get_items)
        return cls(blocks=blocks, getters=getters, get_items=zipped, **kwargs)

    def _getters(self, get_x: Any, get_y: Any) -> list[Any]:
        n_targets = len(self.blocks) - self.n_inp
        xs = list(get_x) if is_listy(get_x) else [get_x] * self.n_inp
        ys = list(get_y) if is_listy(get_y) else [get_y] * n_targets
        return xs + ys

    def _type_tfms(self) -> list[list[Any]]:
        return [
            ([] if g is None else [_getter(g)]) + list(b.type_tfms) for g, b in zip(self.getters, self.blocks)
        ]

    def _items(self, source: Any) -> Any:
        items = self.get_items(source) if self.get_items is not None else source
        if len(items) == 0:
            raise ValueError(f"DataBlock found no items in {source!r}; check get_items and the path")
        return items

    def datasets(self, source: Any) -> Datasets:
        """The `Datasets` of the source: items, splits, and type pipelines set up on the training split.

        Examples:
            >>> DataBlock(splitter=lambda items: ([0, 1], [2])).datasets([10, 20, 30]).valid[0]
            (30, 30)
        """
        items = self._items(source)
        splits = self.splitter(items)
        return Datasets(items, tfms=self._type_tfms(), splits=splits, n_inp=self.n_inp)

    def dataloaders(
        self, source: Any, path: Any = ".", bs: int = 64, device: Any = None, **kwargs: Any
    ) -> DataLoaders:
        """DataLoaders for the source: a shuffled training loader and a validation loader.

        Args:
            source: what `get_items` reads (a folder, a data frame, a list).
            path: stored on the DataLoaders (a learner saves models under it).
            bs: the batch size.
            device: where batches go (default: CUDA when present).
            **kwargs: passed to each DataLoader (`num_workers`, `seed`, `pin_memory`...).

        Examples:
            >>> dblock = DataBlock(splitter=lambda items: ([0, 1, 2], [3]))
            >>> dls = dblock.dataloaders([1, 2, 3, 4], bs=2, device="cpu")
            >>> len(dls.train), dls.valid.one_batch()
            (1, (tensor([4]), tensor([4])))
        """
        check_loader_kwargs("DataBlock.dataloaders", kwargs, self.dl_type.__init__)
        dsets = self.datasets(source)
        subsets = [dsets.subset(i) for i in range(dsets.n_subsets)]
        return self._loaders(subsets, path, bs, device, **kwargs)

    def _loaders(
        self, subsets: list[Datasets], path: Any, bs: int, device: Any, **kwargs: Any
    ) -> DataLoaders:
        settings = {"shuffle": True, "drop_last": True, **self.dls_kwargs, **kwargs}
        for name, block_tfms in (("after_item", self.item_tfms), ("after_batch", self.batch_tfms)):
            given = settings.pop(name, None)  # the block's transforms, then the ones given here
            settings[name] = list(block_tfms) + tfm_list(given)
        train = self.dl_type(subsets[0], bs=bs, device=device, **settings)
        if device is None:
            from lamella.typedtensor import default_device

            train.to(default_device())
        train.setup_after_batch()
        rest = [train.new(ds, shuffle=False, drop_last=False) for ds in subsets[1:]]
        return DataLoaders(train, *rest, path=path, device=train.device)

    def summary(self, source: Any, bs: int = 4) -> None:
        """Print every step of building one sample and one batch; on failure, say which step and item.

        Examples:
            >>> DataBlock(splitter=lambda items: ([0, 1], [2])).summary([1, 2, 3], bs=2)  # doctest: +ELLIPSIS
            Collecting items from [1, 2, 3]
            Found 3 items
            2 datasets of sizes 2, 1
            ...
            Collated batch: (Tensor of shape (2,), dtype torch.int64, Tensor of shape (2,), dtype torch.int64)
        """
        print(f"Collecting items from {_short(source)}")
        items = _step("collecting the items", lambda: self._items(source))
        print(f"Found {len(items)} items")
        splits = _step("splitting the items", lambda: self.splitter(items))
        print(f"{len(splits)} datasets of sizes {', '.join(str(len(s)) for s in splits)}")
        dsets = _step(
            "setting up the type transforms",
            lambda: Datasets(items, tfms=self._type_tfms(), splits=splits, n_inp=self.n_inp),
        )
        train = dsets.subset(0)
        i = splits[0][0] if len(splits[0]) else 0
        raw = dsets.items[i] if not hasattr(dsets.items, "iloc") else dsets.items.iloc[i]
        print(f"\nBuilding one sample from item {i}: {describe(raw)}")
        sample = []
        for k, tl in enumerate(train.tls):
            print(f"  Pipeline {k} ({'input' if k < self.n_inp else 'target'}): {tl.tfms!r}")
            x = raw
            for t in tl.tfms.fs:
                x = _step(f"applying {t.name} to item {i} in pipeline {k}", partial(t, x, split_idx=0))
                print(f"    {t.name:<24} -> {describe(x)}")
            sample.append(x)
        print(f"Final sample: ({', '.join(describe(o) for o in sample)})")
        dls = _step(
            "building the DataLoaders",
            lambda: self._loaders([dsets.subset(j) for j in range(len(splits))], ".", bs, "cpu"),
        )
        dl = dls.train
        idxs = list(range(min(bs, len(dl.dataset))))
        print(f"\nBuilding one batch of {len(idxs)} items")
        print(f"  after_item: {dl.after_item!r}")
        samples = _step("applying item_tfms", lambda: [dl.after_item(dl.dataset[j]) for j in idxs])
        print(f"  Collating {len(samples)} items: {', '.join(describe(s) for s in samples[0])} each")
        batch = _step(
            "collating the items into a batch", lambda: dl.create_batch(dl.before_batch(samples), idxs)
        )
        print(f"  after_batch: {dl.after_batch!r}")
        batch = _step("applying batch_tfms", lambda: dl.after_batch(batch))
        fields = batch if isinstance(batch, tuple) else (batch,)
        print(f"Collated batch: ({', '.join(describe(o) for o in fields)})")


def _short(o: Any) -> str:
    text = repr(o)
    return text if len(text) <= 80 else text[:77] + "..."


def _step(what: str, f: Callable[[], Any]) -> Any:
    try:
        return f()
    except Exception as e:
        print(f"\nFailed while {what}:\n  {type(e).__name__}: {e}")
        raise
