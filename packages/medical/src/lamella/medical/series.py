"""Whole series: files grouped by `SeriesInstanceUID`, slices ordered in space, stacked into volumes.

Slices are ordered by their position along the slice normal (`ImagePositionPatient` projected on
the cross product of `ImageOrientationPatient`), not by file name or instance number. A volume is
built only from a clean stack: mixed sizes, slices that are not parallel, uneven gaps (a missing
slice) and duplicate positions are reported, never silently stacked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from .core import DcmDataset, dcmread, get_dicom_files

__all__ = ["DicomSeries", "DicomSeriesError", "dicom_series"]


class DicomSeriesError(ValueError):
    """A series that is not one clean stack of slices (the message lists why, naming the files).

    Examples:
        >>> import lamella.samples
        >>> (ct,) = dicom_series(lamella.samples.path("dicom_samples") / "series/77654033/CT2")
        >>> ct.volume()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        lamella.medical.series.DicomSeriesError: series ... the gap between 17106 and 17136 is 202.50 mm ...
    """


def _normal(dcm: DcmDataset) -> np.ndarray | None:
    o = dcm.dataset.get("ImageOrientationPatient")
    if o is None or len(o) != 6:
        return None
    o = np.asarray(o, dtype=np.float64)
    n = np.cross(o[:3], o[3:])
    norm = np.linalg.norm(n)
    return n / norm if norm > 0 else None


@dataclass
class DicomSeries:
    """One series: its slices in spatial order, their positions along the normal, what is wrong with it.

    Examples:
        >>> import lamella.samples
        >>> (s,) = dicom_series(lamella.samples.path("dicom_samples") / "series/98892001/CT5N")
        >>> len(s), s.problems, [round(v, 3) for v in s.spacing]
        (5, [], [2.5, 0.488, 0.488])
    """

    uid: str
    slices: list[DcmDataset]
    positions: list[float]
    problems: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.slices)

    @property
    def files(self) -> list[Path]:
        """The files, in spatial order.

        Examples:
            >>> import lamella.samples
            >>> (s,) = dicom_series(lamella.samples.path("dicom_samples") / "series/98892001/CT2N")
            >>> [f.name for f in s.files]
            ['6924', '6293']
        """
        return [Path(str(d.filename)) for d in self.slices]  # a series is read from files

    @property
    def spacing(self) -> tuple[float, float, float]:
        """Voxel spacing `(slice gap, row spacing, column spacing)` in mm (the median gap between slices).

        Examples:
            >>> import lamella.samples
            >>> (s,) = dicom_series(lamella.samples.path("dicom_samples") / "series/98892003/MR700")
            >>> round(s.spacing[0], 1)
            25.9
        """
        gaps = np.diff(self.positions)
        gap = (
            float(np.median(gaps))
            if len(gaps)
            else float(self.slices[0].dataset.get("SliceThickness", 0) or 0)
        )
        ps = self.slices[0].dataset.get("PixelSpacing", [1.0, 1.0])
        return gap, float(ps[0]), float(ps[1])

    def volume(self, strict: bool = True) -> torch.Tensor:
        """The slices stacked, `(slices, rows, columns)`, in measured values (`scaled_px`).

        With `strict` (the default) a series with problems raises `DicomSeriesError` listing them;
        `strict=False` stacks it anyway (sizes must still agree).

        Examples:
            >>> import lamella.samples
            >>> (s,) = dicom_series(lamella.samples.path("dicom_samples") / "series/98892001/CT5N")
            >>> tuple(s.volume().shape)
            (5, 16, 16)
        """
        if self.problems and strict:
            raise DicomSeriesError(
                f"series {self.uid} is not one clean stack of slices: "
                + "; ".join(self.problems)
                + " (volume(strict=False) stacks it anyway)"
            )
        shapes = {d.shape for d in self.slices}
        if len(shapes) > 1:
            raise DicomSeriesError(
                f"series {self.uid}: slices of different sizes {sorted(shapes)} cannot be stacked"
            )
        return torch.stack([d.scaled_px for d in self.slices])


def _problems(uid: str, slices: list[DcmDataset], pos: list[float], parallel: bool) -> list[str]:
    out = []
    sizes: dict[tuple[int, int], list[str]] = {}
    for d in slices:
        sizes.setdefault(d.shape, []).append(Path(str(d.filename)).name)
    if len(sizes) > 1:
        out.append(
            "mixed sizes: " + ", ".join(f"{s[0]}x{s[1]} ({', '.join(f[:3])})" for s, f in sizes.items())
        )
    if not parallel:  # gaps between slices at angles mean nothing: say so and stop there
        out.append("the slices are not parallel (their ImageOrientationPatient differ): not a stack")
        return out
    gaps = np.diff(pos)
    if len(gaps):
        names = [Path(str(d.filename)).name for d in slices]
        for i in np.flatnonzero(np.abs(gaps) < 1e-3):
            out.append(
                f"{names[i]} and {names[i + 1]} lie at the same position {pos[i]:.2f} mm (duplicates?)"
            )
        med = float(np.median(gaps))
        for i in np.flatnonzero(np.abs(gaps - med) > max(0.01 * abs(med), 1e-3)):
            if abs(gaps[i]) >= 1e-3:
                out.append(
                    f"the gap between {names[i]} and {names[i + 1]} is {gaps[i]:.2f} mm where the median is "
                    f"{med:.2f} mm (a missing slice?)"
                )
    return out


def dicom_series(source: str | Path | Iterable[str | Path]) -> list[DicomSeries]:
    """The series among DICOM files (a folder, searched recursively, or a list of files), slices in order.

    Series come sorted by UID; their slices by position along the slice normal (by instance number
    when the files carry no position).

    Examples:
        >>> import lamella.samples
        >>> (mr,) = dicom_series(lamella.samples.path("dicom_samples") / "series/98892003/MR700")
        >>> [int(d.InstanceNumber) for d in mr.slices]  # file names 4467, 4528... are not in this order
        [7, 6, 5, 4, 3, 2, 1]
    """
    files = get_dicom_files(source) if isinstance(source, (str, Path)) else [Path(f) for f in source]
    groups: dict[str, list[DcmDataset]] = {}
    for f in files:
        d = dcmread(f)
        uid = str(d.dataset.get("SeriesInstanceUID", "unknown"))
        groups.setdefault(uid, []).append(d)
    out = []
    for uid in sorted(groups):
        slices = groups[uid]
        found = [_normal(d) for d in slices]
        normals = [n for n in found if n is not None]
        have_pos = len(normals) == len(slices) and all("ImagePositionPatient" in d.dataset for d in slices)
        if have_pos:
            mean = np.mean(normals, axis=0)
            mean /= np.linalg.norm(mean)
            parallel = all(abs(float(np.dot(n, mean))) > 0.9999 for n in normals)
            pos = [
                float(np.dot(np.asarray(d.dataset.ImagePositionPatient, dtype=np.float64), mean))
                for d in slices
            ]
        else:
            parallel = True
            pos = [float(d.dataset.get("InstanceNumber", i) or i) for i, d in enumerate(slices)]
        order = np.argsort(pos, kind="stable")
        slices, pos = [slices[i] for i in order], [pos[i] for i in order]
        out.append(DicomSeries(uid, slices, pos, _problems(uid, slices, pos, parallel)))
    return out
