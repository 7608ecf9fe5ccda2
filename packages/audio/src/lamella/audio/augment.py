"""Audio transforms: preprocessing of items, and augmentation of signals and spectrograms.

Item preprocessing (on the CPU, in the loader's workers): `Resample` (soxr), `DownmixMono`,
`ResizeSignal`, `RemoveSilence`. Augmentation works on items or whole batches, on the batch's
device, with each item of a batch drawing its own parameters; it runs on training batches only.
Signals: `SignalShifter`, `AddNoise`, `ChangeVolume`, `SignalCutout`, `SignalLoss`.
Spectrograms: `MaskFreq` and `MaskTime` (SpecAugment), `SGRoll`, `CropTime`; and the features
`Delta` and `TfmResize`, which run on every split.
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
from lamella.typedtensor import retain_type

from .core import TensorAudio
from .functional import delta
from .spectrogram import TensorSpec

__all__ = [
    "AddNoise",
    "AudioPadType",
    "ChangeVolume",
    "CropTime",
    "Delta",
    "DownmixMono",
    "MaskFreq",
    "MaskTime",
    "NoiseColor",
    "RemoveSilence",
    "RemoveType",
    "Resample",
    "ResizeSignal",
    "SGRoll",
    "SignalCutout",
    "SignalLoss",
    "SignalShifter",
    "TfmResize",
]


class AudioPadType(str, enum.Enum):
    """How `ResizeSignal` and `CropTime` pad a short signal: zeros around it, zeros after it, repeats.

    Zeros around it are placed at random while training and centred otherwise.

    Examples:
        >>> AudioPadType("zeros_after") is AudioPadType.Zeros_After
        True
    """

    Zeros = "zeros"
    Zeros_After = "zeros_after"
    Repeat = "repeat"


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


def _n_items(b: Any, cls: type[torch.Tensor], item_ndim: int) -> int:
    """How many items of type `cls` the batch (or single item) `b` holds."""
    for o in b if isinstance(b, tuple) else (b,):
        if isinstance(o, cls):
            return o.shape[0] if o.ndim > item_ndim else 1
    return 0


def _batched(x: torch.Tensor, item_ndim: int) -> tuple[torch.Tensor, bool]:
    """`x` as a plain batch (an item gets a leading dimension) and whether it was an item."""
    plain = x.as_subclass(torch.Tensor)
    return (plain[None], True) if x.ndim == item_ndim else (plain, False)


def _like(res: torch.Tensor, x: torch.Tensor, was_item: bool) -> Any:
    """`res` (a plain batch) back as `x`'s type and metadata, an item again if `x` was one."""
    return retain_type(res[0] if was_item else res, x)


