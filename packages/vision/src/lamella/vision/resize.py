"""Item transforms that size images (and their masks, points and boxes) before batching.

`Resize(size, method)`: `crop` scales the image to cover the size then crops (at random on
training items, in the centre on validation), `pad` scales it to fit then pads, `squish`
resizes to the size ignoring the aspect ratio. Points and boxes move with their image.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import torch
from PIL import Image

from lamella.transforms import DisplayedTransform
from lamella.typedtensor import TensorBBox, TensorPoint

from .image import PILBase, PILMask

__all__ = ["Resize", "ResizeMethod"]


class ResizeMethod:
    """The ways `Resize` fits an image to a size.

    Examples:
        >>> ResizeMethod.Crop
        'crop'
    """

    Crop, Pad, Squish = "crop", "pad", "squish"


def _size(size: int | tuple[int, int]) -> tuple[int, int]:
    return (size, size) if isinstance(size, int) else (int(size[0]), int(size[1]))


class Resize(DisplayedTransform):
    """Resize items to `size` (`(h, w)` or an int) by cropping, padding or squishing.

    Args:
        size: the output size.
        method: `"crop"`, `"pad"` or `"squish"`.
        pad_mode: `"reflection"`, `"zeros"` or `"border"` (for `pad`).
        resample: Pillow's filter for images (masks always use nearest).

    Examples:
        >>> img = PILBase(Image.new("RGB", (40, 20)))
        >>> Resize(10)(img, split_idx=1).size, Resize(10, method="pad")(img, split_idx=1).size
        ((10, 10), (10, 10))
    """

    order = 1

    def __init__(
        self,
        size: int | tuple[int, int],
        method: str = "crop",
        pad_mode: str = "reflection",
        resample: int = Image.BILINEAR,
    ) -> None:
        super().__init__()
        if method not in ("crop", "pad", "squish"):
            raise ValueError(f"Resize method must be 'crop', 'pad' or 'squish', got {method!r}")
        self.size, self.method, self.pad_mode, self.resample = _size(size), method, pad_mode, resample

    def __call__(self, x: Any, split_idx: int | None = None) -> Any:
        """Pick the crop position (random on training items, centred otherwise), then resize every element."""
        self.pcts = (0.5, 0.5) if split_idx != 0 else (random.random(), random.random())
        self._geometry: tuple[float, float, float, float] | None = None
        return super().__call__(x, split_idx)

    def _plan(self, w: int, h: int) -> tuple[float, float, float, float]:
        """Scale and offset: output coords = input * (sx, sy) - (ox, oy)."""
        th, tw = self.size
        if self.method == "squish":
            return tw / w, th / h, 0.0, 0.0
        s = max(tw / w, th / h) if self.method == "crop" else min(tw / w, th / h)
        ox, oy = (w * s - tw) * self.pcts[0], (h * s - th) * self.pcts[1]
        if self.method == "pad":
            ox, oy = (w * s - tw) / 2, (h * s - th) / 2
        return s, s, ox, oy

    def encodes(self, x: PILBase):  # noqa: D102  (the class documents its cases)
        w, h = x.size
        sx, sy, ox, oy = self._geometry = self._plan(w, h)
        th, tw = self.size
        resample = Image.NEAREST if isinstance(x, PILMask) else self.resample
        if self.method != "pad":
            box = (ox / sx, oy / sy, (ox + tw) / sx, (oy + th) / sy)
            return type(x)(x.img.resize((tw, th), resample, box=box), x.path)
        nw, nh = max(1, round(w * sx)), max(1, round(h * sy))
        arr = np.asarray(x.img.resize((nw, nh), resample))
        top, left = (th - nh) // 2, (tw - nw) // 2
        pads = [(top, th - nh - top), (left, tw - nw - left)] + [(0, 0)] * (arr.ndim - 2)
        mode = (
            "constant"
            if self.pad_mode == "zeros" or isinstance(x, PILMask)
            else ("reflect" if self.pad_mode == "reflection" else "edge")
        )
        return type(x)(Image.fromarray(np.pad(arr, pads, mode=mode)), x.path)

    def _coords(self, xy: torch.Tensor) -> torch.Tensor:
        if self._geometry is None:
            raise ValueError(
                "Resize moves points and boxes with their image: put the image first in the item"
            )
        sx, sy, ox, oy = self._geometry  # the same map for every method (pad has negative offsets)
        return xy * torch.tensor([sx, sy]) - torch.tensor([ox, oy])

    def encodes(self, x: TensorPoint):  # noqa: D102, F811
        out = TensorPoint(self._coords(x.as_plain().float().view(-1, 2)).view(x.shape))
        out.img_size = self.size
        return out

    def encodes(self, x: TensorBBox):  # noqa: D102, F811
        pts = self._coords(x.as_plain().float().view(-1, 2)).view(x.shape)
        out = TensorBBox(pts)
        out.img_size = self.size
        return out
