import pickle

import numpy as np
import pytest

from lamella.data import Categorize, Datasets, TfmdLists
from lamella.transforms import Transform, TransformError
from lamella.typedtensor import TensorCategory


class Count(Transform):
    """Counts its calls, to prove laziness."""

    def __init__(self):
        self.calls = 0

    def encodes(self, x: int):
        self.calls += 1
        return x * 10


def test_lazy_until_indexed():
    count = Count()
    tl = TfmdLists(list(range(100)), [count])
    assert count.calls == 0
    assert tl[5] == 50 and count.calls == 1


def test_indexing_int_slice_mask_and_list():
    tl = TfmdLists(list(range(5)), [lambda x: x + 1])
    assert tl[0] == 1 and tl[1:3] == [2, 3] and tl[[4, 0]] == [5, 1]
    assert tl[np.array([True, False, True, False, False])] == [1, 3]
    with pytest.raises(IndexError, match="mask of 2 values cannot index 5 items"):
        tl[[True, False]]
    assert list(tl) == [1, 2, 3, 4, 5] and len(tl) == 5


def test_setup_sees_only_the_training_split():
    tl = TfmdLists(["a", "b", "c", "z"], [Categorize()], splits=([0, 1, 2], [3]))
    assert tl.vocab == ["a", "b", "c"]
    with pytest.raises(
        TransformError, match=r"item 3 \(str 'z'\): Categorize failed .*label 'z' is not in the vocabulary"
    ):
        tl[3]


def test_subsets_share_the_set_up_pipeline_and_carry_split_idx():
    train_only = Transform(lambda x: x * 100, split_idx=0)
    tl = TfmdLists([1, 2, 3], [train_only], splits=([0, 1], [2]))
    assert tl.train[0] == 100 and tl.valid[0] == 3
    assert tl.train.tfms is tl.tfms and tl.valid.split_idx == 1 and tl.n_subsets == 2


def test_new_keeps_state_without_setup():
    tl = TfmdLists(["b", "a"], [Categorize()])
    test = tl.new(["a", "a"])
    assert test.vocab == ["a", "b"] and int(test[0]) == 0


def test_numpy_and_pandas_items():
    tl = TfmdLists(np.arange(6).reshape(3, 2), [lambda r: int(r.sum())], splits=([0, 1], [2]))
    assert tl.valid[0] == 9
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": [1, 2, 3]})
    dtl = TfmdLists(df, [lambda row: int(row["a"]) * 2], splits=([0, 2], [1]))
    assert dtl[2] == 6 and dtl.valid[0] == 4 and len(dtl.train) == 2


def test_decode_and_show(mpl):
    tl = TfmdLists(["b", "a"], [Categorize()])
    assert tl.decode(tl[0]) == "b"
    assert tl.show(tl[0]).get_title() == "b"


def _label(o):
    return o.split(".")[0]


def _number(o):
    return int(o.split(".")[1])


def make_dsets():
    items = ["cat.1", "dog.2", "cat.3", "dog.4", "bird.5"]
    return Datasets(items, [[_number], [_label, Categorize()]], splits=([0, 1, 2, 3], [4]))


def test_datasets_tuples_splits_and_vocab():
    dsets = make_dsets()
    assert dsets[1] == (2, TensorCategory(1)) and dsets.n_inp == 1 and len(dsets) == 5
    assert dsets.vocab == ["cat", "dog"] and len(dsets.train) == 4 and len(dsets.valid) == 1
    assert dsets[0:2] == [(1, TensorCategory(0)), (2, TensorCategory(1))]
    assert dsets.decode(dsets[1]) == (2, "dog")
    assert dsets.train.split_idx == 0 and dsets.subset(1).split_idx == 1


def test_unknown_validation_label_names_the_item():
    with pytest.raises(TransformError, match=r"item 0 \(str 'bird.5'\).*label 'bird'"):
        make_dsets().valid[0]


def test_datasets_new_and_pickle():
    dsets = make_dsets()
    new = dsets.new(["dog.9"])
    assert new[0] == (9, TensorCategory(1))
    back = pickle.loads(pickle.dumps(dsets))
    assert back.vocab == ["cat", "dog"] and back[3] == (4, TensorCategory(1))


def test_datasets_show_on_one_axes(mpl):
    dsets = make_dsets()
    ax = dsets.show((dsets[1][0], dsets[1][1]))
    assert ax.get_title() == "dog"


def test_repr():
    assert repr(make_dsets()).startswith("Datasets: 5 items, n_inp=1")
    assert repr(TfmdLists([1], [])) == "TfmdLists: 1 items, Pipeline: (empty)"


def test_show_at_shows_the_decoded_item(mpl):
    import torch

    from lamella.data import Categorize, ItemGetter, show_at
    from lamella.typedtensor import TensorImage

    imgs = [TensorImage(torch.rand(3, 4, 4)) for _ in range(3)]
    dsets = Datasets(list(zip(imgs, ["cat", "dog", "cat"])), [[ItemGetter(0)], [ItemGetter(1), Categorize()]])
    ax = show_at(dsets, 1)
    assert ax.get_title() == "dog"


def test_vocab_gathers_every_pipelines_and_c_counts_the_targets():
    from lamella.data import Categorize, DataLoader, Datasets, ItemGetter

    items = [("x", "a"), ("y", "b")]
    dsets = Datasets(items, [[ItemGetter(0), Categorize()], [ItemGetter(1), Categorize()]])
    assert dsets.vocab == [["x", "y"], ["a", "b"]]  # fastai's L of both, a text classifier's [text, labels]
    single = Datasets(["a", "b", "a"], [[], [Categorize()]])
    assert single.vocab == ["a", "b"] and DataLoader(dsets, bs=2).c == 2


def test_a_data_frame_transform_sets_up_on_rows_of_the_training_split():
    pd = pytest.importorskip("pandas", reason="the foundation-alone profile has no pandas")

    from lamella.data import TfmdLists
    from lamella.transforms import Transform

    seen = []

    class Rows(Transform):
        def setups(self, items):
            seen.extend(r["v"] for r in items)

    df = pd.DataFrame({"v": [1, 2, 3]})
    TfmdLists(df, [Rows()], splits=([0, 2], [1]))
    assert seen == [1, 3]


def test_a_single_callable_is_one_elements_transforms_as_in_fastai():
    from operator import attrgetter
    from types import SimpleNamespace

    # fastai's docs use a data frame (integration-tests/fastai_ports); any items with the attribute do
    items = [SimpleNamespace(a=a, b=b) for a, b in ((1, 4), (2, 5), (3, 6))]
    dsets = Datasets(items, tfms=attrgetter("a"))
    assert len(dsets) == 3 and dsets[1] == (2,) and len(dsets.tls) == 1


def test_overlapping_splits_names_the_items_in_two_splits():
    assert TfmdLists(range(6), splits=([0, 1, 2, 3], [3, 4, 5, 1])).overlapping_splits() == [1, 3]
    assert TfmdLists(range(6), splits=([0, 1, 2], [3, 4, 5])).overlapping_splits() == []
