"""Audio transforms: each item of a batch drawn alone, training only, lengths and metadata kept."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lamella.audio import (
    AddNoise,
    AudioPadType,
    ChangeVolume,
    DownmixMono,
    MaskFreq,
    MaskTime,
    NoiseColor,
    RemoveSilence,
    RemoveType,
    Resample,
    ResizeSignal,
    SGRoll,
    SignalCutout,
    SignalLoss,
    SignalShifter,
)
from lamella.audio.core import TensorAudio, TensorSpec


def _sig(bs=8, n=1000, sr=1000, c=1):
    return TensorAudio(torch.linspace(0.1, 1.0, n).repeat(bs, c, 1), sr=sr)


def _spec(bs=8, h=40, w=30):
    return TensorSpec(torch.rand(bs, 1, h, w) + 1.0, settings={"sr": 8000, "hop_length": 80})


SIGNAL_AUGS = [
    lambda: SignalShifter(p=1.0, max_pct=0.5, seed=0),
    lambda: AddNoise(noise_level=0.2, seed=0),
    lambda: ChangeVolume(p=1.0, seed=0),
    lambda: SignalCutout(p=1.0, max_cut_pct=0.5, seed=0),
    lambda: SignalLoss(p=1.0, max_loss_pct=0.5, seed=0),
]
SPEC_AUGS = [
    lambda: MaskFreq(size=5, seed=0),
    lambda: MaskTime(size=5, seed=0),
    lambda: SGRoll(seed=0),
    lambda: SignalShifter(p=1.0, seed=0),
]


@pytest.mark.parametrize("make", SIGNAL_AUGS + SPEC_AUGS)
def test_augmentations_change_training_batches_only_keeping_type_and_metadata(make):
    tfm = make()
    x = (
        _sig()
        if isinstance(tfm, (AddNoise, ChangeVolume, SignalCutout, SignalLoss)) or make is SIGNAL_AUGS[0]
        else _spec()
    )
    out = tfm(x, split_idx=0)
    assert type(out) is type(x) and out.shape == x.shape and out.__dict__ == x.__dict__
    assert not torch.equal(out, x)
    assert torch.equal(make()(x, split_idx=1), x)  # validation batches pass untouched
    per_item = [not torch.equal(out[i], out[0]) for i in range(1, len(x))]
    assert any(per_item), "every item of the batch got the same draw"


@pytest.mark.parametrize("make", SIGNAL_AUGS)
def test_signal_augmentations_work_on_single_items(make):
    x = _sig(bs=1)[0]
    out = make()(x, split_idx=0)
    assert out.shape == x.shape and type(out) is TensorAudio and out.sr == x.sr


def test_shift_fills_with_zeros_or_wraps():
    x = TensorAudio(torch.arange(1.0, 9.0)[None, None].repeat(16, 1, 1), sr=8)
    out = SignalShifter(p=1.0, max_pct=0.5, seed=3)(x, split_idx=0)
    rolled = SignalShifter(p=1.0, max_pct=0.5, roll=True, seed=3)(x, split_idx=0)
    for o, r in zip(out[:, 0], rolled[:, 0]):
        assert sorted(r.tolist()) == list(range(1, 9))
        kept = o[o != 0]
        assert torch.equal(
            kept, torch.arange(kept[0].item(), kept[0].item() + len(kept))
        )  # a contiguous piece
    right = SignalShifter(p=1.0, max_pct=0.5, direction=1, seed=3)(x, split_idx=0)
    assert all(r[0, 0] == 0 or r[0, 0] == 1 for r in right)  # shifted right only: zeros come in on the left
    with pytest.raises(ValueError, match="direction must be"):
        SignalShifter(direction=2)


def test_change_volume_gain_bounds_and_p():
    x = _sig(bs=200)
    gains = (ChangeVolume(p=1.0, lower=0.5, upper=1.5, seed=0)(x, split_idx=0) / x)[:, 0, 0]
    assert ((gains >= 0.5) & (gains < 1.5)).all() and gains.std() > 0.1
    some = (ChangeVolume(p=0.5, seed=0)(x, split_idx=0) / x)[:, 0, 0]
    assert 40 < int((some == 1).sum()) < 160


@pytest.mark.parametrize(
    "color", [NoiseColor.White, NoiseColor.Pink, NoiseColor.Brown, NoiseColor.Blue, NoiseColor.Violet]
)
def test_noise_has_its_color_and_level(color):
    x = TensorAudio(torch.zeros(4, 1, 4096) + 0.5, sr=4096)
    noise = (AddNoise(noise_level=0.1, color=color, seed=0)(x, split_idx=0) - x)[:, 0]
    assert noise.std(dim=-1).sub(0.05).abs().max() < 0.01  # 0.1 of the mean amplitude 0.5
    power = torch.fft.rfft(noise).abs().square().mean(0)
    low, high = power[1:200].mean(), power[-200:].mean()
    if color > 0:
        assert low > 10 * high
    elif color < 0:
        assert high > 10 * low
    else:
        assert 0.5 < low / high < 2
    with pytest.raises(ValueError, match="color"):
        AddNoise(color=3)


def test_cutout_zeros_one_stretch_and_loss_scattered_samples():
    x = TensorAudio(torch.ones(32, 1, 1000), sr=1000)
    cut = SignalCutout(p=1.0, max_cut_pct=0.3, seed=0)(x, split_idx=0)[:, 0]
    for row in cut:
        zeros = (row == 0).nonzero().flatten()
        assert len(zeros) <= 300 and (len(zeros) == 0 or zeros[-1] - zeros[0] + 1 == len(zeros))
    lost = SignalLoss(p=1.0, max_loss_pct=0.3, seed=0)(x, split_idx=0)[:, 0]
    frac = (lost == 0).float().mean(-1)
    assert (frac <= 0.35).all() and frac.std() > 0.02


def test_downmix_and_resample_with_soxr():
    stereo = TensorAudio(torch.stack([torch.ones(100), -torch.ones(100) * 3]), sr=100)
    assert DownmixMono()(stereo).tolist()[0][:2] == [-1.0, -1.0]
    t = np.arange(8000) / 8000
    tone = TensorAudio(torch.from_numpy(np.sin(2 * np.pi * 440 * t)).float()[None], sr=8000)
    up = Resample(16000)(tone)
    assert up.sr == 16000 and up.shape == (1, 16000)
    ref = np.sin(2 * np.pi * 440 * np.arange(16000) / 16000)
    assert np.abs(up[0, 200:-200].numpy() - ref[200:-200]).max() < 1e-2
    assert Resample(8000)(tone) is tone
    batch = Resample(4000)(TensorAudio(torch.randn(3, 2, 800), sr=8000))
    assert batch.shape == (3, 2, 400) and batch.sr == 4000


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 3000),
    ms=st.integers(1, 400),
    split=st.sampled_from([0, 1]),
    mode=st.sampled_from(list(AudioPadType)),
    seed=st.integers(0, 100),
)
def test_resize_signal_gives_the_length_on_any_input(n, ms, split, mode, seed):
    torch.manual_seed(seed)
    x = TensorAudio(torch.arange(1.0, n + 1)[None], sr=8000)
    out = ResizeSignal(ms, mode)(x, split_idx=split)
    width = round(ms / 1000 * 8000)
    assert out.shape == (1, width) and out.sr == 8000
    vals = out[0][out[0] != 0]
    if n >= width:  # a window of the signal, in order
        assert torch.equal(vals, torch.arange(vals[0].item(), vals[0].item() + width))
        if split == 1:
            assert vals[0].item() == 1 + (n - width + 1) // 2 or vals[0].item() == 1 + (n - width) // 2
    elif mode is AudioPadType.Repeat:
        assert torch.equal(out[0, :n], x[0])
    else:
        assert torch.equal(vals, x[0])  # the whole signal, zeros around it
        if mode is AudioPadType.Zeros_After:
            assert torch.equal(out[0, :n], x[0])


def test_resize_signal_places_training_items_at_random_and_validation_ones_alike():
    x = TensorAudio(torch.arange(1.0, 101.0)[None], sr=1000)
    train = {int(ResizeSignal(50)(x, split_idx=0)[0, 0]) for _ in range(20)}
    valid = {int(ResizeSignal(50)(x, split_idx=1)[0, 0]) for _ in range(5)}
    assert len(train) > 3 and len(valid) == 1


def test_remove_silence_trims_and_drops_gaps():
    on, off = torch.ones(800), torch.zeros(1600)
    sig = TensorAudio(torch.cat([off, on, off, on, off])[None], sr=8000)
    trimmed = RemoveSilence(RemoveType.Trim, pad_ms=10)(sig)
    assert trimmed.shape[-1] == 800 + 1600 + 800 + 2 * 80 and trimmed.sr == 8000
    everything = RemoveSilence("all", pad_ms=10)(sig)
    assert everything.shape[-1] == 2 * (800 + 2 * 80)
    quiet = TensorAudio(torch.zeros(1, 500), sr=8000)
    assert RemoveSilence()(quiet) is quiet
    with pytest.raises(ValueError, match="trim"):
        RemoveSilence("split")


def test_seeded_augmentation_is_reproducible():
    x = _sig()
    a = [t(x, split_idx=0) for t in (AddNoise(seed=5), SignalLoss(p=1.0, seed=5))]
    b = [t(x, split_idx=0) for t in (AddNoise(seed=5), SignalLoss(p=1.0, seed=5))]
    assert all(torch.equal(u, v) for u, v in zip(a, b))
