import numpy as np
import pandas as pd
import pytest

from lamella.tabular import add_datepart, cont_cat_split, df_shrink


def test_add_datepart_as_the_book_uses_it():
    df = pd.DataFrame({"saledate": ["2011-01-31", "2012-07-04", "2012-12-31"], "price": [1.0, 2.0, 3.0]})
    add_datepart(df, "saledate", time=True)
    assert "saledate" not in df and df["saleYear"].tolist() == [2011, 2012, 2012]
    assert df["saleIs_year_end"].tolist() == [False, False, True] and df["saleDayofweek"].tolist() == [
        0,
        2,
        0,
    ]
    assert df["saleWeek"].tolist() == [5, 27, 1] and "saleHour" in df
    assert df["saleElapsed"].iloc[0] == pd.Timestamp("2011-01-31").value // 10**9
    with pytest.raises(KeyError, match="no column 'when'"):
        add_datepart(df, "when")


def test_cont_cat_split_and_df_shrink():
    df = pd.DataFrame(
        {
            "id": np.arange(50),
            "rooms": np.arange(50) % 4,
            "area": np.linspace(1, 2, 50),
            "city": ["a", "b"] * 25,
        }
    )
    assert cont_cat_split(df, max_card=20, dep_var="area") == (["id"], ["rooms", "city"])
    small = df_shrink(df, int2uint=True)
    assert str(small["id"].dtype) == "uint8" and str(small["area"].dtype) == "float32"
    assert str(small["city"].dtype) == "category" and small["area"].tolist() == pytest.approx(
        df["area"].tolist()
    )


def test_frame_views_for_scikit_learn():
    from lamella.tabular import Categorify, TabularPandas

    df = pd.DataFrame({"c": ["x", "y", "x", "y"], "n": [1.0, 2.0, 3.0, 4.0], "t": ["no", "yes", "no", "yes"]})
    to = TabularPandas(df, [Categorify], cat_names="c", cont_names="n", y_names="t", splits=([0, 1, 2], [3]))
    assert to.train.xs.to_dict("list") == {"c": [1, 2, 1], "n": [1.0, 2.0, 3.0]}
    assert to.valid.ys.to_dict("list") == {"t": [1]} and to.train.y.tolist() == [0, 1, 0]
