"""Issue 19's quality bar on the shipped FSDD subset, official split (recordings 0-4 are the test set).

From scratch, no pretrained weights: spoken digits and speaker identity (6 speakers), each at
least 0.90 accuracy on the 300 test recordings. About two CPU minutes each.
"""

import sys
from pathlib import Path

import pytest
import torch

import lamella.samples
from lamella.audio import AudioBlock, AudioToSpec, audio_learner, get_audio_files
from lamella.data import CategoryBlock, DataBlock, FuncSplitter, RegexLabeller
from lamella.learner import accuracy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from e2e_getters import fsdd_is_test  # noqa: E402

LABELS = {"digit": r"(\d)_\w+_\d+\.wav$", "speaker": r"\d_([a-z]+)_\d+\.wav$"}


@pytest.mark.parametrize("task", ["digit", "speaker"])
def test_fsdd_from_scratch_reaches_ninety_percent(task):
    torch.manual_seed(0)
    dls = DataBlock(
        blocks=(AudioBlock(sample_rate=8000, crop_signal_to=1000), CategoryBlock),
        get_items=get_audio_files,
        get_y=RegexLabeller(LABELS[task]),
        splitter=FuncSplitter(fsdd_is_test),
        batch_tfms=AudioToSpec(sample_rate=8000, n_fft=512, hop_length=64, n_mels=40),
    ).dataloaders(lamella.samples.path("fsdd_subset"), bs=32, device="cpu", seed=0)
    assert len(dls.train_ds) == 300 and len(dls.valid_ds) == 300
    assert len(dls.vocab) == (10 if task == "digit" else 6)
    learn = audio_learner(dls, metrics=accuracy)
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(20, 1e-2)
    acc = float(learn.validate()[1])
    print(f"{task}: test accuracy {acc:.3f}")
    assert acc >= 0.90, f"{task} accuracy {acc:.3f} below 0.90"
