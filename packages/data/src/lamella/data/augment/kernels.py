"""Resampling kernels of the batch transforms: one grid per batch, then images, masks, points, boxes.

A 3x3 matrix per item maps output coordinates to input coordinates in [-1, 1]
(`homography_grid` makes the sampling grid from it); images are resampled bilinearly, masks
with nearest, and points and boxes go through the inverse matrix so they stay on their image.
Coordinates of points (x, y) and boxes (x1, y1, x2, y2) are pixels, continuous (pixel `i` covers
[i, i + 1)); boxes are clipped to the image, and a box left with no area becomes (0, 0, 0, 0).

Examples:
    >>> grid = homography_grid(torch.eye(3)[None], (2, 3))
    >>> img = torch.arange(6.0).view(1, 1, 2, 3)
    >>> torch.allclose(affine_image(img, grid), img)  # the identity leaves the image as it is
    True
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

__all__ = ["affine_bboxes", "affine_image", "affine_mask", "affine_points", "homography_grid"]

Size = tuple[int, int]


def _axis(n: int, align_corners: bool, device: torch.device) -> Tensor:
    if align_corners:
        return torch.linspace(-1, 1, n, device=device) if n > 1 else torch.zeros(1, device=device)
    return (torch.arange(n, device=device) * 2 + 1) / n - 1


def homography_grid(mat: Tensor, size: Size, align_corners: bool = True) -> Tensor:
    """The sampling grid `(bs, h, w, 2)` of output→input matrices `mat` `(bs, 3, 3)`.

    Each coordinate is `(m0 . p) / (m2 . p)` computed from separable x and y axes (no per-pixel
    matrix product): 4x faster than `F.affine_grid` plus a division, measured on the CPU.

    Examples:
        >>> homography_grid(torch.eye(3)[None], (2, 2))[0, 0, 0].tolist()
        [-1.0, -1.0]
    """
    bs, (h, w) = mat.shape[0], size
    xs = _axis(w, align_corners, mat.device).view(1, 1, w)
    ys = _axis(h, align_corners, mat.device).view(1, h, 1)
    m = mat.view(bs, 3, 3, 1, 1)
    grid = torch.empty(bs, h, w, 2, device=mat.device, dtype=mat.dtype)
    torch.add(m[:, 0, 0] * xs, m[:, 0, 1] * ys + m[:, 0, 2], out=grid[..., 0])
    torch.add(m[:, 1, 0] * xs, m[:, 1, 1] * ys + m[:, 1, 2], out=grid[..., 1])
    if not (torch.all(mat[:, 2, :2] == 0) and torch.all(mat[:, 2, 2] == 1)):  # a perspective warp
        grid /= (m[:, 2, 0] * xs + m[:, 2, 1] * ys + m[:, 2, 2]).unsqueeze(-1)
    return grid


def affine_image(img: Tensor, grid: Tensor, mode: str = "bilinear", pad_mode: str = "reflection",
                 align_corners: bool = True) -> Tensor:  # fmt: skip
    """Resample an image batch `(bs, c, h, w)` at `grid`.

    Examples:
        >>> img = torch.rand(1, 3, 4, 4)
        >>> torch.allclose(affine_image(img, homography_grid(torch.eye(3)[None], (4, 4))), img, atol=1e-6)
        True
    """
    dtype = img.dtype if img.is_floating_point() else torch.float32
    out = F.grid_sample(
        img.to(dtype), grid.to(dtype), mode=mode, padding_mode=pad_mode, align_corners=align_corners
    )
    return out if img.is_floating_point() else out.round().to(img.dtype)


def affine_mask(mask: Tensor, grid: Tensor, pad_mode: str = "zeros", align_corners: bool = True) -> Tensor:
    """Resample a mask batch of class codes `(bs, h, w)` at `grid` with nearest neighbours.

    Examples:
        >>> m = torch.randint(0, 4, (1, 4, 4))
        >>> torch.equal(affine_mask(m, homography_grid(torch.eye(3)[None], (4, 4))), m)
        True
    """
    out = F.grid_sample(mask[:, None].float(), grid.float(), mode="nearest", padding_mode=pad_mode,
                        align_corners=align_corners)  # fmt: skip
    return out[:, 0].round().to(mask.dtype)


# With align_corners, pixel centres 0.5 and n - 0.5 are -1 and 1; a side of one pixel has a
# single centre, which `_axis` puts at 0, so that side uses the other convention (no 0 / 0).
def _to_norm(xy: Tensor, size: Size, align_corners: bool) -> Tensor:
    wh = xy.new_tensor([size[1], size[0]])
    if not align_corners:
        return 2 * xy / wh - 1
    return torch.where(wh > 1, 2 * (xy - 0.5) / (wh - 1).clamp(min=1) - 1, 2 * xy / wh - 1)


def _from_norm(xy: Tensor, size: Size, align_corners: bool) -> Tensor:
    wh = xy.new_tensor([size[1], size[0]])
    if not align_corners:
        return (xy + 1) / 2 * wh
    return torch.where(wh > 1, (xy + 1) / 2 * (wh - 1) + 0.5, (xy + 1) / 2 * wh)


def affine_points(
    pts: Tensor, mat: Tensor, in_size: Size, out_size: Size, align_corners: bool = True
) -> Tensor:
    """Move pixel points `(bs, n, 2)` of an `in_size` image to the `out_size` image that `mat` samples.

    Examples:
        >>> flip = torch.diag(torch.tensor([-1.0, 1.0, 1.0]))[None]
        >>> affine_points(torch.tensor([[[1.0, 2.0]]]), flip, (4, 4), (4, 4)).tolist()
        [[[3.0, 2.0]]]
    """
    norm = _to_norm(pts.float(), in_size, align_corners)
    homog = torch.cat([norm, torch.ones_like(norm[..., :1])], dim=-1)
    out = homog @ torch.linalg.inv(mat.float()).transpose(1, 2)
    return _from_norm(out[..., :2] / out[..., 2:], out_size, align_corners)


def affine_bboxes(
    boxes: Tensor, mat: Tensor, in_size: Size, out_size: Size, align_corners: bool = True
) -> Tensor:
    """Move pixel boxes `(bs, n, 4)`: corners through `mat`, re-boxed, clipped; empty boxes become zeros.

    Examples:
        >>> flip = torch.diag(torch.tensor([-1.0, 1.0, 1.0]))[None]
        >>> affine_bboxes(torch.tensor([[[0.0, 0.0, 1.0, 2.0]]]), flip, (4, 4), (4, 4), False).tolist()
        [[[3.0, 0.0, 4.0, 2.0]]]
    """
    x1, y1, x2, y2 = boxes.float().unbind(-1)
    corners = torch.stack([torch.stack(c, -1) for c in ((x1, y1), (x2, y1), (x1, y2), (x2, y2))], dim=-2)
    bs, n = corners.shape[:2]
    moved = affine_points(corners.view(bs, n * 4, 2), mat, in_size, out_size, align_corners).view(bs, n, 4, 2)
    lo, hi = moved.min(dim=2).values, moved.max(dim=2).values
    limit = lo.new_tensor([out_size[1], out_size[0]])
    lo, hi = torch.minimum(lo.clamp(min=0), limit), torch.minimum(hi.clamp(min=0), limit)
    out = torch.cat([lo, hi], dim=-1)
    empty = ((hi - lo) <= 0).any(dim=-1, keepdim=True)
    return torch.where(empty, torch.zeros_like(out), out)
