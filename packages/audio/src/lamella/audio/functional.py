"""The arithmetic of spectrograms in torch, on any device: STFT power, mel filterbanks, decibels, DCT, deltas.

Each function gives librosa's numbers for librosa's settings (the tests compare them in float64),
works on batches (`(..., samples)` or `(..., freq, time)`) and keeps to the input's device and
dtype. Filterbanks and windows are built once per setting, device and dtype.
"""

from __future__ import annotations

import math
from functools import lru_cache

import torch
from torch import Tensor

__all__ = [
    "amplitude_to_db",
    "dct_matrix",
    "delta",
    "hz_to_mel",
    "mel_filterbank",
    "mel_to_hz",
    "power_to_db",
    "spectrogram",
]

_F_SP = 200.0 / 3  # Slaney's scale: linear below 1 kHz (200/3 Hz a mel), logarithmic above
_MIN_LOG_HZ, _MIN_LOG_MEL, _LOGSTEP = 1000.0, 1000.0 / (200.0 / 3), math.log(6.4) / 27.0


def hz_to_mel(f: Tensor, htk: bool = False) -> Tensor:
    """Frequencies in Hz to mels, on the HTK formula or Slaney's (librosa's default).

    Examples:
        >>> hz_to_mel(torch.tensor([0.0, 1000.0])).tolist()
        [0.0, 15.0]
        >>> round(hz_to_mel(torch.tensor(1000.0), htk=True).item(), 2)
        999.99
    """
    if htk:
        return 2595.0 * torch.log10(1.0 + f / 700.0)
    linear = f / _F_SP
    log = _MIN_LOG_MEL + torch.log(torch.clamp(f, min=_MIN_LOG_HZ) / _MIN_LOG_HZ) / _LOGSTEP
    return torch.where(f >= _MIN_LOG_HZ, log, linear)


def mel_to_hz(m: Tensor, htk: bool = False) -> Tensor:
    """Mels to Hz, the inverse of `hz_to_mel`.

    Examples:
        >>> mel_to_hz(torch.tensor([0.0, 15.0])).tolist()
        [0.0, 1000.0]
    """
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    linear = _F_SP * m
    log = _MIN_LOG_HZ * torch.exp(_LOGSTEP * (torch.clamp(m, min=_MIN_LOG_MEL) - _MIN_LOG_MEL))
    return torch.where(m >= _MIN_LOG_MEL, log, linear)


