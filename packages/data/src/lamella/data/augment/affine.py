"""Affine and perspective augmentation of whole batches in one resample.

Every transform here contributes a 3x3 matrix per item that maps output coordinates to input
coordinates (in [-1, 1]); consecutive ones multiply into a single matrix, so images need ONE
grid and ONE `grid_sample` per batch (masks one more, with nearest), however many transforms
are chained. Points and boxes go through the inverse of the same matrix, so targets stay
aligned with their image.

Coordinates of `TensorPoint` (x, y) and `TensorBBox` (x1, y1, x2, y2) are pixels of the image,
continuous (pixel `i` covers [i, i + 1)). Points that leave the image keep their coordinates
outside it, as fastai does; boxes are clipped to the image, and a box left with no area
becomes (0, 0, 0, 0).

The kernels they call (`lamella.data.augment.kernels`) take plain tensors; the transforms pick
them by type.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

from lamella.typedtensor import TensorBBox, TensorImage, TensorMask, TensorPoint, as_plain

from .kernels import Size, affine_bboxes, affine_image, affine_mask, affine_points, homography_grid
from .random import RandTransform, batch_info

__all__ = [
    "AffineCoordTfm",
    "CropPadBatch",
    "Dihedral",
    "Flip",
    "RandomResizedCropGPU",
    "ResizeBatch",
    "Rotate",
    "Warp",
    "Zoom",
]

MatFn = Callable[[int, Size, Size], Tensor]


def _eye(bs: int) -> Tensor:
    return torch.eye(3).expand(bs, 3, 3).clone()


def _size(size: int | Size | None) -> Size | None:
    return (size, size) if isinstance(size, int) else (tuple(size) if size is not None else None)  # type: ignore[return-value]


class AffineCoordTfm(RandTransform):
    """Resample a batch through the product of per-item matrices, aligning masks, points and boxes.

    Args:
        aff_fs: functions `f(bs, in_size, out_size) -> (bs, 3, 3)` output→input matrices, applied in order.
        size: the output size (int or (h, w)); None keeps the input size.
        mode: interpolation of images (`bilinear`, `nearest`, `bicubic`).
        pad_mode: what fills the outside (`reflection`, `zeros`, `border`).
        align_corners: `grid_sample`'s convention.
        seed: seed of the random draws.

    Examples:
        >>> from lamella.typedtensor import TensorImage
        >>> shift = lambda bs, i, o: torch.tensor([[1.0, 0, 0.5], [0, 1, 0], [0, 0, 1]]).expand(bs, 3, 3)
        >>> out = AffineCoordTfm([shift], size=8)(TensorImage(torch.rand(2, 3, 16, 16)), split_idx=0)
        >>> type(out).__name__, tuple(out.shape)
        ('TensorImage', (2, 3, 8, 8))
    """

    order = 30
    mergeable = True
    # Every split: training batches are augmented; the others only take `size` (as in fastai, so
    # validation batches match the training ones) and the matrices of transforms with `on_valid`.
    split_idx = None
    on_valid = False

    def __init__(
        self,
        aff_fs: list[MatFn] | None = None,
        size: int | Size | None = None,
        mode: str = "bilinear",
        pad_mode: str = "reflection",
        align_corners: bool = True,
        seed: int | None = None,
    ) -> None:
        super().__init__(p=1.0, seed=seed)
        self.aff_fs, self.size, self.mode, self.pad_mode = list(aff_fs or []), _size(size), mode, pad_mode
        self.align_corners = align_corners

    def _fs(self, split_idx: int | None) -> list[MatFn]:
        if split_idx == 0:
            return self.aff_fs
        return [f for f in self.aff_fs if getattr(getattr(f, "__self__", None), "on_valid", False)]

    def __call__(self, b: Any, split_idx: int | None = None) -> Any:
        """Augment a training batch; resize another one to `size` (nothing to do without a size)."""
        if split_idx != 0 and not self._fs(split_idx):
            in_size = batch_info(b)[2]
            if self.size is None or (in_size is not None and tuple(in_size) == self.size):
                return b
        return super().__call__(b, split_idx)

    def before_call(self, b: Any, split_idx: int | None) -> None:  # noqa: D102  (the class documents it)
        bs, device, in_size = batch_info(b)
        if in_size is None:
            raise ValueError(f"{self.name}: the batch has no image and its points or boxes no img_size")
        self.in_size: Size = (int(in_size[0]), int(in_size[1]))
        self.out_size: Size = self.size or self.in_size
        mat = _eye(bs)
        for f in self._fs(split_idx):
            mat = mat @ f(bs, self.in_size, self.out_size)
        self.mat = mat.to(device)
        self._grid: Tensor | None = None

    def grid(self) -> Tensor:
        """This batch's sampling grid, made once and shared by the images and masks of the batch.

        Examples:
            >>> tfm = AffineCoordTfm(size=4); tfm.before_call(TensorImage(torch.zeros(2, 3, 8, 8)), 0)
            >>> tuple(tfm.grid().shape)
            (2, 4, 4, 2)
        """
        if self._grid is None:
            self._grid = homography_grid(self.mat, self.out_size, self.align_corners)
        return self._grid

    def encodes(self, x: TensorImage):  # noqa: D102
        return affine_image(as_plain(x), self.grid(), self.mode, self.pad_mode, self.align_corners)

    def encodes(self, x: TensorMask):  # noqa: D102, F811
        return affine_mask(as_plain(x), self.grid(), "zeros", self.align_corners)

    def encodes(self, x: TensorPoint):  # noqa: D102, F811
        out = TensorPoint(
            affine_points(as_plain(x), self.mat, self.in_size, self.out_size, self.align_corners)
        )
        out.img_size = self.out_size
        return out

    def encodes(self, x: TensorBBox):  # noqa: D102, F811
        out = TensorBBox(
            affine_bboxes(as_plain(x), self.mat, self.in_size, self.out_size, self.align_corners)
        )
        out.img_size = self.out_size
        return out

    def compose(self, other: AffineCoordTfm) -> AffineCoordTfm:
        """One transform doing `self` then `other`: their matrices multiply, one resample for both.

        Examples:
            >>> merged = Flip(p=1.0).compose(Rotate(max_deg=10))
            >>> len(merged.aff_fs)
            2
        """
        return AffineCoordTfm(
            self.aff_fs + other.aff_fs, other.size or self.size, self.mode, self.pad_mode, self.align_corners
        )


class _RandomMatrix(AffineCoordTfm):
    """An affine transform drawn per item with probability `p` from the subclass's `mat_fn`.

    The resampling arguments (`size`, `mode`, `pad_mode`, `align_corners`) and `seed` are
    `AffineCoordTfm`'s; subclasses add their own parameters before `p`.
    """

    def __init__(
        self,
        p: float = 0.5,
        size: int | Size | None = None,
        mode: str = "bilinear",
        pad_mode: str = "reflection",
        align_corners: bool = True,
        seed: int | None = None,
    ) -> None:
        super().__init__([self.mat_fn], size, mode, pad_mode, align_corners, seed)
        self.p = p

    def mat_fn(self, bs: int, in_size: Size, out_size: Size) -> Tensor:  # noqa: D102  (each subclass's)
        raise NotImplementedError


class Flip(_RandomMatrix):
    """Flip each image left-right with probability `p` (targets follow).

    Examples:
        >>> x = TensorImage(torch.arange(4.0).repeat(2, 1).view(1, 1, 2, 4))
        >>> Flip(p=1.0)(x, split_idx=0)[0, 0, 0].round().tolist()
        [3.0, 2.0, 1.0, 0.0]
    """

    def mat_fn(self, bs: int, in_size: Size, out_size: Size) -> Tensor:
        """The per-item matrices of this batch.

        Examples:
            >>> Flip(p=1.0).mat_fn(1, (2, 2), (2, 2))[0, 0, 0].item()
            -1.0
        """
        mat = _eye(bs)
        mat[:, 0, 0] = torch.where(self.draw_mask(bs), -1.0, 1.0)
        return mat


class Dihedral(_RandomMatrix):
    """Apply one of the 8 symmetries of the square (flips and transposes) with probability `p`.

    Examples:
        >>> Dihedral(p=1.0, seed=0).mat_fn(4, (2, 2), (2, 2)).abs().sum((1, 2)).tolist()
        [3.0, 3.0, 3.0, 3.0]
    """

    def mat_fn(self, bs: int, in_size: Size, out_size: Size) -> Tensor:
        """The per-item matrices of this batch.

        Examples:
            >>> Dihedral(p=0.0).mat_fn(1, (2, 2), (2, 2))[0].tolist()
            [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
        """
        k = (self.rand(bs) * 8).long() * self.draw_mask(bs)
        fx, fy, swap = torch.where(k & 1 > 0, -1.0, 1.0), torch.where(k & 2 > 0, -1.0, 1.0), (k & 4) > 0
        mat = _eye(bs)
        mat[:, 0, 0] = torch.where(swap, 0.0, fx)
        mat[:, 0, 1] = torch.where(swap, fx, 0.0)
        mat[:, 1, 0] = torch.where(swap, fy, 0.0)
        mat[:, 1, 1] = torch.where(swap, 0.0, fy)
        return mat


class Rotate(_RandomMatrix):
    """Rotate each image by an angle drawn in [-max_deg, max_deg], with probability `p`.

    Examples:
        >>> m = Rotate(max_deg=90, p=1.0, seed=0).mat_fn(2, (4, 4), (4, 4))
        >>> torch.allclose(torch.linalg.det(m), torch.ones(2))
        True
    """

    def __init__(self, max_deg: float = 10.0, p: float = 0.5, **kwargs: Any) -> None:
        super().__init__(p, **kwargs)
        self.max_deg = max_deg

    def mat_fn(self, bs: int, in_size: Size, out_size: Size) -> Tensor:
        """The per-item matrices of this batch.

        Examples:
            >>> Rotate(max_deg=0.0, p=1.0).mat_fn(1, (2, 2), (2, 2))[0, 0, 0].item()
            1.0
        """
        theta = self.uniform(-self.max_deg, self.max_deg, bs) * self.draw_mask(bs) * math.pi / 180
        mat = _eye(bs)
        mat[:, 0, 0], mat[:, 0, 1] = theta.cos(), -theta.sin()
        mat[:, 1, 0], mat[:, 1, 1] = theta.sin(), theta.cos()
        return mat


class Zoom(_RandomMatrix):
    """Zoom each image in by a factor in [min_zoom, max_zoom] around a random centre, with probability `p`.

    Examples:
        >>> Zoom(min_zoom=2.0, max_zoom=2.0, p=1.0).mat_fn(1, (4, 4), (4, 4))[0, 0, 0].item()
        0.5
    """

    def __init__(self, min_zoom: float = 1.0, max_zoom: float = 1.1, p: float = 0.5, **kwargs: Any) -> None:
        super().__init__(p, **kwargs)
        self.min_zoom, self.max_zoom = min_zoom, max_zoom

    def mat_fn(self, bs: int, in_size: Size, out_size: Size) -> Tensor:
        """The per-item matrices of this batch.

        Examples:
            >>> Zoom(p=0.0).mat_fn(1, (2, 2), (2, 2))[0, 0, 0].item()
            1.0
        """
        do = self.draw_mask(bs)
        s = torch.where(do, 1 / self.uniform(self.min_zoom, self.max_zoom, bs), 1.0)
        cx, cy = (1 - s) * (2 * self.rand(bs) - 1), (1 - s) * (2 * self.rand(bs) - 1)
        mat = _eye(bs)
        mat[:, 0, 0], mat[:, 1, 1], mat[:, 0, 2], mat[:, 1, 2] = s, s, cx, cy
        return mat


def _solve_homography(src: Tensor, dst: Tensor) -> Tensor:
    """The (bs, 3, 3) homographies taking the 4 points `src` (bs, 4, 2) to `dst`."""
    x, y, u, v = src[..., 0], src[..., 1], dst[..., 0], dst[..., 1]
    zero, one = torch.zeros_like(x), torch.ones_like(x)
    rows_u = torch.stack([x, y, one, zero, zero, zero, -u * x, -u * y], dim=-1)
    rows_v = torch.stack([zero, zero, zero, x, y, one, -v * x, -v * y], dim=-1)
    a = torch.cat([rows_u, rows_v], dim=1)
    coeffs = torch.linalg.solve(a, torch.cat([u, v], dim=1))
    return torch.cat([coeffs, torch.ones_like(coeffs[:, :1])], dim=1).view(-1, 3, 3)


class Warp(_RandomMatrix):
    """Perspective warp: move the corners of each image by up to `magnitude`, with probability `p`.

    Examples:
        >>> Warp(magnitude=0.0, p=1.0).mat_fn(1, (4, 4), (4, 4))[0].round(decimals=6).add(0.0).tolist()
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """

    def __init__(self, magnitude: float = 0.2, p: float = 0.5, **kwargs: Any) -> None:
        super().__init__(p, **kwargs)
        self.magnitude = magnitude

    def mat_fn(self, bs: int, in_size: Size, out_size: Size) -> Tensor:
        """The per-item matrices of this batch.

        Examples:
            >>> tuple(Warp(p=1.0, seed=0).mat_fn(3, (4, 4), (4, 4)).shape)
            (3, 3, 3)
        """
        do = self.draw_mask(bs).double()
        mx = self.uniform(-self.magnitude, self.magnitude, bs).double() * do
        my = self.uniform(-self.magnitude, self.magnitude, bs).double() * do
        corners = torch.tensor([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]], dtype=torch.float64)
        src = corners.expand(bs, 4, 2)
        # fastai's perspective warp: the left and right edges tilt by `mx`, the top and bottom by `my`.
        shift = torch.stack(
            [torch.stack([-my, -mx], -1), torch.stack([my, mx], -1), torch.stack([my, -mx], -1),
             torch.stack([-my, mx], -1)], dim=1,
        )  # fmt: skip
        return _solve_homography(src, src + shift).float()


class ResizeBatch(AffineCoordTfm):
    """Resize a whole batch (squish) to `size`, on its device; runs on every split.

    Examples:
        >>> tuple(ResizeBatch(4)(TensorImage(torch.rand(2, 3, 8, 6))).shape)
        (2, 3, 4, 4)
    """

    mergeable = False

    def __init__(self, size: int | Size, mode: str = "bilinear", align_corners: bool = True) -> None:
        super().__init__([], size, mode, "border", align_corners)


class CropPadBatch(AffineCoordTfm):
    """Centre-crop (or pad, with `pad_mode`) a whole batch to `size` without scaling; every split.

    Examples:
        >>> x = TensorImage(torch.arange(16.0).view(1, 1, 4, 4))
        >>> CropPadBatch(2, align_corners=False)(x)[0, 0].tolist()
        [[5.0, 6.0], [9.0, 10.0]]
    """

    mergeable = False
    on_valid = True

    def __init__(self, size: int | Size, pad_mode: str = "zeros", align_corners: bool = True) -> None:
        super().__init__([self.mat_fn], size, "bilinear", pad_mode, align_corners)

    def mat_fn(self, bs: int, in_size: Size, out_size: Size) -> Tensor:
        """Scale output coordinates by `out/in` per axis: the centre `out` pixels of the input.

        Examples:
            >>> CropPadBatch(2, align_corners=False).mat_fn(1, (4, 4), (2, 2))[0, 0, 0].item()
            0.5
        """
        mat = _eye(bs)
        if self.align_corners:
            mat[:, 0, 0], mat[:, 1, 1] = (
                (out_size[1] - 1) / max(in_size[1] - 1, 1),
                (out_size[0] - 1) / max(in_size[0] - 1, 1),
            )
        else:
            mat[:, 0, 0], mat[:, 1, 1] = out_size[1] / in_size[1], out_size[0] / in_size[0]
        return mat


class RandomResizedCropGPU(AffineCoordTfm):
    """Crop a random area and aspect ratio of each image and resize it to `size`; centre crop on validation.

    Args:
        size: the output size.
        min_scale: the smallest fraction of the image area a crop covers.
        ratio: the range of aspect ratios (width / height) of a crop.
        mode: interpolation of images.
        valid_scale: the fraction of the image the validation centre crop covers.
        max_scale: the largest fraction of the area.

    Examples:
        >>> tfm = RandomResizedCropGPU(8, min_scale=0.5, seed=0)
        >>> tuple(tfm(TensorImage(torch.rand(4, 3, 16, 16)), split_idx=0).shape)
        (4, 3, 8, 8)
    """

    mergeable = False
    on_valid = True

    def __init__(
        self,
        size: int | Size,
        min_scale: float = 0.08,
        ratio: tuple[float, float] = (3 / 4, 4 / 3),
        mode: str = "bilinear",
        valid_scale: float = 1.0,
        max_scale: float = 1.0,
        seed: int | None = None,
    ) -> None:
        super().__init__([self.mat_fn], size, mode, "reflection", True, seed)
        self.min_scale, self.ratio, self.valid_scale, self.max_scale = (
            min_scale,
            ratio,
            valid_scale,
            max_scale,
        )
        self._train = False  # until a training batch says otherwise

    def before_call(self, b: Any, split_idx: int | None) -> None:  # noqa: D102
        self._train = split_idx == 0
        super().before_call(b, split_idx)

    def mat_fn(self, bs: int, in_size: Size, out_size: Size) -> Tensor:
        """Per-item crop boxes as matrices (a centre crop of `valid_scale` outside training).

        Examples:
            >>> RandomResizedCropGPU(4).mat_fn(1, (8, 8), (4, 4))[0, 0, 0].item()  # validation: whole image
            1.0
        """
        mat = _eye(bs)
        if not self._train:
            mat[:, 0, 0] = mat[:, 1, 1] = math.sqrt(self.valid_scale)
            return mat
        area = self.uniform(self.min_scale, self.max_scale, bs)
        log_r = self.uniform(math.log(self.ratio[0]), math.log(self.ratio[1]), bs)
        aspect = log_r.exp() * in_size[0] / in_size[1]  # width/height of the crop in normalised units
        w, h = (area * aspect).sqrt().clamp(max=1), (area / aspect).sqrt().clamp(max=1)
        mat[:, 0, 0], mat[:, 1, 1] = w, h
        mat[:, 0, 2], mat[:, 1, 2] = (1 - w) * (2 * self.rand(bs) - 1), (1 - h) * (2 * self.rand(bs) - 1)
        return mat
