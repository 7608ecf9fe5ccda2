import numpy as np
import pytest
import torch

from lamella.data import IntToFloatTensor, Normalize, ToTensor, broadcast_vec
from lamella.transforms import TransformError
from lamella.typedtensor import TensorImage, TensorMask


def test_to_tensor_on_arrays_and_extension():
    assert ToTensor()(np.ones(3)).tolist() == [1.0, 1.0, 1.0]
    assert ToTensor()("text") == "text"


def test_int_to_float_images_and_masks():
    tfm = IntToFloatTensor()
    img = TensorImage(torch.tensor([0, 51, 255], dtype=torch.uint8))
    mask = TensorMask(torch.tensor([0, 1, 2], dtype=torch.uint8))
    x, m = tfm((img, mask))
    assert type(x) is TensorImage and x.dtype == torch.float32 and x.tolist() == pytest.approx([0, 0.2, 1])
    assert type(m) is TensorMask and m.dtype == torch.int64 and m.tolist() == [0, 1, 2]
    assert tfm.decode(x).tolist() == [0, 51, 255]
    # decoding a predicted mask keeps its codes (an image case once turned them into {0, 255})
    dm = tfm.decode(m)
    assert type(dm) is TensorMask and dm.tolist() == [0, 1, 2]


def test_a_users_image_transform_never_reaches_a_mask():
    from lamella.transforms import Transform

    class Brighten(Transform):
        def encodes(self, x: TensorImage):
            return x + 1

    img, mask = TensorImage(torch.zeros(2)), TensorMask(torch.zeros(2, dtype=torch.long))
    x, m = Brighten()((img, mask))
    assert x.tolist() == [1.0, 1.0] and m.tolist() == [0, 0]


def test_normalize_round_trip_leaves_masks():
    norm = Normalize.from_stats([0.5, 0.25], [0.5, 0.5])
    x = TensorImage(torch.rand(4, 2, 3, 3))
    mask = TensorMask(torch.ones(4, 3, 3, dtype=torch.long))
    y, m = norm((x, mask))
    torch.testing.assert_close(y[:, 1].as_plain(), (x[:, 1].as_plain() - 0.25) / 0.5)
    torch.testing.assert_close(norm.decode(y).as_plain(), x.as_plain())
    assert torch.equal(m, mask)
    assert repr(Normalize(axes=(0,))).startswith("Normalize(mean=None, std=None, axes=(0,))")


def test_normalize_without_stats_says_how_to_get_them():
    with pytest.raises(TransformError, match="Normalize has no statistics"):
        Normalize()(TensorImage(torch.zeros(1, 3, 2, 2)))


def test_normalize_sets_up_from_a_batch():
    class OneBatch:
        def one_batch(self):
            return (TensorImage(torch.tensor([[[[1.0]], [[3.0]]], [[[3.0]], [[5.0]]]])),)

    norm = Normalize()
    norm.setup(OneBatch())
    assert norm.mean.flatten().tolist() == [2.0, 4.0]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_normalize_runs_on_the_batch_device():
    norm = Normalize.from_stats([0.5], [0.5])
    y = norm(TensorImage(torch.ones(2, 1, 2, 2, device="cuda")))
    assert y.is_cuda and norm.mean.is_cuda


def test_broadcast_vec():
    (v,) = broadcast_vec(1, 3, [1.0, 2.0])
    assert v.shape == (1, 2, 1)
