"""Reading DICOM: `get_dicom_files`, `dcmread` and `DcmDataset`, a thin object around pydicom's `Dataset`.

Nothing is patched onto pydicom's classes. Pixel values go through pydicom's own LUT functions:
`scaled_px` applies the modality LUT (rescale slope and intercept: Hounsfield units for CT),
`image_px` also the VOI LUT or header window when asked, inverts MONOCHROME1 and gives colour as RGB.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import torch
from pydicom.pixels import apply_color_lut, apply_modality_lut, apply_voi_lut

from lamella.data import get_files
from lamella.typedtensor import show_image

from .intensity import hist_scaled, pct_in_window, windowed

__all__ = ["DcmDataset", "DicomReadError", "dcmread", "get_dicom_files", "is_dicom"]

_SUFFIXES = {".dcm", ".dicom", ".dic"}


class DicomReadError(ValueError):
    """A file that is not DICOM, is truncated, has no pixels, or needs a decoder that is not installed.

    Examples:
        >>> dcmread(b"not a DICOM file")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        lamella.medical.core.DicomReadError: the given bytes is not a DICOM file ...
    """


def is_dicom(fn: str | Path) -> bool:
    """Whether `fn` starts like a DICOM file (the `DICM` marker after the 128-byte preamble).

    Never raises: an unreadable or foreign file is simply not DICOM.

    Examples:
        >>> import lamella.samples
        >>> is_dicom(lamella.samples.path("dicom_samples") / "CT_small.dcm")
        True
        >>> is_dicom(lamella.samples.path("dicom_samples") / "README.md")
        False
    """
    try:
        with open(fn, "rb") as f:
            head = f.read(132)
    except OSError:
        return False
    return len(head) == 132 and head[128:] == b"DICM"


def get_dicom_files(
    path: str | Path, recurse: bool = True, folders: Sequence[str] | None = None
) -> list[Path]:
    """The DICOM files under `path`, sorted: `.dcm`/`.dicom` files, and files without a suffix that are DICOM.

    Foreign files (notes, images, a README) are left out without opening them as DICOM.

    Examples:
        >>> import lamella.samples
        >>> files = get_dicom_files(lamella.samples.path("dicom_samples"))
        >>> len(files), files[0].name
        (41, 'CT_small.dcm')
    """
    found = []
    for f in get_files(path, recurse=recurse, folders=folders):
        suffix = f.suffix.lower()
        if suffix in _SUFFIXES or (suffix == "" and is_dicom(f)):
            found.append(f)
    return found


def _decoder_hint(ds: pydicom.Dataset) -> str:
    ts = ds.file_meta.get("TransferSyntaxUID") if hasattr(ds, "file_meta") else None
    name = getattr(ts, "name", str(ts))
    return (
        f"its pixel data is compressed as {name} ({ts}); install the decoders: "
        "pip install 'lamella-medical[jpeg]' (pylibjpeg, pylibjpeg-libjpeg, pylibjpeg-openjpeg)"
    )


class DcmDataset:
    """A DICOM file read by pydicom, with lamella's pixel access; header elements read through it.

    `dcm.PatientID`, `dcm["PixelSpacing"]` and every other pydicom access go to `dcm.dataset`,
    pydicom's own `Dataset`, which lamella never modifies.

    Examples:
        >>> import lamella.samples
        >>> dcm = dcmread(lamella.samples.path("dicom_samples") / "CT_small.dcm")
        >>> dcm.Modality, dcm.shape, float(dcm.scaled_px.min()) < -800  # air in Hounsfield units
        ('CT', (128, 128), True)
    """

    def __init__(self, dataset: pydicom.Dataset, filename: str | Path | None = None) -> None:
        self.dataset = dataset
        self.filename = str(filename) if filename is not None else getattr(dataset, "filename", None)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("dataset", "filename"):
            raise AttributeError(name)
        return getattr(self.dataset, name)

    def __getitem__(self, key: Any) -> Any:
        return self.dataset[key]

    def __contains__(self, key: Any) -> bool:
        return key in self.dataset

    def __repr__(self) -> str:
        what = " ".join(
            str(self.dataset.get(k, "")) for k in ("Modality", "SOPClassUID") if k in self.dataset
        )
        return f"DcmDataset({self.filename or 'in memory'}: {what})"

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns) of one frame.

        Examples:
            >>> import lamella.samples
            >>> dcmread(lamella.samples.path("dicom_samples") / "MR_small.dcm").shape
            (64, 64)
        """
        return int(self.dataset.Rows), int(self.dataset.Columns)

    @property
    def n_frames(self) -> int:
        """How many frames the pixel data holds (1 for most files).

        Examples:
            >>> import lamella.samples
            >>> dcmread(lamella.samples.path("dicom_samples") / "rtdose.dcm").n_frames
            15
        """
        return int(self.dataset.get("NumberOfFrames", 1) or 1)

    def pixel_array(self, frames: int | Sequence[int] | None = None) -> np.ndarray:
        """The stored values as pydicom decodes them (`frames` picks frames of a multi-frame file).

        Errors name the file: no pixel data, truncated data, or a compression without its decoder.

        Examples:
            >>> import lamella.samples
            >>> dcmread(lamella.samples.path("dicom_samples") / "rtdose.dcm").pixel_array(frames=[0, 2]).shape
            (2, 10, 10)
        """
        ds = self.dataset
        if "PixelData" not in ds and "FloatPixelData" not in ds and "DoubleFloatPixelData" not in ds:
            raise DicomReadError(f"{self.filename}: the DICOM file has no pixel data (a header-only object?)")
        try:
            arr = ds.pixel_array
        except (RuntimeError, NotImplementedError) as e:
            raise DicomReadError(
                f"cannot decode the pixels of {self.filename}: {_decoder_hint(ds)}. ({e})"
            ) from e
        except (ValueError, EOFError, OSError) as e:
            raise DicomReadError(
                f"cannot decode the pixels of {self.filename}: {e} (a truncated or damaged file?)"
            ) from e
        if frames is not None:
            if self.n_frames == 1:
                if frames not in (0, [0], (0,)):
                    raise IndexError(f"{self.filename} has one frame; frames={frames!r}")
                return arr[None] if not isinstance(frames, int) else arr
            arr = arr[frames]
        return arr

    @property
    def pixels(self) -> torch.Tensor:
        """The stored values as a float32 tensor (no rescaling), fastai's `pixels`.

        Examples:
            >>> import lamella.samples
            >>> px = dcmread(lamella.samples.path("dicom_samples") / "CT_small.dcm").pixels
            >>> px.dtype, tuple(px.shape)
            (torch.float32, (128, 128))
        """
        return torch.from_numpy(np.asarray(self.pixel_array(), dtype=np.float32))

    def scaled(self, frames: int | Sequence[int] | None = None) -> torch.Tensor:
        """The modality LUT applied (`apply_modality_lut`: CT in Hounsfield units), float32.

        Examples:
            >>> import lamella.samples
            >>> px = dcmread(lamella.samples.path("dicom_samples") / "rtdose.dcm").scaled(frames=0)
            >>> tuple(px.shape)
            (10, 10)
        """
        arr = self.pixel_array(frames)
        if self._is_colour():
            return torch.from_numpy(np.asarray(arr, dtype=np.float32))
        return torch.from_numpy(np.asarray(apply_modality_lut(arr, self.dataset), dtype=np.float32))

    @property
    def scaled_px(self) -> torch.Tensor:
        """Every frame with the modality LUT applied: CT in Hounsfield units (fastai's `scaled_px`).

        Examples:
            >>> import lamella.samples
            >>> dcm = dcmread(lamella.samples.path("dicom_samples") / "CT_small.dcm")
            >>> float(dcm.scaled_px[0, 0] - dcm.pixels[0, 0])  # RescaleIntercept
            -1024.0
        """
        return self.scaled()

    def _is_colour(self) -> bool:
        return int(self.dataset.get("SamplesPerPixel", 1)) > 1 or self.photometric == "PALETTE COLOR"

    @property
    def photometric(self) -> str:
        """The PhotometricInterpretation (`MONOCHROME2`, `MONOCHROME1`, `RGB`, `YBR_FULL`...).

        Examples:
            >>> import lamella.samples
            >>> dcmread(lamella.samples.path("dicom_samples") / "examples_rgb_color.dcm").photometric
            'RGB'
        """
        return str(self.dataset.get("PhotometricInterpretation", "MONOCHROME2"))

    def image_px(self, frames: int | Sequence[int] | None = None, voi: bool = False) -> torch.Tensor:
        """Pixels for viewing and training: the modality LUT, then the VOI LUT or window when `voi`.

        MONOCHROME1 is inverted (bright is dense, as MONOCHROME2); colour comes as RGB, channels last.

        Examples:
            >>> import lamella.samples
            >>> path = lamella.samples.path("dicom_samples")
            >>> tuple(dcmread(path / "examples_rgb_color.dcm").image_px().shape)
            (240, 320, 3)
        """
        arr = self.pixel_array(frames)
        ds, photometric = self.dataset, self.photometric
        if photometric == "PALETTE COLOR":
            return torch.from_numpy(np.asarray(apply_color_lut(arr, ds), dtype=np.float32))
        if self._is_colour():  # pydicom's pixel_array already gives YBR data as RGB
            return torch.from_numpy(np.asarray(arr, dtype=np.float32))
        px = apply_modality_lut(arr, ds)
        if voi and ("VOILUTSequence" in ds or "WindowCenter" in ds):
            px = apply_voi_lut(px, ds)
        out = torch.from_numpy(np.asarray(px, dtype=np.float32))
        if photometric == "MONOCHROME1":
            out = out.max() + out.min() - out
        return out

    def windowed(self, w: float, l: float) -> torch.Tensor:  # noqa: E741  (fastai's and radiology's name)
        """`scaled_px` seen through the window of width `w` and level `l`, in [0, 1].

        Examples:
            >>> import lamella.samples
            >>> from lamella.medical.intensity import dicom_windows
            >>> dcm = dcmread(lamella.samples.path("dicom_samples") / "CT_small.dcm")
            >>> px = dcm.windowed(*dicom_windows.brain)
            >>> float(px.min()) >= 0.0 and float(px.max()) <= 1.0
            True
        """
        return windowed(self.scaled_px, w, l)

    def hist_scaled(
        self, brks: torch.Tensor | None = None, min_px: float | None = None, max_px: float | None = None
    ) -> torch.Tensor:
        """`scaled_px` clipped to `[min_px, max_px]`, then histogram-equalised into [0, 1] (fastai's).

        Examples:
            >>> import lamella.samples
            >>> px = dcmread(lamella.samples.path("dicom_samples") / "CT_small.dcm").hist_scaled(min_px=-1100)
            >>> round(float(px.median()), 1)
            0.5
        """
        px = self.scaled_px
        if min_px is not None or max_px is not None:
            px = px.clamp(min=min_px, max=max_px)
        return hist_scaled(px, brks)

    def pct_in_window(self, w: float, l: float) -> float:  # noqa: E741
        """The share of pixels inside the window `(w, l)`.

        Examples:
            >>> import lamella.samples
            >>> dcm = dcmread(lamella.samples.path("dicom_samples") / "CT_small.dcm")
            >>> 0.0 < dcm.pct_in_window(1500, -600) < 1.0
            True
        """
        return pct_in_window(self.scaled_px, w, l)

    def show(
        self,
        window: tuple[float, float] | None = None,
        scale: bool = True,
        frame: int = 0,
        cmap: str = "bone",
        min_px: float | None = -1100,
        max_px: float | None = None,
        ctx: Any = None,
        **kwargs: Any,
    ) -> Any:
        """Draw the image: through `window` `(w, l)`, else histogram-scaled (`scale`), else raw; bone colours.

        Examples:
            >>> import lamella.samples
            >>> from lamella.medical.intensity import dicom_windows
            >>> dcm = dcmread(lamella.samples.path("dicom_samples") / "CT_small.dcm")
            >>> ax = dcm.show(window=dicom_windows.lungs)
            >>> ax.get_images()[0].get_cmap().name
            'bone'
        """
        px = self.image_px(frames=frame if self.n_frames > 1 else None)
        if self._is_colour():
            return show_image(px / 255.0 if px.max() > 1 else px, ctx=ctx, **kwargs)
        if window is not None:
            px = windowed(px, *window)
        elif scale:
            px = hist_scaled(px.clamp(min=min_px, max=max_px) if (min_px, max_px) != (None, None) else px)
        return show_image(px, ctx=ctx, cmap=cmap, **kwargs)

    def zoom_to(self, size: int | tuple[int, int]) -> DcmDataset:
        """A copy whose pixel data is resized to `size` (rows, columns), stored in the same type.

        Examples:
            >>> import lamella.samples
            >>> dcmread(lamella.samples.path("dicom_samples") / "MR_small.dcm").zoom_to(32).shape
            (32, 32)
        """
        import copy

        rows, cols = (size, size) if isinstance(size, int) else size
        arr = self.pixel_array()
        t = torch.from_numpy(np.asarray(arr, dtype=np.float32))
        lead = t.shape[:-2] if not self._is_colour() else ()
        flat = t.reshape(-1, 1, *t.shape[-2:]) if not self._is_colour() else t.permute(2, 0, 1)[None]
        out = torch.nn.functional.interpolate(flat, size=(rows, cols), mode="bilinear", align_corners=False)
        out = out.reshape(*lead, rows, cols) if not self._is_colour() else out[0].permute(1, 2, 0)
        if np.issubdtype(arr.dtype, np.integer):
            info = np.iinfo(arr.dtype)
            out = out.round().clamp(info.min, info.max)
        new = copy.deepcopy(self.dataset)
        new.PixelData = out.numpy().astype(arr.dtype.newbyteorder("=")).tobytes()
        new.Rows, new.Columns = rows, cols
        if (
            new.file_meta.TransferSyntaxUID.is_compressed
            or not new.file_meta.TransferSyntaxUID.is_little_endian
        ):
            new.file_meta.TransferSyntaxUID = pydicom.uid.ExplicitVRLittleEndian
        new["PixelData"].VR = "OW" if arr.dtype.itemsize > 1 else "OB"
        return DcmDataset(new, self.filename)


