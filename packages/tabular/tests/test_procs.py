import numpy as np
import pandas as pd
import pytest

from lamella.data import Normalize
from lamella.tabular import Categorify, FillMissing, FillStrategy, NormalizeTab, TabularPandas

SPLITS = ([0, 1, 2, 3, 4, 5], [6, 7])


def test_categorify_learns_the_vocab_from_training_rows_only(frame):
    frame.loc[7, "color"] = "purple"  # seen only in validation: becomes #na#
    to = TabularPandas(frame, [Categorify], cat_names="color", splits=SPLITS)
    assert list(to.classes["color"]) == ["#na#", "blue", "green", "red"]
    assert to.items["color"].tolist() == [3, 1, 0, 3, 2, 1, 3, 0]
    assert to.items["color"].dtype == np.int8
    assert to.decode()["color"].tolist() == ["red", "blue", "#na#", "red", "green", "blue", "red", "#na#"]


def test_categorify_keeps_the_order_of_a_pandas_categorical(frame):
    frame["color"] = pd.Categorical(frame["color"], categories=["red", "green", "blue"], ordered=True)
    to = TabularPandas(frame, [Categorify], cat_names="color")
    assert list(to.classes["color"]) == ["#na#", "red", "green", "blue"]


def test_categorify_codes_grow_past_int8():
    df = pd.DataFrame({"id": [f"u{i}" for i in range(300)]})
    to = TabularPandas(df, [Categorify], cat_names="id")
    assert to.items["id"].dtype == np.int16 and to.cats.max().item() == 300


@pytest.mark.parametrize(
    "strategy, expected", [(FillStrategy.median, 3.5), (FillStrategy.mode, 1.0), ("constant", -1.0)]
)
def test_fill_missing_strategies_use_training_statistics(frame, strategy, expected):
    to = TabularPandas(
        frame, [FillMissing(strategy, fill_vals={"size": -1.0})], cont_names="size", splits=SPLITS
    )
    assert to.items["size"].iloc[[1, 5]].tolist() == [expected, expected]
    assert to.items["size_na"].tolist() == [False, True, False, False, False, True, False, False]
    assert "size_na" in to.cat_names


def test_fill_missing_flags_are_categorified_after_filling(frame):
    to = TabularPandas(frame, [Categorify, FillMissing], cat_names="color", cont_names="size")
    assert to.cat_names == ["color", "size_na"]
    assert list(to.classes["size_na"]) == ["#na#", False, True]
    assert to.cats[:, 1].tolist() == [1, 2, 1, 1, 1, 2, 1, 1]


def test_fill_missing_fills_a_column_that_only_validation_misses(frame):
    frame.loc[7, "count"] = np.nan
    to = TabularPandas(frame, [FillMissing], cont_names="count", splits=SPLITS)
    assert to.items["count"].iloc[7] == 3.5 and "count_na" not in to.cat_names


def test_normalize_uses_training_statistics_and_decodes(frame):
    to = TabularPandas(frame, [NormalizeTab], cont_names="count", splits=SPLITS)
    train = np.arange(1, 7, dtype=np.float64)
    expected = (np.arange(1, 9) - train.mean()) / train.std()
    np.testing.assert_allclose(to.items["count"], expected, rtol=1e-5)
    assert to.decode()["count"].tolist() == list(range(1, 9))  # whole numbers come back whole


def test_data_normalize_in_procs_means_the_tabular_one(frame):
    to = TabularPandas(frame, [Categorify, FillMissing, Normalize], cat_names="color", cont_names="size")
    assert [type(p) for p in to.procs] == [FillMissing, Categorify, NormalizeTab]
    assert abs(to.conts.mean().item()) < 1e-6


def test_procs_must_be_processors(frame):
    with pytest.raises(TypeError, match="TabularProc"):
        TabularPandas(frame, [len], cont_names="size")


def test_normalize_set_up_again_forgets_whole_number_columns():
    norm = NormalizeTab()
    TabularPandas(pd.DataFrame({"x": [1, 3]}), [norm], cont_names="x")
    assert norm.int_names == {"x"}
    TabularPandas(pd.DataFrame({"x": [1.5, 3.0]}), [norm], cont_names="x")  # the same proc, set up anew
    assert norm.int_names == set()
    assert norm.decodes(pd.DataFrame({"x": [0.0]}))["x"].tolist() == [2.25]
