import pytest
import torch

from lamella.data.augment import (
    AffineCoordTfm,
    Brightness,
    Flip,
    LightingTfm,
    RandomResizedCropGPU,
    RandTransform,
    Rotate,
    Zoom,
    aug_transforms,
    batch_info,
    setup_aug_tfms,
)
from lamella.typedtensor import TensorImage


def test_defaults_give_one_affine_and_one_lighting_transform():
    tfms = aug_transforms()
    assert [type(t) for t in tfms] == [AffineCoordTfm, LightingTfm]
    assert (
        len(tfms[0].aff_fs) == 4 and len(tfms[1].logit_fs) == 2
    )  # flip, warp, rotate, zoom; brightness, contrast


def test_options_change_the_recipe():
    assert [type(t) for t in aug_transforms(max_lighting=0)] == [AffineCoordTfm]
    assert len(aug_transforms(do_flip=False, max_warp=0, max_zoom=1.0)[0].aff_fs) == 1
    assert type(aug_transforms(flip_vert=True)[0].aff_fs[0].__self__).__name__ == "Dihedral"
    with_crop = aug_transforms(size=16, min_scale=0.5)
    assert any(isinstance(t, RandomResizedCropGPU) for t in with_crop)
    with pytest.raises(ValueError, match="needs size="):
        aug_transforms(min_scale=0.5)


def test_size_resamples_the_batch():
    x = TensorImage(torch.rand(2, 3, 40, 30))
    for t in aug_transforms(size=(20, 16)):
        x = t(x, split_idx=0)
    assert x.shape == (2, 3, 20, 16)


def test_a_custom_batch_transform_composes_with_the_rest():
    class Cutout(RandTransform):
        """Zero a random square per image: a user's batch transform in a few lines."""

        order = 50

        def __init__(self, frac=0.25, p=1.0, seed=None):
            super().__init__(p=p, seed=seed)
            self.frac = frac

        def before_call(self, b, split_idx):
            bs, _, (h, w) = batch_info(b)
            side = int(self.frac * min(h, w))
            self.y, self.x = (self.rand(bs) * (h - side)).long(), (self.rand(bs) * (w - side)).long()
            self.side, self.do = side, self.draw_mask(bs)

        def encodes(self, x: TensorImage):
            x = x.clone()
            for i in torch.nonzero(self.do).flatten().tolist():
                x[i, :, self.y[i] : self.y[i] + self.side, self.x[i] : self.x[i] + self.side] = 0
            return x

    tfms = setup_aug_tfms([Flip(), Cutout(seed=0), Rotate(), Brightness(), Zoom(max_zoom=1.2)])
    assert [type(t).__name__ for t in tfms] == ["AffineCoordTfm", "Brightness", "Cutout"]
    x = TensorImage(torch.rand(4, 3, 16, 16) + 0.1)
    for t in tfms:
        x = t(x, split_idx=0)
    assert (x == 0).flatten(1).any(1).all()
