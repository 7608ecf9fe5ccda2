"""audio_learner: the first layer takes the spectrogram's channels; it trains and predicts a file."""

import pytest
import torch

from lamella.audio.core import get_audio_files
from lamella.audio.data import AudioBlock
from lamella.audio.learner import audio_learner
from lamella.audio.spec_augment import Delta
from lamella.audio.spectrogram import AudioToMFCC, AudioToSpec
from lamella.data import CategoryBlock, DataBlock, FuncSplitter, RegexLabeller
from lamella.vision import xresnet18


def _test_split(f):
    return int(f.stem.split("_")[-1]) < 5


def _dls(path, batch_tfms, n=120):
    files = get_audio_files(path)[::5][:n]
    return DataBlock(
        blocks=(AudioBlock(crop_signal_to=1000), CategoryBlock),
        get_items=lambda _: files,
        get_y=RegexLabeller(r"(\d)_\w+_\d+\.wav$"),
        splitter=FuncSplitter(_test_split),
        batch_tfms=batch_tfms,
    ).dataloaders(path, bs=16, device="cpu")


@pytest.mark.parametrize(
    "tfms,n_in",
    [
        ([AudioToSpec(n_fft=256, hop_length=64, n_mels=32)], 1),
        ([AudioToMFCC(n_mfcc=20, melkwargs={"n_mels": 40, "hop_length": 64}), Delta(width=5)], 3),
    ],
)
def test_reads_the_channels_trains_and_predicts_a_file(fsdd, tfms, n_in):
    torch.manual_seed(0)
    dls = _dls(fsdd, tfms)
    learn = audio_learner(dls, xresnet18)
    first = next(m for m in learn.model.modules() if isinstance(m, torch.nn.Conv2d))
    assert first.in_channels == n_in
    with learn.no_bar(), learn.no_logging():
        learn.fit(1, 1e-3)
    label, idx, probs = learn.predict(fsdd / "recordings/6_jackson_3.wav")
    assert label in dls.vocab and probs.shape == (10,) and float(probs.sum()) == pytest.approx(1.0, abs=1e-5)


def test_signals_without_a_spectrogram_are_refused(fsdd):
    dls = _dls(fsdd, [])
    with pytest.raises(ValueError, match=r"add AudioToSpec \(or AudioToMFCC\) to batch_tfms"):
        audio_learner(dls)


def test_n_in_given_is_kept(fsdd):
    dls = _dls(fsdd, [AudioToSpec(n_fft=256, n_mels=32)], n=40)
    learn = audio_learner(dls, n_in=1)
    assert learn.model[0][0].in_channels == 1
