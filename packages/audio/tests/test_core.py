"""Signals: reading every container soundfile writes, metadata through ops and batches, bad files."""

import pickle

import numpy as np
import pytest
import soundfile as sf
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lamella.audio.core import (
    AudioGetter,
    AudioReadError,
    AudioTensor,
    TensorAudio,
    TensorSpec,
    audio_extensions,
    get_audio_files,
    load_audio,
)
from lamella.data import DataLoader


def _tone(sr=8000, seconds=0.25, channels=1):
    t = np.arange(int(sr * seconds)) / sr
    sig = 0.5 * np.sin(2 * np.pi * 440 * t)
    return np.stack([sig * (c + 1) / channels for c in range(channels)], axis=1).astype("float32")


@pytest.mark.parametrize(
    "fmt,ext,subtype,tol",
    [
        ("WAV", "wav", "PCM_16", 1e-4),
        ("FLAC", "flac", "PCM_16", 1e-4),
        ("OGG", "ogg", "VORBIS", 0.05),
        ("MP3", "mp3", "MPEG_LAYER_III", 0.1),
    ],
)
def test_reads_wav_flac_ogg_and_mp3(tmp_path, fmt, ext, subtype, tol):
    data = _tone(channels=2)
    fn = tmp_path / f"tone.{ext}"
    sf.write(fn, data, 8000, format=fmt, subtype=subtype)
    a = TensorAudio.create(fn)
    assert type(a) is TensorAudio and a.sr == 8000 and a.nchannels == 2 and a.dtype == torch.float32
    n = min(a.nsamples, len(data))  # lossy codecs may add priming samples
    if fmt in ("WAV", "FLAC"):
        assert a.nsamples == len(data)
        assert np.abs(a.numpy()[:, :n] - data[:n].T).max() < tol
    else:
        assert abs(a.nsamples - len(data)) < 2000 and float(a.abs().max()) > 0.3  # a loud tone came back


def test_bytes_arrays_and_the_sample_rate(fsdd):
    fn = fsdd / "recordings/5_lucas_9.wav"
    a = TensorAudio.create(fn.read_bytes())
    assert torch.equal(a, TensorAudio.create(fn)) and a.sr == 8000
    assert TensorAudio.create(np.zeros(10, dtype="float32"), sr=16000).shape == (1, 10)
    with pytest.raises(ValueError, match="needs its sample rate: sr="):
        TensorAudio.create(torch.zeros(1, 10))
    assert AudioTensor is TensorAudio  # fastaudio's name


def test_sample_rate_survives_ops_batching_and_pickling(fsdd):
    items = [TensorAudio.create(f) for f in get_audio_files(fsdd)[:4]]
    n = min(i.nsamples for i in items)
    cut = [i[:, :n] for i in items]
    b = next(iter(DataLoader(cut, bs=4)))
    assert type(b) is TensorAudio and b.shape == (4, 1, n) and b.sr == 8000
    assert (b * 0.5 + 1).sr == 8000 and b[2].sr == 8000 and b.mean(-1).sr == 8000
    back = pickle.loads(pickle.dumps(b))
    assert back.sr == 8000 and torch.equal(back, b)


def test_finding_files(fsdd, tmp_path):
    files = get_audio_files(fsdd)
    assert len(files) == 600 and files == sorted(files) and all(f.suffix == ".wav" for f in files)
    (tmp_path / "a").mkdir()
    sf.write(tmp_path / "a/x.FLAC", _tone(), 8000, format="FLAC")
    (tmp_path / "notes.txt").write_text("not audio")
    assert [f.name for f in get_audio_files(tmp_path)] == ["x.FLAC"]
    assert get_audio_files(tmp_path, recurse=False) == []
    getter = pickle.loads(pickle.dumps(AudioGetter("a")))  # picklable: learners export with it
    assert [f.name for f in getter(tmp_path)] == ["x.FLAC"]
    assert {".wav", ".flac", ".ogg", ".mp3"} <= set(audio_extensions)