def _per_item(v: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Per-item values `(bs,)` shaped to broadcast over a batch `x`, on its device."""
    return v.to(x.device, x.dtype if v.is_floating_point() else v.dtype).view(-1, *([1] * (x.ndim - 1)))


def _shift(x: torch.Tensor, s: torch.Tensor, roll: bool) -> torch.Tensor:
    """Shift each item of `x` (bs, ..., n) by `s[i]` samples along the last axis (zeros fill, or wrap)."""
    n = x.shape[-1]
    idx = torch.arange(n, device=x.device)[None] - s.to(x.device)[:, None]  # (bs, n)
    if roll:
        idx = idx % n
    valid = (idx >= 0) & (idx < n)
    idx = idx.clamp(0, n - 1).view(x.shape[0], *([1] * (x.ndim - 2)), n).expand_as(x)
    out = x.gather(-1, idx)
    return out if roll else out * valid.view(x.shape[0], *([1] * (x.ndim - 2)), n)


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


class _RandomPlace(RandTransform):
    """Cropping or padding to a length: a random window while training, the centre otherwise."""

    split_idx = None  # every split: batches must collate; only the placement is random in training

    def __init__(self, pad_mode: AudioPadType | str = AudioPadType.Zeros) -> None:
        super().__init__(p=1.0)
        if pad_mode not in list(AudioPadType):
            raise ValueError(f"pad_mode must be one of {[m.value for m in AudioPadType]}, got {pad_mode!r}")
        self.pad_mode = AudioPadType(pad_mode)

    def before_call(self, b: Any, split_idx: int | None) -> None:  # noqa: D102
        self._train = split_idx == 0

    def _fit(self, x: torch.Tensor, width: int) -> torch.Tensor:
        """Crop or pad the last axis of the batch `x` to `width` (by slicing: items come one at a time)."""
        bs, n = x.shape[0], x.shape[-1]
        if n == width:
            return x
        u = self.rand(bs).tolist() if self._train else [0.5] * bs
        if n > width:  # a window of `width`
            starts = [min(int(v * (n - width + 1)), n - width) for v in u]
            if bs == 1:
                return x[..., starts[0] : starts[0] + width]
            return torch.cat([x[i : i + 1, ..., s : s + width] for i, s in enumerate(starts)])
        if self.pad_mode is AudioPadType.Repeat:
            return x.repeat(*([1] * (x.ndim - 1)), -(-width // n))[..., :width]
        if self.pad_mode is AudioPadType.Zeros_After:
            return F.pad(x, (0, width - n))
        before = [min(int(v * (width - n + 1)), width - n) for v in u]
        if bs == 1:
            return F.pad(x, (before[0], width - n - before[0]))
        return torch.cat([F.pad(x[i : i + 1], (b, width - n - b)) for i, b in enumerate(before)])


class ResizeSignal(_RandomPlace):
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
        xb, item = _batched(x, 2)
        return _like(self._fit(xb, int(round(self.duration / 1000 * x.sr))), x, item)


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
        bs = max(_n_items(b, TensorAudio, 2), _n_items(b, TensorSpec, 3))
        factor = self.uniform(-1.0, 1.0, bs)
        if self.direction:
            factor = self.direction * factor.abs()
        self._factor = factor * self.draw_mask(bs)

    def _amount(self, length: int, per_second: float) -> torch.Tensor:
        span = self.max_time * per_second if self.max_time is not None else self.max_pct * length
        return (self._factor * span).round().long()

    def encodes(self, x: TensorAudio) -> TensorAudio:  # noqa: D102
        xb, item = _batched(x, 2)
        return _like(_shift(xb, self._amount(xb.shape[-1], x.sr), self.roll), x, item)

    def encodes(self, x: TensorSpec) -> TensorSpec:  # noqa: D102, F811
        xb, item = _batched(x, 3)
        s = x.__dict__.get("settings") or {}
        per_second = s["sr"] / s["hop_length"] if "sr" in s and "hop_length" in s else 0.0
        return _like(_shift(xb, self._amount(xb.shape[-1], per_second), self.roll), x, item)


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
        self._do = self.draw_mask(_n_items(b, TensorAudio, 2))

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
        xb, item = _batched(x, 2)
        level = xb.abs().mean(dim=(-2, -1), keepdim=True) * self.noise_level * _per_item(self._do, xb)
        return _like(xb + self._noise(xb.shape, xb.device).to(xb.dtype) * level, x, item)


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
        bs = _n_items(b, TensorAudio, 2)
        self._gain = torch.where(self.draw_mask(bs), self.uniform(self.lower, self.upper, bs), torch.ones(bs))

    def encodes(self, x: TensorAudio) -> TensorAudio:  # noqa: D102
        xb, item = _batched(x, 2)
        return _like(xb * _per_item(self._gain, xb), x, item)


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
        bs = _n_items(b, TensorAudio, 2)
        self._pct = self.uniform(0.0, self.max_cut_pct, bs) * self.draw_mask(bs)
        self._where = self.rand(bs)

    def encodes(self, x: TensorAudio) -> TensorAudio:  # noqa: D102
        xb, item = _batched(x, 2)
        n = xb.shape[-1]
        length = (self._pct * n).long()
        start = (self._where * (n - length + 1)).long()
        t = torch.arange(n, device=xb.device)[None]
        cut = (t >= start.to(xb.device)[:, None]) & (t < (start + length).to(xb.device)[:, None])
        return _like(xb.masked_fill(cut[:, None, :], 0.0), x, item)


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
        bs = _n_items(b, TensorAudio, 2)
        self._pct = self.uniform(0.0, self.max_loss_pct, bs) * self.draw_mask(bs)

    def encodes(self, x: TensorAudio) -> TensorAudio:  # noqa: D102
        xb, item = _batched(x, 2)
        if self.generator is None:
            u = torch.rand(xb.shape, device=xb.device)
        else:
            u = torch.rand(xb.shape, generator=self.generator).to(xb.device)
        return _like(xb.masked_fill(u < _per_item(self._pct, xb), 0.0), x, item)


# -- augmentation and features of spectrograms --------------------------------------------------------


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
        bs = _n_items(b, TensorSpec, 3)
        self._u, self._do = self.rand(bs, self.num_masks), self.draw_mask(bs)
        span = self.size - self.min_size + 1
        self._w = self.min_size + (self.rand(bs, self.num_masks) * span).long().clamp_max(span - 1)

    def encodes(self, x: TensorSpec) -> TensorSpec:  # noqa: D102
        xb, item = _batched(x, 3)
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
        return _like(torch.where(hit.view(shape), val, xb), x, item)


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
        bs = _n_items(b, TensorSpec, 3)
        factor = self.uniform(-1.0, 1.0, bs)
        self._factor = (self.direction * factor.abs() if self.direction else factor) * self.draw_mask(bs)

    def encodes(self, x: TensorSpec) -> TensorSpec:  # noqa: D102
        xb, item = _batched(x, 3)
        s = (self._factor * self.max_shift_pct * xb.shape[-1]).long()
        return _like(_shift(xb, s, roll=True), x, item)


class CropTime(_RandomPlace):
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
        xb, item = _batched(x, 3)
        return _like(self._fit(xb, width), x, item)


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
        xb, item = _batched(x, 3)
        out = torch.cat([xb, delta(xb, self.width, 1), delta(xb, self.width, 2)], dim=1)
        return _like(out, x, item)


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
        xb, item = _batched(x, 3)
        corners = False if self.interp_mode in ("bilinear", "bicubic") else None
        out = F.interpolate(xb, size=self.size, mode=self.interp_mode, align_corners=corners)
        return _like(out, x, item)
