"""DICOM headers as a table: `as_dict` for one file, `from_dicoms` for many, in parallel."""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydicom.multival import MultiValue
from pydicom.pixels import apply_modality_lut

from .core import DcmDataset, dcmread
from .intensity import dicom_windows

__all__ = ["as_dict", "from_dicoms"]

_PIXEL_DATA = (0x7FE0, 0x0010)


def _plain(v: Any) -> Any:
    """Pydicom's value types (`DSfloat`, `IS`, `PersonName`, `UID`) as plain Python values for pandas."""
    if isinstance(v, (int, float, str, bytes)) and type(v).__module__.startswith("pydicom"):
        for base in (float, int, str, bytes):
            if isinstance(v, base):
                return base(v)  # type: ignore[arg-type]  # v is an instance of base
    if type(v).__module__.startswith("pydicom") and not isinstance(v, MultiValue):
        return str(v)
    return v


def as_dict(dcm: DcmDataset, px_summ: bool = True, window: tuple[float, float] = dicom_windows.brain) -> dict:
    """The header as a flat dict: keyword -> value, multi-values also split into `Key`, `Key1`...

    Also the file name, and with `px_summ` the pixels' min, max, mean, std and share inside `window`.

    Sequences are left out (they are nested headers). A file whose pixels cannot be decoded gets its
    header and an `img_error` column saying why.

    Examples:
        >>> import lamella.samples
        >>> d = as_dict(dcmread(lamella.samples.path("dicom_samples") / "CT_small.dcm"))
        >>> d["Modality"], d["img_min"] < -800, d["MultiPixelSpacing"], type(d["PixelSpacing1"]).__name__
        ('CT', True, 1, 'float')
    """
    res: dict[str, Any] = {"fname": dcm.filename}
    for elem in dcm.dataset:
        if elem.tag == _PIXEL_DATA or elem.VR == "SQ" or not elem.keyword:
            continue
        v = elem.value
        if isinstance(v, MultiValue):
            res[f"Multi{elem.keyword}"] = 1
            for i, o in enumerate(v):
                res[f"{elem.keyword}{'' if i == 0 else i}"] = _plain(o)
        else:
            res[elem.keyword] = _plain(v)
    if px_summ:
        try:  # numpy, not torch: worker processes then run no thread pool and may be forked
            px = np.asarray(dcm.pixel_array(), dtype=np.float64)
            if not dcm._is_colour():
                px = np.asarray(apply_modality_lut(px, dcm.dataset), dtype=np.float64)
            w, lev = window
            res.update(
                img_min=float(px.min()),
                img_max=float(px.max()),
                img_mean=float(px.mean()),
                img_std=float(px.std(ddof=1)) if px.size > 1 else 0.0,
                img_pct_window=float(((px > lev - w // 2) & (px < lev + w // 2)).mean()),
            )
        except Exception as e:  # noqa: BLE001  (the row says why, the table is still built)
            res["img_error"] = str(e)
    return res


def _row(args: tuple[Path, bool, tuple[float, float]]) -> dict:
    fn, px_summ, window = args
    try:
        return as_dict(dcmread(fn), px_summ, window)
    except Exception as e:  # noqa: BLE001
        return {"fname": str(fn), "read_error": str(e)}


def from_dicoms(
    files: Sequence[str | Path],
    n_workers: int = 0,
    px_summ: bool = True,
    window: tuple[float, float] = dicom_windows.brain,
    chunksize: int = 16,
) -> pd.DataFrame:
    """A data frame of the headers of `files`, one row each, read by `n_workers` processes (0: here).

    fastai's `pd.DataFrame.from_dicoms`, as a function (lamella patches no class). A file that
    cannot be read gets a row with `read_error`.

    Examples:
        >>> import lamella.samples
        >>> from lamella.medical import get_dicom_files
        >>> df = from_dicoms(get_dicom_files(lamella.samples.path("dicom_samples"))[:5])
        >>> len(df), "PatientID" in df.columns, "img_mean" in df.columns
        (5, True, True)
    """
    args = [(Path(f), px_summ, window) for f in files]
    if n_workers and n_workers > 1 and len(args) > 1:
        # fork where there is one: the workers use pydicom and numpy only (no torch thread pool to
        # deadlock on), and a script without an `if __name__ == "__main__"` guard keeps working
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with ProcessPoolExecutor(n_workers, mp_context=ctx) as pool:
            rows = list(pool.map(_row, args, chunksize=chunksize))
    else:
        rows = [_row(a) for a in args]
    return pd.DataFrame(rows)
