"""Windows, histogram scaling (one image and whole batches), windows as channels, saving."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from lamella.medical.core import dcmread
from lamella.medical.intensity import (
    HistScaled,
    ToNChan,
    dicom_windows,
    freqhist_bins,
    hist_scaled,
    pct_in_window,
    save_jpg,
    save_tif16,
    to_3chan,
    to_nchan,
    windowed,
)
from lamella.medical.types import TensorCTScan, TensorDicom


def _fastai_hist_scaled(x: np.ndarray, n_bins: int = 100) -> np.ndarray:
    """fastai's CPU path, written out: sorted values at frequency quantiles, unique, then np.interp."""
    flat = np.sort(x.reshape(-1))
    f32 = np.float32  # fastai computes the quantile positions in float32 torch arithmetic
    mids = np.arange(n_bins, dtype=f32) / f32(n_bins) + f32(1 / 2 / n_bins)
    t = np.concatenate([[f32(0.001)], mids, [f32(0.999)]])
    brks = np.unique(flat[(f32(len(flat)) * t.astype(f32)).astype(np.int64)])
    return np.clip(np.interp(x.reshape(-1), brks, np.linspace(0, 1, len(brks))), 0, 1).reshape(x.shape)


def test_fastai_windows_and_the_window_formula():
    assert dicom_windows.lungs == (1500, -600) and dicom_windows.brain == (80, 40)
    assert len(vars(dicom_windows)) == 11
    x = torch.tensor([-2000.0, -1350.0, -600.0, 150.0, 900.0])
    assert windowed(x, *dicom_windows.lungs).tolist() == [0.0, 0.0, 0.5, 1.0, 1.0]
    assert pct_in_window(x, *dicom_windows.lungs) == pytest.approx(0.2)


def test_hist_scaled_of_a_ct_is_fastais(samples):
    hu = dcmread(samples / "CT_small.dcm").scaled_px
    ours = hist_scaled(hu).numpy()
    assert np.abs(ours - _fastai_hist_scaled(hu.numpy())).max() < 1e-5
    assert freqhist_bins(hu).shape[0] <= 102 and float(ours.min()) == 0.0 and float(ours.max()) == 1.0


@settings(max_examples=30, deadline=None)
@given(
    bs=st.integers(1, 5),
    h=st.integers(1, 40),
    w=st.integers(1, 40),
    integer=st.booleans(),
    seed=st.integers(0, 10_000),
    spread=st.sampled_from([1.0, 30.0, 3000.0]),
)
def test_a_batch_is_scaled_item_by_item(bs, h, w, integer, seed, spread):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(bs, 1, h, w, generator=g) * spread
    if integer:
        x = x.round()
    batch = hist_scaled(x)
    for i in range(bs):
        ref = _fastai_hist_scaled(x[i, 0].numpy())
        assert np.abs(batch[i, 0].numpy() - ref).max() < 1e-5


def test_hist_scaled_batch_transform_keeps_the_type():
    x = TensorDicom(torch.randn(3, 1, 16, 16) * 400)
    out = HistScaled()(x)
    assert (
        type(out) is TensorDicom
        and out.shape == x.shape
        and 0.0 <= float(out.min()) <= float(out.max()) <= 1.0
    )
    fixed = HistScaled(brks=torch.tensor([-100.0, 0.0, 100.0]))(x)
    assert torch.allclose(fixed, ((x.as_plain().clamp(-100, 100) + 100) / 200))


def test_windows_as_channels_for_images_and_batches(samples):
    hu = dcmread(samples / "CT_small.dcm").scaled_px
    three = to_3chan(hu, dicom_windows.brain, dicom_windows.subdural)
    assert type(three) is TensorCTScan and tuple(three.shape) == (3, 128, 128)
    assert torch.equal(three[0], windowed(hu, *dicom_windows.brain))
    assert tuple(to_nchan(hu, [dicom_windows.lungs], bins=0).shape) == (1, 128, 128)
    batch = TensorDicom(torch.stack([hu, hu.flip(0)])[:, None])
    out = ToNChan([dicom_windows.brain, dicom_windows.lungs])(batch)
    assert tuple(out.shape) == (2, 3, 128, 128) and torch.equal(
        out[1, 0], windowed(hu.flip(0), *dicom_windows.brain)
    )
    with pytest.raises(ValueError, match="single-channel"):
        to_nchan(torch.zeros(2, 3, 4, 4), [dicom_windows.brain])


def test_save_jpg_and_tif16(tmp_path, samples):
    dcm = dcmread(samples / "CT_small.dcm")
    jpg = save_jpg(dcm, tmp_path / "ct", [dicom_windows.brain, dicom_windows.lungs])
    with Image.open(jpg) as im:
        assert im.mode == "RGB" and im.size == (128, 128)
    tif = save_tif16(dcm, tmp_path / "ct")
    with Image.open(tif) as im:
        arr = np.asarray(im)
        assert arr.dtype in (np.uint16, np.dtype(">u2"), np.dtype("<u2")) or im.mode.startswith("I;16")
        assert int(arr.max()) == 65535
    with pytest.raises(ValueError, match="needs 3 channels"):
        save_jpg(dcm, tmp_path / "bad", [dicom_windows.brain], bins=0)
