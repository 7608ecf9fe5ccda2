import numpy as np
import pandas as pd
import pytest
import torch

from lamella.collab import CollabDataLoaders


def test_from_df_defaults_to_the_first_three_columns(small):
    dls = CollabDataLoaders.from_df(small, seed=0, bs=4, device="cpu")
    x, y = dls.one_batch()
    assert x.shape == (4, 2) and x.dtype == torch.int64 and y.shape == (4, 1) and y.dtype == torch.float32
    assert list(dls.classes) == ["user", "title"]
    assert len(dls.train_ds) + len(dls.valid_ds) == len(small)


def test_names_and_integer_ratings(small):
    small = small.rename(columns={"user": "u", "title": "m", "rating": "r"})[["r", "m", "u"]]
    small["r"] = small["r"].astype(int)  # whole-number ratings are still a regression
    dls = CollabDataLoaders.from_df(small, user_name="u", item_name="m", rating_name="r", seed=0, bs=4)
    assert dls.train_ds.y_kind == "regression" and list(dls.classes) == ["u", "m"]


def test_show_batch_reads_names(small, capsys):
    df = CollabDataLoaders.from_df(small, seed=0, bs=4, device="cpu").show_batch(max_n=3)
    assert set(df["title"]) <= set("abcde") and list(df.columns) == ["user", "title", "rating"]


def test_from_csv(tmp_path, small):
    small.to_csv(tmp_path / "r.csv", index=False)
    assert len(CollabDataLoaders.from_csv(tmp_path / "r.csv", seed=0, bs=4).valid_ds) == round(0.2 * 16)
    with pytest.raises(FileNotFoundError, match="no CSV file"):
        CollabDataLoaders.from_csv(tmp_path / "none.csv")


def test_a_rating_with_nan_is_refused_naming_the_column(small):
    small.loc[3, "rating"] = np.nan
    with pytest.raises(ValueError, match=r"target column 'rating' has 1 missing values \(rows 3\)"):
        CollabDataLoaders.from_df(small, seed=0)


def test_bad_frames(small):
    with pytest.raises(KeyError, match="'movie' of cat_names"):
        CollabDataLoaders.from_df(small, item_name="movie")
    with pytest.raises(ValueError, match="name the user, item and rating columns"):
        CollabDataLoaders.from_df(small[["user", "title"]])
    with pytest.raises(TypeError, match="DataFrame"):
        CollabDataLoaders.from_df(small.values)
    assert isinstance(small, pd.DataFrame)


def test_unknown_keywords_are_refused_naming_the_accepted(small):
    with pytest.raises(
        TypeError, match=r"CollabDataLoaders.from_df\(\) got an unexpected keyword argument 'bsz'"
    ):
        CollabDataLoaders.from_df(small, bsz=8)


def test_missing_user_or_item_ids_are_refused_with_their_rows():
    from lamella.tabular import TabularDataError

    df = pd.DataFrame({"user": [1, None, 3, 1], "item": [1, 1, 2, None], "rating": [3.0, 4.0, 2.0, 5.0]})
    with pytest.raises(TabularDataError, match=r"user_name column 'user' has 1 missing ids \(rows 1\)"):
        CollabDataLoaders.from_df(df, bs=2, seed=0)
    with pytest.raises(TabularDataError, match=r"item_name column 'item' has 1 missing ids \(rows 3\)"):
        CollabDataLoaders.from_df(df.fillna({"user": 2}), bs=2, seed=0)
