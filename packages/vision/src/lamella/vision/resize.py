"""Item transforms that size images (and their masks, points and boxes) before batching.

`Resize(size, method)`: `crop` scales the image to cover the size then crops (at random on
training items, in the centre on validation), `pad` scales it to fit then pads, `squish`
resizes to the size ignoring the aspect ratio. `RandomResizedCrop` takes a random area and
aspect ratio; `CropPad` and `RandomCrop` cut (or pad) without scaling. Each transform maps
coordinates as `output = input * scale - offset`, so points and boxes move with their image.
"""

from __future__ import annotations

import math
import random
from typing import Any, Literal

import numpy as np
import torch
from PIL import Image

from lamella.transforms import DisplayedTransform
from lamella.typedtensor import TensorBBox, TensorPoint

from .image import PILBase, PILMask

__all__ = ["CropPad", "PadMode", "RandomCrop", "RandomResizedCrop", "Resize", "ResizeMethod"]


class ResizeMethod:
    """The ways `Resize` fits an image to a size.

    Examples:
        >>> ResizeMethod.Crop
        'crop'
    """

    Crop, Pad, Squish = "crop", "pad", "squish"


class PadMode:
    """How `Resize(method="pad")` fills the border, by fastai's names.

    Examples:
        >>> PadMode.Zeros
        'zeros'
    """

    Zeros, Border, Reflection = "zeros", "border", "reflection"


def _map_coords(tfm: Any, xy: torch.Tensor) -> torch.Tensor:
    """Apply the image's map (`output = input * scale - offset`) to pixel coordinates `xy`."""
    if tfm._geometry is None:
        raise ValueError(
            f"{type(tfm).__name__} moves points and boxes with their image: put the image first in the item"
        )
    sx, sy, ox, oy = tfm._geometry  # the same map for every method (pad has negative offsets)
    return xy * torch.tensor([sx, sy]) - torch.tensor([ox, oy])


def _size(size: int | tuple[int, int]) -> tuple[int, int]:
    return (size, size) if isinstance(size, int) else (int(size[0]), int(size[1]))


class Resize(DisplayedTransform):
    """Resize items to `size` (`(h, w)` or an int) by cropping, padding or squishing.

    Args:
        size: the output size.
        method: `"crop"`, `"pad"` or `"squish"`.
        pad_mode: `"reflection"`, `"zeros"` or `"border"` (for `pad`).
        resamples: Pillow's filters for images and for masks, as fastai's `(BILINEAR, NEAREST)`.

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
        resamples: tuple[int, int] = (Image.Resampling.BILINEAR, Image.Resampling.NEAREST),
    ) -> None:
        super().__init__()
        if method not in ("crop", "pad", "squish"):
            raise ValueError(f"Resize method must be 'crop', 'pad' or 'squish', got {method!r}")
        self.size, self.method, self.pad_mode, self.resamples = (
            _size(size),
            method,
            pad_mode,
            tuple(resamples),
        )

    def __call__(self, x: Any, split_idx: int | None = None) -> Any:
        """Pick the crop position (random on training items, centred otherwise), then resize every element."""
        self.pcts = (0.5, 0.5) if split_idx != 0 else (random.random(), random.random())
        self._geometry: tuple[float, float, float, float] | None = None
        self._image = None
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
        _check_mask_size(self, x)
        sx, sy, ox, oy = self._geometry = self._plan(w, h)
        th, tw = self.size
        resample = self.resamples[1] if isinstance(x, PILMask) else self.resamples[0]
        if self.method != "pad":
            return type(x)(
                x.img.resize((tw, th), resample, box=_crop_box(w, h, sx, sy, ox, oy, tw, th)), x.path
            )
        nw, nh = max(1, round(w * sx)), max(1, round(h * sy))
        arr = np.asarray(x.img.resize((nw, nh), resample))
        top, left = (th - nh) // 2, (tw - nw) // 2
        pads = [(top, th - nh - top), (left, tw - nw - left)] + [(0, 0)] * (arr.ndim - 2)
        mode: Literal["constant", "reflect", "edge"] = (
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


def _crop_box(w: int, h: int, sx: float, sy: float, ox: float, oy: float, tw: int, th: int) -> tuple:
    """The source box Pillow samples, clamped to the image.

    Rounding puts an edge a hair outside it (224x197 to 128 gives an offset of -1e-15), which
    Pillow refuses with "box offset can't be negative".
    """
    x0, y0 = min(max(ox / sx, 0.0), w), min(max(oy / sy, 0.0), h)
    return x0, y0, min(max((ox + tw) / sx, x0), w), min(max((oy + th) / sy, y0), h)


def _check_mask_size(tfm: Any, x: PILBase) -> None:
    """A mask must cover its image pixel for pixel: resizing both would hide a mismatch."""
    if not isinstance(x, PILMask):
        tfm._image = x
        return
    image = getattr(tfm, "_image", None)
    if image is not None and image.size != x.size:
        raise ValueError(
            f"the mask {x.path or ''} is {x.size[0]}x{x.size[1]} but its image {image.path or ''} is "
            f"{image.size[0]}x{image.size[1]} (width x height): they must be the same size"
        )


class _Geometric(DisplayedTransform):
    """Shared by the transforms below: a box of the input (x0, y0, x1, y1) resampled to `size`."""

    order = 1
    resamples: tuple[int, int] = (Image.Resampling.BILINEAR, Image.Resampling.NEAREST)
    size: tuple[int, int]  # (height, width) of the output
    _chosen: tuple[float, float, float, float] | None = None  # this item's box, shared by its parts
    _geometry: tuple[float, float, float, float] | None = None  # scale and offset, for points

    def _box(self, w: int, h: int, split_idx: int | None) -> tuple[float, float, float, float]:
        raise NotImplementedError

    def __call__(self, x: Any, split_idx: int | None = None) -> Any:
        """Choose this item's box (random on training items), then apply it to every element."""
        self._split, self._geometry, self._image, self._chosen = split_idx, None, None, None
        return super().__call__(x, split_idx)

    def encodes(self, x: PILBase):  # noqa: D102  (the subclasses document their cases)
        w, h = x.size
        _check_mask_size(self, x)
        # one box per item: the image and its mask are cut alike (a second draw put them apart)
        if self._chosen is None:
            self._chosen = self._box(w, h, self._split)
        x0, y0, x1, y1 = self._chosen
        th, tw = self.size
        sx, sy = tw / (x1 - x0), th / (y1 - y0)
        self._geometry = (sx, sy, x0 * sx, y0 * sy)
        resample = self.resamples[1] if isinstance(x, PILMask) else self.resamples[0]
        if x0 >= 0 and y0 >= 0 and x1 <= w and y1 <= h:
            return type(x)(x.img.resize((tw, th), resample, box=(x0, y0, x1, y1)), x.path)
        # The box leaves the image (CropPad on a smaller image): pad with zeros, then resample.
        canvas = Image.new(x.img.mode, (round(x1 - x0), round(y1 - y0)))
        canvas.paste(x.img, (round(-x0), round(-y0)))
        return type(x)(canvas.resize((tw, th), resample), x.path)

    def encodes(self, x: TensorPoint):  # noqa: D102, F811
        out = TensorPoint(_map_coords(self, x.as_plain().float().view(-1, 2)).view(x.shape))
        out.img_size = self.size
        return out

    def encodes(self, x: TensorBBox):  # noqa: D102, F811
        pts = _map_coords(self, x.as_plain().float().view(-1, 2)).view(x.shape)
        out = TensorBBox(pts)
        out.img_size = self.size
        return out


