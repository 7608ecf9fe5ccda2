"""Audio transforms of signals: preprocessing of items, and augmentation.

Item preprocessing (on the CPU, in the loader's workers): `Resample` (soxr), `DownmixMono`,
`ResizeSignal`, `RemoveSilence`. Augmentation works on items or whole batches, on the batch's
device, with each item of a batch drawing its own parameters; it runs on training batches only:
`SignalShifter`, `AddNoise`, `ChangeVolume`, `SignalCutout`, `SignalLoss`. Spectrograms have
theirs in `spec_augment.py`.
"""

from __future__ import annotations

import enum
from typing import Any, cast

import numpy as np
import soxr
import torch
import torch.nn.functional as F

from lamella.data.augment import RandTransform
from lamella.transforms import DisplayedTransform

from .batching import AudioPadType, RandomPlace, as_batch, like_input, n_items, per_item, shift_last
from .core import TensorAudio, TensorSpec

__all__ = [
    "AddNoise",
    "ChangeVolume",
    "DownmixMono",
    "NoiseColor",
    "RemoveSilence",
    "RemoveType",
    "Resample",
    "ResizeSignal",
    "SignalCutout",
    "SignalLoss",
    "SignalShifter",
]


class RemoveType(str, enum.Enum):
    """What `RemoveSilence` removes: the silence at both ends (`trim`) or every silent stretch (`all`).

    Examples:
        >>> RemoveType("all") is RemoveType.All
        True
    """

    Trim = "trim"
    All = "all"


class NoiseColor:
    """The exponent of `AddNoise`'s power spectrum, `1 / f ** color`.

    Examples:
        >>> NoiseColor.White, NoiseColor.Pink
        (0, 1)
    """

    Violet, Blue, White, Pink, Brown = -2, -1, 0, 1, 2


# -- preprocessing of items --------------------------------------------------------------------------


class Resample(DisplayedTransform):
    """Resample signals to `sr_new` Hz with soxr (high quality); signals already at that rate pass.

    Examples:
        >>> tuple(Resample(16000)(TensorAudio(torch.zeros(1, 8000), sr=8000)).shape)
        (1, 16000)
    """

    def __init__(self, sr_new: int, quality: str = "HQ") -> None:
        super().__init__()
        self.sr_new, self.quality = int(sr_new), quality

    def encodes(self, x: TensorAudio) -> TensorAudio:  # noqa: D102  (the class documents it)
        if int(x.sr) == self.sr_new:
            return x
        sig = x.as_plain().detach().cpu().float().numpy()
        flat = sig.reshape(-1, sig.shape[-1]).T  # soxr: (samples, channels)
        res = soxr.resample(np.ascontiguousarray(flat), int(x.sr), self.sr_new, quality=self.quality)
        out = torch.from_numpy(np.ascontiguousarray(res.T)).reshape(*sig.shape[:-1], -1).to(x.device)
        return TensorAudio(out, **{**x.__dict__, "sr": self.sr_new})


class DownmixMono(DisplayedTransform):
    """Average the channels into one (items `c x n` -> `1 x n`, batches too).

    Examples:
        >>> DownmixMono()(TensorAudio(torch.tensor([[1.0, 3.0], [3.0, 5.0]]), sr=2)).tolist()
        [[2.0, 4.0]]
    """

    def encodes(self, x: TensorAudio) -> TensorAudio:  # noqa: D102
        return x if x.shape[-2] == 1 else cast(TensorAudio, x.mean(-2, keepdim=True))


class ResizeSignal(RandomPlace):
    """Crop or pad signals to `duration` milliseconds, so items of any length batch together.

    Training items get a random window (or random placement in the padding); other splits the centre.

    Examples:
        >>> tuple(ResizeSignal(1000)(TensorAudio(torch.ones(1, 3000), sr=8000), split_idx=1).shape)
        (1, 8000)
    """

    def __init__(self, duration: float, pad_mode: AudioPadType | str = AudioPadType.Zeros) -> None:
        super().__init__(pad_mode)
        self.duration = duration

    def encodes(self, x: TensorAudio) -> TensorAudio:  # noqa: D102
        xb, item = as_batch(x, 2)
        return like_input(self._fit(xb, int(round(self.duration / 1000 * x.sr))), x, item)


