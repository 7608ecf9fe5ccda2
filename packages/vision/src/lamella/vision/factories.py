"""`ImageDataLoaders` and `SegmentationDataLoaders`: DataLoaders from common folder and table layouts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from lamella.data import (
    CategoryBlock,
    ColReader,
    DataBlock,
    DataLoaders,
    GrandparentSplitter,
    ItemGetter,
    MultiCategoryBlock,
    RegexLabeller,
    check_loader_kwargs,
    parent_label,
    pick_splitter,
    read_csv,
)

from .block import ImageBlock, MaskBlock
from .image import PILBase, PILImage, get_image_files

__all__ = ["ImageDataLoaders", "SegmentationDataLoaders"]


class ImageDataLoaders(DataLoaders):
    """DataLoaders for image classification, built from folders, file names, lists or tables.

    Examples:
        >>> import lamella.samples
        >>> from lamella.vision import Resize
        >>> path = lamella.samples.path("mnist_tiny")
        >>> dls = ImageDataLoaders.from_folder(path, item_tfms=Resize(28), bs=16, device="cpu")
        >>> dls.train_ds.vocab, len(dls.valid_ds)
        (['3', '7'], 699)
    """

    @classmethod
    def from_folder(
        cls,
        path: str | Path,
        train: str = "train",
        valid: str = "valid",
        valid_pct: float | None = None,
        seed: int | None = None,
        vocab: Sequence[Any] | None = None,
        item_tfms: Any = None,
        batch_tfms: Any = None,
        img_cls: type[PILBase] = PILImage,
        **kwargs: Any,
    ) -> DataLoaders:
        """Images in ImageNet-style folders: `path/train/<label>/*.png`, `path/valid/<label>/*.png`.

        With `valid_pct`, a random share of all images is the validation set instead.

        Examples:
            >>> import lamella.samples
            >>> from lamella.vision import Resize
            >>> dls = ImageDataLoaders.from_folder(lamella.samples.path("mnist_tiny"), item_tfms=Resize(28))
            >>> dls.vocab, len(dls.valid_ds)
            (['3', '7'], 699)
        """
        folders = [train, valid] if valid_pct is None else None
        splitter = (
            GrandparentSplitter(train, valid)
            if valid_pct is None
            else pick_splitter(valid_pct=valid_pct, seed=seed)
        )
        dblock = DataBlock(
            blocks=(ImageBlock(img_cls), CategoryBlock(vocab=vocab)),
            get_items=partial(get_image_files, folders=folders),
            splitter=splitter,
            get_y=parent_label,
            item_tfms=item_tfms,
            batch_tfms=batch_tfms,
        )
        dls = _dataloaders(cls, "from_folder", dblock, path, path, kwargs)
        if len(dls.train_ds.vocab) < 2:
            found = f"only the class {dls.train_ds.vocab[0]!r}" if len(dls.train_ds.vocab) else "no class"
            raise ValueError(
                f"{Path(path) / train} holds {found}: a classifier needs a folder per class, at least two"
            )
        return dls

    @classmethod
    def from_lists(
        cls,
        path: str | Path,
        fnames: Sequence[Any],
        labels: Sequence[Any],
        valid_pct: float = 0.2,
        seed: int | None = None,
        y_block: Any = CategoryBlock,
        item_tfms: Any = None,
        batch_tfms: Any = None,
        img_cls: type[PILBase] = PILImage,
        **kwargs: Any,
    ) -> DataLoaders:
        """Images `fnames` with the matching `labels`.

        Examples:
            >>> import lamella.samples
            >>> from lamella.vision import Resize
            >>> fnames = get_image_files(lamella.samples.path("mnist_tiny"), folders=["train"])
            >>> labels = [f.parent.name for f in fnames]
            >>> dls = ImageDataLoaders.from_lists(".", fnames, labels, item_tfms=Resize(28))
            >>> dls.vocab
            ['3', '7']
        """
        if len(fnames) != len(labels):
            raise ValueError(
                f"ImageDataLoaders.from_lists: {len(fnames)} file names but {len(labels)} labels; "
                "pass one label per file (zip would silently drop the extra ones)"
            )
        items = list(zip(fnames, labels))
        dblock = DataBlock(
            blocks=(ImageBlock(img_cls), y_block),
            get_x=ItemGetter(0),
            get_y=ItemGetter(1),
            splitter=pick_splitter(valid_pct=valid_pct, seed=seed),
            item_tfms=item_tfms,
            batch_tfms=batch_tfms,
        )
        return _dataloaders(cls, "from_lists", dblock, [list(o) for o in items], path, kwargs)

    @classmethod
    def from_name_func(
        cls,
        path: str | Path,
        fnames: Sequence[Any],
        label_func: Callable[[Any], Any],
        valid_pct: float = 0.2,
        seed: int | None = None,
        item_tfms: Any = None,
        batch_tfms: Any = None,
        **kwargs: Any,
    ) -> DataLoaders:
        """Images `fnames` labelled by `label_func(name)`, `name` being the file name (a `str`), as in fastai.

        Examples:
            >>> import lamella.samples
            >>> from lamella.vision import Resize
            >>> fnames = get_image_files(lamella.samples.path("mnist_tiny"), folders=["train"])
            >>> def even(name): return int(name.split(".")[0]) % 2 == 0  # `name`: the file name
            >>> ImageDataLoaders.from_name_func(".", fnames, even, item_tfms=Resize(28)).vocab
            [False, True]
        """
        check_loader_kwargs(f"{cls.__name__}.from_name_func", kwargs, DataBlock.dataloaders)
        return cls.from_path_func(
            path, fnames, partial(_on_name, label_func), valid_pct, seed, item_tfms, batch_tfms, **kwargs
        )

    @classmethod
    def from_path_func(
        cls,
        path: str | Path,
        fnames: Sequence[Any],
        label_func: Callable[[Any], Any],
        valid_pct: float = 0.2,
        seed: int | None = None,
        item_tfms: Any = None,
        batch_tfms: Any = None,
        **kwargs: Any,
    ) -> DataLoaders:
        """Images `fnames` labelled by `label_func(fname)`, `fname` being the whole path.

        Examples:
            >>> import lamella.samples
            >>> from lamella.vision import Resize
            >>> fnames = get_image_files(lamella.samples.path("mnist_tiny"), folders=["train"])
            >>> ImageDataLoaders.from_path_func(".", fnames, parent_label, item_tfms=Resize(28)).vocab
            ['3', '7']
        """
        dblock = DataBlock(
            blocks=(ImageBlock(), CategoryBlock),
            get_y=label_func,
            splitter=pick_splitter(valid_pct=valid_pct, seed=seed),
            item_tfms=item_tfms,
            batch_tfms=batch_tfms,
        )
        return _dataloaders(cls, "from_path_func", dblock, list(fnames), path, kwargs)

    @classmethod
    def from_name_re(cls, path: str | Path, fnames: Sequence[Any], pat: str, **kwargs: Any) -> DataLoaders:
        r"""Images labelled by the first group of the regular expression `pat` on the file name.

        Examples:
            >>> import lamella.samples
            >>> from lamella.vision import Resize
            >>> fnames = get_image_files(lamella.samples.path("mnist_tiny"), folders=["train"])
            >>> dls = ImageDataLoaders.from_name_re(".", fnames, r"^(\d)", seed=0, item_tfms=Resize(28))
            >>> dls.vocab  # the first digit of each training file's name
            ['7', '8', '9']
        """
        return cls.from_name_func(path, fnames, RegexLabeller(pat), **kwargs)

    @classmethod
    def from_path_re(cls, path: str | Path, fnames: Sequence[Any], pat: str, **kwargs: Any) -> DataLoaders:
        r"""Images labelled by the first group of `pat` on the whole path.

        Examples:
            >>> import lamella.samples
            >>> from lamella.vision import Resize
            >>> fnames = get_image_files(lamella.samples.path("mnist_tiny"), folders=["train"])
            >>> ImageDataLoaders.from_path_re(".", fnames, r"/(\d)/", item_tfms=Resize(28)).vocab
            ['3', '7']
        """
        return cls.from_path_func(path, fnames, RegexLabeller(pat), **kwargs)

    @classmethod
    def from_df(
        cls,
        df: Any,
        path: str | Path = ".",
        valid_pct: float = 0.2,
        seed: int | None = None,
        fn_col: Any = 0,
        folder: str | None = None,
        suff: str = "",
        label_col: Any = 1,
        label_delim: str | None = None,
        y_block: Any = None,
        valid_col: str | None = None,
        item_tfms: Any = None,
        batch_tfms: Any = None,
        **kwargs: Any,
    ) -> DataLoaders:
        """Images named in column `fn_col` of a data frame, labels in `label_col` (split by `label_delim`).

        `y_block` defaults to `MultiCategoryBlock` with a `label_delim`, else `CategoryBlock`;
        `RegressionBlock` makes a regression on the label column, as in fastai.

        Examples:
            >>> import pandas as pd, lamella.samples
            >>> from lamella.vision import Resize
            >>> path = lamella.samples.path("mnist_tiny")
            >>> df = pd.read_csv(path / "labels.csv")
            >>> dls = ImageDataLoaders.from_df(df, path, fn_col="name", label_col="label",
            ...                                item_tfms=Resize(28))
            >>> dls.vocab
            [3, 7]
        """
        pref = f"{Path(path) / folder if folder else Path(path)}/"
        splitter = pick_splitter(
            valid_col or None,
            valid_pct=valid_pct,
            seed=seed,
            columns=df.columns,
            caller="ImageDataLoaders.from_df",
        )
        if y_block is None:
            y_block = MultiCategoryBlock if label_delim is not None else CategoryBlock
        dblock = DataBlock(
            blocks=(ImageBlock(), y_block),
            get_x=ColReader(fn_col, pref=pref, suff=suff),
            get_y=ColReader(label_col, label_delim=label_delim),
            splitter=splitter,
            item_tfms=item_tfms,
            batch_tfms=batch_tfms,
        )
        return _dataloaders(cls, "from_df", dblock, df, path, kwargs)

    @classmethod
    def from_csv(
        cls,
        path: str | Path,
        csv_fname: str = "labels.csv",
        header: Any = "infer",
        delimiter: str | None = None,
        **kwargs: Any,
    ) -> DataLoaders:
        """`from_df` on `path/csv_fname` (read with pandas).

        Examples:
            >>> import lamella.samples
            >>> from lamella.vision import Resize
            >>> ImageDataLoaders.from_csv(lamella.samples.path("mnist_tiny"), item_tfms=Resize(28)).vocab
            [3, 7]
        """
        df = read_csv(Path(path) / csv_fname, f"{cls.__name__}.from_csv", header, delimiter)
        return cls.from_df(df, path=path, **kwargs)


def _dataloaders(cls: type, caller: str, dblock: DataBlock, source: Any, path: Any, kwargs: dict) -> Any:
    """`dblock.dataloaders`, after refusing keywords the factory `caller` does not take, by name."""
    check_loader_kwargs(f"{cls.__name__}.{caller}", kwargs, DataBlock.dataloaders)
    return dblock.dataloaders(source, path=path, **kwargs)


def _on_name(label_func: Callable[[str], Any], fname: Any) -> Any:
    """`label_func` of the file name (fastai's `using_attr(label_func, 'name')`), picklable for export."""
    return label_func(Path(fname).name)


class SegmentationDataLoaders(DataLoaders):
    """DataLoaders for segmentation: images and masks.

    Examples:
        >>> SegmentationDataLoaders.from_label_func  # doctest: +ELLIPSIS
        <bound method SegmentationDataLoaders.from_label_func of ...>
    """

    _img_cls: type = PILImage  # the image items (DicomSegmentationDataLoaders reads DICOM)

    @classmethod
    def from_label_func(
        cls,
        path: str | Path,
        fnames: Sequence[Any],
        label_func: Callable[[Any], Any],
        valid_pct: float = 0.2,
        seed: int | None = None,
        codes: Sequence[Any] | None = None,
        item_tfms: Any = None,
        batch_tfms: Any = None,
        valid_idx: Sequence[int] | None = None,
        **kwargs: Any,
    ) -> DataLoaders:
        """Images `fnames` with masks at `label_func(fname)`; `codes` name the classes.

        Examples:
            >>> import tempfile
            >>> from PIL import Image
            >>> root = Path(tempfile.mkdtemp())
            >>> for i in range(4):
            ...     Image.new("RGB", (16, 12)).save(root / f"{i}.png")
            ...     Image.new("L", (16, 12), i % 2).save(root / f"{i}_mask.png")
            >>> fnames = [root / f"{i}.png" for i in range(4)]
            >>> mask_of = lambda f: f.with_name(f"{f.stem}_mask.png")
            >>> dls = SegmentationDataLoaders.from_label_func(root, fnames, mask_of, codes=["bg", "cell"],
            ...                                               valid_idx=[3], bs=2, device="cpu")
            >>> x, y = dls.one_batch(); x.shape, y.shape, dls.vocab
            (torch.Size([2, 3, 12, 16]), torch.Size([2, 12, 16]), ['bg', 'cell'])
        """
        splitter = pick_splitter(valid_idx=valid_idx, valid_pct=valid_pct, seed=seed)
        dblock = DataBlock(
            blocks=(ImageBlock(cls=cls._img_cls), MaskBlock(codes)),
            get_y=label_func,
            splitter=splitter,
            item_tfms=item_tfms,
            batch_tfms=batch_tfms,
        )
        return _dataloaders(cls, "from_label_func", dblock, list(fnames), path, kwargs)
