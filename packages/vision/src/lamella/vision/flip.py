"""Flips and the eight symmetries of the square for image items (before batching), with their targets.

`flip_lr` and `dihedral` work on Pillow-backed items (`PILImage`, `PILMask`) as the typed tensors'
methods of the same names do on tensors; `FlipItem` and `DihedralItem` apply them at random to a
training item, its mask, points and boxes together (the same draw for every element).
"""

from __future__ import annotations

import random
from typing import Any

from PIL import Image

from lamella.transforms import DisplayedTransform
from lamella.typedtensor import TensorBBox, TensorPoint

from .image import PILBase

__all__ = ["DihedralItem", "FlipItem", "dihedral", "flip_lr"]

# Pillow's transposes, in the order of `TensorImage.dihedral`: flip x, flip y, then transpose.
_DIHEDRAL = {
    0: [],
    1: [Image.Transpose.FLIP_LEFT_RIGHT],
    2: [Image.Transpose.FLIP_TOP_BOTTOM],
    3: [Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.TRANSPOSE],
    4: [Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.FLIP_TOP_BOTTOM, Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.TRANSPOSE],
    7: [Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.FLIP_TOP_BOTTOM, Image.Transpose.TRANSPOSE],
}


def dihedral(img: PILBase, k: int) -> PILBase:
    """The `k`-th (0-7) symmetry of an image item, the same as `TensorImage.dihedral(k)`.

    Examples:
        >>> from lamella.vision import PILImage
        >>> dihedral(PILImage(Image.new("RGB", (4, 2))), 6).size
        (2, 4)
    """
    if k not in _DIHEDRAL:
        raise ValueError(f"dihedral takes k in 0..7, got {k}")
    out = img.img
    for op in _DIHEDRAL[k]:
        out = out.transpose(op)
    return type(img)(out, img.path)


def flip_lr(img: PILBase) -> PILBase:
    """Mirror an image item left to right.

    Examples:
        >>> import numpy as np
        >>> from lamella.vision import PILImageBW
        >>> np.asarray(flip_lr(PILImageBW(Image.fromarray(np.array([[1, 2]], dtype=np.uint8)))).img).tolist()
        [[2, 1]]
    """
    return dihedral(img, 1)


class _ItemSymmetry(DisplayedTransform):
    """One random symmetry per training item, applied to its image, mask, points and boxes alike."""

    order = 2  # after Resize and the crops (order 1)
    split_idx = 0

    def _draw(self) -> int:
        raise NotImplementedError

    _hw: tuple[int, int] | None = None  # the image's (height, width), for its points and boxes

    def __call__(self, x: Any, split_idx: int | None = None) -> Any:
        """Draw this item's symmetry, then apply it to every element."""
        self.k, self._hw = self._draw(), None
        return super().__call__(x, split_idx)

    def encodes(self, x: PILBase):  # noqa: D102  (the subclasses document their cases)
        self._hw = x.shape
        return dihedral(x, self.k)

    def encodes(self, x: TensorPoint):  # noqa: D102, F811
        size = x.img_size or self._hw
        return TensorPoint(x, img_size=size).dihedral(self.k)

    def encodes(self, x: TensorBBox):  # noqa: D102, F811
        size = x.img_size or self._hw
        return TensorBBox(x, img_size=size).dihedral(self.k)


class FlipItem(_ItemSymmetry):
    """Mirror a training item left to right with probability `p` (its mask, points and boxes follow).

    Examples:
        >>> from lamella.vision import PILImage
        >>> FlipItem(p=1.0)(PILImage(Image.new("RGB", (4, 2))), split_idx=0).size
        (4, 2)
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        self.p = p

    def _draw(self) -> int:
        return 1 if random.random() < self.p else 0


class DihedralItem(_ItemSymmetry):
    """Apply one of the 8 symmetries of the square, at random, to a training item with probability `p`.

    Examples:
        >>> from lamella.vision import PILImage
        >>> DihedralItem(p=1.0)(PILImage(Image.new("RGB", (4, 4))), split_idx=0).size
        (4, 4)
    """

    def __init__(self, p: float = 1.0) -> None:
        super().__init__()
        self.p = p

    def _draw(self) -> int:
        return random.randint(0, 7) if random.random() < self.p else 0
