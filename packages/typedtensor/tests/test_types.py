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
