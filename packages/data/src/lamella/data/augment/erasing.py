"""`RandomErasing` (Zhong et al. 2017): replace random rectangles of each image with noise."""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor

from lamella.typedtensor import TensorImage, as_plain

from .random import RandTransform, batch_info

__all__ = ["RandomErasing", "erase_image"]


def erase_image(x: Tensor, boxes: Tensor, noise: Tensor) -> Tensor:
    """Replace the pixels inside per-item boxes `(bs, k, 4)` (fractions x1, y1, x2, y2) by `noise`.

    Examples:
        >>> x = torch.zeros(1, 1, 4, 4)
        >>> erase_image(x, torch.tensor([[[0.0, 0.0, 0.5, 0.5]]]), torch.ones(1, 1, 4, 4)).sum().item()
        4.0
    """
    h, w = x.shape[-2:]
    ys = (torch.arange(h, device=x.device) + 0.5) / h
    xs = (torch.arange(w, device=x.device) + 0.5) / w
    b = boxes.to(x.device)[..., None, None]  # (bs, k, 4, 1, 1)
    inside = (xs >= b[:, :, 0]) & (xs < b[:, :, 2]) & (ys[:, None] >= b[:, :, 1]) & (ys[:, None] < b[:, :, 3])
    return torch.where(inside.any(dim=1, keepdim=True), noise, x)


class RandomErasing(RandTransform):
    """Erase up to `max_count` rectangles per image (area fraction in [sl, sh]) with probability `p`.

    Runs after `Normalize`, so the noise is standard normal like the normalised pixels.

    Args:
        p: probability that an image is erased.
        sl: smallest area fraction of one rectangle.
        sh: largest area fraction.
        min_aspect: the smallest aspect ratio (its inverse is the largest).
        max_count: at most this many rectangles per image.
        seed: seed of the random draws.

    Examples:
        >>> x = TensorImage(torch.zeros(4, 3, 16, 16))
        >>> out = RandomErasing(p=1.0, sh=0.3, seed=0)(x, split_idx=0)
        >>> bool((out != 0).any(dim=(1, 2, 3)).all())
        True
    """

    order = 100

    def __init__(
        self,
        p: float = 0.5,
        sl: float = 0.0,
        sh: float = 0.3,
        min_aspect: float = 0.3,
        max_count: int = 1,
        seed: int | None = None,
    ) -> None:
        super().__init__(p=p, seed=seed)
        self.sl, self.sh, self.min_aspect, self.max_count = sl, sh, min_aspect, max_count

    def before_call(self, b: Any, split_idx: int | None) -> None:  # noqa: D102  (the class documents it)
        bs, _, _ = batch_info(b)
        k = self.max_count
        area = self.uniform(self.sl, self.sh, bs * k).view(bs, k)
        log_ratio = self.uniform(math.log(self.min_aspect), -math.log(self.min_aspect), bs * k).view(bs, k)
        w, h = (area * log_ratio.exp()).sqrt().clamp(max=1), (area / log_ratio.exp()).sqrt().clamp(max=1)
        x1, y1 = self.rand(bs, k) * (1 - w), self.rand(bs, k) * (1 - h)
        count = (self.rand(bs) * k).long() + 1
        used = (torch.arange(k) < count[:, None]) & self.draw_mask(bs)[:, None]
        boxes = torch.stack([x1, y1, x1 + w, y1 + h], dim=-1)
        self.boxes = torch.where(used[..., None], boxes, torch.zeros_like(boxes))

    def encodes(self, x: TensorImage):  # noqa: D102
        x = as_plain(x)
        noise = torch.randn(x.shape, generator=self.generator).to(x.device, x.dtype)
        return erase_image(x, self.boxes, noise)
