import numpy as np
import pytest

from lamella.data import (
    ColSplitter,
    EndSplitter,
    FileSplitter,
    FuncSplitter,
    GrandparentSplitter,
    IndexSplitter,
    MaskSplitter,
    RandomSplitter,
    TrainTestSplitter,
)


def _is_partition(train, valid, n):
    return sorted(train + valid) == list(range(n)) and not set(train) & set(valid)


def test_random_splitter_is_seeded_and_a_partition():
    a, b = RandomSplitter(0.3, seed=1)(range(20)), RandomSplitter(0.3, seed=1)(range(20))
    assert a == b and len(a[1]) == 6 and _is_partition(*a, 20)
    assert RandomSplitter(0.3, seed=2)(range(20)) != a
    with pytest.raises(ValueError, match="valid_pct must be a number in"):
        RandomSplitter(1.5)


def test_train_test_splitter_stratifies():
    labels = ["a"] * 50 + ["b"] * 10
    train, valid = TrainTestSplitter(0.2, random_state=0, stratify=labels)(range(60))
    assert _is_partition(train, valid, 60)
    assert sum(labels[i] == "b" for i in valid) == 2 and sum(labels[i] == "a" for i in valid) == 10
    plain = TrainTestSplitter(0.25, random_state=0)(range(8))
    assert len(plain[1]) == 2 and _is_partition(*plain, 8)
    unshuffled = TrainTestSplitter(0.25, shuffle=False)(range(8))
    assert unshuffled == ([2, 3, 4, 5, 6, 7], [0, 1])
    with pytest.raises(ValueError, match="stratify has 2 labels for 3 items"):
        TrainTestSplitter(stratify=["a", "b"])(range(3))


def test_index_end_func_mask_splitters():
    assert IndexSplitter([0, 4])(range(5)) == ([1, 2, 3], [0, 4])
    assert EndSplitter(0.4, valid_last=False)(range(5)) == ([2, 3, 4], [0, 1])
    assert FuncSplitter(lambda o: o > 2)(range(5)) == ([0, 1, 2], [3, 4])
    assert MaskSplitter(np.array([True, False]))(["a", "b"]) == ([1], [0])
    with pytest.raises(ValueError, match="the mask has 1 values for 2 items"):
        MaskSplitter([True])(["a", "b"])


def test_grandparent_splitter():
    items = ["d/train/3/a.png", "d/valid/7/b.png", "d/train/7/c.png"]
    assert GrandparentSplitter()(items) == ([0, 2], [1])
    assert GrandparentSplitter("valid", "train")(items) == ([1], [0, 2])
    with pytest.raises(ValueError, match="found 0 items under 'training'"):
        GrandparentSplitter("training")(items)


def test_file_splitter(tmp_path):
    (tmp_path / "valid.txt").write_text("b.png\nc.png\n")
    assert FileSplitter(tmp_path / "valid.txt")(["x/a.png", "x/b.png", "y/c.png"]) == ([0], [1, 2])


def test_col_splitter_on_a_data_frame():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"is_valid": [False, True, False], "fold": [1, 2, 2]})
    assert ColSplitter()(df) == ([0, 2], [1])
    assert ColSplitter("fold", on=2)(df) == ([0], [1, 2])
    with pytest.raises(KeyError, match="column 'nope' is not in the data frame"):
        ColSplitter("nope")(df)


@pytest.mark.parametrize("pct", [-0.1, 1.5, float("nan"), "0.2", None, True])
def test_a_valid_pct_that_is_not_a_fraction_is_named(pct):
    with pytest.raises(ValueError, match=r"RandomSplitter: valid_pct must be a number in \[0, 1\], got"):
        RandomSplitter(valid_pct=pct)


def test_index_splitter_names_indices_out_of_range():
    with pytest.raises(IndexError, match=r"IndexSplitter: validation indices \[20\] are out of range for 10"):
        IndexSplitter([3, 20])(range(10))
    assert IndexSplitter([-1])(range(3)) == ([0, 1], [2])  # negative indices count from the end, as numpy's


def test_random_subset_splitter_takes_disjoint_fractions():
    from lamella.data import RandomSubsetSplitter

    train, valid = RandomSubsetSplitter(0.3, 0.1, seed=1)(range(101))
    assert len(train) == 30 and len(valid) == 10 and not set(train) & set(valid)
    assert RandomSubsetSplitter(0.3, 0.1, seed=1)(range(101)) == (train, valid)
    for bad in [(0.0, 0.1), (0.5, 1.0), (True, 0.1)]:
        with pytest.raises(ValueError, match="must be a fraction in"):
            RandomSubsetSplitter(*bad)
    with pytest.raises(ValueError, match="more than all the items"):
        RandomSubsetSplitter(0.7, 0.4)
