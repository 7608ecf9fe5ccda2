"""`DataLoader`: batches from a dataset, through three hook pipelines, on a device.

A batch is made in four steps: each item through `after_item`, the list through
`before_batch`, collation into one batch (`create_batch`, which keeps semantic types and
metadata), then, on the batch's device, `after_batch`. Worker processes come from
`torch.utils.data.DataLoader` (each worker builds whole batches); the shuffle order derives from
one seed per epoch and a worker seeds each batch from that seed and the batch's position
(`batch_seed`), so a seeded run reproduces exactly, and so does a resumed epoch. A dataset
that fetches many items at once defines `__getitems__(indices)` (as torch's protocol says) and
skips per-item work and collation.
"""

from __future__ import annotations

import inspect
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

import numpy as np
import torch
from torch import Tensor

from lamella.transforms import Pipeline, instantiate
from lamella.transforms.transform import describe
from lamella.typedtensor import is_listy, to_device

from .augment.presets import setup_aug_tfms
from .collate import CollateError, collate
from .decoding import Decoding

__all__ = ["DataLoader", "batch_seed", "check_loader_kwargs", "tfm_list"]


def check_loader_kwargs(caller: str, kwargs: dict[str, Any], accepted: Iterable[str] | Callable = ()) -> None:
    """Refuse, at a factory's call, keywords that neither it nor `DataLoader` takes, listing those they take.

    Args:
        caller: the factory, as the user called it (named in the error).
        kwargs: the keywords it received beyond its own parameters.
        accepted: keywords it passes on elsewhere (`bs`, `val_bs`...), or the function it passes
            them to (its keyword parameters are accepted).

    Examples:
        >>> check_loader_kwargs("from_df", {"bs": 8, "num_workers": 0}, accepted=["bs"])
        >>> def make(items, bs=64, val_bs=None): ...
        >>> check_loader_kwargs("from_df", {"val_bs": 8}, accepted=make)
        >>> check_loader_kwargs("from_df", {"valid_pctt": 0.2})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        TypeError: from_df() got an unexpected keyword argument 'valid_pctt'; it accepts ...
    """
    if callable(accepted):
        accepted = _keywords(accepted)
    known = _keywords(DataLoader.__init__) | set(accepted)
    bad = [k for k in kwargs if k not in known]
    if bad:
        raise TypeError(
            f"{caller}() got an unexpected keyword argument {bad[0]!r}; it accepts its own parameters and "
            f"these DataLoader settings: {', '.join(sorted(known))}"
        )


def _keywords(f: Callable) -> set[str]:
    """The parameters of `f` that a caller may pass by keyword (not `self`, not `**kwargs`)."""
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return {n for n, p in inspect.signature(f).parameters.items() if p.kind in kinds and n != "self"}


def tfm_list(o: Any) -> list[Any]:
    """Transforms as a list, classes instantiated (fastai accepts `after_item=[Resize(64), ToTensor]`).

    Examples:
        >>> from lamella.transforms import Transform
        >>> [type(t).__name__ for t in tfm_list([Transform, None][:1])], tfm_list(None)
        (['Transform'], [])
    """
    if o is None:
        return []
    if isinstance(o, Pipeline):
        return list(o.fs)
    return [instantiate(t) for t in (o if is_listy(o) else [o])]


def _raw_items_if_needed(ds: Any, items: list) -> Any:
    """`ds`, or `ds` without its getters when they cannot read the raw items.

    `learn.predict(path)` on loaders built from a data frame: the getter (`ColReader`) expects a
    row, the path is already what it would read. As fastai does, skip the getters then. Only the
    getters run on the first item here (cheap), not its whole pipeline.
    """
    tls = getattr(ds, "tls", None)
    if not items or not tls:
        return ds
    try:
        for tl in tls:
            x = items[0]
            for getter in tl.getters:
                x = getter(x)
    except Exception:
        return ds.without_getters()
    return ds


def _identity(x: Any) -> Any:
    return x