class RandomResizedCrop(_Geometric):
    """Crop a random area (`min_scale`..`max_scale` of the image) and aspect ratio, resized to `size`.

    On validation items, a centre crop of `val_xtra` more than the size, as fastai does.

    Args:
        size: the output size.
        min_scale: the smallest fraction of the area.
        ratio: the range of aspect ratios (width / height).
        resamples: Pillow's filters for images and masks.
        val_xtra: how much more than the output the validation crop keeps around it.
        max_scale: the largest fraction of the area.

    Examples:
        >>> img = PILBase(Image.new("RGB", (40, 30)))
        >>> RandomResizedCrop(16)(img, split_idx=0).size, RandomResizedCrop(16)(img, split_idx=1).size
        ((16, 16), (16, 16))
    """

    def __init__(
        self,
        size: int | tuple[int, int],
        min_scale: float = 0.08,
        ratio: tuple[float, float] = (3 / 4, 4 / 3),
        resamples: tuple[int, int] = (Image.Resampling.BILINEAR, Image.Resampling.NEAREST),
        val_xtra: float = 0.14,
        max_scale: float = 1.0,
    ) -> None:  # fastai's parameters, in fastai's order
        super().__init__()
        self.size, self.min_scale, self.ratio = _size(size), min_scale, ratio
        self.max_scale, self.val_xtra = max_scale, val_xtra
        self.resamples = (int(resamples[0]), int(resamples[1]))

    def _box(self, w: int, h: int, split_idx: int | None) -> tuple[float, float, float, float]:
        th, tw = self.size
        if split_idx == 0:
            for _ in range(10):
                area = random.uniform(self.min_scale, self.max_scale) * w * h
                ratio = math.exp(random.uniform(math.log(self.ratio[0]), math.log(self.ratio[1])))
                cw, ch = math.sqrt(area * ratio), math.sqrt(area / ratio)
                if cw <= w and ch <= h:
                    x0, y0 = random.uniform(0, w - cw), random.uniform(0, h - ch)
                    return x0, y0, x0 + cw, y0 + ch
        # validation (or no valid random box): the centre, the output's aspect, val_xtra margin
        s = min(w / tw, h / th) / (1 + self.val_xtra if split_idx != 0 else 1)
        cw, ch = tw * s, th * s
        return (w - cw) / 2, (h - ch) / 2, (w + cw) / 2, (h + ch) / 2


class CropPad(_Geometric):
    """Cut the centre `size` of each image, padding with zeros where the image is smaller; no scaling.

    Examples:
        >>> CropPad(10)(PILBase(Image.new("RGB", (4, 20)))).size
        (10, 10)
    """

    def __init__(self, size: int | tuple[int, int]) -> None:
        super().__init__()
        self.size = _size(size)

    def _box(self, w: int, h: int, split_idx: int | None) -> tuple[float, float, float, float]:
        th, tw = self.size
        x0, y0 = (w - tw) / 2, (h - th) / 2
        return x0, y0, x0 + tw, y0 + th


class RandomCrop(_Geometric):
    """Cut a random `size` window of each training image (the centre on validation); no scaling.

    Examples:
        >>> RandomCrop(8)(PILBase(Image.new("RGB", (20, 20))), split_idx=0).size
        (8, 8)
    """

    def __init__(self, size: int | tuple[int, int]) -> None:
        super().__init__()
        self.size = _size(size)

    def _box(self, w: int, h: int, split_idx: int | None) -> tuple[float, float, float, float]:
        th, tw = self.size
        if split_idx == 0 and w >= tw and h >= th:
            x0, y0 = random.uniform(0, w - tw), random.uniform(0, h - th)
        else:
            x0, y0 = (w - tw) / 2, (h - th) / 2
        return x0, y0, x0 + tw, y0 + th