@lru_cache(maxsize=64)
def mel_filterbank(
    sr: int,
    n_fft: int,
    n_mels: int = 128,
    f_min: float = 0.0,
    f_max: float | None = None,
    htk: bool = False,
    norm: str | None = "slaney",
    device: torch.device | str | None = None,
    dtype: torch.dtype = torch.float32,
) -> Tensor:
    """Triangular mel filters `(n_mels, 1 + n_fft // 2)`, librosa's `filters.mel` (cached; do not modify).

    Args:
        sr: the sample rate.
        n_fft: the FFT size the filters apply to.
        n_mels: how many filters.
        f_min: the lowest frequency.
        f_max: the highest (None: `sr / 2`).
        htk: the HTK mel formula instead of Slaney's.
        norm: `"slaney"` scales each filter to unit area (librosa's default); None keeps peaks at 1.
        device: where to build it.
        dtype: its precision.

    Examples:
        >>> fb = mel_filterbank(8000, 512, n_mels=40)
        >>> tuple(fb.shape), bool((fb >= 0).all())
        ((40, 257), True)
    """
    if norm not in (None, "slaney"):
        raise ValueError(f"mel_filterbank: norm must be None or 'slaney', got {norm!r}")
    f_max = sr / 2 if f_max is None else f_max
    if not 0 <= f_min < f_max <= sr / 2:
        raise ValueError(f"mel_filterbank: need 0 <= f_min < f_max <= sr/2 = {sr / 2}; got {f_min}, {f_max}")
    f64 = torch.float64
    fft_freqs = torch.linspace(0, sr / 2, 1 + n_fft // 2, dtype=f64)
    mels = torch.linspace(
        hz_to_mel(torch.tensor(f_min, dtype=f64), htk).item(),
        hz_to_mel(torch.tensor(f_max, dtype=f64), htk).item(),
        n_mels + 2,
        dtype=f64,
    )
    mel_f = mel_to_hz(mels, htk)
    fdiff = mel_f.diff()
    ramps = mel_f[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = torch.clamp(torch.minimum(lower, upper), min=0.0)
    if norm == "slaney":
        weights *= (2.0 / (mel_f[2:] - mel_f[:-2]))[:, None]
    return weights.to(device=device, dtype=dtype)


@lru_cache(maxsize=64)
def _window(name: str, length: int, device: torch.device, dtype: torch.dtype) -> Tensor:
    makers = {"hann": torch.hann_window, "hamming": torch.hamming_window, "blackman": torch.blackman_window}
    if name not in makers:
        raise ValueError(f"window must be one of {sorted(makers)}, got {name!r}")
    return makers[name](length, periodic=True, device=device, dtype=dtype)


def spectrogram(
    x: Tensor,
    n_fft: int = 2048,
    hop_length: int | None = None,
    win_length: int | None = None,
    window: str = "hann",
    center: bool = True,
    pad_mode: str = "constant",
    power: float | None = 2.0,
) -> Tensor:
    """`|STFT(x)| ** power` of signals `(..., samples)`, shape `(..., 1 + n_fft // 2, frames)`.

    librosa's `stft` conventions: a periodic window of `win_length` (default `n_fft`) centred in
    the frame, hop `win_length // 4` by default, frames centred on their sample (`center`) with
    the signal padded by `pad_mode`. `power=None` returns the complex STFT.

    Examples:
        >>> tuple(spectrogram(torch.zeros(2, 1, 8000), n_fft=512, hop_length=128).shape)
        (2, 1, 257, 63)
    """
    win_length = win_length or n_fft
    hop_length = hop_length or win_length // 4
    if center and x.shape[-1] <= n_fft // 2 and pad_mode == "reflect":
        raise ValueError(f"a signal of {x.shape[-1]} samples is too short to reflect-pad for n_fft={n_fft}")
    if not center and x.shape[-1] < n_fft:
        raise ValueError(f"a signal of {x.shape[-1]} samples is shorter than one FFT window (n_fft={n_fft})")
    lead = x.shape[:-1]
    flat = x.reshape(-1, x.shape[-1])
    if not flat.is_floating_point():
        flat = flat.float()
    win = _window(window, win_length, flat.device, flat.dtype)
    spec = torch.stft(
        flat, n_fft, hop_length, win_length, win, center=center, pad_mode=pad_mode, return_complex=True
    )
    spec = spec.reshape(*lead, *spec.shape[-2:])
    if power is None:
        return spec
    parts = torch.view_as_real(spec)  # re² + im²: three times faster than `abs()` (a hypot) then squaring
    power2 = parts[..., 0].square() + parts[..., 1].square()
    return power2 if power == 2 else power2.sqrt() if power == 1 else power2 ** (power / 2)


def _to_db(s: Tensor, mult: float, ref: float, amin: float, top_db: float | None, item_dims: int) -> Tensor:
    log = mult * torch.log10(torch.clamp(s, min=amin)) - mult * math.log10(max(amin, ref))
    if top_db is not None:
        if top_db < 0:
            raise ValueError(f"top_db must be non-negative, got {top_db}")
        dims = tuple(range(max(0, log.ndim - item_dims), log.ndim))
        peak = log.amax(dim=dims, keepdim=True) if dims else log
        log = torch.maximum(log, peak - top_db)
    return log


def power_to_db(
    s: Tensor, ref: float = 1.0, amin: float = 1e-10, top_db: float | None = 80.0, item_dims: int = 3
) -> Tensor:
    """Power in decibels, `10 log10(s / ref)`, floored at `top_db` below each item's peak (librosa's rule).

    An item is the last `item_dims` dimensions (channels x freq x time), so a batch gets one
    floor per spectrogram, as librosa gives each one alone.

    Examples:
        >>> power_to_db(torch.tensor([1.0, 10.0, 1e-12]), top_db=None, item_dims=1).tolist()
        [0.0, 10.0, -100.0]
    """
    return _to_db(s, 10.0, ref, amin, top_db, item_dims)


def amplitude_to_db(
    s: Tensor, ref: float = 1.0, amin: float = 1e-5, top_db: float | None = 80.0, item_dims: int = 3
) -> Tensor:
    """Magnitude in decibels, `20 log10(s / ref)`, floored as `power_to_db` (librosa's `amplitude_to_db`).

    Examples:
        >>> amplitude_to_db(torch.tensor([1.0, 10.0]), top_db=None, item_dims=1).tolist()
        [0.0, 20.0]
    """
    return _to_db(s, 20.0, ref, amin, top_db, item_dims)


@lru_cache(maxsize=32)
def dct_matrix(
    n_in: int,
    n_out: int,
    norm: str | None = "ortho",
    device: torch.device | str | None = None,
    dtype: torch.dtype = torch.float32,
) -> Tensor:
    """The DCT-II as an `(n_out, n_in)` matrix (scipy's `dct(type=2)`, `norm="ortho"` or None; cached).

    Examples:
        >>> m = dct_matrix(4, 4)
        >>> bool(torch.allclose(m @ m.T, torch.eye(4), atol=1e-6))
        True
    """
    if norm not in (None, "ortho"):
        raise ValueError(f"dct_matrix: norm must be None or 'ortho', got {norm!r}")
    n = torch.arange(n_in, dtype=torch.float64)
    k = torch.arange(n_out, dtype=torch.float64)[:, None]
    m = 2.0 * torch.cos(math.pi / n_in * (n + 0.5) * k)
    if norm == "ortho":
        m[0] *= math.sqrt(1.0 / (4 * n_in))
        m[1:] *= math.sqrt(1.0 / (2 * n_in))
    return m.to(device=device, dtype=dtype)


@lru_cache(maxsize=32)
def _savgol_rows(width: int, order: int) -> Tensor:
    """Rows mapping a window of `width` samples to the `order`-th derivative at each of its positions.

    A least-squares polynomial of degree `order` through the window, differentiated `order` times
    (scipy's `savgol_filter`, which librosa's `delta` uses): row `p` gives the value at position `p`.
    """
    t = torch.arange(width, dtype=torch.float64)
    vander = t[:, None] ** torch.arange(order + 1, dtype=torch.float64)
    fit = torch.linalg.pinv(vander)  # (order + 1, width): the polynomial's coefficients
    k = torch.arange(order + 1, dtype=torch.float64)
    falling = torch.ones(order + 1, dtype=torch.float64)  # k! / (k - order)!
    for j in range(order):
        falling *= (k - j).clamp(min=0)
    powers = (k - order).clamp(min=0)
    deriv = falling * t[:, None] ** powers  # (width, order + 1): d^order/dt^order of t^k at each t
    return deriv @ fit


def delta(x: Tensor, width: int = 9, order: int = 1) -> Tensor:
    """Local derivative of `order` along the last (time) axis, librosa's `feature.delta` (mode 'interp').

    Examples:
        >>> delta(torch.arange(10.0).expand(2, 10), width=5).tolist()[0][:3]
        [1.0, 1.0, 1.0]
    """
    if width < 3 or width % 2 == 0:
        raise ValueError(f"delta: width must be an odd integer of at least 3, got {width}")
    if order < 1:
        raise ValueError(f"delta: order must be at least 1, got {order}")
    n = x.shape[-1]
    if n < width:
        raise ValueError(f"delta needs at least width={width} time steps; this spectrogram has {n}")
    rows = _savgol_rows(width, order).to(x.device, x.dtype if x.is_floating_point() else torch.float32)
    half = width // 2
    windows = x.unfold(-1, width, 1)  # (..., n - width + 1, width)
    out = torch.empty(*x.shape, dtype=rows.dtype, device=x.device)
    out[..., half : n - half] = windows @ rows[half]
    out[..., :half] = x[..., :width] @ rows[:half].T
    out[..., n - half :] = x[..., n - width :] @ rows[half + 1 :].T
    return out
