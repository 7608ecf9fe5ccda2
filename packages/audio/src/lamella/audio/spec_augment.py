"""Spectrogram augmentation and features: SpecAugment's masks, rolling, cropping in time, deltas.

`MaskFreq` and `MaskTime` (SpecAugment), `SGRoll` and `CropTime` augment training batches (each
item draws its own parameters, on the batch's device); `Delta` and `TfmResize` are features and
run on every split.

Examples:
    >>> sg = TensorSpec(torch.ones(1, 8, 20))
    >>> out = MaskTime(size=4, min_size=4, val=0.0, seed=0)(sg, split_idx=0)
    >>> int((out == 0).all(dim=-2).sum())  # one band of 4 frames blanked
    4
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from lamella.data.augment import RandTransform
from lamella.transforms import DisplayedTransform

from .batching import AudioPadType, RandomPlace, as_batch, like_input, n_items, shift_last
from .core import TensorSpec
from .functional import delta

__all__ = [
    "CropTime",
    "Delta",
    "MaskFreq",
    "MaskTime",
    "SGRoll",
    "TfmResize",
]


class MaskFreq(RandTransform):
    """SpecAugment's frequency masking: `num_masks` bands of up to `size` rows set to `val` (default: mean).

    Each band's width is drawn for each item, uniformly from `min_size` to `size` rows, as in the
    SpecAugment paper and torchaudio's `FrequencyMasking`; fastaudio's masks are always `size` wide
    (`min_size=size` gives those).

    Examples:
        >>> sg = TensorSpec(torch.rand(2, 1, 40, 30))
        >>> out = MaskFreq(size=10, min_size=10, val=0.0, seed=0)(sg, split_idx=0)
        >>> (out[0, 0] == 0).all(dim=1).sum().item()
        10
    """

    order = 30
    _axis = -2

    def __init__(
        self,
        num_masks: int = 1,
        size: int = 20,
        start: int | None = None,
        val: float | None = None,
        p: float = 1.0,
        seed: int | None = None,
        min_size: int = 0,
    ) -> None:
        if not 0 <= min_size <= size:
            raise ValueError(f"{type(self).__name__}: need 0 <= min_size <= size, got {min_size} and {size}")
        super().__init__(p=p, seed=seed)
        self.num_masks, self.size, self.start, self.val, self.min_size = num_masks, size, start, val, min_size

    def before_call(self, b: Any, split_idx: int | None) -> None:  # noqa: D102
        bs = n_items(b, TensorSpec, 3)
        self._u, self._do = self.rand(bs, self.num_masks), self.draw_mask(bs)
        span = self.size - self.min_size + 1
        self._w = self.min_size + (self.rand(bs, self.num_masks) * span).long().clamp_max(span - 1)

    def encodes(self, x: TensorSpec) -> TensorSpec:  # noqa: D102
        xb, item = as_batch(x, 3)
        n = xb.shape[self._axis]
        if self.size > n:
            what = "frequency rows" if self._axis == -2 else "time frames"
            raise ValueError(f"{self.name}: a mask of size {self.size} does not fit {n} {what}")
        starts = (self._u * (n - self._w + 1)).long()
        if self.start is not None:
            if not 0 <= self.start <= n - self.size:
                raise ValueError(
                    f"{self.name}: start {self.start} out of range for {n} rows and size {self.size}"
                )
            starts[:, 0] = self.start
        pos = torch.arange(n)[None, None]  # (1, 1, n)
        hit = ((pos >= starts[..., None]) & (pos < (starts + self._w)[..., None])).any(1)  # (bs, n)
        hit = (hit & self._do[:, None]).to(xb.device)
        shape = (xb.shape[0], 1, n, 1) if self._axis == -2 else (xb.shape[0], 1, 1, n)
        val = xb.mean(dim=(-2, -1), keepdim=True) if self.val is None else self.val
        return like_input(torch.where(hit.view(shape), val, xb), x, item)


class MaskTime(MaskFreq):
    """SpecAugment's time masking: `num_masks` stretches of up to `size` frames set to `val` (default: mean).

    Widths are drawn as `MaskFreq`'s, from `min_size` to `size` frames for each item.

    Examples:
        >>> sg = TensorSpec(torch.rand(1, 40, 30))
        >>> out = MaskTime(size=5, min_size=5, val=0.0, seed=0)(sg, split_idx=0)
        >>> (out[0] == 0).all(dim=0).sum().item()
        5
    """

    _axis = -1


class SGRoll(RandTransform):
    """Roll each spectrogram along time by up to `max_shift_pct` of its width, wrapping around.

    Examples:
        >>> sg = TensorSpec(torch.arange(10.0).view(1, 1, 10))
        >>> out = SGRoll(max_shift_pct=0.5, seed=0)(sg, split_idx=0)
        >>> sorted(out.flatten().tolist()) == list(range(10))
        True
    """

    order = 30

    def __init__(
        self, max_shift_pct: float = 0.5, direction: int = 0, p: float = 1.0, seed: int | None = None
    ) -> None:
        if direction not in (-1, 0, 1):
            raise ValueError(f"SGRoll: direction must be -1 (left), 0 (either) or 1 (right), got {direction}")
        super().__init__(p=p, seed=seed)
        self.max_shift_pct, self.direction = max_shift_pct, direction

    def before_call(self, b: Any, split_idx: int | None) -> None:  # noqa: D102
        bs = n_items(b, TensorSpec, 3)
        factor = self.uniform(-1.0, 1.0, bs)
        self._factor = (self.direction * factor.abs() if self.direction else factor) * self.draw_mask(bs)

    def encodes(self, x: TensorSpec) -> TensorSpec:  # noqa: D102
        xb, item = as_batch(x, 3)
        s = (self._factor * self.max_shift_pct * xb.shape[-1]).long()
        return like_input(shift_last(xb, s, roll=True), x, item)


class CropTime(RandomPlace):
    """Crop or pad spectrograms to `duration` milliseconds of frames (random window while training).

    Examples:
        >>> sg = TensorSpec(torch.rand(1, 8, 100), settings={"sr": 8000, "hop_length": 80})
        >>> tuple(CropTime(500)(sg, split_idx=1).shape)
        (1, 8, 51)
    """

    order = 25

    def __init__(self, duration: float, pad_mode: AudioPadType | str = AudioPadType.Zeros) -> None:
        super().__init__(pad_mode)
        self.duration = duration

    def encodes(self, x: TensorSpec) -> TensorSpec:  # noqa: D102
        s = x.__dict__.get("settings") or {}
        if "sr" not in s or "hop_length" not in s:
            raise ValueError("CropTime needs a spectrogram made by AudioToSpec (its sr and hop_length)")
        width = int(s["sr"] * self.duration / (1000 * s["hop_length"])) + 1
        xb, item = as_batch(x, 3)
        return like_input(self._fit(xb, width), x, item)


class Delta(DisplayedTransform):
    """Add the first and second time derivatives as channels (librosa's `delta`): `c` channels -> `3c`.

    Examples:
        >>> tuple(Delta()(TensorSpec(torch.rand(4, 1, 40, 30))).shape)
        (4, 3, 40, 30)
    """

    order = 25

    def __init__(self, width: int = 9) -> None:
        super().__init__()
        self.width = width

    def encodes(self, x: TensorSpec) -> TensorSpec:  # noqa: D102
        xb, item = as_batch(x, 3)
        out = torch.cat([xb, delta(xb, self.width, 1), delta(xb, self.width, 2)], dim=1)
        return like_input(out, x, item)


class TfmResize(DisplayedTransform):
    """Resize spectrograms to `size` (`int` or `(freq, time)`) by interpolation, on every split.

    Examples:
        >>> tuple(TfmResize((20, 16))(TensorSpec(torch.rand(2, 1, 40, 30))).shape)
        (2, 1, 20, 16)
    """

    order = 25

    def __init__(self, size: int | tuple[int, int], interp_mode: str = "bilinear") -> None:
        super().__init__()
        self.size, self.interp_mode = (size, size) if isinstance(size, int) else tuple(size), interp_mode

    def encodes(self, x: TensorSpec) -> TensorSpec:  # noqa: D102
        xb, item = as_batch(x, 3)
        corners = False if self.interp_mode in ("bilinear", "bicubic") else None
        out = F.interpolate(xb, size=self.size, mode=self.interp_mode, align_corners=corners)
        return like_input(out, x, item)