def dcmread(fn: str | Path | bytes | os.PathLike, force: bool = False) -> DcmDataset:
    """Read a DICOM file (a path or its bytes); the error names the file and says what was expected.

    Examples:
        >>> import lamella.samples
        >>> dcmread(lamella.samples.path("dicom_samples") / "MR_small_bigendian.dcm").shape
        (64, 64)
    """
    import io
    import zlib

    src = io.BytesIO(fn) if isinstance(fn, (bytes, bytearray)) else fn
    name = "the given bytes" if isinstance(src, io.BytesIO) else str(fn)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ds = pydicom.dcmread(src, force=force)
        for w in caught:
            if "End of file reached" in str(w.message):  # pydicom reads a cut file up to the cut
                raise DicomReadError(f"cannot read the DICOM file {name}: it is truncated ({w.message})")
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    except pydicom.errors.InvalidDicomError as e:
        raise DicomReadError(
            f"{name} is not a DICOM file (no DICM marker after the 128-byte preamble); "
            "pass force=True to read a file without one"
        ) from e
    except (EOFError, OSError, ValueError, KeyError, TypeError, zlib.error) as e:  # zlib: a cut deflated file
        raise DicomReadError(f"cannot read the DICOM file {name}: {e} (a truncated or damaged file?)") from e
    return DcmDataset(ds, None if isinstance(fn, (bytes, bytearray)) else Path(fn))
