"""Image helpers from fastai's medical module: blurs, a mask from a blur, boxes of masks, crops."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from .intensity import windowed

__all__ = ["crop_resize", "gauss_blur2d", "mask2bbox", "mask_from_blur", "uniform_blur2d"]


def _as_4d(x: torch.Tensor) -> tuple[torch.Tensor, torch.Size]:
    plain = x.as_subclass(torch.Tensor).float()
    return plain.reshape(-1, 1, *plain.shape[-2:]), plain.shape


def uniform_blur2d(x: torch.Tensor, s: int) -> torch.Tensor:
    """A box blur of `s` pixels (two 1-D passes, zero padding), for an image or a batch of them.

    Examples:
        >>> uniform_blur2d(torch.ones(5, 5), 3)[2, 2].item()
        1.0
    """
    x4, shape = _as_4d(x)
    w = x4.new_ones(1, 1, 1, s) / s
    r = F.conv2d(F.conv2d(x4, w, padding=(0, s // 2)), w.transpose(-1, -2), padding=(s // 2, 0))
    return r[..., : shape[-2], : shape[-1]].reshape(shape)


def gauss_blur2d(x: torch.Tensor, s: float) -> torch.Tensor:
    """A Gaussian blur of standard deviation `s` pixels (kernel `int(s/4)*2+1`, edges replicated), fastai's.

    Examples:
        >>> x = torch.zeros(9, 9); x[4, 4] = 1.0
        >>> out = gauss_blur2d(x, 8.0)
        >>> round(float(out.sum()), 3), out.shape
        (1.0, torch.Size([9, 9]))
    """
    x4, shape = _as_4d(x)
    k = int(s / 4) * 2 + 1
    t = torch.arange(k, dtype=x4.dtype, device=x4.device) - k // 2
    g = torch.exp(-(t**2) / (2 * s * s))
    g = (g / g.sum()).view(1, 1, 1, k)
    p = k // 2
    r = F.conv2d(F.pad(x4, (p, p, 0, 0), mode="replicate"), g)
    r = F.conv2d(F.pad(r, (0, 0, p, p), mode="replicate"), g.transpose(-1, -2))
    return r.reshape(shape)


def mask_from_blur(
    x: Any, window: tuple[float, float], sigma: float = 0.3, thresh: float = 0.05, remove_max: bool = True
) -> torch.Tensor:
    """Where the body is: the image in `window`, blurred by `sigma` of its width, above `thresh` (fastai's).

    `x` is a `DcmDataset` or a tensor of measured values (an image or a batch).

    Examples:
        >>> x = torch.full((32, 32), -1000.0); x[8:24, 8:24] = 40.0
        >>> m = mask_from_blur(x, (400, 50))
        >>> bool(m[16, 16]), bool(m[0, 0])
        (True, False)
    """
    px = x.scaled_px if hasattr(x, "scaled_px") else x.as_subclass(torch.Tensor)
    p = windowed(px.float(), *window)
    if remove_max:
        p = torch.where(p == 1, torch.zeros_like(p), p)
    return gauss_blur2d(p, s=sigma * px.shape[-1]) > thresh


def _bounds(mask: torch.Tensor, dim: int) -> torch.Tensor:
    """First and last index along the other axis where `mask` (b, h, w) has anything; full range if empty."""
    hit = mask.any(dim)  # (b, n)
    n = hit.shape[-1]
    idx = torch.arange(n, device=mask.device)
    lo = torch.where(hit, idx, n).amin(-1)
    hi = torch.where(hit, idx, -1).amax(-1)
    empty = ~hit.any(-1)
    return torch.stack([torch.where(empty, 0, lo), torch.where(empty, n - 1, hi)], dim=-1)


def mask2bbox(mask: torch.Tensor) -> torch.Tensor:
    """The pixel bounds of each mask in fastai's layout: `[[row0, col0], [row1, col1]]`, inclusive.

    A mask `h x w` gives `(2, 2)`; a batch `b x h x w` gives `(2, 2, b)` (the batch last, as fastai).
    An empty mask spans the whole image.

    Examples:
        >>> m = torch.zeros(8, 8, dtype=torch.bool); m[2:5, 3:7] = True
        >>> mask2bbox(m).tolist()
        [[2, 3], [4, 6]]
    """
    m = mask.as_subclass(torch.Tensor).bool()
    single = m.ndim == 2
    m = m[None] if single else m
    res = torch.stack([_bounds(m, -1).t(), _bounds(m, -2).t()], dim=1)  # (lo/hi, row/col, b)
    return res[..., 0] if single else res


def crop_resize(x: torch.Tensor, crops: torch.Tensor, new_sz: int | tuple[int, int]) -> torch.Tensor:
    """Crop each image of a batch `(b, h, w)` to its box (`mask2bbox` of the batch), made square, resized.

    As fastai's: the square's side is the box's longer side, moved inside the image if it overflows.

    Examples:
        >>> x = torch.zeros(1, 8, 8); x[0, 2:6, 2:6] = 1.0
        >>> out = crop_resize(x, mask2bbox(x > 0), 4)
        >>> tuple(out.shape), float(out.mean()) > 0.9  # the bright square fills the crop
        ((1, 1, 4, 4), True)
    """
    plain = x.as_subclass(torch.Tensor).float()
    b, h, w = plain.shape
    new = (new_sz, new_sz) if isinstance(new_sz, int) else tuple(new_sz)
    c = crops.as_subclass(torch.Tensor).float().reshape(2, 2, b)
    y0, x0, y1, x1 = c[0, 0], c[0, 1], c[1, 0], c[1, 1]
    side = torch.maximum(x1 - x0, y1 - y0)
    x0 = torch.minimum(x0, w - side).clamp(min=0)
    y0 = torch.minimum(y0, h - side).clamp(min=0)
    theta = torch.zeros(b, 2, 3, device=plain.device)
    theta[:, 0, 0], theta[:, 1, 1] = side / w, side / h
    theta[:, 0, 2] = (2 * x0 + side) / w - 1
    theta[:, 1, 2] = (2 * y0 + side) / h - 1
    grid = F.affine_grid(theta, [b, 1, *new], align_corners=False)
    return F.grid_sample(plain[:, None], grid, align_corners=False)
