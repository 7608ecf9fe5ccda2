"""Vision blocks for `DataBlock`: images, masks and points."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from lamella.data import IntToFloatTensor, MultiCategorize, TransformBlock
from lamella.transforms import Transform
from lamella.typedtensor import TensorBBox, TensorMask, TensorPoint

from .coords import PointScaler, bb_pad
from .image import PILBase, PILImage, PILMask

__all__ = ["AddMaskCodes", "BBoxBlock", "BBoxLblBlock", "ImageBlock", "MaskBlock", "PointBlock"]


def ImageBlock(cls: type[PILBase] = PILImage) -> TransformBlock:  # noqa: N802  (fastai's name)
    """Images read with `cls.create` (`PILImage` or `PILImageBW`), as floats in [0, 1] in batches.

    Examples:
        >>> ImageBlock().type_tfms[0].__name__
        'create'
    """
    # 8-bit pixels become floats in [0, 1]; item types that already hold measured floats (DICOM in
    # Hounsfield units) say so with `_int_pixels = False` and are left as they are.
    return TransformBlock(type_tfms=cls.create, batch_tfms=IntToFloatTensor() if cls._int_pixels else None)


class AddMaskCodes(Transform):
    """Attach the class names `codes` to masks, so they show with the right colour range.

    Examples:
        >>> import torch
        >>> AddMaskCodes(["bg", "car"]).decode(TensorMask(torch.zeros(2, 2))).codes
        ['bg', 'car']
    """

    def __init__(self, codes: Sequence[Any] | None = None) -> None:
        super().__init__()
        self.codes = list(codes) if codes is not None else None

    @property
    def vocab(self) -> list[Any] | None:
        """The codes, under fastai's name: `dls.vocab` of segmentation loaders gives them.

        Examples:
            >>> AddMaskCodes(["bg", "car"]).vocab
            ['bg', 'car']
        """
        return self.codes

    def decodes(self, o: TensorMask):  # noqa: D102  (the class documents its case)
        if self.codes is not None:
            o.codes = self.codes
        return o


def MaskBlock(codes: Sequence[Any] | None = None) -> TransformBlock:  # noqa: N802
    """Segmentation masks read with `PILMask.create`; `codes` name the classes.

    Examples:
        >>> MaskBlock(["bg", "car"]).type_tfms[1].codes
        ['bg', 'car']
    """
    return TransformBlock(type_tfms=[PILMask.create, AddMaskCodes(codes)], batch_tfms=IntToFloatTensor())


def _points(o: Any) -> TensorPoint:
    return TensorPoint(torch.as_tensor(o, dtype=torch.float32).reshape(-1, 2))


def PointBlock() -> TransformBlock:  # noqa: N802
    """Key points `(x, y)` in pixels of the image, moved with it by item and batch transforms.

    Batches hold them scaled to [-1, 1] (`PointScaler`), what a regression head with
    `y_range=(-1, 1)` predicts; decoding brings them back to pixels.

    Examples:
        >>> PointBlock().type_tfms[0]([1.0, 2.0]).shape
        torch.Size([1, 2])
    """
    return TransformBlock(type_tfms=_points, batch_tfms=PointScaler())


def _bboxes(o: Any) -> TensorBBox:
    return TensorBBox(torch.as_tensor(o, dtype=torch.float32).reshape(-1, 4))


def BBoxBlock() -> TransformBlock:  # noqa: N802
    """Bounding boxes `(x0, y0, x1, y1)` in pixels, moved with the image; padded per batch (`bb_pad`).

    Examples:
        >>> BBoxBlock().type_tfms[0]([[1, 2, 3, 4]]).tolist()
        [[1.0, 2.0, 3.0, 4.0]]
    """
    return TransformBlock(type_tfms=_bboxes, batch_tfms=PointScaler(), dls_kwargs={"before_batch": bb_pad})


def BBoxLblBlock(vocab: Sequence[Any] | None = None, add_na: bool = True) -> TransformBlock:  # noqa: N802
    """The labels of an item's boxes (one per box), `#na#` first for the padding.

    Examples:
        >>> BBoxLblBlock().type_tfms[0].add_na
        True
    """
    return TransformBlock(type_tfms=MultiCategorize(vocab=vocab, add_na=add_na))
