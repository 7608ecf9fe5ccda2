"""Spectrogram transforms: librosa's numbers, settings carried, presets, errors, drawing."""

import pickle
import warnings

import numpy as np
import pytest
import soundfile as sf
import torch

from lamella.audio.core import AudioSpectrogram, TensorAudio, TensorSpec
from lamella.audio.spectrogram import AudioConfig, AudioToMFCC, AudioToSpec, SpectrogramWarning
from lamella.transforms import TransformError

librosa = pytest.importorskip("librosa", reason="librosa is the test-only reference")


@pytest.fixture(scope="module")
def speech(fsdd):
    y, sr = sf.read(fsdd / "recordings/8_nicolas_1.wav", dtype="float64")
    return y, sr


def _rel(ours, ref):
    return float(np.abs(ours - ref).max() / np.abs(ref).max())


@pytest.mark.parametrize(
    "mel_scale,norm,power", [("slaney", "slaney", 2.0), ("htk", None, 2.0), ("slaney", "slaney", 1.0)]
)
def test_mel_spectrogram_in_decibels_is_librosas(speech, mel_scale, norm, power):
    y, sr = speech
    tfm = AudioToSpec(
        sample_rate=sr,
        n_fft=512,
        hop_length=128,
        n_mels=40,
        pad_mode="constant",
        norm=norm,
        mel_scale=mel_scale,
        power=power,
        top_db=80.0,
    )
    ours = tfm(TensorAudio(torch.from_numpy(y)[None], sr=sr))
    mel = librosa.feature.melspectrogram(
        y=y,
        sr=sr,
        n_fft=512,
        hop_length=128,
        n_mels=40,
        power=power,
        htk=mel_scale == "htk",
        norm=norm,
        dtype=np.float64,
    )
    ref = librosa.power_to_db(mel) if power == 2 else librosa.amplitude_to_db(mel)
    assert ours.dtype == torch.float64 and ours.shape == (1, *ref.shape)
    assert _rel(ours[0].numpy(), ref) < 1e-4


def test_linear_spectrogram_without_decibels_is_librosas(speech):
    y, sr = speech
    ours = AudioToSpec(n_fft=256, hop_length=64, mel=False, to_db=False, pad_mode="constant")(
        TensorAudio(torch.from_numpy(y)[None], sr=sr)
    )
    ref = np.abs(librosa.stft(y, n_fft=256, hop_length=64)) ** 2
    assert _rel(ours[0].numpy(), ref) < 1e-4


def test_mfcc_is_librosas(speech):
    y, sr = speech
    tfm = AudioToMFCC(
        n_mfcc=13,
        melkwargs=dict(
            n_fft=512, hop_length=128, n_mels=40, pad_mode="constant", mel_scale="slaney", norm="slaney"
        ),
    )
    ours = tfm(TensorAudio(torch.from_numpy(y)[None], sr=sr))
    ref = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=13, n_fft=512, hop_length=128, n_mels=40, dtype=np.float64)
    assert _rel(ours[0].numpy(), ref) < 1e-4
    liftered = AudioToMFCC(n_mfcc=13, lifter=22, melkwargs=tfm.melkwargs)(
        TensorAudio(torch.from_numpy(y)[None], sr=sr)
    )
    ref_l = librosa.feature.mfcc(
        y=y, sr=sr, n_mfcc=13, lifter=22, n_fft=512, hop_length=128, n_mels=40, dtype=np.float64
    )
    assert _rel(liftered[0].numpy(), ref_l) < 1e-4


@pytest.mark.filterwarnings("ignore::lamella.audio.SpectrogramWarning")  # arithmetic, not learnability
def test_a_batch_gives_each_items_spectrogram(fsdd):
    sigs = [TensorAudio.create(fsdd / f"recordings/{d}_yweweler_4.wav") for d in range(4)]
    n = min(s.nsamples for s in sigs)
    batch = TensorAudio(torch.stack([s[:, :n] for s in sigs]), sr=8000)
    tfm = AudioToSpec(n_fft=256, n_mels=32, top_db=80.0)
    out = tfm(batch)
    assert type(out) is TensorSpec and out.shape[:3] == (4, 1, 32)
    for i in range(4):
        assert torch.allclose(out[i], tfm(TensorAudio(batch[i], sr=8000)), atol=1e-4)


@pytest.mark.filterwarnings("ignore::lamella.audio.SpectrogramWarning")  # arithmetic, not learnability
def test_spectrogram_carries_its_settings():
    sg = AudioToSpec(sample_rate=8000, n_fft=512, n_mels=40)(TensorAudio(torch.randn(2, 1, 8000), sr=8000))
    assert sg.sr == 8000 and sg.hop_length == 256 and sg.n_mels == 40 and sg.mel and sg.to_db
    assert sg.settings["n_fft"] == 512 and (sg * 2).settings is sg.settings
    assert sg[0].hop_length == 256 and sg.nchannels == 1 and sg.height == 40 and sg.width == 32
    assert sg.duration == pytest.approx(31 * 256 / 8000)
    assert pickle.loads(pickle.dumps(sg)).settings == sg.settings
    assert AudioSpectrogram is TensorSpec  # fastaudio's name
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        _ = sg.nonsense