class RemoveSilence(DisplayedTransform):
    """Cut silence: stretches `threshold` dB below the loudest, measured over frames of `pad_ms`.

    `trim` keeps from the first sound to the last; `all` also drops silent stretches inside.
    Each kept stretch keeps `pad_ms` of margin. An all-silent signal passes unchanged.

    Examples:
        >>> sig = torch.cat([torch.zeros(800), torch.ones(800), torch.zeros(800)])[None]
        >>> RemoveSilence(pad_ms=10)(TensorAudio(sig, sr=8000)).shape  # the sound and 10 ms each side
        torch.Size([1, 960])
    """

    def __init__(
        self, remove_type: RemoveType | str = RemoveType.Trim, threshold: float = 20, pad_ms: float = 20
    ) -> None:
        super().__init__()
        if remove_type not in list(RemoveType):
            raise ValueError(
                f"RemoveSilence: remove_type must be 'trim' or 'all', got {remove_type!r} "
                "(fastaudio's 'split' "
                "makes several items of one, which a transform cannot)"
            )
        self.remove_type, self.threshold, self.pad_ms = RemoveType(remove_type), threshold, pad_ms

    def encodes(self, x: TensorAudio) -> TensorAudio:  # noqa: D102
        if x.ndim != 2:
            raise ValueError(
                "RemoveSilence works on single signals (channels x samples): their lengths change, "
                "so use it in item_tfms"
            )
        hop = max(1, int(self.pad_ms / 1000 * x.sr))
        n = x.shape[-1]
        if n < hop:
            return x
        frames = F.pad(x.as_plain(), (0, (-n) % hop)).unfold(-1, hop, hop)  # (c, n_frames, hop)
        rms = frames.square().mean(dim=(0, 2)).sqrt()  # loudness of each frame, all channels together
        if rms.max() <= 0:
            return x
        loud = 20 * torch.log10(rms.clamp(min=1e-10) / rms.max()) > -self.threshold
        frames_on = loud.nonzero().flatten().tolist()
        if self.remove_type is RemoveType.Trim:
            spans = [(frames_on[0], frames_on[-1])]
        else:
            spans = []
            for f in frames_on:
                if spans and f <= spans[-1][1] + 2:  # a gap of under two pads is margin, not silence
                    spans[-1] = (spans[-1][0], f)
                else:
                    spans.append((f, f))
        pieces = [x[:, max(0, (a - 1) * hop) : min(n, (b + 2) * hop)] for a, b in spans]
        return cast(TensorAudio, pieces[0] if len(pieces) == 1 else torch.cat(pieces, dim=-1))


# -- augmentation of signals -------------------------------------------------------------------------


class SignalShifter(RandTransform):
    """Shift each signal (or spectrogram) in time by up to `max_pct` of its length (or `max_time` seconds).

    Args:
        p: the probability each item is shifted.
        max_pct: the largest shift, as a fraction of the length.
        max_time: the largest shift in seconds (overrides `max_pct`).
        direction: -1 left only, 1 right only, 0 either.
        roll: wrap around instead of filling with zeros.

    Examples:
        >>> x = TensorAudio(torch.arange(1.0, 9.0)[None], sr=8)
        >>> SignalShifter(p=1.0, max_pct=0.5, direction=1, seed=1)(x, split_idx=0).tolist()
        [[0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]]
        >>> SignalShifter(p=1.0, max_pct=0.5, roll=True, seed=1)(x, split_idx=0).tolist()
        [[7.0, 8.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]]
    """

    order = 15

    def __init__(
        self,
        p: float = 0.5,
        max_pct: float = 0.2,
        max_time: float | None = None,
        direction: int = 0,
        roll: bool = False,
        seed: int | None = None,
    ) -> None:
        if direction not in (-1, 0, 1):
            raise ValueError(
                f"SignalShifter: direction must be -1 (left), 0 (either) or 1 (right), got {direction}"
            )
        super().__init__(p=p, seed=seed)
        self.max_pct, self.max_time, self.direction, self.roll = max_pct, max_time, direction, roll

    def before_call(self, b: Any, split_idx: int | None) -> None:  # noqa: D102
        bs = max(n_items(b, TensorAudio, 2), n_items(b, TensorSpec, 3))
        factor = self.uniform(-1.0, 1.0, bs)
        if self.direction:
            factor = self.direction * factor.abs()
        self._factor = factor * self.draw_mask(bs)

    def _amount(self, length: int, per_second: float) -> torch.Tensor:
        span = self.max_time * per_second if self.max_time is not None else self.max_pct * length
        return (self._factor * span).round().long()

    def encodes(self, x: TensorAudio) -> TensorAudio:  # noqa: D102
        xb, item = as_batch(x, 2)
        return like_input(shift_last(xb, self._amount(xb.shape[-1], x.sr), self.roll), x, item)

    def encodes(self, x: TensorSpec) -> TensorSpec:  # noqa: D102, F811
        xb, item = as_batch(x, 3)
        s = x.__dict__.get("settings") or {}
        per_second = s["sr"] / s["hop_length"] if "sr" in s and "hop_length" in s else 0.0
        return like_input(shift_last(xb, self._amount(xb.shape[-1], per_second), self.roll), x, item)


