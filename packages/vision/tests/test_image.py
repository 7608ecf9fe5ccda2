import numpy as np
import pytest
import torch
from PIL import Image

import lamella.samples
from lamella.vision import (
    ImageReadError,
    PILImage,
    PILImageBW,
    PILMask,
    get_image_files,
    image2tensor,
    load_image,
)

MNIST = lamella.samples.path("mnist_tiny")


def test_create_from_files_arrays_images_and_tensors(tmp_path):
    fn = MNIST / "train" / "3" / "7463.png"
    img = PILImage.create(fn)
    assert img.size == (28, 28) and img.shape == (28, 28) and img.img.mode == "RGB" and img.path == fn
    assert PILImageBW.create(fn).img.mode == "L"
    arr = np.arange(12, dtype=np.uint8).reshape(3, 4)
    assert PILImageBW.create(arr).shape == (3, 4)
    assert PILImage.create(torch.zeros(3, 5, 6, dtype=torch.uint8)).shape == (5, 6)
    assert PILImage.create(Image.new("L", (2, 2))).img.mode == "RGB"
    assert PILImageBW.create(img).img.mode == "L"
    assert repr(img) == "PILImage mode=RGB size=28x28"


def test_exif_orientation_is_honoured(tmp_path):
    img = Image.new("RGB", (4, 2), "red")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees on display
    img.save(tmp_path / "rot.jpg", exif=exif)
    assert load_image(tmp_path / "rot.jpg").size == (2, 4)


def test_tensors_are_typed():
    img = PILImage.create(np.zeros((2, 3, 3), dtype=np.uint8))
    t = img.to_tensor()
    assert type(t).__name__ == "TensorImage" and t.shape == (3, 2, 3) and t.dtype == torch.uint8
    assert type(PILImageBW.create(np.zeros((2, 3), dtype=np.uint8)).to_tensor()).__name__ == "TensorImageBW"
    mask = PILMask.create(np.array([[0, 1], [2, 1]], dtype=np.uint8)).to_tensor()
    assert (
        type(mask).__name__ == "TensorMask"
        and mask.tolist() == [[0, 1], [2, 1]]
        and mask.dtype == torch.int64
    )
    assert image2tensor(np.zeros((2, 3), dtype=np.uint8)).shape == (1, 2, 3)


