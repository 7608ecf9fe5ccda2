import collections

import numpy as np
import pytest
import torch

from lamella.typedtensor import (
    TensorCategory,
    TensorImage,
    TensorPoint,
    apply,
    as_plain,
    cast,
    default_device,
    retain_type,
    tensor,
    to_cpu,
    to_device,
    to_np,
)


class _ArrayLike:  # what PIL images look like to numpy
    def __array__(self, dtype=None, copy=None):
        return np.arange(6, dtype=np.uint8).reshape(2, 3)


def test_tensor_from_many_sources():
    t = torch.arange(3)
    assert tensor(t) is t
    assert tensor([1, 2]).tolist() == [1, 2]
    assert tensor(1, 2, 3).tolist() == [1, 2, 3]
    assert tensor(np.ones((2, 2))).dtype == torch.float64
    assert tensor(_ArrayLike()).shape == (2, 3)
    assert tensor([torch.zeros(2), torch.ones(2)]).shape == (2, 2)
    assert tensor([1, 2], dtype=torch.float32).dtype == torch.float32


def test_as_plain_over_structures_drops_every_type():
    img, cat = TensorImage(torch.zeros(1)), TensorCategory(1)
    res = as_plain({"x": (img, [cat])})
    assert type(res["x"][0]) is torch.Tensor and type(res["x"][1][0]) is torch.Tensor
    assert as_plain(3) == 3


def test_cast_keeps_metadata_and_shares_memory():
    p = TensorPoint([[1.0, 2.0]], img_size=(4, 4))
    c = cast(p, TensorImage)
    assert type(c) is TensorImage and c.img_size == (4, 4) and c.data_ptr() == p.data_ptr()
    assert cast(3, float) == 3.0


def test_retain_type_only_casts_base_types():
    img = TensorImage(torch.zeros(2), note="n")
    assert type(retain_type(torch.ones(2), img)) is TensorImage
    assert retain_type(torch.ones(2), img).note == "n"
    assert retain_type("text", img) == "text"
    assert retain_type(None, img) is None
    assert type(retain_type(torch.ones(2), typ=TensorCategory)) is TensorCategory


def test_retain_type_fills_missing_metadata_only():
    old = TensorPoint([[0.0, 0.0]], img_size=(4, 4), extra=1)
    new = TensorPoint([[1.0, 1.0]], img_size=(8, 8))
    res = retain_type(new, old)
    assert res.img_size == (8, 8) and res.extra == 1


def test_apply_keeps_containers_and_types():
    Pair = collections.namedtuple("Pair", "a b")
    res = apply(lambda t: t + 1, Pair(TensorImage(torch.zeros(1)), [torch.zeros(1)]))
    assert isinstance(res, Pair) and type(res.a) is TensorImage and isinstance(res.b, list)
    assert apply(lambda t: t, None) is None


def test_device_helpers():
    b = (TensorImage(torch.zeros(2)), {"y": TensorCategory(1)})
    moved = to_device(b, "cpu")
    assert type(moved[0]) is TensorImage and moved[1]["y"].device.type == "cpu"
    assert to_cpu(b)[0].device.type == "cpu"
    assert default_device(use=False).type == "cpu"
    assert default_device().type == ("cuda" if torch.cuda.is_available() else "cpu")


def test_to_np():
    arr = to_np((TensorImage(torch.ones(2, requires_grad=True)), 3))
    assert isinstance(arr[0], np.ndarray) and arr[1] == 3


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_round_trip_keeps_type_and_metadata():
    p = TensorPoint([[1.0, 2.0]], img_size=(3, 3))
    q = p.cuda()
    assert type(q) is TensorPoint and q.img_size == (3, 3) and q.is_cuda
    assert type(to_device(p, "cuda")) is TensorPoint