class AddNoise(RandTransform):
    """Add noise of a `color` (`NoiseColor`), at `noise_level` times each signal's mean amplitude.

    Examples:
        >>> x = TensorAudio(torch.ones(2, 1, 100), sr=100)
        >>> y = AddNoise(noise_level=0.1, seed=0)(x, split_idx=0)
        >>> 0.0 < float((y - x).std()) < 0.3
        True
    """

    order = 15

    def __init__(
        self,
        noise_level: float = 0.05,
        color: int = NoiseColor.White,
        p: float = 1.0,
        seed: int | None = None,
    ) -> None:
        if color not in range(-2, 3):
            raise ValueError(f"AddNoise: color must be one of NoiseColor's (-2 to 2), got {color}")
        super().__init__(p=p, seed=seed)
        self.noise_level, self.color = noise_level, color

    def before_call(self, b: Any, split_idx: int | None) -> None:  # noqa: D102
        self._do = self.draw_mask(n_items(b, TensorAudio, 2))

    def _noise(self, shape: torch.Size, device: torch.device) -> torch.Tensor:
        if self.generator is None:
            white = torch.randn(shape, device=device)
        else:
            white = torch.randn(shape, generator=self.generator).to(device)
        if self.color == NoiseColor.White:
            return white
        n = shape[-1]
        f = torch.fft.rfftfreq(n, device=device)
        f[0] = f[1] if n > 1 else 1.0
        shaped = torch.fft.irfft(torch.fft.rfft(white) * f ** (-self.color / 2), n=n)
        return shaped / shaped.std(dim=-1, keepdim=True).clamp(min=1e-12)

    def encodes(self, x: TensorAudio) -> TensorAudio:  # noqa: D102
        xb, item = as_batch(x, 2)
        level = xb.abs().mean(dim=(-2, -1), keepdim=True) * self.noise_level * per_item(self._do, xb)
        return like_input(xb + self._noise(xb.shape, xb.device).to(xb.dtype) * level, x, item)


class ChangeVolume(RandTransform):
    """Scale each signal by a gain drawn in `[lower, upper)`.

    Examples:
        >>> x = TensorAudio(torch.ones(3, 1, 4), sr=4)
        >>> y = ChangeVolume(p=1.0, lower=0.5, upper=0.6, seed=0)(x, split_idx=0)
        >>> bool(((y >= 0.5) & (y < 0.6)).all())
        True
    """

    order = 15

    def __init__(
        self, p: float = 0.5, lower: float = 0.5, upper: float = 1.5, seed: int | None = None
    ) -> None:
        super().__init__(p=p, seed=seed)
        self.lower, self.upper = lower, upper

    def before_call(self, b: Any, split_idx: int | None) -> None:  # noqa: D102
        bs = n_items(b, TensorAudio, 2)
        self._gain = torch.where(self.draw_mask(bs), self.uniform(self.lower, self.upper, bs), torch.ones(bs))

    def encodes(self, x: TensorAudio) -> TensorAudio:  # noqa: D102
        xb, item = as_batch(x, 2)
        return like_input(xb * per_item(self._gain, xb), x, item)


class SignalCutout(RandTransform):
    """Zero one stretch of each signal, up to `max_cut_pct` of its length, at a random place.

    Examples:
        >>> x = TensorAudio(torch.ones(1, 1, 100), sr=100)
        >>> y = SignalCutout(p=1.0, max_cut_pct=0.5, seed=1)(x, split_idx=0)
        >>> 0 < int((y == 0).sum()) <= 50
        True
    """

    order = 15

    def __init__(self, p: float = 0.5, max_cut_pct: float = 0.15, seed: int | None = None) -> None:
        super().__init__(p=p, seed=seed)
        self.max_cut_pct = max_cut_pct

    def before_call(self, b: Any, split_idx: int | None) -> None:  # noqa: D102
        bs = n_items(b, TensorAudio, 2)
        self._pct = self.uniform(0.0, self.max_cut_pct, bs) * self.draw_mask(bs)
        self._where = self.rand(bs)

    def encodes(self, x: TensorAudio) -> TensorAudio:  # noqa: D102
        xb, item = as_batch(x, 2)
        n = xb.shape[-1]
        length = (self._pct * n).long()
        start = (self._where * (n - length + 1)).long()
        t = torch.arange(n, device=xb.device)[None]
        cut = (t >= start.to(xb.device)[:, None]) & (t < (start + length).to(xb.device)[:, None])
        return like_input(xb.masked_fill(cut[:, None, :], 0.0), x, item)


class SignalLoss(RandTransform):
    """Drop (zero) each sample with a probability drawn up to `max_loss_pct` per signal.

    Examples:
        >>> x = TensorAudio(torch.ones(1, 1, 1000), sr=100)
        >>> y = SignalLoss(p=1.0, max_loss_pct=0.5, seed=0)(x, split_idx=0)
        >>> 0 < int((y == 0).sum()) < 600
        True
    """

    order = 15

    def __init__(self, p: float = 0.5, max_loss_pct: float = 0.15, seed: int | None = None) -> None:
        super().__init__(p=p, seed=seed)
        self.max_loss_pct = max_loss_pct

    def before_call(self, b: Any, split_idx: int | None) -> None:  # noqa: D102
        bs = n_items(b, TensorAudio, 2)
        self._pct = self.uniform(0.0, self.max_loss_pct, bs) * self.draw_mask(bs)

    def encodes(self, x: TensorAudio) -> TensorAudio:  # noqa: D102
        xb, item = as_batch(x, 2)
        if self.generator is None:
            u = torch.rand(xb.shape, device=xb.device)
        else:
            u = torch.rand(xb.shape, generator=self.generator).to(xb.device)
        return like_input(xb.masked_fill(u < per_item(self._pct, xb), 0.0), x, item)
