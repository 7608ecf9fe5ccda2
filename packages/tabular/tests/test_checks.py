import numpy as np
import pandas as pd
import pytest
import torch

from lamella.data import RegressionBlock
from lamella.tabular import FillMissing, NormalizeTab, TabularPandas

from .conftest import PROCS, make


def test_a_missing_column_is_named(frame):
    with pytest.raises(KeyError, match="'salary' of y_names is not in the frame"):
        TabularPandas(frame, PROCS, "color", "size", y_names="salary")


def test_a_continuous_column_of_strings_is_named(frame):
    frame["size"] = frame["size"].astype(object)
    frame.loc[2, "size"] = "large"
    with pytest.raises(TypeError, match=r"continuous column 'size' holds non-numbers .*'large'"):
        TabularPandas(frame, PROCS, "color", "size")


def test_an_all_missing_column_is_named(frame):
    frame["empty"] = np.nan
    with pytest.raises(ValueError, match="column 'empty' has no values in the training rows"):
        TabularPandas(frame, PROCS, "color", ["size", "empty"])


def test_missing_targets_are_named_with_their_rows(frame):
    frame.loc[[2, 5], "label"] = None
    with pytest.raises(ValueError, match=r"target column 'label' has 2 missing values \(rows 2, 5\)"):
        make(frame)


@pytest.mark.parametrize("inputs", [{"cont_names": ["a", "y"]}, {"cat_names": ["y"], "cont_names": ["a"]}])
def test_the_target_listed_as_an_input_is_refused(inputs):
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "y": [0.0, 1.0, 0.0]})
    with pytest.raises(ValueError, match="column 'y' is the target .* and also an input"):
        TabularPandas(df, y_names="y", **inputs)


def test_a_column_listed_twice_is_refused():
    df = pd.DataFrame({"a": [1.0, 2.0], "y": [0, 1]})
    with pytest.raises(ValueError, match="column 'a' is listed twice in cont_names"):
        TabularPandas(df, cont_names=["a", "a"], y_names="y")


@pytest.mark.parametrize("bad", [np.inf, -np.inf, 1e300])
def test_infinite_or_huge_continuous_values_name_the_column_and_row(bad):
    df = pd.DataFrame({"a": [1.0, 2.0, bad, 4.0], "b": [1.0, np.nan, 3.0, 4.0], "y": [0, 1, 0, 1]})
    with pytest.raises(
        ValueError, match=r"column 'a' holds 1 infinite or out-of-float32-range values \(rows 2 "
    ):
        TabularPandas(df, [FillMissing, NormalizeTab], cont_names=["a", "b"], y_names="y")
    ok = TabularPandas(df.assign(a=df.a.clip(-1e6, 1e6)), [FillMissing, NormalizeTab], cont_names=["a", "b"],
                       y_names="y")  # fmt: skip
    assert torch.isfinite(ok.conts).all()  # NaN in b filled


def test_a_frame_with_a_column_twice_is_refused():
    from lamella.tabular import TabularDataError

    df = pd.DataFrame([[1.0, 2.0, 3.0]], columns=["a", "b", "a"])
    with pytest.raises(TabularDataError, match="column 'a' twice"):
        TabularPandas(df, cont_names=["b"])


def test_a_regression_target_of_text_is_named():
    from lamella.tabular import ColumnTypeError

    df = pd.DataFrame({"x": [1.0, 2.0], "y": ["good", "bad"]})
    with pytest.raises(ColumnTypeError, match="target column 'y' of a regression holds non-numbers .*'good'"):
        TabularPandas(df, cont_names="x", y_names="y", y_block=RegressionBlock())
