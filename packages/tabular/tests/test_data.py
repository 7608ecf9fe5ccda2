import numpy as np
import pandas as pd
import pytest
import torch

from lamella.data import Normalize
from lamella.tabular import Categorify, FillMissing, TabDataLoader, TabularDataLoaders, TabularPandas

PROCS = [Categorify, FillMissing, Normalize]


@pytest.fixture
def adult_dls(adult, adult_names):
    def make(**kwargs):
        return TabularDataLoaders.from_df(adult, procs=PROCS, seed=0, device="cpu", **adult_names, **kwargs)

    return make


def test_from_df_splits_and_serves_whole_batches(adult, adult_dls):
    dls = adult_dls(bs=128)
    assert len(dls.train_ds) + len(dls.valid_ds) == len(adult)
    assert len(dls.valid_ds) == round(0.2 * len(adult))
    cats, conts, y = dls.one_batch()
    assert cats.shape == (128, 7) and conts.shape == (128, 3) and y.shape == (128,)
    assert list(dls.vocab) == ["<50k", ">=50k"]
    assert len(dls.train) == len(dls.train_ds) // 128  # the training loader drops its last partial batch


def test_seeded_splits_and_shuffles_repeat(adult_dls):
    a, b = adult_dls(), adult_dls()
    assert torch.equal(a.one_batch()[0], b.one_batch()[0])
    assert a.valid_ds.items.index.equals(b.valid_ds.items.index)


def test_valid_idx_chooses_the_validation_rows(frame):
    dls = TabularDataLoaders.from_df(
        frame,
        procs=PROCS,
        cat_names="color",
        cont_names="size",
        y_names="label",
        valid_idx=[6, 7],
        bs=2,
        device="cpu",
    )
    assert dls.valid_ds.items.index.tolist() == [6, 7]


def test_from_csv_reads_with_pandas(tmp_path, frame):
    frame.to_csv(tmp_path / "t.csv", index=False)
    dls = TabularDataLoaders.from_csv(
        tmp_path / "t.csv",
        procs=PROCS,
        cat_names="color",
        cont_names="size",
        y_names="label",
        bs=2,
        device="cpu",
    )
    assert dls.path == tmp_path and len(dls.train_ds) + len(dls.valid_ds) == 8
    with pytest.raises(FileNotFoundError, match="no CSV file"):
        TabularDataLoaders.from_csv(tmp_path / "nope.csv", y_names="label")


def test_decode_and_show_batch_give_readable_rows(adult, adult_dls, capsys):
    dls = adult_dls()
    df = dls.show_batch(max_n=4)
    assert isinstance(df, pd.DataFrame) and len(df) == 4
    assert set(df["salary"]) <= {"<50k", ">=50k"} and df["age"].between(17, 90).all()
    assert set(df["education"]) <= set(adult["education"])
    assert "workclass" in capsys.readouterr().out


def test_show_results_adds_the_predictions(frame, capsys):
    to = TabularPandas(frame, PROCS, "color", "size", y_names="label", splits=(range(6), [6, 7]))
    dl = TabDataLoader(to.valid, bs=2)
    df = dl.show_results(dl.one_batch(), torch.tensor([1, 1]))
    assert df["label_pred"].tolist() == ["b", "b"] and df["label"].tolist() == ["a", "b"]


def test_test_dl_processes_new_rows_with_training_state(adult, adult_dls):
    dls = adult_dls()
    test = adult.iloc[:5].copy()
    test.loc[test.index[0], "workclass"] = "Astronaut"
    dl = dls.test_dl(test)
    cats, conts, y = dl.one_batch()
    assert cats[0, 0].item() == 0  # unknown category -> #na#
    assert y.tolist() == [list(dls.vocab).index(s) for s in adult["salary"].iloc[:5]]
    assert len(dls.test_dl(test, with_labels=False).one_batch()) == 2
    with pytest.raises(KeyError, match="'age' of cont_names"):
        dls.test_dl(test.drop(columns="age"))


def test_workers_give_the_same_batches(adult_dls):
    dls = adult_dls(bs=256)
    dl0, dl2 = dls.train.new(seed=3), dls.train.new(seed=3, num_workers=2)
    for a, b in zip(dl0, dl2):
        assert all(torch.equal(x, y) for x, y in zip(a, b))


def test_valid_pct_and_seed_as_the_vision_factories_take_them(frame):
    # `valid_pct=0.25` once failed deep inside with "DataLoader.__init__() got an unexpected keyword"
    kw = dict(cont_names="count", y_names="label", valid_pct=0.25, seed=3, bs=2, device="cpu")
    dls, again = TabularDataLoaders.from_df(frame, **kw), TabularDataLoaders.from_df(frame, **kw)
    assert len(dls.valid_ds) == round(len(frame) * 0.25)
    assert dls.valid_ds.items.index.tolist() == again.valid_ds.items.index.tolist()


def test_unknown_keywords_are_refused_at_the_call_naming_the_accepted(frame):
    with pytest.raises(
        TypeError,
        match=r"TabularDataLoaders.from_df\(\) got an unexpected keyword argument 'vaild_pct'.*val_bs",
    ):
        TabularDataLoaders.from_df(frame, cont_names="count", y_names="label", vaild_pct=0.25)


def test_dataloaders_take_fastais_shuffle_and_drop_last():
    frame = pd.DataFrame({"x": np.arange(10.0), "y": np.arange(10.0)})
    to = TabularPandas(frame, cont_names="x", y_names="y", splits=(list(range(7)), [7, 8, 9]))
    dls = to.dataloaders(bs=2, shuffle=False, drop_last=False, device="cpu")
    assert [b[1][:, 0].tolist() for b in dls.train] == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0]]
    dls = to.dataloaders(bs=2, device="cpu")  # the default: shuffled, the last partial batch dropped
    assert len(list(dls.train)) == 3 and not dls.valid.shuffle
