"""The audio transforms' shared pieces: items as batches and back, per-item shifts, crop or pad."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lamella.audio import AudioPadType, TensorAudio
from lamella.audio.batching import RandomPlace, as_batch, like_input, n_items, per_item, shift_last


@settings(max_examples=60, deadline=None)
@given(bs=st.integers(1, 5), n=st.integers(1, 40), data=st.data())
def test_shift_last_is_a_roll_or_a_zero_filled_shift_per_item(bs, n, data):
    x = torch.randn(bs, 2, n)
    s = torch.tensor(data.draw(st.lists(st.integers(-2 * n, 2 * n), min_size=bs, max_size=bs)))
    rolled, shifted = shift_last(x, s, roll=True), shift_last(x, s, roll=False)
    for i in range(bs):
        k = int(s[i])
        assert torch.equal(rolled[i], torch.roll(x[i], k, dims=-1))
        expected = torch.zeros_like(x[i])
        if 0 <= k < n:
            expected[..., k:] = x[i, ..., : n - k]
        elif -n < k < 0:
            expected[..., : n + k] = x[i, ..., -k:]
        assert torch.equal(shifted[i], expected)


def test_an_item_goes_through_as_a_batch_of_one_and_comes_back_typed():
    x = TensorAudio(torch.randn(2, 16), sr=8000)
    b, item = as_batch(x, 2)
    assert item and b.shape == (1, 2, 16) and type(b) is torch.Tensor
    back = like_input(b * 2, x, item)
    assert type(back) is TensorAudio and back.sr == 8000 and torch.equal(back, x * 2)
    batch = TensorAudio(torch.randn(3, 2, 16), sr=8000)
    assert as_batch(batch, 2)[1] is False and n_items((batch, torch.zeros(3)), TensorAudio, 2) == 3
    assert n_items(x, TensorAudio, 2) == 1 and n_items(torch.zeros(3), TensorAudio, 2) == 0
    assert per_item(torch.tensor([1, 2, 3]), batch).shape == (3, 1, 1)


class _Fit(RandomPlace):
    def __init__(self, width, pad_mode=AudioPadType.Zeros):
        super().__init__(pad_mode)
        self.width = width

    def encodes(self, x: TensorAudio) -> TensorAudio:
        b, item = as_batch(x, 2)
        return like_input(self._fit(b, self.width), x, item)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 30),
    width=st.integers(1, 30),
    mode=st.sampled_from(list(AudioPadType)),
    split=st.sampled_from([0, 1]),
)
def test_random_place_keeps_the_signal_whole_or_a_window_of_it(n, width, mode, split):
    x = TensorAudio(torch.arange(1.0, n + 1).repeat(3, 1, 1), sr=10)
    out = _Fit(width, mode)(x, split_idx=split)
    assert out.shape == (3, 1, width) and out.sr == 10
    for row in out[:, 0]:
        kept = row[row != 0].tolist()
        if n >= width:  # a window: consecutive samples of the signal
            assert kept == list(range(int(kept[0]), int(kept[0]) + width))
        elif mode is AudioPadType.Repeat:
            assert row.tolist() == [float(1 + i % n) for i in range(width)]
        else:  # the whole signal, padded with zeros (after it, or around it)
            assert kept == [float(v) for v in range(1, n + 1)]
            if mode is AudioPadType.Zeros_After:
                assert row[:n].tolist() == kept


def test_a_validation_window_is_the_centre():
    x = TensorAudio(torch.arange(10.0)[None], sr=10)
    assert _Fit(4)(x, split_idx=1).tolist() == [[3.0, 4.0, 5.0, 6.0]]
    with pytest.raises(ValueError, match="pad_mode must be one of"):
        _Fit(4, "edge")
