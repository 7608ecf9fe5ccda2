import pytest
import torch

from lamella.data import Categorize, DataLoader, DataLoaders, Datasets
from lamella.transforms import Transform
from lamella.typedtensor import TensorCategory


def test_show_batch_and_results(mpl):
    from lamella.typedtensor import TensorImage as Img

    items = list(range(6))
    dsets = Datasets(
        items,
        [[lambda i: Img(torch.rand(3, 4, 4))], [lambda i: "odd" if i % 2 else "even", Categorize()]],
        splits=(items[:4], items[4:]),
    )
    dls = DataLoaders.from_dsets(dsets.train, dsets.valid, bs=2, device="cpu")
    axs = dls.valid.show_batch(max_n=2)
    assert [ax.get_title() for ax in axs] == ["even", "odd"] and len(axs[0].get_images()) == 1
    samples = dls.valid.show_batch(show=False)
    assert samples[1][1] == "odd"
    x, y = dls.valid.one_batch()
    axs = dls.valid.show_results((x, y), TensorCategory([1, 1]))
    assert [ax.get_title() for ax in axs] == ["even / odd", "odd / odd"]


def test_show_batch_unique_repeats_one_item():
    dl = DataLoader(list(range(10)), bs=4, shuffle=True, seed=0, after_batch=[Transform(lambda b: b + 100)])
    samples = dl.show_batch(unique=True, show=False)
    assert len(samples) == 4 and len({s[0].item() if hasattr(s[0], "item") else s[0] for s in samples}) == 1


def test_target_vocab_is_the_last_pipelines_and_c_counts_it():
    from lamella.data import Categorize, Datasets, ItemGetter

    # two categorical fields (a text classifier's dataset has a text and a label vocabulary)
    items = [("x", "b"), ("y", "a"), ("z", "c"), ("x", "a")]
    ds = Datasets(items, [[ItemGetter(0), Categorize()], [ItemGetter(1), Categorize()]])
    dl = DataLoader(ds, bs=2)
    assert dl.vocab == [["x", "y", "z"], ["a", "b", "c"]]
    assert dl.target_vocab == ["a", "b", "c"] and dl.c == 3
    assert DataLoader(list(range(4)), bs=2).target_vocab is None  # a plain list: no vocabulary
    with pytest.raises(AttributeError, match="'c'"):
        _ = DataLoader(list(range(4)), bs=2).c


def test_c_of_a_regression_target_is_its_width():
    from lamella.data import DataLoader, Datasets, RegressionSetup

    assert DataLoader(Datasets([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[RegressionSetup()]]), bs=2).c == 3
    assert DataLoader(Datasets([1.0, 2.0], [[RegressionSetup()]]), bs=2).c == 1
