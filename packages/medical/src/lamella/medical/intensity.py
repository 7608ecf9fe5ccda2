"""Intensity of medical images: windows, histogram scaling, windows as channels (functions, batch transforms).

Every function takes one image (`H x W`) or a batch (`N x ... x H x W`, each item scaled on its
own) on any device.
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from lamella.transforms import DisplayedTransform
from lamella.typedtensor import TensorImage, retain_type

from .types import TensorCTScan

__all__ = [
    "HistScaled",
    "ToNChan",
    "dicom_windows",
    "freqhist_bins",
    "hist_scaled",
    "pct_in_window",
    "save_jpg",
    "save_tif16",
    "to_3chan",
    "to_nchan",
    "to_uint16",
    "windowed",
]

#: CT windows `(width, level)` in Hounsfield units, fastai's presets (from radiopaedia.org).
dicom_windows = types.SimpleNamespace(
    brain=(80, 40),
    subdural=(254, 100),
    stroke=(8, 32),
    brain_bone=(2800, 600),
    brain_soft=(375, 40),
    lungs=(1500, -600),
    mediastinum=(350, 50),
    abdomen_soft=(400, 50),
    liver=(150, 30),
    spine_soft=(250, 50),
    spine_bone=(1800, 400),
)


def windowed(x: torch.Tensor, w: float, l: float) -> torch.Tensor:  # noqa: E741  (radiology's name)
    """Values seen through a window of width `w` at level `l`: `[l - w//2, l + w//2]` mapped to [0, 1].

    Examples:
        >>> windowed(torch.tensor([-1000.0, 40.0, 80.0, 1000.0]), *dicom_windows.brain).tolist()
        [0.0, 0.5, 1.0, 1.0]
    """
    lo, hi = l - w // 2, l + w // 2
    return (x.clamp(lo, hi) - lo) / (hi - lo)


def pct_in_window(x: torch.Tensor, w: float, l: float) -> float:  # noqa: E741
    """The share of values strictly inside the window `(w, l)`.

    Examples:
        >>> pct_in_window(torch.tensor([-1000.0, 40.0, 60.0, 1000.0]), 80, 40)
        0.5
    """
    return float(((x > l - w // 2) & (x < l + w // 2)).float().mean())


_QUANTILES = 100


def _positions(n: int, n_bins: int, device: torch.device) -> torch.Tensor:
    t = torch.cat(
        [torch.tensor([0.001]), torch.arange(n_bins).float() / n_bins + 1 / 2 / n_bins, torch.tensor([0.999])]
    )
    return (n * t).long().to(device)


def freqhist_bins(x: torch.Tensor, n_bins: int = _QUANTILES) -> torch.Tensor:
    """Break points splitting the values of `x` into groups of about equal counts (fastai's, unique values).

    Examples:
        >>> freqhist_bins(torch.arange(1000.0), n_bins=4).tolist()
        [1.0, 125.0, 375.0, 625.0, 875.0, 999.0]
    """
    flat = x.reshape(-1).sort().values
    return flat[_positions(len(flat), n_bins, flat.device)].unique()


def _interp(x: torch.Tensor, xp: torch.Tensor, fp: torch.Tensor) -> torch.Tensor:
    """`np.interp` on rows: `x (b, n)`, break points `xp (b, k)` non-decreasing, values `fp (b, k)`."""
    j = torch.searchsorted(xp, x.contiguous(), right=True)  # breaks <= x
    k = xp.shape[1]
    lo, hi = (j - 1).clamp(0, k - 1), j.clamp(0, k - 1)
    x0, x1, y0, y1 = xp.gather(1, lo), xp.gather(1, hi), fp.gather(1, lo), fp.gather(1, hi)
    span = x1 - x0
    y = torch.where(span > 0, y0 + (x - x0) / torch.where(span > 0, span, 1) * (y1 - y0), y0)
    return torch.where(j == 0, fp[:, :1], y)


def _integer_codes(flat: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, int] | None:
    """For integer-valued rows (CT in Hounsfield units): each value's slot `row * width + (v - row min)`."""
    b, n = flat.shape
    if n == 0:
        return None
    lo, hi = flat.amin(1), flat.amax(1)
    width = int((hi - lo).max().item()) + 1
    if width > 1 << 16 or b * width > 1 << 26 or not bool((flat == flat.round()).all()):
        return None
    codes = (flat - lo[:, None]).to(torch.int64)
    codes += (torch.arange(b, device=flat.device) * width)[:, None]
    return codes, lo, width


def _breaks(flat: torch.Tensor, n_bins: int, ints: Any) -> torch.Tensor:
    """The sorted quantile values `(b, n_bins + 2)` of each row, exact; integer-valued rows are counted."""
    b, n = flat.shape
    pos = _positions(n, n_bins, flat.device)
    if ints is not None:  # count the values, then read quantiles off the running counts
        codes, lo, width = ints
        cum = torch.bincount(codes.reshape(-1), minlength=b * width).view(b, width).cumsum(1)
        idx = torch.searchsorted(cum, (pos + 1).expand(b, -1).contiguous())  # the value holding rank pos
        return idx.to(flat.dtype) + lo[:, None]
    return flat.sort(dim=1).values[:, pos]


def _hist_rows(flat: torch.Tensor, n_bins: int) -> torch.Tensor:
    """Histogram-scale each row of `flat` `(b, n)` on its own breaks."""
    ints = _integer_codes(flat)
    xp = _breaks(flat, n_bins, ints)
    new = torch.ones_like(xp, dtype=torch.bool)
    new[:, 1:] = xp[:, 1:] > xp[:, :-1]
    rank = new.long().cumsum(1) - 1  # the place of each break among the unique ones
    fp = rank.to(flat.dtype) / rank[:, -1:].clamp(min=1).to(flat.dtype)
    if ints is None:
        return _interp(flat, xp, fp).clamp_(0.0, 1.0)
    codes, lo, width = ints  # interpolate each distinct value once, then look every pixel up
    values = lo[:, None] + torch.arange(width, device=flat.device, dtype=flat.dtype)
    return torch.take(_interp(values, xp, fp).clamp_(0.0, 1.0), codes)


def hist_scaled(x: torch.Tensor, brks: torch.Tensor | None = None, n_bins: int = _QUANTILES) -> torch.Tensor:
    """Histogram-equalised values in [0, 1]: `freqhist_bins` breaks mapped evenly onto [0, 1] (fastai's).

    `x` is one image, or a batch (first dimension) scaled item by item; `brks` gives fixed breaks.
    Integer-valued images (CT in Hounsfield units) are counted rather than sorted and mapped through
    a table of their distinct values: the same numbers, several times faster. A batch goes through
    a few images at a time, so the temporaries stay in the CPU's caches.

    Examples:
        >>> x = torch.tensor([[0.0, 1.0], [10.0, 1000.0]])
        >>> hist_scaled(x, brks=torch.tensor([0.0, 1.0, 10.0, 1000.0])).mul(3).round().tolist()
        [[0.0, 1.0], [2.0, 3.0]]
        >>> hist_scaled(torch.rand(4, 1, 8, 8)).shape  # a batch, each item on its own
        torch.Size([4, 1, 8, 8])
    """
    plain = x.as_subclass(torch.Tensor).float() if isinstance(x, torch.Tensor) else torch.as_tensor(x).float()
    single = plain.ndim <= 2 or brks is not None
    flat = plain.reshape(1, -1) if single else plain.reshape(plain.shape[0], -1)
    if brks is not None:
        xp = torch.as_tensor(brks, dtype=flat.dtype, device=flat.device).reshape(1, -1)
        fp = torch.linspace(0.0, 1.0, xp.shape[1], device=flat.device)[None]
        return retain_type(_interp(flat, xp, fp).clamp_(0.0, 1.0).reshape(plain.shape), x)
    rows = max(1, (1 << 20) // max(1, flat.shape[1])) if flat.device.type == "cpu" else flat.shape[0]
    if rows >= flat.shape[0]:
        out = _hist_rows(flat, n_bins)
    else:
        out = torch.empty_like(flat)
        for i in range(0, flat.shape[0], rows):
            out[i : i + rows] = _hist_rows(flat[i : i + rows], n_bins)
    return retain_type(out.reshape(plain.shape), x)


def to_nchan(x: torch.Tensor, wins: Sequence[tuple[float, float]], bins: Any = None) -> torch.Tensor:
    """Several windows of an image as channels, plus a histogram-scaled channel unless `bins=0`.

    An image `H x W` gives `C x H x W`; a batch `N x H x W` or `N x 1 x H x W` gives `N x C x H x W`.

    Examples:
        >>> x = torch.linspace(-1000, 1000, 64).view(8, 8)
        >>> tuple(to_nchan(x, [dicom_windows.brain, dicom_windows.lungs]).shape)
        (3, 8, 8)
    """
    plain = x.as_subclass(torch.Tensor) if isinstance(x, torch.Tensor) else torch.as_tensor(x)
    if plain.ndim == 4:
        if plain.shape[1] != 1:
            raise ValueError(
                f"to_nchan takes single-channel images; got a batch of shape {tuple(plain.shape)}"
            )
        plain = plain[:, 0]
    res = [windowed(plain, *w) for w in wins]
    if not (isinstance(bins, int) and bins == 0):
        res.append(hist_scaled(plain, None if bins is None or isinstance(bins, int) else bins))
    return TensorCTScan(torch.stack(res, dim=0 if plain.ndim == 2 else 1))


def to_3chan(
    x: torch.Tensor, win1: tuple[float, float], win2: tuple[float, float], bins: Any = None
) -> torch.Tensor:
    """Two windows and the histogram-scaled image as three channels (`to_nchan` with two windows).

    Examples:
        >>> tuple(to_3chan(torch.zeros(2, 1, 8, 8), dicom_windows.brain, dicom_windows.subdural).shape)
        (2, 3, 8, 8)
    """
    return to_nchan(x, [win1, win2], bins)


class HistScaled(DisplayedTransform):
    """Batch transform: histogram-scale each image of a batch into [0, 1] on the batch's device.

    Examples:
        >>> from lamella.medical import TensorDicom
        >>> out = HistScaled()(TensorDicom(torch.randn(2, 1, 16, 16) * 500))
        >>> type(out).__name__, float(out.min()) >= 0.0, float(out.max()) <= 1.0
        ('TensorDicom', True, True)
    """

    order = 95  # after augmentation, before Normalize

    def __init__(self, brks: torch.Tensor | None = None, n_bins: int = _QUANTILES) -> None:
        super().__init__()
        self.brks, self.n_bins = brks, n_bins

    def encodes(self, x: TensorImage):  # noqa: D102  (the class documents it)
        return hist_scaled(x, self.brks, self.n_bins)


class ToNChan(DisplayedTransform):
    """Batch transform: single-channel CT batches to windows as channels (`to_nchan`), on the device.

    Examples:
        >>> from lamella.medical import TensorDicom
        >>> out = ToNChan([dicom_windows.brain, dicom_windows.subdural])(TensorDicom(torch.zeros(2, 1, 8, 8)))
        >>> type(out).__name__, tuple(out.shape)
        ('TensorCTScan', (2, 3, 8, 8))
    """

    order = 95

    def __init__(self, wins: Sequence[tuple[float, float]], bins: Any = None) -> None:
        super().__init__()
        self.wins, self.bins = list(wins), bins

    def encodes(self, x: TensorImage):  # noqa: D102
        return to_nchan(x, self.wins, self.bins)


def to_uint16(x: Any, bins: Any = None) -> np.ndarray:
    """Histogram-scaled values as a uint16 array (the full 16-bit range), for 16-bit TIFFs.

    Examples:
        >>> to_uint16(torch.tensor([[0.0, 1.0], [2.0, 3.0]])).dtype
        dtype('uint16')
    """
    px = x.scaled_px if hasattr(x, "scaled_px") else x
    return (hist_scaled(px, bins) * 65535).round().numpy().astype(np.uint16)


def save_jpg(
    x: Any, path: str | Path, wins: Sequence[tuple[float, float]], bins: Any = None, quality: int = 90
) -> Path:
    """Save an image (a `DcmDataset` or a tensor of values) as a JPEG of windows as channels.

    Two windows and the histogram channel make RGB; use 3 channels (`bins=0` with three windows, or
    two windows and the histogram). Returns the file written.

    Examples:
        >>> import tempfile
        >>> out = save_jpg(torch.linspace(-1000, 1000, 64).view(8, 8), tempfile.mkdtemp() + "/x",
        ...                [dicom_windows.brain, dicom_windows.lungs])
        >>> out.suffix
        '.jpg'
    """
    px = x.scaled_px if hasattr(x, "scaled_px") else x
    chans = to_nchan(px, wins, bins).as_subclass(torch.Tensor)
    if chans.shape[0] != 3:
        raise ValueError(
            f"save_jpg makes RGB JPEGs: it needs 3 channels, these windows and bins give {chans.shape[0]}"
        )
    fn = Path(path).with_suffix(".jpg")
    arr = (chans * 255).round().byte().permute(1, 2, 0).numpy()
    Image.fromarray(arr, mode="RGB").save(fn, quality=quality)
    return fn


def save_tif16(x: Any, path: str | Path, bins: Any = None, compress: bool = True) -> Path:
    """Save an image histogram-scaled to 16 bits as a TIFF (deflate-compressed); returns the file.

    Examples:
        >>> import tempfile
        >>> save_tif16(torch.rand(8, 8), tempfile.mkdtemp() + "/x").suffix
        '.tif'
    """
    fn = Path(path).with_suffix(".tif")
    Image.fromarray(to_uint16(x, bins)).save(fn, compression="tiff_deflate" if compress else None)
    return fn
