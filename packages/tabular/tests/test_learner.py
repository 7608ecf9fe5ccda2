import subprocess
import sys

import pandas as pd
import pytest
import torch

from lamella.data import Normalize
from lamella.learner import accuracy, load_learner, rmse
from lamella.tabular import Categorify, FillMissing, TabularDataLoaders, TabularLearner, tabular_learner

PROCS = [Categorify, FillMissing, Normalize]


@pytest.fixture(scope="module")
def trained(adult, adult_names, seed):
    dls = TabularDataLoaders.from_df(adult, procs=PROCS, **adult_names, seed=42, device="cpu")
    torch.manual_seed(seed)
    learn = tabular_learner(dls, metrics=accuracy)
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(3)
    return learn


def test_adult_reaches_82_percent_in_3_epochs(trained, threshold):
    loss, acc = trained.validate()
    threshold(acc, above=0.82, name="accuracy")  # the majority class scores 0.76
    assert isinstance(trained, TabularLearner)


def test_predict_a_row(trained, adult):
    row, cls, probs = trained.predict(adult.iloc[0])
    assert row["salary"] in ("<50k", ">=50k") and row["salary"] == trained.dls.vocab[int(cls)]
    assert row["education"] == adult["education"].iloc[0] and row["age"] == adult["age"].iloc[0]
    assert probs.shape == (2,) and torch.isclose(probs.sum(), torch.tensor(1.0))
    with pytest.raises(ValueError, match="one row"):
        trained.predict(adult.iloc[:3])


def test_show_results_and_get_preds(trained, capsys):
    df = trained.show_results(max_n=3)
    assert list(df.columns[-2:]) == ["salary", "salary_pred"] and len(df) == 3
    preds, targs = trained.get_preds()
    assert preds.shape == (len(trained.dls.valid_ds), 2)


def test_export_and_predict_in_a_fresh_process(trained, adult, tmp_path):
    trained.path = tmp_path
    fname = trained.export("adult.pkl")
    expected = trained.predict(adult.iloc[3])[0]["salary"]
    code = (
        "import pandas as pd, lamella.samples\n"
        "from lamella.learner import load_learner\n"
        f"learn = load_learner({str(fname)!r}, trusted=True)\n"
        "df = pd.read_csv(lamella.samples.path('adult_sample') / 'adult.csv', skipinitialspace=True)\n"
        "print(learn.predict(df.iloc[3])[0]['salary'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == expected
    assert load_learner(fname, trusted=True).dls.train_ds.cat_names == trained.dls.train_ds.cat_names


def test_regression_and_multi_target(frame):
    df = pd.concat([frame] * 8, ignore_index=True)
    df["a"], df["b"] = df["count"] * 0.5, df["count"] * -1.0
    dls = TabularDataLoaders.from_df(
        df,
        procs=PROCS,
        cat_names="color",
        cont_names=["size", "count"],
        y_names=["a", "b"],
        seed=0,
        bs=8,
        device="cpu",
    )
    learn = tabular_learner(dls, layers=[16], metrics=rmse, y_range=(-9, 5))
    assert learn.model.layers[-2][0].out_features == 2 and type(learn.loss_func).__name__ == "MSELossFlat"
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(4, 1e-2)
    row, value, _ = learn.predict(df.iloc[0])
    assert value.shape == (2,) and isinstance(row["a"], float)


def test_predict_gives_a_row_that_shows_itself(trained, adult, capsys):
    from lamella.tabular import TabularRow

    row, clas, probs = trained.predict(adult.iloc[0])
    assert isinstance(row, TabularRow) and row["salary"] in trained.dls.vocab
    shown = row.show()
    assert shown.shape[0] == 1 and "salary" in capsys.readouterr().out
