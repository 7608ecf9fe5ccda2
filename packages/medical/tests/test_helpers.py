"""fastai's helpers: blurs, the mask from a blur, mask bounds in fastai's layout, crops."""

import torch

from lamella.medical.core import dcmread
from lamella.medical.helpers import crop_resize, gauss_blur2d, mask2bbox, mask_from_blur, uniform_blur2d
from lamella.medical.intensity import dicom_windows


def test_blurs_keep_mass_and_shape():
    x = torch.zeros(2, 15, 15)
    x[:, 7, 7] = 1.0
    for out in (uniform_blur2d(x, 3), gauss_blur2d(x, 4.0)):
        assert out.shape == x.shape and torch.allclose(out.sum((-1, -2)), torch.ones(2), atol=1e-5)
    assert torch.allclose(uniform_blur2d(x, 3)[0, 6:9, 6:9], torch.full((3, 3), 1 / 9))


def test_mask_from_blur_finds_the_body(samples):
    dcm = dcmread(samples / "CT_small.dcm")
    m = mask_from_blur(dcm, dicom_windows.abdomen_soft)
    assert m.shape == (128, 128) and 0.2 < float(m.float().mean()) < 1.0


def test_mask2bbox_in_fastais_layout_for_images_and_batches():
    m = torch.zeros(3, 10, 12, dtype=torch.bool)
    m[0, 2:5, 3:9] = True
    m[1, 7, 1] = True
    bb = mask2bbox(m)
    assert bb.shape == (2, 2, 3)
    assert bb[..., 0].tolist() == [[2, 3], [4, 8]] and bb[..., 1].tolist() == [[7, 1], [7, 1]]
    assert bb[..., 2].tolist() == [[0, 0], [9, 11]]  # empty: the whole image
    assert mask2bbox(m[0]).tolist() == [[2, 3], [4, 8]]


def test_crop_resize_zooms_into_each_box():
    x = torch.zeros(2, 16, 16)
    x[0, 4:8, 4:8] = 1.0
    x[1, 10:16, 0:6] = 1.0
    out = crop_resize(x, mask2bbox(x > 0), 8)
    assert out.shape == (2, 1, 8, 8) and float(out[0].mean()) > 0.7 and float(out[1].mean()) > 0.7
