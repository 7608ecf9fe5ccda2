"""Vision blocks for `DataBlock`: images, masks and points."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from lamella.data import IntToFloatTensor, MultiCategorize, TransformBlock
from lamella.transforms import ItemTransform, Transform
from lamella.typedtensor import TensorBBox, TensorMask, TensorPoint

from .coords import PointScaler, bb_pad
from .image import PILBase, PILImage, PILMask

__all__ = [
    "AddMaskCodes",
    "BBoxBlock",
    "BBoxLblBlock",
    "ImageBlock",
    "MaskBlock",
    "MaskError",
    "MaskMatchesImage",
    "PointBlock",
]

#: The mask value that means "no class here" (VOC's and Cityscapes' void): allowed beyond `codes`,
#: for a loss built with `ignore_index=255`.
VOID = 255


class MaskError(ValueError):
    """A mask that does not fit its codes or its image; the message names the file.

    Examples:
        >>> issubclass(MaskError, ValueError)
        True
    """


def _named(o: PILBase) -> str:
    return str(o.path) if o.path is not None else f"a {o.size[0]}x{o.size[1]} {type(o).__name__}"


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

    def encodes(self, o: PILMask):  # noqa: D102  (the class documents its case)
        if self.codes is not None:
            hi = o.img.getextrema()[1] if o.img.mode in ("L", "P", "I", "I;16") else None
            if isinstance(hi, int) and hi >= len(self.codes) and hi != VOID:
                raise MaskError(
                    f"the mask {_named(o)} holds class code {hi}, but codes names {len(self.codes)} classes "
                    f"(0 to {len(self.codes) - 1}): add the missing names to codes, or mark pixels no class "
                    f"covers with {VOID} and train with CrossEntropyLossFlat(axis=1, ignore_index={VOID})"
                )
        return o

    def decodes(self, o: TensorMask):  # noqa: D102  (the class documents its case)
        if self.codes is not None:
            o.codes = self.codes
        return o


class MaskMatchesImage(ItemTransform):
    """Refuse an item whose mask and image differ in size, naming both files (before any resize hides it).

    `MaskBlock` adds it to the item transforms; it runs first (`order = 0`).

    Examples:
        >>> from PIL import Image
        >>> item = (PILImage(Image.new("RGB", (4, 3))), PILMask(Image.new("L", (4, 3))))
        >>> MaskMatchesImage()(item) == item
        True
    """

    order = 0

    def encodes(self, xy: tuple):  # noqa: D102  (the class documents its case)
        images = [o for o in xy if isinstance(o, PILBase) and not isinstance(o, PILMask)]
        for m in (o for o in xy if isinstance(o, PILMask)):
            for im in images:
                if m.size != im.size:
                    raise MaskError(
                        f"the mask {_named(m)} is {m.size[0]}x{m.size[1]} (width x height) but its image "
                        f"{_named(im)} is {im.size[0]}x{im.size[1]}: a mask must cover its image pixel "
                        "for pixel"
                    )
        return xy


def MaskBlock(codes: Sequence[Any] | None = None) -> TransformBlock:  # noqa: N802
    """Segmentation masks read with `PILMask.create`; `codes` name the classes.

    A mask holding a code beyond `codes` (other than 255, the usual "void") or of another size than
    its image raises `MaskError` naming the file.

    Examples:
        >>> MaskBlock(["bg", "car"]).type_tfms[1].codes
        ['bg', 'car']
    """
    return TransformBlock(
        type_tfms=[PILMask.create, AddMaskCodes(codes)],
        item_tfms=MaskMatchesImage(),
        batch_tfms=IntToFloatTensor(),
    )


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
