"""DICOM items in the data block API: measured values survive Resize and batching; bad files are named."""

import numpy as np
import pydicom
import pytest
import torch

from lamella.data import CategoryBlock, DataBlock, RandomSplitter
from lamella.medical.core import DicomReadError, get_dicom_files
from lamella.medical.data import DicomBlock, DicomSegmentationDataLoaders, PILCTScan, PILDicom
from lamella.medical.types import TensorDicom
from lamella.vision import ImageBlock, Resize


def test_hounsfield_units_survive_resize_as_floats(samples):
    im = PILDicom.create(samples / "CT_small.dcm")
    small = Resize(64)(im, split_idx=1)
    t = small.to_tensor()
    assert type(t) is TensorDicom and t.dtype == torch.float32 and t.shape == (1, 64, 64)
    assert float(t.min()) < -800 and float(t.max()) > 500  # not squeezed into 8 bits, not divided by 255
    assert PILCTScan.create(samples / "CT_small.dcm").to_tensor().__class__.__name__ == "TensorCTScan"


def test_sixteen_bit_values_survive_a_datablock(samples):
    files = [f for f in get_dicom_files(samples) if f.name.startswith("MR_small")] * 2
    dls = DataBlock(
        blocks=(ImageBlock(cls=PILDicom), CategoryBlock),
        get_y=lambda f: f.name[:8],
        splitter=RandomSplitter(0.25, seed=0),
        item_tfms=Resize(32),
    ).dataloaders(files, bs=4, device="cpu")
    x, _ = dls.one_batch()
    assert type(x) is TensorDicom and x.dtype == torch.float32 and float(x.max()) > 255  # raw MR values
    assert DicomBlock().batch_tfms == [] and len(ImageBlock().batch_tfms) == 1


def test_colour_dicom_becomes_rgb_in_unit_range(samples):
    t = PILDicom.create(samples / "examples_rgb_color.dcm").to_tensor()
    assert t.shape == (3, 240, 320) and 0.0 <= float(t.min()) and float(t.max()) <= 1.0


def test_multi_frame_files_and_foreign_files_are_refused_by_name(tmp_path, samples):
    with pytest.raises(DicomReadError, match=r"rtdose\.dcm holds 15 frames"):
        PILDicom.create(samples / "rtdose.dcm")
    (tmp_path / "x.dcm").write_bytes(b"no")
    with pytest.raises(DicomReadError, match=r"x\.dcm is not a DICOM file"):
        PILDicom.create(tmp_path / "x.dcm")


def test_segmentation_loaders(samples):
    ds = pydicom.dcmread(samples / "liver_1frame.dcm")
    mask = (ds.pixel_array > 0).astype(np.uint8)
    dls = DicomSegmentationDataLoaders.from_label_func(
        samples,
        [samples / "liver_1frame.dcm"] * 4,
        lambda f: mask,
        codes=["background", "liver"],
        valid_pct=0.25,
        seed=0,
        bs=2,
        device="cpu",
        item_tfms=Resize(64),
    )
    x, y = dls.one_batch()
    assert x.shape == (2, 1, 64, 64) and y.shape == (2, 64, 64) and set(y.unique().tolist()) <= {0, 1}


def test_an_odd_sized_image_resizes_without_losing_values(samples):
    im = PILDicom.create(samples / "examples_overlay.dcm")  # 300 x 484, 12-bit MR
    assert im.shape == (300, 484)
    t = Resize((64, 96), method="squish")(im, split_idx=1).to_tensor()
    assert t.shape == (1, 64, 96) and float(t.max()) > 255  # 12-bit values, not squeezed into 8 bits
