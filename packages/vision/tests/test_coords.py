import pytest
import torch

from lamella.typedtensor import TensorBBox, TensorImage, TensorMultiCategory, TensorPoint
from lamella.vision import PointScaler, bb_pad


def test_point_scaler_maps_pixels_to_unit_range_and_back():
    img = TensorImage(torch.zeros(2, 3, 40, 80))
    pts = TensorPoint(torch.tensor([[[0.0, 0.0], [80.0, 40.0]], [[40.0, 20.0], [20.0, 10.0]]]))
    boxes = TensorBBox(torch.tensor([[[0.0, 0.0, 80.0, 40.0]], [[20.0, 10.0, 60.0, 30.0]]]))
    tfm = PointScaler()
    _, p, b = tfm((img, pts, boxes))
    assert type(p) is TensorPoint and type(b) is TensorBBox
    assert p[0].tolist() == [[-1.0, -1.0], [1.0, 1.0]] and p[1].tolist() == [[0.0, 0.0], [-0.5, -0.5]]
    assert b[1].tolist() == [[-0.5, -0.5, 0.5, 0.5]]
    _, p2, b2 = tfm.decode((img, p, b))
    torch.testing.assert_close(p2.as_plain(), pts.as_plain())
    torch.testing.assert_close(b2.as_plain(), boxes.as_plain())


def test_point_scaler_decodes_flat_predictions_into_points():
    tfm = PointScaler()
    tfm((TensorImage(torch.zeros(1, 3, 10, 10)), TensorPoint(torch.zeros(1, 1, 2))))
    assert tfm.decode(TensorPoint(torch.zeros(1, 2))).shape == (1, 1, 2)  # a head's (bs, 2) output


def test_point_scaler_needs_a_size():
    with pytest.raises(Exception, match="image size"):
        PointScaler()(TensorPoint(torch.zeros(1, 1, 2)))


def test_bb_pad_pads_and_drops_empty_boxes():
    img = TensorImage(torch.zeros(3, 4, 4))
    one = (
        img,
        TensorBBox(torch.tensor([[0.0, 0, 2, 2], [1, 1, 1, 3]])),
        TensorMultiCategory(torch.tensor([1, 2])),
    )
    three = (
        img,
        TensorBBox(torch.tensor([[0.0, 0, 1, 1]] * 3)),
        TensorMultiCategory(torch.tensor([2, 2, 1])),
    )
    a, b = bb_pad([one, three])
    assert a[1].shape == b[1].shape == (3, 4) and type(a[1]) is TensorBBox
    assert a[2].tolist() == [1, 0, 0] and a[1][1:].abs().sum() == 0  # the empty box went, then padding
    assert b[2].tolist() == [2, 2, 1] and type(b[2]) is TensorMultiCategory


def test_bb_pad_without_labels():
    img = TensorImage(torch.zeros(3, 4, 4))
    a, b = bb_pad([(img, TensorBBox(torch.tensor([[0.0, 0, 2, 2]]))), (img, TensorBBox(torch.zeros(0, 4)))])
    assert len(a) == 2 and a[1].shape == b[1].shape == (1, 4) and b[1].abs().sum() == 0
