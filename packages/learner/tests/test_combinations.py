"""Callbacks that must compose: mixed precision + gradient accumulation + one-cycle + mixup, and more."""

import pytest
import torch

from lamella.learner import (
    CheckpointCallback,
    CSVLogger,
    EarlyStoppingCallback,
    GradientAccumulation,
    GradientClip,
    MixedPrecision,
    MixUp,
    SaveModelCallback,
)


@pytest.mark.parametrize("precision", ["bf16", "fp16"])
def test_mixed_precision_accumulation_one_cycle_mixup(learn, precision, threshold):
    getattr(learn, f"to_{precision}")()
    next(c for c in learn.cbs if isinstance(c, MixedPrecision)).cpu_fp16 = True  # to_fp16 skips it on a CPU
    before, *_ = learn.validate()
    learn.fit_one_cycle(4, 0.1, cbs=[GradientAccumulation(n_acc=64), MixUp(0.4), GradientClip(1.0)])
    lrs = learn.recorder.lrs
    assert max(lrs) == pytest.approx(0.1, rel=0.1) and lrs[-1] < lrs[0]
    assert all(torch.isfinite(p).all() for p in learn.model.parameters())
    loss, *_ = learn.validate()
    threshold(loss / before, below=0.85, name="loss after / before")


def test_trackers_checkpoints_and_loggers_together(learn, tmp_path):
    learn.path = tmp_path
    cbs = [
        SaveModelCallback(fname="best"),
        EarlyStoppingCallback(patience=3),
        CheckpointCallback(every=5),
        CSVLogger(),
    ]
    learn.fit_one_cycle(4, 1e-2, cbs=cbs)
    names = sorted(p.name for p in (tmp_path / "models").iterdir())
    assert names == ["best.safetensors", "checkpoint.pth"]
    assert len((tmp_path / "history.csv").read_text().splitlines()) == len(learn.recorder.values) + 1
