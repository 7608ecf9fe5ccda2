"""The language-model stream cut into rows, sorted classifier batches, and padding."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lamella.text import LMDataLoader, LMTensorText, TensorText


def _reference(texts, order, bs, seq_len):
    stream = torch.cat([texts[i] for i in order])
    bl = (len(stream) - 1) // bs
    xs, ys = [], []
    for start in range(0, bl, seq_len):
        sl = min(seq_len, bl - start)
        rows = [stream[r * bl + start : r * bl + start + sl + 1] for r in range(bs)]
        xs.append(torch.stack([r[:-1] for r in rows]))
        ys.append(torch.stack([r[1:] for r in rows]))
    return xs, ys


@settings(max_examples=40, deadline=None)
@given(
    lens=st.lists(st.integers(1, 60), min_size=1, max_size=12),
    bs=st.integers(1, 6),
    seq_len=st.integers(1, 9),
    shuffle=st.booleans(),
    seed=st.integers(0, 100),
)
def test_batches_are_the_stream_cut_into_rows(lens, bs, seq_len, shuffle, seed):
    if sum(lens) < bs + 1:
        return
    texts = [torch.arange(1000 * i, 1000 * i + n) for i, n in enumerate(lens)]
    dl = LMDataLoader(texts, bs=bs, seq_len=seq_len, shuffle=shuffle, seed=seed)
    for _ in range(2):  # two epochs: each its own order
        batches = list(dl)
        xs, ys = _reference(texts, dl.order.tolist(), bs, seq_len)
        assert len(batches) == len(xs) == len(dl)
        for (x, y), rx, ry in zip(batches, xs, ys):
            assert type(x) is LMTensorText and type(y) is TensorText
            assert torch.equal(x.as_plain(), rx) and torch.equal(y.as_plain(), ry)
        if shuffle:
            assert sorted(dl.order.tolist()) == list(range(len(texts)))


def test_shuffled_epochs_change_the_order_of_texts():
    texts = [torch.full((20,), i) for i in range(30)]
    dl = LMDataLoader(texts, bs=3, seq_len=5, shuffle=True, seed=0)
    orders = []
    for _ in range(3):
        list(dl)
        orders.append(dl.order.tolist())
    assert orders[0] != orders[1] != orders[2]


def test_the_corpus_is_held_once_as_int32():
    texts = [torch.randint(0, 50_000, (500,)) for _ in range(40)]
    dl = LMDataLoader(texts, bs=8, seq_len=16)
    assert dl.corpus.dtype == torch.int32 and dl.corpus.numel() == 20_000
    assert dl.one_batch()[0].dtype == torch.long


def test_too_little_text_or_an_empty_text_is_refused():
    with pytest.raises(ValueError, match="3 tokens cannot fill 4 rows"):
        LMDataLoader([torch.arange(3)], bs=4)
    with pytest.raises(ValueError, match="text 1 of the dataset has no tokens"):
        LMDataLoader([torch.arange(30), torch.arange(0)], bs=2)


def test_pad_input_chunk_pads_whole_chunks_first_and_the_rest_after():
    from lamella.text import pad_chunk, pad_input_chunk

    assert (
        pad_chunk(torch.tensor([9, 9, 9]), pad_idx=1, seq_len=4, pad_len=10).tolist()
        == [1] * 4 + [9] * 3 + [1] * 3
    )
    assert pad_chunk(torch.tensor([9]), pad_first=False, seq_len=2, pad_len=4).tolist() == [9, 1, 1, 1]
    batch = pad_input_chunk([(TensorText([5] * 7), "a"), (TensorText([6] * 2), "b")], seq_len=3)
    assert [b[0].tolist() for b in batch] == [[5] * 7, [1, 1, 1, 6, 6, 1, 1]] and batch[1][1] == "b"


@settings(max_examples=25, deadline=None)
@given(
    lens=st.lists(st.integers(1, 50), min_size=1, max_size=300),
    bs=st.integers(1, 16),
    seed=st.integers(0, 99),
)
def test_sorted_batches_cover_every_item_once_longest_first(lens, bs, seed):
    from lamella.text import SortedDL, pad_input_chunk

    items = [(TensorText(torch.full((n,), i)), i) for i, n in enumerate(lens)]
    for shuffle in (False, True):
        dl = SortedDL(items, bs=bs, shuffle=shuffle, seed=seed, before_batch=pad_input_chunk)
        batches = list(dl)
        seen = sorted(int(i) for _, y in batches for i in y)
        assert seen == list(range(len(lens)))
        assert batches[0][0].shape[1] == max(lens)  # the longest text comes in the first batch
        if not shuffle:
            firsts = [b[0].shape[1] for b in batches]
            assert firsts == sorted(firsts, reverse=True)


def test_pad_input_as_fastais_doc_shows_it():
    from lamella.text import Pad_Input, pad_input

    samples = [(TensorText([1, 2, 3]), 1), (TensorText([4, 5]), 2), (TensorText([6]), 3)]
    out = pad_input(samples, pad_idx=0)
    assert [o[0].tolist() for o in out] == [[1, 2, 3], [4, 5, 0], [6, 0, 0]] and [o[1] for o in out] == [
        1,
        2,
        3,
    ]
    assert all(type(o[0]) is TensorText for o in out)
    first = pad_input(samples, pad_idx=0, pad_first=True)
    assert [o[0].tolist() for o in first] == [[1, 2, 3], [0, 4, 5], [0, 0, 6]]
    back = pad_input(samples, pad_idx=0, backwards=True)
    assert [o[0].tolist() for o in back] == [[3, 2, 1], [5, 4, 0], [6, 0, 0]]
    pairs = Pad_Input()(
        [(TensorText([1]), TensorText([7, 8])), (TensorText([2, 3]), TensorText([9]))], pad_fields=[0, 1]
    )
    assert [[x.tolist() for x in p] for p in pairs] == [[[1, 1], [7, 8]], [[2, 3], [9, 1]]]
    assert pad_input.decode(TensorText([4, 5, 0, 0])).tolist() == [4, 5]