def test_a_file_that_will_not_open_is_named(tmp_path):
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF\x00\x00 this is not a wave file")
    with pytest.raises(ValueError, match=r"cannot read the audio file .*broken\.wav \(format WAV\)"):
        TensorAudio.create(bad)
    text = tmp_path / "song.mp3"
    text.write_text("lyrics, not sound")
    with pytest.raises(ValueError, match=r"song\.mp3 \(format MP3\)"):
        load_audio(text)
    with pytest.raises(FileNotFoundError, match=r"no audio file at .*missing\.flac"):
        load_audio(tmp_path / "missing.flac")


def test_a_truncated_wav_is_named_not_read_in_part(tmp_path, fsdd):
    whole = (fsdd / "recordings/0_george_0.wav").read_bytes()
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(
        AudioReadError, match=r"cut\.wav is truncated: .* declares \d+ bytes .* fetch the file again"
    ):
        TensorAudio.create(cut)
    with pytest.raises(AudioReadError, match="the given bytes is truncated"):
        load_audio(whole[:-2])
    sig, sr = load_audio(whole)  # the whole file, read from bytes, still loads
    assert sig.shape == (1, (len(whole) - 44) // 2) and sr == 8000


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300), st.booleans())
def test_random_bytes_are_a_named_error_or_a_sound(tmp_path_factory, data, riff):
    fn = tmp_path_factory.mktemp("bytes") / "noise.wav"
    fn.write_bytes((b"RIFF\x24\x00\x00\x00WAVEfmt " if riff else b"") + data)
    try:
        sig, sr = load_audio(fn)
    except AudioReadError as e:
        assert "noise.wav" in str(e)
    else:
        assert sig.ndim == 2 and sig.shape[1] > 0 and sr > 0 and np.isfinite(sig).all()


def test_non_finite_samples_are_named(tmp_path):
    fn = tmp_path / "nan.wav"
    sf.write(fn, np.array([[0.1], [np.nan], [0.2]], dtype="float32"), 8000, subtype="FLOAT")
    with pytest.raises(AudioReadError, match=r"nan\.wav holds 1 NaN or infinite samples"):
        load_audio(fn)


def test_an_empty_file_is_named(tmp_path):
    fn = tmp_path / "empty.wav"
    sf.write(fn, np.zeros((0, 1), dtype="float32"), 8000)
    with pytest.raises(ValueError, match=r"empty\.wav holds no samples"):
        TensorAudio.create(fn)


def test_show_draws_time_in_seconds(mpl, fsdd):
    a = TensorAudio.create(fsdd / "recordings/2_theo_0.wav")
    ax = a.show(title="two")
    assert ax.get_xlabel() == "time (s)" and ax.get_title() == "two"
    assert ax.get_xlim()[1] == pytest.approx((a.nsamples - 1) / 8000)
    stereo = TensorAudio(torch.randn(2, 100), sr=100)
    assert len(stereo.show().lines) == 2


def test_hear_gives_a_notebook_player_or_says_what_to_install():
    a = TensorAudio(torch.zeros(1, 80), sr=8000)
    try:
        import IPython  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match=r"lamella-audio\[play\]"):
            a.hear()
    else:
        assert a.hear().data  # a WAV for the browser, silent (IPython's scaling would divide by 0)
        loud = TensorAudio(torch.sin(torch.arange(800) / 5.0)[None] * 3, sr=8000)
        assert len(loud.hear().data) > 44 + 2 * 800 - 1  # 16-bit samples after a 44-byte header


def test_image_augmentations_leave_spectrograms_alone():
    from lamella.data.augment import Brightness, Flip

    sg = TensorSpec(torch.rand(2, 1, 8, 8))
    assert torch.equal(Flip(p=1.0)(sg, split_idx=0), sg) and torch.equal(
        Brightness(p=1.0)(sg, split_idx=0), sg
    )


def test_a_spectrogram_reads_its_settings_as_attributes_and_keeps_them_through_ops():
    sg = TensorSpec(torch.zeros(2, 1, 40, 63), settings={"sr": 8000, "hop_length": 128, "n_fft": 512})
    assert (sg.nchannels, sg.height, sg.width, sg.sr, sg.hop_length) == (1, 40, 63, 8000, 128)
    assert sg.duration == pytest.approx(62 * 128 / 8000)
    assert (sg[0] + 1).settings is sg.settings and pickle.loads(pickle.dumps(sg)).n_fft == 512
    with pytest.raises(AttributeError, match="no attribute 'f_max'"):
        _ = sg.f_max
