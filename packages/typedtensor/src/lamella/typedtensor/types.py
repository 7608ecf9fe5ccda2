"""The semantic tensor types every layer shares: images, masks, points, boxes, labels, text.

A catalogue, kept in one module so the types read as one table. Each type says how it shows
itself; coordinates check their shape when built.
"""

from __future__ import annotations

from typing import Any, cast

import torch  # noqa: F401  (the examples use it)
from torch import Tensor

from .base import TensorBase
from .show import show_image, show_title

__all__ = [
    "TensorBBox",
    "TensorCategory",
    "TensorImage",
    "TensorImageBW",
    "TensorImageBase",
    "TensorMask",
    "TensorMultiCategory",
    "TensorPoint",
    "TensorText",
]


class TensorImageBase(TensorBase):
    """What images and masks share (a pixel grid, shown as a picture); neither is the other.

    A transform written for `TensorImage` never reaches a `TensorMask`: a mask holds class codes,
    which colour, lighting or scaling would corrupt. A transform meant for both names this base.

    Examples:
        >>> issubclass(TensorImage, TensorImageBase), issubclass(TensorMask, TensorImage)
        (True, False)
    """

    _show_args: dict[str, Any] = {}

    def flip_lr(self) -> TensorImageBase:
        """Mirror left to right (the last dimension), as fastai's `flip_lr`.

        Examples:
            >>> TensorImage(torch.tensor([[[1, 2, 3]]])).flip_lr().tolist()
            [[[3, 2, 1]]]
        """
        return cast(TensorImageBase, self.flip(-1))

    def dihedral(self, k: int) -> TensorImageBase:
        """The `k`-th (0-7) symmetry of the square: flips of x, of y, and a transpose, as fastai's.

        Examples:
            >>> TensorImage(torch.tensor([[[1, 2], [3, 4]]])).dihedral(6).tolist()
            [[[1, 3], [2, 4]]]
        """
        x: Tensor = self
        if k in (1, 3, 4, 7):
            x = x.flip(-1)
        if k in (2, 4, 5, 7):
            x = x.flip(-2)
        if k in (3, 5, 6, 7):
            x = x.transpose(-1, -2)
        return cast(TensorImageBase, x)

    def show(self, ctx: Any = None, **kwargs: Any) -> Any:
        """Draw the pixels on `ctx` (a matplotlib axes; a new one when None) and return the axes.

        Examples:
            >>> ax = TensorImage(torch.rand(3, 8, 8)).show()  # doctest: +NEEDS_MATPLOTLIB
        """
        return show_image(self, ctx=ctx, **{**self._show_args, **kwargs})


class TensorImage(TensorImageBase):
    """An image batch or item, channels first (`C×H×W` or `N×C×H×W`).

    Examples:
        >>> img = TensorImage(torch.rand(3, 8, 8))
        >>> type(img.flip(-1)).__name__
        'TensorImage'
    """


class TensorImageBW(TensorImage):
    """A single-channel image shown in grey.

    Examples:
        >>> TensorImageBW(torch.zeros(1, 4, 4)).shape
        torch.Size([1, 4, 4])
    """

    _show_args = {"cmap": "Greys"}


class TensorMask(TensorImageBase):
    """A segmentation mask of class codes, `H×W` (or `N×H×W`); shown over an image.

    Examples:
        >>> m = TensorMask(torch.zeros(4, 4, dtype=torch.long))
        >>> type(m[:2]).__name__
        'TensorMask'
    """

    _show_args = {"alpha": 0.5, "cmap": "tab20", "vmin": 0}

    def show(self, ctx: Any = None, **kwargs: Any) -> Any:
        """Draw the codes with a colour map and transparency over `ctx`.

        Examples:
            >>> ax = TensorMask(torch.zeros(4, 4)).show()  # doctest: +NEEDS_MATPLOTLIB
        """
        codes = getattr(self, "codes", None)
        args = {**self._show_args, "vmax": len(codes) if codes is not None else None}
        return show_image(self, ctx=ctx, **{**args, **kwargs})


