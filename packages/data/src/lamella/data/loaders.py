"""`DataLoaders`: the training and validation loaders (and any more) of a dataset, as one object.

Examples:
    >>> from lamella.data import DataLoader
    >>> dls = DataLoaders(DataLoader(list(range(8)), bs=4), DataLoader(list(range(4)), bs=4), device="cpu")
    >>> len(dls.train), len(dls.valid)
    (2, 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import torch

from .loader import DataLoader, tfm_list

__all__ = ["DataLoaders"]


class DataLoaders:
    """The training and validation DataLoaders (and more), and what they share.

    Args:
        *loaders: the DataLoaders, training first.
        path: the folder where the data (and a learner's models) live.
        device: where every loader sends its batches (None: CUDA when present, else CPU).

    Examples:
        >>> dls = DataLoaders(DataLoader([1, 2, 3], bs=2), DataLoader([4], bs=2), device="cpu")
        >>> dls.train.one_batch(), dls.valid.one_batch(), len(dls.loaders)
        (tensor([1, 2]), tensor([4]), 2)
    """

    def __init__(
        self, *loaders: DataLoader, path: Any = ".", device: torch.device | str | None = None
    ) -> None:
        from pathlib import Path

        from lamella.typedtensor import default_device

        self.loaders, self.path = list(loaders), Path(path)
        self.to(default_device() if device is None else device)

    def __getitem__(self, i: int) -> DataLoader:
        return self.loaders[i]

    @property
    def train(self) -> DataLoader:
        """The training DataLoader.

        Examples:
            >>> DataLoaders(DataLoader([1], bs=1), DataLoader([2], bs=1)).train.one_batch()
            tensor([1])
        """
        return self.loaders[0]

    @property
    def valid(self) -> DataLoader:
        """The validation DataLoader.

        Examples:
            >>> DataLoaders(DataLoader([1], bs=1), DataLoader([2], bs=1)).valid.one_batch()
            tensor([2])
        """
        if len(self.loaders) < 2:
            raise IndexError(
                "these DataLoaders hold a training loader only, no validation one: split the data "
                "(splits=, a splitter, valid_pct=) to validate"
            )
        return self.loaders[1]

    @property
    def train_ds(self) -> Any:
        """The training dataset.

        Examples:
            >>> DataLoaders(DataLoader([1], bs=1), DataLoader([2], bs=1)).train_ds
            [1]
        """
        return self.train.dataset

    @property
    def valid_ds(self) -> Any:
        """The validation dataset.

        Examples:
            >>> DataLoaders(DataLoader([1], bs=1), DataLoader([2], bs=1)).valid_ds
            [2]
        """
        return self.valid.dataset

    @property
    def device(self) -> torch.device | None:
        """Where batches go.

        Examples:
            >>> DataLoaders(DataLoader([1], bs=1), device="cpu").device
            device(type='cpu')
        """
        return self.loaders[0].device if self.loaders else None

    def to(self, device: torch.device | str) -> DataLoaders:
        """Send every loader's batches to `device` (returns self).

        Examples:
            >>> DataLoaders(DataLoader([1], bs=1)).to("cpu").train.device
            device(type='cpu')
        """
        for dl in self.loaders:
            dl.to(device)
        return self

    def one_batch(self) -> Any:
        """A batch of the training DataLoader.

        Examples:
            >>> DataLoaders(DataLoader([1, 2], bs=2), device="cpu").one_batch()
            tensor([1, 2])
        """
        return self.train.one_batch()

    def show_batch(self, **kwargs: Any) -> Any:
        """Show a training batch (see `DataLoader.show_batch`).

        Examples:
            >>> dls = DataLoaders(DataLoader([(1.0, "a"), (2.0, "b")], bs=2), DataLoader([], bs=2))
            >>> axs = dls.show_batch(max_n=2)  # doctest: +NEEDS_MATPLOTLIB
        """
        return self.train.show_batch(**kwargs)

    def test_dl(self, items: Iterable[Any], with_labels: bool = False, **kwargs: Any) -> DataLoader:
        """A DataLoader for new items with the validation pipelines (see `DataLoader.test_dl`).

        Examples:
            >>> dls = DataLoaders(DataLoader([1], bs=1), DataLoader([2], bs=1), device="cpu")
            >>> dls.test_dl([7]).one_batch()
            tensor([7])
        """
        return self._test_source.test_dl(items, with_labels=with_labels, **kwargs)

    @property
    def _test_source(self) -> DataLoader:
        """The loader whose pipelines new items go through: the validation one, else the training one."""
        return self.loaders[1] if len(self.loaders) > 1 else self.train  # data without a split

    def new_empty(self) -> DataLoaders:
        """These loaders with their pipelines and no items: what an exported learner keeps.

        Examples:
            >>> from lamella.data import Datasets
            >>> dsets = Datasets([1, 2], [[lambda x: x * 10]], splits=([0], [1]))
            >>> dls = DataLoaders(DataLoader(dsets.train, bs=2), DataLoader(dsets.valid, bs=2), device="cpu")
            >>> empty = dls.new_empty()
            >>> len(empty.train.dataset), empty.test_dl([3]).one_batch()
            (0, (tensor([30]),))
        """
        loaders = []
        for dl in self.loaders:
            new_ds = getattr(dl.dataset, "new", None)
            loaders.append(
                dl.new(new_ds([], split_idx=getattr(dl.dataset, "split_idx", None)) if new_ds else [])
            )
        return type(self)(*loaders, path=self.path, device=self.device)

    @classmethod
    def from_dsets(
        cls,
        *dsets: Any,
        path: Any = ".",
        bs: int = 64,
        device: torch.device | str | None = None,
        **kwargs: Any,
    ) -> DataLoaders:
        """DataLoaders over datasets: the first shuffled with its last partial batch dropped.

        `after_batch` transforms are set up once, on the training loader, and shared.

        Examples:
            >>> from lamella.data import Datasets
            >>> dsets = Datasets(list(range(10)), [[]], splits=(list(range(8)), [8, 9]))
            >>> dls = DataLoaders.from_dsets(dsets.train, dsets.valid, bs=4, device="cpu", seed=0)
            >>> len(dls.train), dls.valid.one_batch()
            (2, (tensor([8, 9]),))
        """
        train = DataLoader(dsets[0], bs=bs, shuffle=True, drop_last=True, device=device, **kwargs)
        train.setup_after_batch()
        rest = [train.new(ds, shuffle=False, drop_last=False) for ds in dsets[1:]]
        return cls(train, *rest, path=path, device=device)

    def cpu(self) -> DataLoaders:
        """Batches on the CPU (fastai's `dls.cpu()`).

        Examples:
            >>> DataLoaders(DataLoader([1], bs=1)).cpu().device
            device(type='cpu')
        """
        return self.to("cpu")

    def cuda(self) -> DataLoaders:
        """Batches on the current CUDA device (fastai's `dls.cuda()`).

        Examples:
            >>> DataLoaders(DataLoader([1], bs=1)).cuda()  # needs a CUDA device  # doctest: +SKIP
        """
        return self.to("cuda")

    def add_tfms(self, tfms: Any, event: str, loaders: Sequence[int] | None = None) -> None:
        """Add transforms to the `event` pipeline (`after_item`, `before_batch`, `after_batch`) of loaders.

        Examples:
            >>> from lamella.transforms import Transform
            >>> dls = DataLoaders(DataLoader([1, 2], bs=2), device="cpu")
            >>> dls.add_tfms([Transform(lambda b: b * 10)], "after_batch"); dls.one_batch()
            tensor([10, 20])
        """
        if event not in ("after_item", "before_batch", "after_batch"):
            raise ValueError(f"event must be 'after_item', 'before_batch' or 'after_batch', got {event!r}")
        for i in range(len(self.loaders)) if loaders is None else loaders:
            getattr(self.loaders[i], event).add(tfm_list(tfms))

    def __getattr__(self, name: str) -> Any:
        # As fastai's: what the loaders do not have themselves comes from the training loader
        # (`dls.vocab`, `dls.c`, `dls.bs`, `dls.decode`, `dls.new`...).
        if name.startswith("__") or name == "loaders":
            raise AttributeError(name)
        try:
            return getattr(self.train, name)
        except AttributeError:
            raise AttributeError(
                f"DataLoaders and its training DataLoader have no attribute {name!r}"
            ) from None

    def __repr__(self) -> str:
        return f"DataLoaders: {[len(dl.dataset) for dl in self.loaders]} items, device={self.device}"