def batch_seed(epoch_seed: int, batch: int) -> int:
    """The seed of batch number `batch` of the epoch drawn from `epoch_seed` (made in a worker process).

    A worker seeds torch's, Python's and numpy's random states with it before making the batch, so
    a batch's augmentation is a function of (seed, epoch, batch position) alone: whichever worker
    makes it, and in a resumed epoch that skips the batches before it, it comes out the same.

    Examples:
        >>> batch_seed(7, 0) == batch_seed(7, 0) != batch_seed(7, 1)
        True
    """
    return (epoch_seed * 1_000_003 + batch * 7_919 + 1) % 2**63


class _Batches(torch.utils.data.Dataset):
    """What each worker process gets: a source of whole batches, indexed by (position, indices)."""

    def __init__(self, dl: DataLoader, epoch_seed: int) -> None:
        self.dl, self.epoch_seed = dl, epoch_seed

    def __getitem__(self, key: tuple[int, list[int]]) -> Any:
        i, idxs = key
        seed = batch_seed(self.epoch_seed, i)
        torch.manual_seed(seed)
        random.seed(seed)
        np.random.seed(seed % 2**32)
        return self.dl.make_batch(idxs)

    def __len__(self) -> int:
        return len(self.dl)


class DataLoader(Decoding):
    """Batches of a dataset, with fastai's hooks, worker processes and a reproducible shuffle.

    Args:
        dataset: an indexable dataset (`Datasets`, a list, a torch `Dataset`) or any iterable.
        bs: the batch size.
        shuffle: a new order each epoch (from `seed` and the epoch number when `seed` is set,
            else from torch's global random state).
        drop_last: drop a last, smaller batch.
        num_workers: worker processes building batches (0: in this process).
        pin_memory: pin batches in page-locked memory for faster copies to CUDA.
        device: where batches go before `after_batch` (None: left where they are made, the CPU).
        after_item: transforms applied to each item.
        before_batch: transforms applied to the list of items of a batch.
        after_batch: transforms applied to the collated batch, on `device`.
        seed: seed of the shuffle and of the workers' random states.

    Examples:
        >>> dl = DataLoader(list(range(10)), bs=4, after_batch=[lambda b: b * 10])
        >>> [b.tolist() for b in dl]
        [[0, 10, 20, 30], [40, 50, 60, 70], [80, 90]]
        >>> len(dl), DataLoader(list(range(10)), bs=4, drop_last=True).n_batches
        (3, 2)
    """

    def __init__(
        self,
        dataset: Any,
        bs: int = 64,
        shuffle: bool = False,
        drop_last: bool = False,
        num_workers: int = 0,
        pin_memory: bool = False,
        device: torch.device | str | None = None,
        after_item: Any = None,
        before_batch: Any = None,
        after_batch: Any = None,
        seed: int | None = None,
    ) -> None:
        if isinstance(bs, bool) or not isinstance(bs, (int, np.integer)) or bs < 1:
            raise ValueError(f"bs is a whole number of items, at least 1; got {bs!r}")
        self.dataset, self.bs, self.shuffle, self.drop_last = dataset, bs, shuffle, drop_last
        self.num_workers, self.pin_memory, self.seed, self.epoch = num_workers, pin_memory, seed, 0
        self.device = None if device is None else torch.device(device)
        split_idx = getattr(dataset, "split_idx", None)
        self.after_item = Pipeline(after_item, split_idx=split_idx)
        self.before_batch = Pipeline(before_batch, split_idx=split_idx)
        # Neighbouring augmentations merge so the batch is resampled once (see augment.setup_aug_tfms).
        self.after_batch = Pipeline(setup_aug_tfms(tfm_list(after_batch)), split_idx=split_idx)
        self.indexed = hasattr(dataset, "__getitem__") and hasattr(dataset, "__len__")
        if num_workers and not self.indexed:
            raise ValueError("worker processes need an indexable dataset (with __getitem__ and __len__)")

    # -- making a batch --------------------------------------------------------------------
    def make_batch(self, idxs: list[int]) -> Any:
        """Build the (CPU) batch of the items at `idxs`: after_item, before_batch, collation.

        Examples:
            >>> DataLoader([(1, "a"), (2, "b")], bs=2).make_batch([1, 0])
            (tensor([2, 1]), ['b', 'a'])
        """
        getitems = getattr(self.dataset, "__getitems__", None)
        if getitems is not None:
            return getitems(idxs)
        samples = self._samples_at(idxs)
        if self.after_item.fs:
            samples = [self.after_item(s) for s in samples]
        try:
            samples = self.before_batch(samples)
        except Exception as e:  # a before_batch that cannot batch these items (padding, sizes): name them
            cause = e if isinstance(e, CollateError) else e.__cause__
            if isinstance(cause, CollateError):
                raise CollateError(f"{cause}.{self._items_named(idxs)}") from e
            raise
        return self.create_batch(samples, idxs)

    def _samples_at(self, idxs: list[int]) -> list[Any]:
        """The dataset's items at `idxs` (a loader that keeps its items computed reads them here)."""
        ds = self.dataset
        return [ds[i] for i in idxs]

    def create_batch(self, samples: list[Any], idxs: Sequence[int] | None = None) -> Any:
        """Collate `samples` (from dataset positions `idxs`, named in errors) into a batch.

        Examples:
            >>> DataLoader([], bs=2).create_batch([1, 2])
            tensor([1, 2])
        """
        try:
            return collate(samples)
        except CollateError as e:
            raise CollateError(f"cannot collate a batch: {e}.{self._items_named(idxs)}") from e

    def _items_named(self, idxs: Sequence[int] | None) -> str:
        """' The batch holds dataset items 3 (a.wav), 7 (b.wav)...' for an error, or '' without positions."""
        if idxs is None:
            return ""
        items = getattr(self.dataset, "items", None)
        named = [f"{i} ({describe(items[i])})" if items is not None else str(i) for i in idxs]
        return f" The batch holds dataset items {', '.join(named[:8])}{'...' if len(named) > 8 else ''}."

    def _finish(self, b: Any) -> Any:
        # Batches are made on the CPU, so only another device needs a move.
        if self.device is not None and self.device.type != "cpu":
            b = to_device(b, self.device, non_blocking=self.pin_memory)
        return self.after_batch(b) if self.after_batch.fs else b

    def _iter_iterable(self) -> Iterator[Any]:
        it = iter(self.dataset)
        while True:
            samples = [self.after_item(o) for o in islice(it, self.bs)]
            if not samples or (self.drop_last and len(samples) < self.bs):
                return
            yield self._finish(self.create_batch(self.before_batch(samples)))

    def __iter__(self) -> Iterator[Any]:
        if not self.indexed:
            yield from self._iter_iterable()
            return
        resume, self._resume = getattr(self, "_resume", None), None
        gen = self._epoch_generator(resume[0] if resume else None)
        self.epoch += 1
        batches = self._index_batches(gen)
        skip = resume[1] if resume is not None else 0
        if resume is not None:
            batches = batches[skip:]
            if resume[2] is not None:
                resume[2]()
        if self.num_workers == 0:
            for idxs in batches:
                b = self.make_batch(idxs)
                yield self._finish(b.pin_memory() if self.pin_memory and isinstance(b, Tensor) else b)
            return
        loader = torch.utils.data.DataLoader(
            _Batches(self, self.epoch_seed),
            batch_size=None,
            sampler=list(
                enumerate(batches, start=skip)
            ),  # positions in the whole epoch: seeds survive a resume
            num_workers=self.num_workers,
            collate_fn=_identity,
            pin_memory=self.pin_memory,
            generator=gen,
        )
        for b in loader:
            yield self._finish(b)

    def check_batches(self) -> None:
        """Raise a `ValueError` that says why, if this loader makes no batch (fewer items than `bs`, dropped).

        Examples:
            >>> DataLoader(list(range(5)), bs=8, drop_last=True).check_batches()
            Traceback (most recent call last):
            ...
            ValueError: the DataLoader makes no batch: 5 items, bs=8 and drop_last=True ...; pass bs=5 or less
        """
        if self.indexed and self.n and self.n_batches == 0:
            raise ValueError(
                f"the DataLoader makes no batch: {self.n} items, bs={self.bs} and drop_last=True (the "
                f"training default) drops the partial batch; pass bs={self.n} or less"
            )

    def one_batch(self) -> Any:
        """The first batch (of a fresh shuffled order when shuffling), made in this process.

        Examples:
            >>> DataLoader(list(range(10)), bs=3).one_batch()
            tensor([0, 1, 2])
        """
        if not self.indexed:
            return next(self._iter_iterable())
        if self.n == 0:
            raise ValueError("this DataLoader's dataset is empty: there is no batch to show")
        self.check_batches()
        idxs = self._index_batches(self._epoch_generator())[0]
        return self._finish(self.make_batch(idxs))

    def cpu(self) -> DataLoader:
        """Batches on the CPU.

        Examples:
            >>> DataLoader([1], bs=1).cpu().device
            device(type='cpu')
        """
        return self.to("cpu")

    def cuda(self) -> DataLoader:
        """Batches on the current CUDA device.

        Examples:
            >>> DataLoader([1], bs=1).cuda()  # needs a CUDA device  # doctest: +SKIP
        """
        return self.to("cuda")

    def __getattr__(self, name: str) -> Any:
        # As fastai's: what the loader does not have comes from its dataset (`dl.vocab`, `dl.tfms`).
        if name.startswith("_") or name == "dataset":
            raise AttributeError(name)
        try:
            return getattr(self.dataset, name)
        except AttributeError:
            raise AttributeError(f"DataLoader and its dataset have no attribute {name!r}") from None

    # -- copies ------------------------------------------------------------------------------
    def new(self, dataset: Any = None, **kwargs: Any) -> DataLoader:
        """A DataLoader like this one (same pipelines) over another dataset or with other settings.

        Examples:
            >>> dl = DataLoader(list(range(10)), bs=4)
            >>> dl.new(list(range(3)), bs=2).one_batch()
            tensor([0, 1])
        """
        settings: dict[str, Any] = dict(
            bs=self.bs,
            shuffle=self.shuffle,
            drop_last=self.drop_last,
            num_workers=self.num_workers,
            pin_memory=self.pin_memory,
            device=self.device,
            seed=self.seed,
        )
        settings.update(kwargs)
        new = type(self)(self.dataset if dataset is None else dataset, **settings)
        split_idx = getattr(new.dataset, "split_idx", None)
        for name in ("after_item", "before_batch", "after_batch"):
            setattr(new, name, Pipeline(getattr(self, name).fs, split_idx=split_idx))
        return new

    def test_dl(self, items: Iterable[Any], with_labels: bool = False, **kwargs: Any) -> DataLoader:
        """A validation-like DataLoader over new items with the same (set-up) pipelines.

        Without labels only the input pipelines run (a test set has no targets).

        Examples:
            >>> from lamella.data import Datasets
            >>> dsets = Datasets([1, 2], [[lambda x: x * 10], [lambda x: x]])
            >>> DataLoader(dsets, bs=2).test_dl([5, 6]).one_batch()
            (tensor([50, 60]),)
        """
        items = list(items)
        new_ds = getattr(self.dataset, "new", None)
        if new_ds is None:
            ds: Any = items
        else:
            ds = new_ds(items, split_idx=1)
            if not with_labels and hasattr(ds, "tls"):
                ds = type(ds)(tls=ds.tls[: ds.n_inp], n_inp=ds.n_inp, split_idx=1)
            ds = _raw_items_if_needed(ds, items)
        return self.new(ds, shuffle=False, drop_last=False, **kwargs)

    def to(self, device: torch.device | str) -> DataLoader:
        """Send batches to `device` from now on (returns self).

        Examples:
            >>> DataLoader([1], bs=1).to("cpu").device
            device(type='cpu')
        """
        self.device = torch.device(device)
        return self

    def setup_after_batch(self) -> None:
        """Set up the `after_batch` transforms in order, each on batches made by the ones before it.

        A `Normalize` without statistics computes them here from one batch.

        Examples:
            >>> DataLoader(list(range(4)), bs=2).setup_after_batch()
        """
        tfms, self.after_batch.fs = self.after_batch.fs, []
        for t in tfms:
            t.setup(self)
            self.after_batch.fs.append(t)

    def __repr__(self) -> str:
        return f"DataLoader: {self.n} items, bs={self.bs}, shuffle={self.shuffle}, device={self.device}"
