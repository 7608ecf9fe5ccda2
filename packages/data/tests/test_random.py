import pickle

import pytest
import torch

from lamella.data.augment import RandTransform, batch_info
from lamella.typedtensor import TensorImage, TensorMask, TensorPoint


def test_batch_info_reads_the_first_image_like_tensor():
    assert batch_info((torch.zeros(2), TensorMask(torch.zeros(2, 5, 7)))) == (2, torch.device("cpu"), (5, 7))
    pts = TensorPoint(torch.zeros(3, 1, 2), img_size=(9, 9))
    assert batch_info(pts) == (3, torch.device("cpu"), (9, 9))
    with pytest.raises(TypeError, match="at least one tensor"):
        batch_info(("a", 1))


def test_draws_are_seeded_and_on_the_cpu():
    a, b = RandTransform(seed=1), RandTransform(seed=1)
    assert torch.equal(a.rand(5), b.rand(5)) and a.rand(2).device.type == "cpu"
    assert RandTransform(p=0.0).draw_mask(4).tolist() == [False] * 4
    assert RandTransform(p=0.3).draw_mask(4, p=1.0).all()


def test_before_call_runs_once_per_batch_and_only_on_its_split():
    class Counting(RandTransform):
        calls = 0

        def before_call(self, b, split_idx):
            Counting.calls += 1

        def encodes(self, x: TensorImage):
            return x + 1

    t = Counting()
    out = t((TensorImage(torch.zeros(2, 1)), TensorImage(torch.zeros(2, 1))), split_idx=0)
    assert Counting.calls == 1 and out[1].tolist() == [[1.0], [1.0]]
    assert t(TensorImage(torch.zeros(1)), split_idx=1).tolist() == [0.0] and Counting.calls == 1


def test_unseeded_pickles():
    t = pickle.loads(pickle.dumps(RandTransform(p=0.2)))
    assert t.generator is None and t.p == 0.2
