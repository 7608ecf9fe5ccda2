import pytest
import torch

from lamella.typedtensor import (
    TensorBBox,
    TensorCategory,
    TensorImage,
    TensorImageBase,
    TensorImageBW,
    TensorMask,
    TensorMultiCategory,
    TensorPoint,
    TensorText,
)


@pytest.mark.parametrize(
    "cls", [TensorImage, TensorImageBW, TensorMask, TensorCategory, TensorMultiCategory, TensorText]
)
def test_every_type_builds_from_data_and_keeps_itself(cls):
    t = cls(torch.ones(2, 3))
    assert type(t) is cls and type(t * 2) is cls and type(t[0]) is cls


def test_image_hierarchy():
    assert issubclass(TensorImageBW, TensorImage) and issubclass(TensorMask, TensorImageBase)
    # a mask is not an image: transforms written for images (colour, scaling) never reach it
    assert not issubclass(TensorMask, TensorImage) and issubclass(TensorImage, TensorImageBase)
    assert issubclass(TensorMultiCategory, TensorCategory)


def test_building_from_a_tensor_shares_memory():
    x = torch.zeros(3, 2, 2)
    assert TensorImage(x).data_ptr() == x.data_ptr()


@pytest.mark.parametrize("cls,n", [(TensorPoint, 2), (TensorBBox, 4)])
def test_coordinates_check_their_last_dim(cls, n):
    ok = cls(torch.zeros(5, n), img_size=(10, 20))
    assert ok.img_size == (10, 20)
    with pytest.raises(ValueError, match=r"shape \(5, 3\)"):
        cls(torch.zeros(5, 3))
    with pytest.raises(ValueError, match=r"got shape \(\)"):
        cls(torch.tensor(1.0))


@pytest.mark.parametrize("cls,n", [(TensorPoint, 2), (TensorBBox, 4)])
def test_empty_coordinates_get_the_right_shape(cls, n):
    assert cls([]).shape == (0, n)


def test_img_size_defaults_to_none_and_survives_rebuild():
    p = TensorPoint([[1.0, 1.0]])
    assert p.img_size is None
    q = TensorPoint(TensorPoint([[1.0, 1.0]], img_size=(2, 2)))
    assert q.img_size == (2, 2)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


# data.draw runs between torch calls, so torch's first-call set-up in a fresh process counts as
# "input generation" (8.8 s once in check_foundation's new venv): not a slow strategy.
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(h=st.integers(1, 40), w=st.integers(1, 40), k=st.integers(0, 7), data=st.data())
def test_images_points_and_boxes_move_together_under_the_eight_symmetries(h, w, k, data):
    px, py = data.draw(st.integers(0, w - 1)), data.draw(st.integers(0, h - 1))
    img = TensorImage(torch.zeros(1, h, w))
    img[0, py, px] = 1.0
    mask = TensorMask(torch.zeros(h, w, dtype=torch.long))
    mask[py, px] = 3
    pts = TensorPoint([[px + 0.5, py + 0.5]], img_size=(h, w))  # the pixel's centre
    box = TensorBBox([[px, py, px + 1.0, py + 1.0]], img_size=(h, w))
    out, m, p, b = img.dihedral(k), mask.dihedral(k), pts.dihedral(k), box.dihedral(k)
    x, y = (int(v) for v in p[0].tolist())
    assert out[0, y, x] == 1.0 and m[y, x] == 3 and type(m) is TensorMask
    assert b[0].tolist() == [x, y, x + 1.0, y + 1.0] and p.img_size == b.img_size == tuple(out.shape[-2:])
    if k == 1:
        assert torch.equal(img.flip_lr(), out) and pts.flip_lr().tolist() == p.tolist()
