"""Image files as users have them: every Pillow mode and bit depth, odd sizes, random bytes.

Each gives the picture it shows (right size, right scale) or an `ImageReadError` naming the file.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from lamella.vision import ImageReadError, PILImage, PILImageBW, PILMask

W, H = 7, 5  # odd and not square: width and height cannot be confused

# mode -> (a format that stores it, the grey level 0..255 the test pattern's brightest pixel means)
MODES = {
    "1": ("png", 255),
    "L": ("png", 200),
    "LA": ("png", 200),
    "P": ("png", 200),
    "RGB": ("jpeg", 200),
    "RGBA": ("png", 200),
    "CMYK": ("tiff", None),
    "YCbCr": ("jpeg", None),
    "I;16": ("png", 200),
    "I": ("tiff", 200),
    "F": ("tiff", 200),
}


def _pattern(mode):
    """A `W×H` image of `mode` whose left half is dark and right half bright."""
    grey = np.zeros((H, W), dtype=np.uint8)
    grey[:, W // 2 :] = 200
    if mode == "1":
        return Image.fromarray(grey > 0).convert("1")
    if mode == "I;16":
        return Image.fromarray(grey.astype(np.uint16) * 257)  # 16-bit, scaled: 200 * 257
    if mode == "I":
        return Image.fromarray(grey.astype(np.int32) * 257)
    if mode == "F":
        return Image.fromarray(grey.astype(np.float32) / 255)  # floats in [0, 1]
    return Image.fromarray(grey).convert(mode)


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_loads_at_its_size_and_scale(tmp_path, mode):
    fmt, bright = MODES[mode]
    fn = tmp_path / f"odd.{fmt}"
    _pattern(mode).save(fn)
    rgb, grey = PILImage.create(fn), PILImageBW.create(fn)
    assert rgb.img.mode == "RGB" and grey.img.mode == "L"
    assert rgb.shape == grey.shape == (H, W) and tuple(rgb.to_tensor().shape) == (3, H, W)
    g = np.asarray(grey.img).astype(int)
    assert g[:, : W // 2].max() <= 10  # the dark half stays dark
    if bright is not None:
        assert abs(g[:, W // 2 :].mean() - bright) <= 6, f"{mode}: bright half is {g[:, W // 2 :].mean()}"
    else:
        assert g[:, W // 2 :].mean() > g[:, : W // 2].mean() + 100


def test_a_float_image_beyond_zero_to_one_is_refused_with_its_range(tmp_path):
    fn = tmp_path / "depth.tiff"
    Image.fromarray(np.full((H, W), 1234.5, dtype=np.float32)).save(fn)
    with pytest.raises(ImageReadError, match=r"depth\.tiff.* got 1234.5 to 1234.5"):
        PILImage.create(fn)


def test_masks_keep_their_codes_in_every_integer_mode(tmp_path):
    codes = np.arange(W * H, dtype=np.uint8).reshape(H, W) % 4
    for mode, fmt in (("L", "png"), ("P", "png"), ("I;16", "png"), ("I", "tiff")):
        fn = tmp_path / f"mask_{mode.replace(';', '')}.{fmt}"
        img = Image.fromarray(codes) if mode in ("L", "P") else Image.fromarray(codes.astype(np.int32))
        (img.convert(mode) if mode != "I;16" else Image.fromarray(codes.astype(np.uint16))).save(fn)
        assert PILMask.create(fn).to_tensor().tolist() == codes.tolist(), mode


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200), st.sampled_from([b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a"]))
def test_random_bytes_are_an_error_naming_the_file(tmp_path_factory, data, magic):
    fn = tmp_path_factory.mktemp("bytes") / "photo.png"
    fn.write_bytes(magic + data)
    try:
        img = PILImage.create(fn)
    except ImageReadError as e:
        assert "photo.png" in str(e)
    else:  # the bytes made a real image after all
        assert img.img.mode == "RGB" and min(img.shape) > 0


def test_a_mask_with_codes_above_255_is_refused(tmp_path):
    fn = tmp_path / "deep.png"
    Image.fromarray(np.full((H, W), 300, dtype=np.uint16)).save(fn)
    with pytest.raises(
        ImageReadError, match=r"deep\.png \(I;16 mode\): a mask holds class codes 0 to 255, got 300"
    ):
        PILMask.create(fn)
