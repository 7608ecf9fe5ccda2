"""Spectrograms as batch transforms on the batch's device: `AudioToSpec`, `AudioToMFCC`, and presets.

The settings and presets follow fastaudio (torchaudio's defaults: `n_fft=400`, hop half a window,
128 HTK mels); the arithmetic is `lamella.audio.functional`, which matches librosa.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import inspect
import warnings
from typing import Any

import torch

from lamella.transforms import DisplayedTransform

from .core import TensorAudio, TensorSpec
from .functional import (
    amplitude_to_db,
    dct_matrix,
    mel_filterbank,
    power_to_db,
    spectrogram,
)

__all__ = [
    "AudioConfig",
    "AudioToMFCC",
    "AudioToSpec",
    "SpectrogramWarning",
]

#: Fewer time frames than this and a CNN's five halvings of the time axis leave one or two columns:
#: on fsdd_subset (1 s at 8 kHz) resnet18 reached 10% accuracy from 32 frames, 78% from 63, 95% from 126.
MIN_FRAMES = 64


class SpectrogramWarning(UserWarning):
    """Spectrogram settings that give features a model can hardly learn from (too few frames, empty bands...).

    Examples:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as w:
        ...     warnings.simplefilter("always")
        ...     _ = AudioToSpec(n_fft=512)(TensorAudio(torch.randn(4, 1, 8000), sr=8000))
        >>> w[0].category.__name__, str(w[0].message)[:41]
        ('SpectrogramWarning', 'AudioToSpec: 32 frames per item (8000 sam')
    """


def _check_features(
    tfm: Any, spec: AudioToSpec, s: torch.Tensor, db: torch.Tensor | None, nsamples: int, sr: int
) -> None:
    """Warn, on `tfm`'s first call only, about settings that leave the model little to learn from.

    `s` is the spectrogram (bs? x ch x freq x frames), `db` the same in decibels when it has them.
    Frames and the decibel floor are judged on batches only (training input): one short item
    drawn to look at is not a problem.
    """
    if tfm.__dict__.get("_checked"):
        return
    tfm._checked = True
    batch = s.ndim == 4
    name = type(tfm).__name__
    frames = s.shape[-1]
    if batch and frames < MIN_FRAMES:
        hop = max(1, nsamples // (2 * MIN_FRAMES))
        warnings.warn(
            f"{name}: {frames} frames per item ({nsamples} samples at {sr} Hz, "
            f"hop_length={spec.hop_length}): too few for a CNN, whose five halvings of the time axis "
            f"leave {-(-frames // 32)} column(s); hop_length={hop} gives {nsamples // hop + 1} frames "
            "(fastaudio's and torchaudio's default hop, half a window, suits longer clips)",
            SpectrogramWarning,
            stacklevel=4,
        )
    if spec.mel:
        fb = mel_filterbank(
            sr, spec.n_fft, spec.n_mels, float(spec.f_min), spec.f_max, spec.mel_scale == "htk", spec.norm
        )
        empty = int((fb.sum(1) == 0).sum())
        if empty:
            warnings.warn(
                f"{name}: {empty} of the {spec.n_mels} mel bands are empty: at n_fft={spec.n_fft} and "
                f"{sr} Hz the FFT bins are {sr / spec.n_fft:.1f} Hz apart, wider than the narrowest bands; "
                "lower n_mels or raise n_fft",
                SpectrogramWarning,
                stacklevel=4,
            )
    if batch and db is not None and db.numel():
        flat = db.flatten(-2)  # each item's channel: freq x frames values
        at_floor = (flat <= flat.amin(-1, keepdim=True) + 1e-3).float().mean().item()
        if at_floor > 0.9:
            warnings.warn(
                f"{name}: {at_floor:.0%} of the values sit at the decibel floor: the signals are mostly "
                "digital silence (padding to crop_signal_to much longer than the sounds?) or too quiet",
                SpectrogramWarning,
                stacklevel=4,
            )


def _check_rate(tfm: str, expected: int | None, x: TensorAudio) -> int:
    sr = getattr(x, "sr", None)
    if sr is None:
        if expected is None:
            raise ValueError(f"{tfm}: the signal has no sample rate; build it with TensorAudio(..., sr=...)")
        return expected
    if expected is not None and int(sr) != int(expected):
        raise ValueError(
            f"{tfm} was set up for {expected} Hz but the signal is {sr} Hz: "
            f"pass AudioBlock(sample_rate={expected}) "
            f"to resample the files, or set sample_rate={sr} here"
        )
    return int(sr)


class AudioToSpec(DisplayedTransform):
    """Signals to (mel) spectrograms, in decibels by default, computed on the batch's device.

    Args:
        sample_rate: the rate the signals must have (None: each batch's own `sr`).
        n_fft: the FFT size.
        win_length: the window (default `n_fft`).
        hop_length: the step between frames (default half a window).
        f_min: the lowest frequency of the mel bands.
        f_max: the highest (None: half the sample rate).
        n_mels: how many mel bands (`mel=True`).
        window: `hann`, `hamming` or `blackman`.
        power: 2 for power, 1 for magnitude.
        center: frames centred on their sample.
        pad_mode: how the signal is padded for centred frames.
        norm: the filters' area normalisation (None or `slaney`).
        mel_scale: the mel formula (`htk` or `slaney`).
        mel: mel bands (True) or linear frequency bins.
        to_db: decibels, floored `top_db` below each spectrogram's peak when `top_db` is set.
        ref: the decibels' reference.
        amin: the floor of the power before the logarithm.

    Examples:
        >>> tfm = AudioToSpec(sample_rate=8000, n_fft=512, hop_length=64, n_mels=40)
        >>> sg = tfm(TensorAudio(torch.randn(4, 1, 8000), sr=8000))
        >>> type(sg).__name__, tuple(sg.shape)
        ('TensorSpec', (4, 1, 40, 126))
    """

    order = 20  # after signal augmentation, before spectrogram augmentation

    def __init__(
        self,
        sample_rate: int | None = None,
        n_fft: int = 400,
        win_length: int | None = None,
        hop_length: int | None = None,
        f_min: float = 0.0,
        f_max: float | None = None,
        n_mels: int = 128,
        window: str = "hann",
        power: float = 2.0,
        center: bool = True,
        pad_mode: str = "reflect",
        norm: str | None = None,
        mel_scale: str = "htk",
        mel: bool = True,
        to_db: bool = True,
        top_db: float | None = None,
        ref: float = 1.0,
        amin: float = 1e-10,
    ) -> None:
        super().__init__()
        if mel_scale not in ("htk", "slaney"):
            raise ValueError(f"AudioToSpec: mel_scale must be 'htk' or 'slaney', got {mel_scale!r}")
        if power not in (1, 2) and to_db:
            raise ValueError(f"AudioToSpec: decibels need power 1 or 2, got power={power}")
        self.sample_rate, self.n_fft, self.win_length = sample_rate, n_fft, win_length or n_fft
        self.hop_length = hop_length or self.win_length // 2
        self.f_min, self.f_max, self.n_mels, self.window, self.power = f_min, f_max, n_mels, window, power
        self.center, self.pad_mode, self.norm, self.mel_scale = center, pad_mode, norm, mel_scale
        self.mel, self.to_db, self.top_db, self.ref, self.amin = mel, to_db, top_db, ref, amin

    @classmethod
    def from_cfg(cls, cfg: Any) -> AudioToSpec:
        """Build it from an `AudioConfig` preset (or a dict of the same settings).

        Examples:
            >>> AudioToSpec.from_cfg(AudioConfig.BasicMelSpectrogram(n_fft=512, sample_rate=8000)).n_fft
            512
        """
        return cls(**_settings_of(cls, cfg))

    def settings(self, sr: int) -> dict[str, Any]:
        """What a spectrogram made at sample rate `sr` records (`TensorSpec.settings`).

        Examples:
            >>> AudioToSpec(n_fft=512).settings(8000)["hop_length"]
            256
        """
        return {**{k: getattr(self, k) for k in _init_names(type(self))}, "sr": sr}

    def _spec(self, x: torch.Tensor, sr: int) -> torch.Tensor:
        self._check_band(sr)
        if x.shape[-1] < self.win_length:
            raise ValueError(
                f"AudioToSpec: a signal of {x.shape[-1]} samples is shorter than one FFT window "
                f"(win_length={self.win_length}); pad the signals (AudioBlock(crop_signal_to=...)) "
                "or lower n_fft"
            )
        if self.mel and x.device.type == "cpu" and x.ndim > 1 and x[..., 0].numel() > 1:
            # On the CPU, a few signals at a time: the STFT's complex frames of a whole batch are
            # tens of MB, freshly paged in for every batch; 2 MB of them at a time stay in cache
            # (64 one-second 16 kHz signals, n_fft 1024: 38 ms whole, 14 ms in chunks).
            flat = x.reshape(-1, x.shape[-1])
            step = max(1, (1 << 21) // ((self.n_fft // 2 + 1) * (x.shape[-1] // self.hop_length + 1) * 8))
            s = torch.cat([self._power_mel(flat[i : i + step], sr) for i in range(0, len(flat), step)])
            s = s.reshape(*x.shape[:-1], *s.shape[-2:])
        else:
            s = self._power_mel(x, sr)
        if self.to_db:
            to_db = power_to_db if self.power == 2 else amplitude_to_db
            amin = self.amin if self.power == 2 else self.amin**0.5
            s = to_db(s, self.ref, amin, self.top_db)
        return s

    def _check_band(self, sr: int) -> None:
        if self.mel and self.f_max is not None and self.f_max > sr / 2:
            raise ValueError(
                f"{type(self).__name__}: f_max={self.f_max:g} Hz is above what {sr} Hz signals hold "
                f"(half the rate, {sr / 2:g} Hz); set f_max={sr / 2:g} or None, or resample the signals "
                "(AudioBlock(sample_rate=...))"
            )

    def _power_mel(self, x: torch.Tensor, sr: int) -> torch.Tensor:
        s = spectrogram(
            x,
            self.n_fft,
            self.hop_length,
            self.win_length,
            self.window,
            self.center,
            self.pad_mode,
            self.power,
        )
        if self.mel:
            fb = mel_filterbank(
                sr,
                self.n_fft,
                self.n_mels,
                float(self.f_min),
                self.f_max,
                self.mel_scale == "htk",
                self.norm,
                s.device,
                s.dtype,
            )
            s = torch.matmul(s.mT, fb.T).mT  # one GEMM over every frame, not one per signal
        return s

    def encodes(self, x: TensorAudio) -> TensorSpec:  # noqa: D102  (the class documents it)
        sr = _check_rate(type(self).__name__, self.sample_rate, x)
        s = self._spec(x.as_plain(), sr)
        _check_features(self, self, s, s if self.to_db else None, x.shape[-1], sr)
        return TensorSpec(s, settings=self.settings(sr))


class AudioToMFCC(DisplayedTransform):
    """Signals to mel-frequency cepstral coefficients on the batch's device (torchaudio's `MFCC` settings).

    The mel spectrogram in decibels (floored `top_db` below the peak), or its natural log with
    `log_mels`, then an orthonormal DCT-II keeping `n_mfcc` coefficients, optionally liftered.

    Args:
        sample_rate: the rate the signals must have (None: each batch's own `sr`).
        n_mfcc: coefficients kept.
        dct_type: 2 (the only type offered, as torchaudio).
        norm: `ortho` or None.
        log_mels: log of the mel power instead of decibels.
        lifter: cepstral liftering (0: none), librosa's `lifter`.
        top_db: the decibel floor below each item's peak.
        melkwargs: `AudioToSpec` settings of the mel spectrogram (`n_fft`, `hop_length`, `n_mels`...).

    Examples:
        >>> tfm = AudioToMFCC(n_mfcc=13, melkwargs={"n_fft": 512, "hop_length": 64, "n_mels": 40})
        >>> tuple(tfm(TensorAudio(torch.randn(2, 1, 8000), sr=8000)).shape)
        (2, 1, 13, 126)
    """

    order = 20

    def __init__(
        self,
        sample_rate: int | None = None,
        n_mfcc: int = 40,
        dct_type: int = 2,
        norm: str | None = "ortho",
        log_mels: bool = False,
        lifter: float = 0.0,
        top_db: float | None = 80.0,
        melkwargs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        if dct_type != 2:
            raise ValueError(f"AudioToMFCC: only the DCT of type 2 is offered, got dct_type={dct_type}")
        self.sample_rate, self.n_mfcc, self.dct_type, self.norm = sample_rate, n_mfcc, dct_type, norm
        self.log_mels, self.lifter, self.top_db = log_mels, lifter, top_db
        self.melkwargs = dict(melkwargs or {})
        bad = {"mel", "to_db", "sample_rate"} & set(self.melkwargs)
        if bad:
            raise ValueError(f"AudioToMFCC: melkwargs cannot set {sorted(bad)} (the MFCC decides them)")
        self._mel = AudioToSpec(sample_rate=sample_rate, mel=True, to_db=False, **self.melkwargs)
        if n_mfcc > self._mel.n_mels:
            raise ValueError(f"AudioToMFCC: n_mfcc={n_mfcc} is more than the n_mels={self._mel.n_mels} bands")

    @classmethod
    def from_cfg(cls, cfg: Any) -> AudioToMFCC:
        """Build it from `AudioConfig.BasicMFCC` (or a dict of the same settings).

        Examples:
            >>> AudioToMFCC.from_cfg(AudioConfig.BasicMFCC(n_mfcc=20)).n_mfcc
            20
        """
        return cls(**_settings_of(cls, cfg))

    def encodes(self, x: TensorAudio) -> TensorSpec:  # noqa: D102  (the class documents it)
        sr = _check_rate(type(self).__name__, self.sample_rate, x)
        mel = self._mel._spec(x.as_plain(), sr)
        mel = torch.log(mel + 1e-6) if self.log_mels else power_to_db(mel, top_db=self.top_db)
        _check_features(self, self._mel, mel, mel, x.shape[-1], sr)
        dct = dct_matrix(mel.shape[-2], self.n_mfcc, self.norm, mel.device, mel.dtype)
        out = torch.matmul(dct, mel)
        if self.lifter > 0:
            k = torch.arange(1, self.n_mfcc + 1, device=out.device, dtype=out.dtype)
            out = out * (1 + (self.lifter / 2) * torch.sin(torch.pi * k / self.lifter))[:, None]
        settings = {**self._mel.settings(sr), "n_mfcc": self.n_mfcc, "log_mels": self.log_mels}
        return TensorSpec(out, settings=settings)


@functools.cache
def _init_names(cls: type) -> tuple[str, ...]:
    """The parameters of `cls.__init__` (read once per class: `settings` runs every batch)."""
    return tuple(inspect.signature(cls).parameters)


def _settings_of(cls: type, cfg: Any) -> dict[str, Any]:
    cfg = cfg() if isinstance(cfg, type) else cfg  # a preset class stands for its defaults
    is_instance = dataclasses.is_dataclass(cfg) and not isinstance(cfg, type)
    d = dataclasses.asdict(cfg) if is_instance else dict(cfg)
    known = set(_init_names(cls))
    bad = sorted(set(d) - known)
    if bad:
        raise TypeError(f"{cls.__name__}.from_cfg: unknown settings {bad}; it accepts {sorted(known)}")
    return d


def _preset(name: str, cls: type, doc: str, **overrides: Any) -> type:
    params = list(inspect.signature(cls).parameters.values())
    fields = []
    for p in params:
        default = overrides.get(p.name, p.default)
        if isinstance(default, (dict, list)):
            fields.append(
                (p.name, Any, dataclasses.field(default_factory=functools.partial(copy.copy, default)))
            )
        else:
            fields.append((p.name, Any, dataclasses.field(default=default)))
    preset = dataclasses.make_dataclass(name, fields)
    preset.__module__ = __name__
    preset.__qualname__ = f"AudioConfig.{name}"
    preset.__doc__ = doc
    return preset


class AudioConfig:
    """Presets for `AudioToSpec.from_cfg` / `AudioToMFCC.from_cfg`: dataclasses of their settings.

    Examples:
        >>> cfg = AudioConfig.BasicMelSpectrogram(n_fft=512, sample_rate=8000)
        >>> cfg.n_fft, cfg.n_mels, cfg.mel, cfg.to_db
        (512, 128, True, True)
        >>> AudioConfig.Voice().f_min, AudioConfig.BasicSpectrogram().mel
        (50.0, False)
    """

    BasicSpectrogram = _preset(
        "BasicSpectrogram", AudioToSpec, "A linear-frequency power spectrogram in decibels.", mel=False
    )
    BasicMelSpectrogram = _preset(
        "BasicMelSpectrogram", AudioToSpec, "A 128-band mel power spectrogram in decibels.", mel=True
    )
    Voice = _preset(
        "Voice",
        AudioToSpec,
        "Mel bands for speech: 50 Hz to 8 kHz, 1024-sample frames, hop 128.",
        f_min=50.0,
        f_max=8000.0,
        n_fft=1024,
        n_mels=128,
        hop_length=128,
    )
    BasicMFCC = _preset("BasicMFCC", AudioToMFCC, "40 MFCCs from a 128-band mel spectrogram.")
