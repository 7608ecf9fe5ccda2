import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _elapsed_reference(df, f):
    """Row by row: days since/until the store's nearest event, events in the last/next 7 rows."""
    out = {}
    for _, g in df.groupby("store"):
        g = g.sort_values("date")
        dates, flags = list(g["date"]), list(g[f])
        for i, idx in enumerate(g.index):
            past = [d for d, v in zip(dates[: i + 1], flags[: i + 1]) if v]
            future = [d for d, v in zip(dates[i:], flags[i:]) if v]
            after = (dates[i] - past[-1]).days if past else 0
            before = (dates[i] - future[0]).days if future else 0
            out[idx] = (after, before, sum(flags[max(0, i - 6) : i + 1]), sum(flags[i : i + 7]))
    return [out[i] for i in df.index]


@settings(max_examples=40, deadline=None)
@given(
    n_stores=st.integers(1, 3),
    n_days=st.integers(1, 20),
    seed=st.integers(0, 2**16),
)
def test_add_elapsed_times_matches_a_row_by_row_reading(n_stores, n_days, seed):
    from lamella.tabular import add_elapsed_times

    rng = np.random.default_rng(seed)
    rows = [(s, d) for s in range(n_stores) for d in rng.choice(40, size=n_days, replace=False)]
    df = pd.DataFrame(rows, columns=["store", "day"])
    df["date"] = (pd.Timestamp("2015-01-01") + pd.to_timedelta(df["day"], unit="D")).astype(str)
    df["promo"] = rng.integers(0, 2, len(df))
    df["holiday"] = rng.random(len(df)) < 0.2
    df = df.sample(frac=1, random_state=seed).set_index(pd.Index(rng.permutation(len(df)) * 10))
    out = add_elapsed_times(df, ["promo", "holiday"], "date", "store")
    assert list(out.index) == list(df.index) and len(out) == len(df)
    for f in ["promo", "holiday"]:
        got = list(zip(out["After" + f], out["Before" + f], out[f + "_bw"], out[f + "_fw"]))
        assert got == _elapsed_reference(df, f), f


def test_add_elapsed_times_names_a_missing_column():
    from lamella.tabular import add_elapsed_times

    with pytest.raises(KeyError, match=r"no column \['Promo'\]"):
        add_elapsed_times(pd.DataFrame({"date": ["2015-01-01"], "store": [1]}), "Promo", "date", "store")
