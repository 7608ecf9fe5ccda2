"""DICOM items for the data block API: `PILDicom`, `PILCTScan`, `DicomBlock`, the segmentation loaders.

`PILDicom` keeps the measured values (Hounsfield units for CT) as 32-bit floats through the
vision item transforms (`Resize` works on Pillow's float images): nothing is squeezed into 8 bits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import numpy as np
import torch
from PIL import Image

from lamella.data import TransformBlock
from lamella.typedtensor import TensorImageBase
from lamella.vision import ImageBlock, PILBase, SegmentationDataLoaders
from lamella.vision.image import image2tensor

from .core import DcmDataset, DicomReadError, dcmread
from .types import TensorCTScan, TensorDicom

__all__ = ["DicomBlock", "DicomSegmentationDataLoaders", "PILCTScan", "PILDicom"]


class PILDicom(PILBase):
    """A DICOM file as an item: its `image_px` (modality LUT applied) in a 32-bit float Pillow image.

    Colour files (RGB, YBR, palette) become RGB images whose tensors are floats in [0, 1].

    Examples:
        >>> import lamella.samples
        >>> im = PILDicom.create(lamella.samples.path("dicom_samples") / "CT_small.dcm")
        >>> im.img.mode, im.shape, float(im.to_tensor().min()) < -800
        ('F', (128, 128), True)
    """

    _mode = None
    _tensor_cls: type = TensorDicom
    _int_pixels = False

    @classmethod
    def create(cls, fn: Any) -> PILDicom:
        """Read a DICOM file (path, bytes or `DcmDataset`); other images and arrays as `PILBase` does.

        Examples:
            >>> import lamella.samples
            >>> PILDicom.create(lamella.samples.path("dicom_samples") / "examples_rgb_color.dcm").img.mode
            'RGB'
        """
        if isinstance(fn, (Image.Image, np.ndarray, torch.Tensor, PILBase)):
            return cast(PILDicom, super().create(fn))
        dcm = fn if isinstance(fn, DcmDataset) else dcmread(fn)
        if dcm.n_frames > 1:
            raise DicomReadError(
                f"{dcm.filename} holds {dcm.n_frames} frames; an image item is one frame: read them with "
                "dcmread(fn).scaled(frames=...) or make one item per frame"
            )
        px = dcm.image_px().numpy()
        img = (
            Image.fromarray(px.clip(0, 255).astype(np.uint8), mode="RGB")
            if px.ndim == 3
            else Image.fromarray(px, mode="F")
        )
        path = Path(dcm.filename) if dcm.filename and not isinstance(fn, (bytes, bytearray)) else None
        return cls(img, path)

    def to_tensor(self) -> TensorImageBase:
        """A float32 `C x H x W` tensor: measured values, or colour in [0, 1].

        Examples:
            >>> img = Image.fromarray(np.full((2, 2), -1000.0, dtype=np.float32), mode="F")
            >>> PILDicom(img).to_tensor().tolist()
            [[[-1000.0, -1000.0], [-1000.0, -1000.0]]]
        """
        t = image2tensor(self.img)
        return self._tensor_cls(t.float() / 255.0 if t.dtype == torch.uint8 else t.float())


class PILCTScan(PILDicom):
    """`PILDicom` whose tensors are `TensorCTScan` (bone colour map).

    Examples:
        >>> PILCTScan._tensor_cls.__name__
        'TensorCTScan'
    """

    _tensor_cls = TensorCTScan


def DicomBlock(cls: type[PILDicom] = PILDicom) -> TransformBlock:  # noqa: N802  (a block reads like a class)
    """DICOM images for a `DataBlock`, in measured values (no 8-bit squeeze): `ImageBlock(cls=PILDicom)`.

    Examples:
        >>> DicomBlock().batch_tfms
        []
    """
    return ImageBlock(cls=cls)


class DicomSegmentationDataLoaders(SegmentationDataLoaders):
    """Segmentation of DICOM images: `SegmentationDataLoaders` reading `PILDicom` items (fastai's factory).

    Examples:
        >>> import lamella.samples
        >>> path = lamella.samples.path("dicom_samples")
        >>> dls = DicomSegmentationDataLoaders.from_label_func(  # the SEG file masks its own slice here
        ...     path, [path / "liver_1frame.dcm"] * 4, lambda f: np.zeros((512, 512), dtype=np.uint8),
        ...     codes=["background", "liver"], valid_pct=0.25, seed=0, bs=2, device="cpu")
        >>> x, y = dls.one_batch()
        >>> type(x).__name__, type(y).__name__, tuple(y.shape)
        ('TensorDicom', 'TensorMask', (2, 512, 512))
    """

    _img_cls = PILDicom
