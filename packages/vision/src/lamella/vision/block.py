"""Vision blocks for `DataBlock`: images, masks and points."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lamella.data import IntToFloatTensor, TransformBlock
from lamella.transforms import Transform
from lamella.typedtensor import TensorMask, TensorPoint

from .image import PILBase, PILImage, PILMask

__all__ = ["AddMaskCodes", "ImageBlock", "MaskBlock", "PointBlock"]


def ImageBlock(cls: type[PILBase] = PILImage) -> TransformBlock:  # noqa: N802  (fastai's name)
    """Images read with `cls.create` (`PILImage` or `PILImageBW`), as floats in [0, 1] in batches.

    Examples:
        >>> ImageBlock().type_tfms[0].__name__
        'create'
    """
    return TransformBlock(type_tfms=cls.create, batch_tfms=IntToFloatTensor())


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
    return TensorPoint(o)


def PointBlock() -> TransformBlock:  # noqa: N802
    """Key points `(x, y)` in pixels of the image, moved with it by item and batch transforms.

    Examples:
        >>> PointBlock().type_tfms[0]([[1.0, 2.0]]).shape
        torch.Size([1, 2])
    """
    return TransformBlock(type_tfms=_points)