def test_a_corrupt_file_names_itself(tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG not really")
    with pytest.raises(ValueError, match="cannot read the image .*broken.png"):
        PILImage.create(bad)
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(ValueError, match="notes.txt"):
        PILImage.create(tmp_path / "notes.txt")


def test_get_image_files():
    files = get_image_files(MNIST)
    assert len(files) == 1428 and all(f.suffix == ".png" for f in files)


def test_show(mpl):
    ax = PILImage.create(MNIST / "train" / "3" / "7463.png").show()
    assert ax.get_images()[0].get_array().shape[:2] == (28, 28)


def test_create_from_the_bytes_of_an_upload():
    import io

    buf = io.BytesIO()
    Image.new("RGB", (5, 3), (10, 20, 30)).save(buf, format="PNG")
    img = PILImage.create(buf.getvalue())  # an upload widget's contents: `embedded null byte` before
    assert img.size == (5, 3) and np.asarray(img.img)[0, 0].tolist() == [10, 20, 30]
    with pytest.raises(ValueError, match="cannot read the image from the given bytes"):
        PILImage.create(b"not an image")


def test_errors_name_the_image_file_not_a_dtype():
    from lamella.transforms import Transform, TransformError

    class Boom(Transform):
        def encodes(self, x: PILImage):
            raise RuntimeError("boom")

    fn = lamella.samples.path("mnist_tiny") / "train/3/7463.png"
    with pytest.raises(TransformError) as e:
        Boom()(PILImage.create(fn))
    assert "7463.png" in str(e.value) and "dtype ?" not in str(e.value) and "boom" in str(e.value)


def test_a_file_that_will_not_open_is_named(tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff not really a jpeg")
    with pytest.raises(ValueError, match="broken.jpg"):
        PILImage.create(bad)


def test_items_carry_pillows_interface_and_thumbnails():
    img = PILImage(Image.new("RGB", (40, 20), (1, 2, 3)))
    assert img.width == 40 and img.mode == "RGB" and img.getpixel((0, 0)) == (1, 2, 3)
    assert img.resize((4, 2)).size == (4, 2) and img.to_thumb(10).size == (10, 5)
    assert img._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(AttributeError):
        img.no_such_thing  # noqa: B018


@pytest.mark.parametrize("cls", [PILImage, PILImageBW])
def test_16_bit_pngs_are_scaled_not_clipped(tmp_path, cls):
    ramp = np.linspace(0, 65535, 37 * 53).astype(np.uint16).reshape(37, 53)  # an odd, non-square size
    Image.fromarray(ramp).save(tmp_path / "ramp.png")  # a 16-bit greyscale PNG
    with Image.open(tmp_path / "ramp.png") as im:
        assert im.mode in ("I;16", "I")
    got = np.asarray(cls.create(tmp_path / "ramp.png")).astype(np.float64)
    got = got if got.ndim == 2 else got[..., 0]
    np.testing.assert_allclose(got, np.round(ramp / 257.0), atol=1)
    assert (got == 255).mean() < 0.01  # Pillow's own conversion made 99% of this ramp 255


def test_a_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"no image file at .*gone\.png"):
        PILImage.create(tmp_path / "gone.png")
    with pytest.raises(FileNotFoundError, match=r"\(a folder\)"):
        PILImage.create(tmp_path)


def test_arrays_and_tensors_of_every_dtype_become_the_image_they_show():
    ramp = np.linspace(0, 1, 12).reshape(3, 4)
    want = np.round(ramp * 255).astype(np.uint8)
    for arr in (ramp, ramp.astype(np.float32), torch.tensor(ramp)[None], torch.tensor(ramp).float()[None]):
        assert np.array_equal(np.asarray(PILImageBW.create(arr).img), want)
    rgb = torch.rand(3, 5, 7)  # a TensorImage's scale, C×H×W: what predict gets from a batch
    img = PILImage.create(rgb)
    assert img.shape == (5, 7) and np.array_equal(
        np.asarray(img.img), np.round(rgb.permute(1, 2, 0).numpy() * 255)
    )
    assert np.asarray(PILImage.create(np.full((2, 2, 3), 200, dtype=np.int64)).img).max() == 200
    assert np.asarray(PILImageBW.create(np.eye(2, dtype=bool)).img).tolist() == [[255, 0], [0, 255]]
    codes = PILMask.create(torch.tensor([[0.0, 3.0], [7.0, 1.0]])).to_tensor()  # floats as codes, not scaled
    assert codes.tolist() == [[0, 3], [7, 1]]


@pytest.mark.parametrize(
    ("arr", "match"),
    [
        (np.full((2, 2), 3.5), r"floats must hold values in \[0, 1\].* got 3.5 to 3.5"),
        (np.array([[0.0, np.nan]]), r"got nan to nan"),
        (np.full((2, 2), -1, dtype=np.int16), r"int16 must hold values in \[0, 255\], got -1 to -1"),
        (np.full((2, 2), 4095, dtype=np.uint16), r"got 4095 to 4095"),
        (np.zeros((1, 2, 2, 3), dtype=np.uint8), r"H×W or H×W×C .* got shape \(1, 2, 2, 3\)"),
        (np.zeros((2, 2, 5), dtype=np.uint8), r"got shape \(2, 2, 5\)"),
        (np.zeros((0, 3), dtype=np.uint8), r"got shape \(0, 3\)"),
        (np.array([["a"]]), r"must hold numbers, got dtype <U1"),
    ],
)
def test_arrays_that_are_not_images_are_named(arr, match):
    with pytest.raises(ImageReadError, match=match):
        PILImage.create(arr)


def test_a_mask_of_fractions_is_refused():
    with pytest.raises(ImageReadError, match="whole class codes"):
        PILMask.create(np.array([[0.5, 1.0]]))
