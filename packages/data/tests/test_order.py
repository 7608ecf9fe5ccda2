import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lamella.data import DataLoader


def test_batches_sizes_and_drop_last():
    dl = DataLoader(list(range(10)), bs=4)
    assert [b.tolist() for b in dl] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]] and len(dl) == 3
    assert [len(b) for b in DataLoader(list(range(10)), bs=4, drop_last=True)] == [4, 4]
    for bad in (0, -3, 2.5, "8", True):
        with pytest.raises(ValueError, match="bs is a whole number of items, at least 1"):
            DataLoader([1], bs=bad)


def test_seeded_shuffle_reproduces_and_changes_each_epoch():
    a, b = (
        DataLoader(list(range(20)), bs=5, shuffle=True, seed=3),
        DataLoader(list(range(20)), bs=5, shuffle=True, seed=3),
    )
    first_a, first_b = [x.tolist() for x in a], [x.tolist() for x in b]
    assert first_a == first_b and sorted(sum(first_a, [])) == list(range(20))
    assert [x.tolist() for x in a] != first_a  # epoch 2 reshuffles


def test_unseeded_shuffle_follows_torch_manual_seed():
    torch.manual_seed(0)
    first = [x.tolist() for x in DataLoader(list(range(20)), bs=5, shuffle=True)]
    torch.manual_seed(0)
    assert [x.tolist() for x in DataLoader(list(range(20)), bs=5, shuffle=True)] == first


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 40), bs=st.integers(1, 9), world=st.integers(1, 4), shuffle=st.booleans(),
    drop_last=st.booleans(),
)  # fmt: skip
def test_shards_split_every_epoch_into_equal_shares(n, bs, world, shuffle, drop_last):
    # every rank draws the same order; rank r takes positions r, r + world, ... of it, padded by repetition
    shards = [DataLoader(list(range(n)), bs=bs, shuffle=shuffle, seed=5, drop_last=drop_last).shard(r, world)
              for r in range(world)]  # fmt: skip
    served = [[i for b in dl for i in b.tolist()] for dl in shards]
    assert all(len(s) == len(served[0]) for s in served)  # equal shares: no rank waits for another
    assert {len(dl) for dl in shards} == {shards[0].n_batches}
    if not drop_last:
        assert set().union(*served) == set(range(n)) and sum(map(len, served)) == -(-n // world) * world
    assert all(len(b) == bs for dl in shards if drop_last for b in dl)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 30), bs=st.integers(1, 6), skip=st.integers(0, 6))
def test_resume_repeats_the_rest_of_an_epoch(n, bs, skip):
    dl = DataLoader(list(range(n)), bs=bs, shuffle=True, seed=9)
    first = [b.tolist() for b in dl]
    started = []
    dl.resume(dl.epoch_seed, skip=skip, on_start=lambda: started.append(True))
    assert [b.tolist() for b in dl] == first[skip:]
    assert started == [True]
