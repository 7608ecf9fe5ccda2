import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from lamella.learner import CheckpointCallback

SCRIPT = Path(__file__).with_name("resume_run.py")


def run(out, *kill, workers=0):
    env = {**os.environ, "PYTHONHASHSEED": "0", "NUM_WORKERS": str(workers)}
    cmd = [sys.executable, str(SCRIPT), str(out), *map(str, kill)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)


@pytest.mark.parametrize("workers", [0, 2])
def test_sigkill_mid_epoch_then_resume_is_bit_identical(tmp_path, workers):
    # with workers, each batch's augmentation is seeded by its position in the epoch (batch_seed)
    ref, crashed = tmp_path / "ref", tmp_path / "crashed"
    assert run(ref, workers=workers).returncode == 0
    killed = run(crashed, 1, 5, workers=workers)  # epoch 1, batch 5: two batches after the checkpoint at 3
    assert killed.returncode == -signal.SIGKILL
    assert (crashed / "models" / "checkpoint.pth").exists() and not (crashed / "final.pt").exists()
    resumed = run(crashed, workers=workers)
    assert resumed.returncode == 0, resumed.stderr
    a, b = torch.load(ref / "final.pt"), torch.load(crashed / "final.pt")
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_resume_after_an_epoch_end_checkpoint(tmp_path):
    ref, crashed = tmp_path / "ref", tmp_path / "crashed"
    assert run(ref).returncode == 0
    assert run(crashed, 2, 0).returncode == -signal.SIGKILL  # dies at the first batch of epoch 2
    assert run(crashed).returncode == 0
    a, b = torch.load(ref / "final.pt"), torch.load(crashed / "final.pt")
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_checkpoints_are_written_and_optional(learn, tmp_path):
    learn.path = tmp_path
    learn.fit(1, cbs=CheckpointCallback(every=2))
    state = torch.load(tmp_path / "models" / "checkpoint.pth", weights_only=True)
    assert state["epoch"] == 1 and state["batches_done"] == 0 and "rng" in state
    learn.fit(1, cbs=CheckpointCallback(every=2, resume=False))  # starts over rather than resuming
    assert len(learn.recorder.values) == 1 and learn.recorder.log[0] == 0