def _image_hw(x: TensorBase, what: str) -> tuple[int, int]:
    size = getattr(x, "img_size", None)
    if size is None:
        raise ValueError(
            f"{what} needs the image size: build the {type(x).__name__} with img_size=(height, width)"
        )
    return int(size[0]), int(size[1])


def _dihedral_xy(xy: torch.Tensor, k: int, h: int, w: int) -> torch.Tensor:
    """Pixel coordinates under the `k`-th symmetry of an `h x w` image (the same steps as the image's)."""
    x, y = xy[..., 0], xy[..., 1]
    if k in (1, 3, 4, 7):
        x = w - x
    if k in (2, 4, 5, 7):
        y = h - y
    if k in (3, 5, 6, 7):
        x, y = y, x
    return torch.stack([x, y], dim=-1)


def _check_last_dim(x: TensorBase, n: int, what: str) -> None:
    if x.ndim == 0 or x.shape[-1] != n:
        raise ValueError(
            f"{type(x).__name__} expects {what}: a tensor of shape (..., {n}); got shape {tuple(x.shape)}."
        )


class TensorPoint(TensorBase):
    """Key points as `(x, y)` pairs, shape `(..., 2)`; `img_size` is the image's `(height, width)`.

    Examples:
        >>> p = TensorPoint([[1.0, 2.0], [3.0, 4.0]], img_size=(28, 28))
        >>> (p + 1).img_size
        (28, 28)
        >>> TensorPoint([1.0, 2.0, 3.0])
        Traceback (most recent call last):
        ...
        ValueError: TensorPoint expects (x, y) pairs: a tensor of shape (..., 2); got shape (3,).
    """

    _show_args = {"s": 10, "marker": ".", "c": "r"}

    def __new__(cls, x: Any, img_size: tuple[int, int] | None = None, **meta: Any) -> TensorPoint:
        """Build the points, checking the last dimension is 2."""
        res = super().__new__(cls, x, **meta)
        if res.numel() == 0:
            res = cast(TensorBase, res.view(0, 2))
        _check_last_dim(res, 2, "(x, y) pairs")
        if img_size is not None or "img_size" not in res.__dict__:
            res.img_size = img_size
        return res  # type: ignore[return-value]

    def flip_lr(self) -> TensorPoint:
        """Mirror the points left to right within their image (`x -> width - x`).

        Examples:
            >>> TensorPoint([[1.0, 2.0]], img_size=(4, 10)).flip_lr().tolist()
            [[9.0, 2.0]]
        """
        return self.dihedral(1)

    def dihedral(self, k: int) -> TensorPoint:
        """The points under the `k`-th symmetry of their image (see `TensorImage.dihedral`).

        Examples:
            >>> p = TensorPoint([[1.0, 2.0]], img_size=(4, 10)).dihedral(6)
            >>> p.tolist(), p.img_size
            ([[2.0, 1.0]], (10, 4))
        """
        h, w = _image_hw(self, "dihedral")
        out = TensorPoint(_dihedral_xy(self.as_plain().float(), k, h, w), img_size=(h, w))
        out.img_size = (w, h) if k in (3, 5, 6, 7) else (h, w)
        return out

    def show(self, ctx: Any = None, **kwargs: Any) -> Any:
        """Scatter the points on `ctx`, the axes holding their image.

        Examples:
            >>> ax = TensorPoint([[1.0, 2.0]]).show()  # doctest: +NEEDS_MATPLOTLIB
        """
        from .show import _axes

        ax = _axes(ctx)
        pts = self.as_plain().detach().cpu().reshape(-1, 2)
        ax.scatter(pts[:, 0], pts[:, 1], **{**self._show_args, **kwargs})
        return ax


