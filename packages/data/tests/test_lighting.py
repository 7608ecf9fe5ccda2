import pytest
import torch

from lamella.data.augment import (
    Brightness,
    Contrast,
    Hue,
    LightingTfm,
    Saturation,
    color_image,
    lighting_image,
    setup_aug_tfms,
)
from lamella.typedtensor import TensorImage


def run(tfms, b, split_idx=0):
    for t in tfms:
        b = t(b, split_idx=split_idx)
    return b


def test_brightness_and_contrast_compose_into_one_pass(monkeypatch):
    calls = []
    real = torch.logit
    # count the passes over images (4-d), not the per-item parameter draws
    monkeypatch.setattr(torch, "logit", lambda x, *a, **k: calls.append(x.ndim) or real(x, *a, **k))
    merged = setup_aug_tfms([Brightness(p=1.0, seed=0), Contrast(p=1.0, seed=1), Brightness(p=1.0, seed=2)])
    assert len(merged) == 1 and len(merged[0].logit_fs) == 3
    out = run(merged, TensorImage(torch.rand(4, 3, 8, 8)))
    assert calls.count(4) == 1 and type(out) is TensorImage and 0 <= out.min() and out.max() <= 1


def test_composition_equals_applying_one_after_the_other():
    x = TensorImage(torch.rand(4, 3, 8, 8) * 0.9 + 0.05)
    seq = run([Brightness(p=1.0, seed=0), Contrast(p=1.0, seed=1)], x)
    merged = run(setup_aug_tfms([Brightness(p=1.0, seed=0), Contrast(p=1.0, seed=1)]), x)
    torch.testing.assert_close(merged.as_plain(), seq.as_plain(), atol=1e-4, rtol=0)


def test_identity_and_probability_zero():
    x = TensorImage(torch.rand(3, 3, 4, 4) * 0.9 + 0.05)
    for t in (Brightness(p=0.0), Contrast(p=0.0), Saturation(p=0.0), Hue(p=0.0)):
        torch.testing.assert_close(t(x, split_idx=0).as_plain(), x.as_plain(), atol=1e-4, rtol=0)


def test_saturation_and_hue_keep_grey_and_change_colour():
    grey = TensorImage(torch.full((2, 3, 4, 4), 0.4))
    colour = TensorImage(
        torch.stack([torch.full((4, 4), v) for v in (0.8, 0.3, 0.1)])[None].repeat(2, 1, 1, 1)
    )
    for t in (Saturation(max_lighting=0.5, p=1.0, seed=0), Hue(max_hue=0.2, p=1.0, seed=0)):
        torch.testing.assert_close(t(grey, split_idx=0).as_plain(), grey.as_plain(), atol=1e-4, rtol=0)
        assert not torch.allclose(t(colour, split_idx=0).as_plain(), colour.as_plain(), atol=1e-3)
    merged = setup_aug_tfms([Saturation(p=1.0), Hue(p=1.0)])
    assert len(merged) == 1 and len(merged[0].color_fs) == 2


def test_colour_transforms_need_rgb():
    from lamella.transforms import TransformError

    with pytest.raises(TransformError, match="need RGB images"):
        Saturation(p=1.0)(TensorImage(torch.rand(2, 1, 4, 4)), split_idx=0)


def test_kernels():
    x = torch.full((1, 3, 1, 1), 0.5)
    assert lighting_image(x, torch.tensor([2.0]), torch.tensor([0.0])).flatten().tolist() == [0.5] * 3
    swap = torch.tensor([[[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]])
    assert color_image(torch.tensor([[[[0.2]], [[0.7]], [[0.1]]]]), swap).flatten().tolist() == pytest.approx(
        [0.7, 0.2, 0.1]
    )
    assert LightingTfm()(TensorImage(x), split_idx=0).flatten().tolist() == [0.5] * 3


def test_masks_pass_through_lighting():
    from lamella.typedtensor import TensorMask

    mask = TensorMask(torch.ones(2, 4, 4, dtype=torch.long))
    _, out = Brightness(p=1.0)((TensorImage(torch.rand(2, 3, 4, 4)), mask), split_idx=0)
    assert torch.equal(out, mask)


def test_lighting_seed_reproduces():
    x = TensorImage(torch.rand(4, 3, 4, 4))
    assert torch.equal(Brightness(p=1.0, seed=3)(x, split_idx=0), Brightness(p=1.0, seed=3)(x, split_idx=0))
