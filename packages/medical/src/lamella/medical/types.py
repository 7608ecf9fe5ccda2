"""The tensor types of DICOM images: `TensorDicom` (measured values, grey) and `TensorCTScan` (bone colours).

Examples:
    >>> type(TensorCTScan(torch.zeros(1, 2, 2)).flip(-1)).__name__
    'TensorCTScan'
"""

from __future__ import annotations

import torch  # noqa: F401  (the examples use it)

from lamella.typedtensor import TensorImage, TensorImageBW

__all__ = ["TensorCTScan", "TensorDicom"]


class TensorDicom(TensorImage):
    """A DICOM image or batch, `C x H x W`, in the file's measured values; shown in grey.

    Examples:
        >>> TensorDicom(torch.zeros(1, 4, 4))._show_args
        {'cmap': 'gray'}
    """

    _show_args = {"cmap": "gray"}


class TensorCTScan(TensorImageBW):
    """A CT image (or windows of one as channels), shown with the bone colour map.

    Examples:
        >>> TensorCTScan(torch.zeros(1, 4, 4))._show_args
        {'cmap': 'bone'}
    """

    _show_args = {"cmap": "bone"}
