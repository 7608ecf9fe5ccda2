"""Spectrogram augmentation: SpecAugment's mask widths, rolls keeping every column, features on all splits."""

import pytest
import torch

from lamella.audio import (
    CropTime,
    Delta,
    MaskFreq,
    MaskTime,
    SGRoll,
    TfmResize,
)
from lamella.audio.core import TensorSpec


def _spec(bs=8, h=40, w=30):
    return TensorSpec(torch.rand(bs, 1, h, w) + 1.0, settings={"sr": 8000, "hop_length": 80})


def test_spec_masks_cover_size_rows_and_use_the_mean():
    sg = _spec(bs=16)
    out = MaskFreq(num_masks=2, size=5, min_size=5, seed=1)(sg, split_idx=0)
    for o, s in zip(out[:, 0], sg[:, 0]):
        changed = (o != s).any(dim=1)
        assert 5 <= int(changed.sum()) <= 10
        assert torch.allclose(o[changed], s.mean().expand_as(o[changed]))
    t = MaskTime(size=4, min_size=4, val=-1.0, seed=0)(sg, split_idx=0)
    assert ((t == -1).all(dim=2).sum(-1) == 4).all()
    fixed = MaskFreq(size=5, min_size=5, start=3, val=0.0)(sg, split_idx=0)
    assert (fixed[:, 0, 3:8] == 0).all()
    with pytest.raises(Exception, match="size 50 does not fit 40"):
        MaskFreq(size=50)(sg, split_idx=0)
    with pytest.raises(ValueError, match="need 0 <= min_size <= size, got 6 and 5"):
        MaskTime(size=5, min_size=6)


def test_mask_widths_are_drawn_up_to_size_as_specaugment():
    sg = TensorSpec(torch.rand(4000, 1, 40, 50))
    widths = (MaskTime(size=20, val=-1.0, seed=0)(sg, split_idx=0) == -1).all(dim=2).sum(-1).flatten()
    counts = torch.bincount(widths, minlength=21).float()
    assert widths.max() == 20 and len(counts) == 21  # every width 0..20, none wider
    assert (counts / counts.mean() - 1).abs().max() < 0.25  # uniformly: 4000 draws, about 190 each
    rows = (MaskFreq(size=8, min_size=3, val=-1.0, seed=1)(sg, split_idx=0) == -1).all(dim=3).sum(-1)
    assert rows.min() == 3 and rows.max() == 8


def test_sgroll_keeps_every_column():
    sg = TensorSpec(torch.arange(30.0).repeat(4, 1, 2, 1))
    out = SGRoll(max_shift_pct=0.9, seed=0)(sg, split_idx=0)
    for o in out[:, 0, 0]:
        assert sorted(o.tolist()) == list(range(30))


def test_crop_time_delta_and_resize_run_on_every_split():
    sg = _spec(bs=2, w=100)
    assert CropTime(500)(sg, split_idx=1).shape == (2, 1, 40, 51)
    assert CropTime(2000)(sg, split_idx=0).shape == (2, 1, 40, 201)
    d = Delta()(sg)
    assert d.shape == (2, 3, 40, 100) and torch.equal(d[:, :1], sg) and d.settings == sg.settings
    assert TfmResize(16)(sg).shape == (2, 1, 16, 16) and TfmResize((20, 50))(sg[0]).shape == (1, 20, 50)
    with pytest.raises(Exception, match="needs a spectrogram made by AudioToSpec"):
        CropTime(100)(TensorSpec(torch.zeros(1, 4, 4)))