def test_presets_and_from_cfg():
    cfg = AudioConfig.BasicMelSpectrogram(n_fft=512, sample_rate=8000)
    tfm = AudioToSpec.from_cfg(cfg)
    assert (tfm.n_fft, tfm.sample_rate, tfm.hop_length, tfm.n_mels, tfm.mel) == (512, 8000, 256, 128, True)
    assert AudioToSpec.from_cfg(AudioConfig.BasicSpectrogram()).mel is False
    voice = AudioToSpec.from_cfg(AudioConfig.Voice())
    assert (voice.f_min, voice.f_max, voice.n_fft, voice.hop_length) == (50.0, 8000.0, 1024, 128)
    mfcc = AudioToMFCC.from_cfg(AudioConfig.BasicMFCC(n_mfcc=20, melkwargs={"n_mels": 64}))
    assert mfcc.n_mfcc == 20 and mfcc._mel.n_mels == 64
    assert AudioToSpec.from_cfg({"n_fft": 256}).n_fft == 256
    with pytest.raises(TypeError, match=r"unknown settings \['nfft'\]"):
        AudioToSpec.from_cfg({"nfft": 256})


def test_a_sample_rate_mismatch_says_how_to_fix_it():
    tfm = AudioToSpec(sample_rate=16000)
    with pytest.raises(
        TransformError,
        match=r"set up for 16000 Hz but the signal is 8000 Hz: pass AudioBlock\(sample_rate=16000\)",
    ):
        tfm(TensorAudio(torch.zeros(1, 8000), sr=8000))
    with pytest.raises(TransformError, match="has no sample rate"):
        AudioToSpec()(TensorAudio(torch.zeros(1, 8000)))


def test_a_signal_shorter_than_a_window_is_refused():
    with pytest.raises(
        TransformError, match=r"300 samples is shorter than one FFT window \(win_length=400\)"
    ):
        AudioToSpec()(TensorAudio(torch.zeros(1, 300), sr=8000))


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="mel_scale"):
        AudioToSpec(mel_scale="bark")
    with pytest.raises(ValueError, match="n_mfcc=200 is more than the n_mels=128"):
        AudioToMFCC(n_mfcc=200)
    with pytest.raises(ValueError, match="melkwargs cannot set"):
        AudioToMFCC(melkwargs={"to_db": True})
    with pytest.raises(ValueError, match="type 2"):
        AudioToMFCC(dct_type=3)


def test_show_draws_seconds_and_hertz(mpl):
    sig = TensorAudio(torch.randn(1, 8000), sr=8000)
    ax = AudioToSpec(n_fft=512, n_mels=40)(sig).show(title="noise")
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("time (s)", "frequency (Hz)", "noise")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "0" and labels[-1] == "4000"
    assert ax.get_xlim()[1] == pytest.approx(31 * 256 / 8000)
    lin = AudioToSpec(n_fft=256, mel=False)(sig).show()
    assert [t.get_text() for t in lin.get_yticklabels()][-1] == "4000"
    assert AudioToMFCC(n_mfcc=13)(sig).show().get_ylabel() == "coefficient"


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_spectrograms_are_computed_on_the_batch_device():
    sig = TensorAudio(torch.randn(4, 1, 16000, device="cuda"), sr=16000)
    sg = AudioToSpec(n_mels=64)(sig)
    assert sg.device.type == "cuda"
    assert torch.allclose(sg.cpu(), AudioToSpec(n_mels=64)(TensorAudio(sig.cpu(), sr=16000)), atol=1e-3)


def _batch(n=8000, bs=4, sr=8000):
    return TensorAudio(torch.randn(bs, 1, n), sr=sr)


def test_too_few_frames_for_a_cnn_warn_once_with_the_hop_to_use():
    cfg = AudioConfig.BasicMelSpectrogram(n_fft=512, sample_rate=8000)  # 1 s at 8 kHz, hop 256: 32 frames
    tfm = AudioToSpec.from_cfg(cfg)
    with pytest.warns(
        SpectrogramWarning, match=r"32 frames per item .*hop_length=256.*hop_length=62 gives 130"
    ):
        tfm(_batch())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tfm(_batch())  # once per transform, not every batch
        AudioToSpec(n_fft=512, hop_length=64)(_batch())  # 126 frames
        AudioToSpec(n_fft=512)(TensorAudio(torch.randn(1, 8000), sr=8000))  # one item to look at
    with pytest.warns(SpectrogramWarning, match="AudioToMFCC: 41 frames"):
        AudioToMFCC()(_batch())


def test_empty_mel_bands_warn_and_a_band_above_nyquist_is_refused():
    with pytest.warns(
        SpectrogramWarning, match=r"30 of the 128 mel bands are empty: at n_fft=128 and 8000 Hz"
    ):
        AudioToSpec(n_fft=128, hop_length=16)(_batch())
    with pytest.raises(
        Exception, match=r"f_max=8000 Hz is above what 8000 Hz signals hold .* set f_max=4000"
    ):
        AudioToSpec.from_cfg(AudioConfig.Voice())(_batch())
    with pytest.raises(Exception, match=r"AudioToMFCC failed .* f_max=6000 Hz is above"):
        AudioToMFCC(melkwargs={"f_max": 6000.0, "hop_length": 64})(_batch())


def test_spectrograms_mostly_at_the_decibel_floor_warn():
    sig = torch.zeros(4, 1, 8000)
    sig[..., :400] = torch.randn(4, 1, 400)  # 50 ms of sound padded to 1 s
    with pytest.warns(SpectrogramWarning, match=r"9\d% of the values sit at the decibel floor"):
        AudioToSpec(n_fft=512, hop_length=64)(TensorAudio(sig, sr=8000))
    sig[..., :4000] = torch.randn(4, 1, 4000)  # half sound, half padding, as fsdd_subset at 1 s: fine
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        AudioToSpec(n_fft=512, hop_length=64)(TensorAudio(sig, sr=8000))
