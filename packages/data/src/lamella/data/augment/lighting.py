"""Lighting augmentation of whole batches in one pass.

Brightness and contrast act in logit space, where each is an affine map per item
(`logit(x) * scale + shift`); consecutive ones compose into one scale and one shift, so the
image goes through a single `sigmoid(logit(x) * scale + shift)`. Saturation and hue are linear
maps of the RGB values per item; they compose into one 3x3 colour matrix per item. Images are
expected in [0, 1] (after `IntToFloatTensor`, before `Normalize`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

from lamella.typedtensor import TensorImage, as_plain

from .random import RandTransform, batch_info

__all__ = ["Brightness", "Contrast", "Hue", "LightingTfm", "Saturation", "color_image", "lighting_image"]

LogitFn = Callable[[int], tuple[Tensor, Tensor]]
ColorFn = Callable[[int], Tensor]
_EPS = 1e-5


def lighting_image(x: Tensor, scale: Tensor, shift: Tensor) -> Tensor:
    """`sigmoid(logit(x) * scale + shift)` per item of a batch `(bs, c, h, w)` in [0, 1].

    Examples:
        >>> x = torch.full((1, 3, 2, 2), 0.5)
        >>> lighting_image(x, torch.ones(1), torch.zeros(1))[0, 0, 0, 0].item()
        0.5
    """
    view = (-1,) + (1,) * (x.ndim - 1)
    y = torch.logit(x, eps=_EPS)  # one new tensor, then in place: 3x faster than out-of-place steps
    y.mul_(scale.view(view)).add_(shift.view(view))
    return y.sigmoid_()


def color_image(x: Tensor, mat: Tensor) -> Tensor:
    """Apply a 3x3 colour matrix per item to an RGB batch `(bs, 3, h, w)`, clamped to [0, 1].

    Examples:
        >>> x = torch.rand(2, 3, 4, 4)
        >>> torch.allclose(color_image(x, torch.eye(3).expand(2, 3, 3)), x)
        True
    """
    return torch.einsum("bij,bjhw->bihw", mat.to(x.dtype), x).clamp(0, 1)


def _lum_matrix() -> Tensor:
    lum = torch.tensor([0.299, 0.587, 0.114])
    return lum.expand(3, 3)


class LightingTfm(RandTransform):
    """Compose logit-space maps (`logit_fs`) and colour matrices (`color_fs`) into one pass each.

    Args:
        logit_fs: functions `f(bs) -> (scale, shift)` per item, in logit space.
        color_fs: functions `f(bs) -> (bs, 3, 3)` colour matrices.
        seed: seed of the random draws.

    Examples:
        >>> darker = lambda bs: (torch.ones(bs), torch.full((bs,), -1.0))
        >>> x = TensorImage(torch.full((2, 3, 2, 2), 0.5))
        >>> round(LightingTfm([darker])(x, split_idx=0)[0, 0, 0, 0].item(), 4)
        0.2689
    """

    order = 40
    mergeable = True

    def __init__(
        self,
        logit_fs: list[LogitFn] | None = None,
        color_fs: list[ColorFn] | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__(p=1.0, seed=seed)
        self.logit_fs, self.color_fs = list(logit_fs or []), list(color_fs or [])

    def before_call(self, b: Any, split_idx: int | None) -> None:  # noqa: D102  (the class documents it)
        bs, device, _ = batch_info(b)
        scale, shift = torch.ones(bs), torch.zeros(bs)
        for f in self.logit_fs:
            s, t = f(bs)
            scale, shift = scale * s, shift * s + t
        mat = torch.eye(3).expand(bs, 3, 3)
        for color_f in self.color_fs:
            mat = color_f(bs) @ mat
        self.scale, self.shift, self.color = scale.to(device), shift.to(device), mat.to(device)

    def encodes(self, x: TensorImage):  # noqa: D102
        out: Tensor = as_plain(x)
        if self.logit_fs:
            out = lighting_image(out, self.scale, self.shift)
        if self.color_fs:
            if out.shape[1] != 3:
                raise ValueError(
                    f"{self.name}: colour transforms need RGB images (3 channels), got {out.shape[1]}"
                )
            out = color_image(out, self.color)
        return out

    def compose(self, other: LightingTfm) -> LightingTfm:
        """One lighting transform doing `self` then `other`, still one pass each.

        Examples:
            >>> len(Brightness().compose(Contrast()).logit_fs)
            2
        """
        return LightingTfm(self.logit_fs + other.logit_fs, self.color_fs + other.color_fs)


class Brightness(LightingTfm):
    """Change brightness by up to `max_lighting`, per item with probability `p`.

    Examples:
        >>> x = TensorImage(torch.full((8, 3, 2, 2), 0.5))
        >>> out = Brightness(max_lighting=0.4, p=1.0, seed=0)(x, split_idx=0)
        >>> bool(((out - 0.5).abs() <= 0.2 + 1e-6).all()), bool((out != 0.5).any())
        (True, True)
    """

    def __init__(self, max_lighting: float = 0.2, p: float = 0.75, seed: int | None = None) -> None:
        super().__init__([self.logit_fn], seed=seed)
        self.max_lighting, self.p = max_lighting, p

    def logit_fn(self, bs: int) -> tuple[Tensor, Tensor]:
        """Per item: shift the logit by `logit(b)`, `b` drawn in 0.5 ± max_lighting / 2.

        Examples:
            >>> Brightness(p=0.0).logit_fn(2)[1].tolist()
            [0.0, 0.0]
        """
        b = self.uniform(0.5 * (1 - self.max_lighting), 0.5 * (1 + self.max_lighting), bs)
        b = torch.where(self.draw_mask(bs), b, 0.5)
        return torch.ones(bs), torch.logit(b)


class Contrast(LightingTfm):
    """Scale contrast by a log-uniform factor in [1 - max_lighting, 1 / (1 - max_lighting)], probability `p`.

    Examples:
        >>> x = TensorImage(torch.full((2, 3, 2, 2), 0.5))
        >>> torch.allclose(Contrast(p=1.0, seed=0)(x, split_idx=0), x)  # mid-grey has no contrast to change
        True
    """

    def __init__(self, max_lighting: float = 0.2, p: float = 0.75, seed: int | None = None) -> None:
        super().__init__([self.logit_fn], seed=seed)
        self.max_lighting, self.p = max_lighting, p

    def logit_fn(self, bs: int) -> tuple[Tensor, Tensor]:
        """Per item: multiply the logit by `c`.

        Examples:
            >>> Contrast(p=0.0).logit_fn(2)[0].tolist()
            [1.0, 1.0]
        """
        lim = -math.log(1 - self.max_lighting)
        c = self.uniform(-lim, lim, bs).exp()
        return torch.where(self.draw_mask(bs), c, 1.0), torch.zeros(bs)


class Saturation(LightingTfm):
    """Scale saturation by a factor in [1 - max_lighting, 1 / (1 - max_lighting)], with probability `p`.

    Examples:
        >>> grey = TensorImage(torch.full((2, 3, 2, 2), 0.3))
        >>> torch.allclose(Saturation(p=1.0, seed=0)(grey, split_idx=0), grey, atol=1e-6)
        True
    """

    def __init__(self, max_lighting: float = 0.2, p: float = 0.75, seed: int | None = None) -> None:
        super().__init__(color_fs=[self.color_fn], seed=seed)
        self.max_lighting, self.p = max_lighting, p

    def color_fn(self, bs: int) -> Tensor:
        """Per item: mix each pixel with its luminance, `s * rgb + (1 - s) * lum`.

        Examples:
            >>> Saturation(p=0.0).color_fn(1)[0].round(decimals=6).add(0.0).tolist()
            [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
        """
        lim = -math.log(1 - self.max_lighting)
        s = torch.where(self.draw_mask(bs), self.uniform(-lim, lim, bs).exp(), 1.0).view(bs, 1, 1)
        return s * torch.eye(3) + (1 - s) * _lum_matrix()


class Hue(LightingTfm):
    """Rotate hue by up to `max_hue` of a turn, with probability `p` (a rotation in YIQ colour space).

    Examples:
        >>> grey = TensorImage(torch.full((2, 3, 2, 2), 0.3))
        >>> torch.allclose(Hue(p=1.0, seed=0)(grey, split_idx=0), grey, atol=1e-5)
        True
    """

    _RGB2YIQ = torch.tensor([[0.299, 0.587, 0.114], [0.596, -0.274, -0.322], [0.211, -0.523, 0.312]])

    def __init__(self, max_hue: float = 0.1, p: float = 0.75, seed: int | None = None) -> None:
        super().__init__(color_fs=[self.color_fn], seed=seed)
        self.max_hue, self.p = max_hue, p

    def color_fn(self, bs: int) -> Tensor:
        """Per item: RGB to YIQ, rotate the IQ plane, back to RGB.

        Examples:
            >>> Hue(p=0.0).color_fn(1)[0].round(decimals=4).add(0.0).tolist()
            [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
        """
        theta = self.uniform(-self.max_hue, self.max_hue, bs) * 2 * math.pi * self.draw_mask(bs)
        rot = torch.eye(3).repeat(bs, 1, 1)
        rot[:, 1, 1], rot[:, 1, 2], rot[:, 2, 1], rot[:, 2, 2] = (
            theta.cos(),
            -theta.sin(),
            theta.sin(),
            theta.cos(),
        )
        to_yiq = self._RGB2YIQ
        return torch.linalg.inv(to_yiq) @ rot @ to_yiq
