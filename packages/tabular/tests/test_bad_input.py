"""Frames as users have them: a correct batch or an error naming the column, never a foreign error or NaN."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lamella.tabular import (
    Categorify,
    ColumnTypeError,
    FillMissing,
    NormalizeTab,
    TabularDataError,
    TabularPandas,
)

COLUMNS = ("color", "size", "count", "label")
cats = st.sampled_from(["red", "blue", "green", None, np.nan, 3, ""])
floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.floats(-1e3, 1e3),
    st.just(np.nan),
)
labels = st.sampled_from(["yes", "no", "yes", "no", None, 7])


@st.composite
def frames(draw):
    n = draw(st.integers(4, 24))
    frame = pd.DataFrame(
        {
            "color": draw(st.lists(cats, min_size=n, max_size=n)),
            "size": draw(st.lists(floats, min_size=n, max_size=n)),
            "count": draw(st.lists(st.one_of(st.integers(-5, 5), st.none()), min_size=n, max_size=n)),
            "label": draw(st.lists(labels, min_size=n, max_size=n)),
        }
    )
    if draw(st.booleans()):  # numbers read from a CSV as text
        frame["count"] = frame["count"].astype(str)
    return frame


def _named(err: Exception) -> bool:
    return isinstance(err, (TabularDataError, ColumnTypeError)) and any(c in str(err) for c in COLUMNS)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames())
def test_any_frame_gives_a_correct_batch_or_an_error_naming_its_column(frame):
    n = len(frame)
    splits = (list(range(n - 2)), [n - 2, n - 1])
    try:
        to = TabularPandas(
            frame,
            [Categorify, FillMissing, NormalizeTab],
            cat_names="color",
            cont_names=["size", "count"],
            y_names="label",
            splits=splits,
        )
        dls = to.dataloaders(bs=2, shuffle=False, drop_last=False)
        batches = [*dls.train, *dls.valid]
    except Exception as e:  # noqa: BLE001  (what is asserted is which exceptions)
        assert _named(e), f"{type(e).__name__} names no column: {e}"
        return
    for cat, cont, y in batches:
        assert np.isfinite(cont.numpy()).all(), "a continuous input is NaN or infinite"
        sizes = [len(to.classes[c]) for c in to.cat_names]
        assert all(0 <= int(v) < s for row in cat.tolist() for v, s in zip(row, sizes))
        assert 0 <= int(y.min()) and int(y.max()) < len(to.vocab)
    kept = frame["label"].dropna()
    assert sorted(map(str, to.vocab)) == sorted({str(v) for v in kept})


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(cats, floats), min_size=1, max_size=6))
def test_new_rows_with_unseen_or_odd_values_process_or_name_the_column(values):
    train = pd.DataFrame({"color": ["red", "blue"] * 4, "size": np.arange(8.0), "label": ["y", "n"] * 4})
    to = TabularPandas(
        train, [Categorify, FillMissing, NormalizeTab], cat_names="color", cont_names="size", y_names="label"
    )
    new = pd.DataFrame({"color": values, "size": values})
    try:
        dl = to.dataloaders(bs=4).test_dl(new)
        batches = list(dl)
    except Exception as e:  # noqa: BLE001
        assert _named(e), f"{type(e).__name__} names no column: {e}"
        return
    for b in batches:
        cat, cont = b[0], b[1]
        assert np.isfinite(cont.numpy()).all() and int(cat.min()) >= 0
        assert int(cat.max()) < len(to.classes["color"])


@pytest.mark.parametrize("value", [math.inf, -math.inf, 1e300])
def test_a_new_row_out_of_float32_range_is_named(value):
    train = pd.DataFrame({"size": np.arange(8.0), "label": ["y", "n"] * 4})
    to = TabularPandas(train, [FillMissing, NormalizeTab], cont_names="size", y_names="label")
    with pytest.raises(TabularDataError, match="'size'"):
        list(to.dataloaders(bs=4).test_dl(pd.DataFrame({"size": [1.0, value]})))
