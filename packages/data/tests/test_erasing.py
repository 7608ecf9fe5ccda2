import torch

from lamella.data.augment import RandomErasing, erase_image
from lamella.typedtensor import TensorImage, TensorMask


def test_erases_inside_the_boxes_only():
    x = torch.zeros(1, 1, 4, 4)
    out = erase_image(x, torch.tensor([[[0.5, 0.5, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]]]), torch.ones(1, 1, 4, 4))
    assert out[0, 0].tolist() == [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]]


def test_random_erasing_per_item_and_seeded():
    x = TensorImage(torch.zeros(8, 3, 16, 16))
    a = RandomErasing(p=0.5, sh=0.2, max_count=2, seed=1)(x, split_idx=0)
    b = RandomErasing(p=0.5, sh=0.2, max_count=2, seed=1)(x, split_idx=0)
    assert torch.equal(a, b) and type(a) is TensorImage
    erased = (a != 0).flatten(1).any(1)
    assert 0 < int(erased.sum()) < 8  # some items, not all
    assert float((a != 0).float().mean()) < 0.3


def test_masks_and_validation_untouched():
    mask = TensorMask(torch.zeros(2, 4, 4, dtype=torch.long))
    x = TensorImage(torch.zeros(2, 3, 4, 4))
    out_x, out_m = RandomErasing(p=1.0)((x, mask), split_idx=0)
    assert torch.equal(out_m, mask)
    assert RandomErasing(p=1.0)(x, split_idx=1) is x
