"""AudioBlock in a DataBlock: the four lines on the shipped recordings, batching, predicting, bad input."""

import pickle

import numpy as np
import pytest
import soundfile as sf
import torch

from lamella.audio.core import TensorAudio, TensorSpec, get_audio_files
from lamella.audio.data import AudioBlock, pad_audio
from lamella.audio.spec_augment import MaskFreq, MaskTime
from lamella.audio.spectrogram import AudioConfig, AudioToSpec
from lamella.data import CategoryBlock, CollateError, DataBlock, FuncSplitter, RegexLabeller
from lamella.transforms import TransformError


def _split(f):
    return int(f.stem.split("_")[-1]) < 5


def _digits(path, **block):
    cfg = AudioConfig.BasicMelSpectrogram(n_fft=512, hop_length=64, sample_rate=8000, n_mels=64)
    return DataBlock(
        blocks=(AudioBlock(**block), CategoryBlock),
        get_items=get_audio_files,
        get_y=RegexLabeller(r"(\d)_\w+_\d+\.wav$"),
        splitter=FuncSplitter(_split),
        batch_tfms=[AudioToSpec.from_cfg(cfg), MaskFreq(size=8), MaskTime(size=4)],
    ).dataloaders(path, bs=16, device="cpu")


def test_the_issue_example_builds_spectrogram_batches(fsdd):
    dls = _digits(fsdd, sample_rate=8000, crop_signal_to=1000)
    assert len(dls.train_ds) == 300 and len(dls.valid_ds) == 300 and dls.vocab == [str(d) for d in range(10)]
    x, y = dls.one_batch()
    assert type(x) is TensorSpec and x.shape == (16, 1, 64, 126) and x.sr == 8000 and y.shape == (16,)
    xv, _ = next(iter(dls.valid))
    assert xv.shape == (16, 1, 64, 126)


def test_variable_lengths_are_padded_per_batch_with_lengths_kept(fsdd):
    dls = DataBlock(
        blocks=(AudioBlock(), CategoryBlock),
        get_items=get_audio_files,
        get_y=RegexLabeller(r"(\d)_\w+_\d+\.wav$"),
        splitter=FuncSplitter(_split),
    ).dataloaders(fsdd, bs=8, device="cpu")
    x, _ = next(iter(dls.valid))
    files = dls.valid_ds.items[:8]
    true = [sf.info(f).frames for f in files]
    assert type(x) is TensorAudio and x.shape == (8, 1, max(true)) and x.lengths.tolist() == true
    for i, n in enumerate(true):
        assert (x[i, 0, n:] == 0).all()


def test_resampling_to_the_block_rate(fsdd):
    dls = _digits(fsdd, sample_rate=16000, crop_signal_to=500)
    dls.train.after_batch.fs = []  # the signals themselves
    x, _ = dls.one_batch()
    assert x.sr == 16000 and x.shape == (16, 1, 8000)


def test_pad_audio_refuses_mixed_rates_and_channels():
    a, b = TensorAudio(torch.zeros(1, 10), sr=8000), TensorAudio(torch.zeros(1, 10), sr=16000)
    with pytest.raises(
        ValueError, match=r"sample rate 8000 but item 1 has 16000.*AudioBlock\(sample_rate=\.\.\.\)"
    ):
        pad_audio([(a, 0), (b, 1)])
    stereo = TensorAudio(torch.zeros(2, 10), sr=8000)
    with pytest.raises(CollateError, match=r"channel count 1 but item 1 has 2.*force_mono=True"):
        pad_audio([a, stereo])
    assert pad_audio([]) == []


def test_mixed_rates_in_a_folder_say_how_to_fix_it(tmp_path):
    for i, sr in enumerate([8000, 16000, 8000, 16000]):
        sf.write(tmp_path / f"{i}_x_{i}.wav", np.zeros(sr, dtype="float32"), sr)
    block = DataBlock(
        blocks=(AudioBlock(), CategoryBlock),
        get_items=get_audio_files,
        get_y=RegexLabeller(r"(\d)_\w+_\d+\.wav$"),
    )
    # the error names the files of the batch
    with pytest.raises(
        CollateError,
        match=r"sample rate.*AudioBlock\(sample_rate=.*dataset items \d \(PosixPath \S+/\d_x_\d\.wav\)",
    ):
        block.dataloaders(tmp_path, bs=4, device="cpu").one_batch()
    fixed = DataBlock(
        blocks=(AudioBlock(sample_rate=8000), CategoryBlock),
        get_items=get_audio_files,
        get_y=RegexLabeller(r"(\d)_\w+_\d+\.wav$"),
    ).dataloaders(tmp_path, bs=2, device="cpu")
    assert fixed.one_batch()[0].sr == 8000


def test_a_corrupt_file_in_the_folder_is_named(tmp_path, fsdd):
    for f in get_audio_files(fsdd)[:6]:
        (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "9_broken_1.wav").write_bytes(b"RIFF....WAVEfmt garbage")
    dls = DataBlock(
        blocks=(AudioBlock(crop_signal_to=500), CategoryBlock),
        get_items=get_audio_files,
        get_y=RegexLabeller(r"(\d)_\w+_\d+\.wav$"),
    ).dataloaders(tmp_path, bs=1, device="cpu")
    with pytest.raises((ValueError, TransformError), match=r"9_broken_1\.wav \(format WAV\)"):
        for dl in (dls.train, dls.valid):
            for _ in dl:
                pass


def test_show_batch_draws_spectrograms_with_labels(mpl, fsdd):
    dls = _digits(fsdd, sample_rate=8000, crop_signal_to=1000)
    dls.show_batch(max_n=4)
    axes = mpl.pyplot.gcf().axes
    assert len(axes) >= 4 and axes[0].get_title() in dls.vocab and axes[0].get_xlabel() == "time (s)"


def test_loaders_pickle_with_the_audio_pipeline(fsdd):
    dls = _digits(fsdd, sample_rate=8000, crop_signal_to=1000)
    back = pickle.loads(pickle.dumps(dls))
    assert back.one_batch()[0].shape == (16, 1, 64, 126)