class TensorBBox(TensorBase):
    """Boxes as `(x1, y1, x2, y2)`, shape `(..., 4)`; `img_size` is the image's `(height, width)`.

    Examples:
        >>> b = TensorBBox([[0.0, 0.0, 4.0, 4.0]], img_size=(8, 8))
        >>> b.flip(0).img_size
        (8, 8)
        >>> TensorBBox([[1.0, 2.0]])
        Traceback (most recent call last):
        ...
        ValueError: TensorBBox expects (x1, y1, x2, y2) boxes: a tensor of shape (..., 4); got shape (1, 2).
    """

    def __new__(cls, x: Any, img_size: tuple[int, int] | None = None, **meta: Any) -> TensorBBox:
        """Build the boxes, checking the last dimension is 4."""
        res = super().__new__(cls, x, **meta)
        if res.numel() == 0:
            res = cast(TensorBase, res.view(0, 4))
        _check_last_dim(res, 4, "(x1, y1, x2, y2) boxes")
        if img_size is not None or "img_size" not in res.__dict__:
            res.img_size = img_size
        return res  # type: ignore[return-value]

    def flip_lr(self) -> TensorBBox:
        """Mirror the boxes left to right within their image.

        Examples:
            >>> TensorBBox([[1.0, 2.0, 3.0, 4.0]], img_size=(8, 10)).flip_lr().tolist()
            [[7.0, 2.0, 9.0, 4.0]]
        """
        return self.dihedral(1)

    def dihedral(self, k: int) -> TensorBBox:
        """The boxes under the `k`-th symmetry of their image, corners re-ordered to `(x1, y1, x2, y2)`.

        Examples:
            >>> TensorBBox([[1.0, 2.0, 3.0, 4.0]], img_size=(8, 10)).dihedral(2).tolist()
            [[1.0, 4.0, 3.0, 6.0]]
        """
        h, w = _image_hw(self, "dihedral")
        corners = _dihedral_xy(self.as_plain().float().reshape(*self.shape[:-1], 2, 2), k, h, w)
        boxes = torch.cat([corners.min(dim=-2).values, corners.max(dim=-2).values], dim=-1)
        return TensorBBox(boxes, img_size=(w, h) if k in (3, 5, 6, 7) else (h, w))

    def show(self, ctx: Any = None, color: str = "white", **kwargs: Any) -> Any:
        """Draw each box as a rectangle on `ctx`, the axes holding their image.

        Examples:
            >>> ax = TensorBBox([[0.0, 0.0, 2.0, 2.0]]).show()  # doctest: +NEEDS_MATPLOTLIB
        """
        from .show import _axes, _plt

        ax = _axes(ctx)
        patches = _plt().matplotlib.patches
        for x1, y1, x2, y2 in self.as_plain().detach().cpu().reshape(-1, 4).tolist():
            rect = patches.Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, edgecolor=color, lw=2, **kwargs)
            ax.add_patch(rect)
        return ax


class TensorCategory(TensorBase):
    """A class index (0-d for an item, 1-d for a batch); shown as a title.

    Examples:
        >>> c = TensorCategory(3)
        >>> type(c + 1).__name__
        'TensorCategory'
    """

    def show(self, ctx: Any = None, **kwargs: Any) -> Any:
        """Write the index as the title of `ctx`.

        Examples:
            >>> ax = TensorCategory(1).show()  # doctest: +NEEDS_MATPLOTLIB
        """
        return show_title(str(self.item()) if self.ndim == 0 else str(self.tolist()), ctx=ctx, **kwargs)


class TensorMultiCategory(TensorCategory):
    """Several labels for one item: indices, or a one-hot vector once encoded.

    Examples:
        >>> TensorMultiCategory([0, 2]).shape
        torch.Size([2])
    """

    def show(self, ctx: Any = None, **kwargs: Any) -> Any:
        """Write the labels, joined by ';', as the title of `ctx`.

        Examples:
            >>> ax = TensorMultiCategory([0, 2]).show()  # doctest: +NEEDS_MATPLOTLIB
        """
        return show_title(";".join(str(v) for v in self.tolist()), ctx=ctx, **kwargs)


class TensorText(TensorBase):
    """Token ids of a text (1-d for an item, 2-d for a batch); `lamella.text` decodes them to words.

    Examples:
        >>> t = TensorText([2, 5, 7])
        >>> type(t[1:]).__name__
        'TensorText'
    """

    def show(self, ctx: Any = None, **kwargs: Any) -> Any:
        """Write the token ids as the title of `ctx` (decode them first for words).

        Examples:
            >>> TensorText([2, 7]).show().get_title()  # doctest: +NEEDS_MATPLOTLIB
            '2 7'
        """
        return show_title(" ".join(str(int(i)) for i in self.reshape(-1)), ctx=ctx, **kwargs)
