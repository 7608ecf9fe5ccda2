"""The spectrogram arithmetic against librosa, in float64 (relative tolerance 1e-4 and far better)."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lamella.audio.functional import (
    amplitude_to_db,
    dct_matrix,
    delta,
    hz_to_mel,
    mel_filterbank,
    mel_to_hz,
    power_to_db,
    spectrogram,
)

librosa = pytest.importorskip("librosa", reason="librosa is the test-only reference")
scipy_fft = pytest.importorskip("scipy.fft")


def _rel(ours, ref):
    ours = ours.numpy() if isinstance(ours, torch.Tensor) else ours
    return float(np.abs(ours - ref).max() / max(np.abs(ref).max(), 1e-300))


@pytest.fixture(scope="module")
def speech(fsdd):
    import soundfile as sf

    y, sr = sf.read(fsdd / "recordings/3_jackson_7.wav", dtype="float64")
    return y, sr


@pytest.mark.parametrize("htk", [False, True])
def test_mel_scale_both_ways(htk):
    f = np.array([0.0, 100.0, 999.0, 1000.0, 1001.0, 4000.0, 11025.0])
    ours = hz_to_mel(torch.from_numpy(f), htk)
    assert _rel(ours, librosa.hz_to_mel(f, htk=htk)) < 1e-12
    assert _rel(mel_to_hz(ours, htk), f) < 1e-12


@pytest.mark.parametrize("htk,norm", [(False, "slaney"), (True, None), (False, None), (True, "slaney")])
@pytest.mark.parametrize(
    "sr,n_fft,n_mels,fmin,fmax",
    [(8000, 512, 40, 0.0, None), (16000, 400, 64, 20.0, 7600.0), (22050, 2048, 64, 50.0, 11025.0)],
)
def test_mel_filterbank_is_librosas(htk, norm, sr, n_fft, n_mels, fmin, fmax):
    ref = librosa.filters.mel(
        sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk, norm=norm, dtype=np.float64
    )
    ours = mel_filterbank(sr, n_fft, n_mels, fmin, fmax, htk, norm, dtype=torch.float64)
    assert ours.shape == ref.shape and _rel(ours, ref) < 1e-10


def test_mel_filterbank_rejects_a_range_beyond_nyquist():
    with pytest.raises(ValueError, match="f_max <= sr/2 = 4000"):
        mel_filterbank(8000, 512, 40, 0.0, 8000.0)


@pytest.mark.parametrize("pad_mode", ["constant", "reflect"])
@pytest.mark.parametrize(
    "n_fft,hop,win,window",
    [(512, 128, None, "hann"), (400, 160, 300, "hamming"), (256, 64, None, "blackman")],
)
def test_power_spectrogram_is_librosas(speech, pad_mode, n_fft, hop, win, window):
    y, _ = speech
    ref = (
        np.abs(librosa.stft(y, n_fft=n_fft, hop_length=hop, win_length=win, window=window, pad_mode=pad_mode))
        ** 2
    )
    ours = spectrogram(torch.from_numpy(y), n_fft, hop, win, window, pad_mode=pad_mode)
    assert ours.shape == ref.shape and _rel(ours, ref) < 1e-10


def test_spectrogram_of_a_batch_is_each_items(speech):
    y = torch.from_numpy(speech[0])
    batch = torch.stack([y, y.flip(0), 0.5 * y])[:, None]  # (3, 1, n)
    out = spectrogram(batch, 256, 64)
    for i in range(3):
        assert torch.allclose(out[i, 0], spectrogram(batch[i, 0], 256, 64))


def test_mel_decibels_and_mfcc_are_librosas(speech):
    y, sr = speech
    kw = dict(n_fft=512, hop_length=128, n_mels=40)
    mel_ref = librosa.feature.melspectrogram(y=y, sr=sr, dtype=np.float64, **kw)
    mel = mel_filterbank(sr, 512, 40, dtype=torch.float64) @ spectrogram(torch.from_numpy(y), 512, 128)
    assert _rel(mel, mel_ref) < 1e-10
    assert np.abs(power_to_db(mel, item_dims=2).numpy() - librosa.power_to_db(mel_ref)).max() < 1e-8
    mag = mel.sqrt()
    assert (
        np.abs(amplitude_to_db(mag, item_dims=2).numpy() - librosa.amplitude_to_db(mag.numpy())).max() < 1e-8
    )
    mfcc_ref = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=13, dtype=np.float64, **kw)
    assert _rel(dct_matrix(40, 13, dtype=torch.float64) @ power_to_db(mel, item_dims=2), mfcc_ref) < 1e-10


def test_decibel_floor_is_per_item():
    loud, quiet = torch.full((1, 2, 2), 1e4), torch.full((1, 2, 2), 1e-2)
    loud[0, 0, 0], quiet[0, 0, 0] = 1e-20, 1e-20
    db = power_to_db(torch.stack([loud, quiet]), top_db=80.0)
    # the loud item is floored 80 dB under its 40 dB peak; the quiet one only by amin (-100 dB), not by
    # the loud item's floor, as librosa on each alone
    assert db[0].min().item() == pytest.approx(-40.0) and db[1].min().item() == pytest.approx(-100.0)


def test_dct_is_scipys():
    x = np.random.default_rng(0).standard_normal((40, 7))
    for norm in ("ortho", None):
        ref = scipy_fft.dct(x, type=2, norm=norm, axis=0)[:20]
        assert _rel(dct_matrix(40, 20, norm, dtype=torch.float64) @ torch.from_numpy(x), ref) < 1e-12


@settings(max_examples=25, deadline=None)
@given(
    order=st.sampled_from([1, 2]),
    width=st.sampled_from([3, 5, 7, 9]),
    n=st.integers(9, 60),
    rows=st.integers(1, 5),
    seed=st.integers(0, 1000),
)
def test_delta_is_librosas(order, width, n, rows, seed):
    x = np.random.default_rng(seed).standard_normal((rows, n))
    ref = librosa.feature.delta(x, width=width, order=order)
    assert _rel(delta(torch.from_numpy(x), width, order), ref) < 1e-9


def test_delta_names_what_is_wrong():
    with pytest.raises(ValueError, match="odd integer"):
        delta(torch.zeros(1, 20), width=4)
    with pytest.raises(ValueError, match="at least width=9 time steps; this spectrogram has 5"):
        delta(torch.zeros(1, 5))


def test_too_short_for_one_window():
    with pytest.raises(ValueError, match="shorter than one FFT window"):
        spectrogram(torch.zeros(100), 256, center=False)
