import pickle

import numpy as np
import pandas as pd
import pytest
import torch

from lamella.data import CategoryBlock, RegressionBlock
from lamella.tabular import Categorify, FillMissing, NormalizeTab, TabularPandas
from lamella.typedtensor import TensorCategory

PROCS = [Categorify, FillMissing, NormalizeTab]


def make(frame, **kwargs):
    kwargs.setdefault("splits", ([0, 1, 2, 3, 4, 5], [6, 7]))
    return TabularPandas(
        frame, PROCS, cat_names="color", cont_names=["size", "count"], y_names="label", **kwargs
    )


def test_batches_are_three_tensors_and_the_frame_is_untouched(frame):
    original = frame.copy()
    to = make(frame)
    pd.testing.assert_frame_equal(frame, original)
    cats, conts, y = to.train.__getitems__([0, 3])
    assert cats.dtype == torch.int64 and cats.shape == (2, 2)
    assert conts.dtype == torch.float32 and conts.shape == (2, 2)
    assert isinstance(y, TensorCategory) and y.tolist() == [0, 1]
    assert [t.tolist() for t in to.valid[0]] == [to.cats[6].tolist(), to.conts[6].tolist(), 0]


def test_inplace_writes_into_the_frame(frame):
    make(frame, inplace=True)
    assert frame["color"].dtype == np.int8 and "size_na" in frame


def test_target_kind_from_dtype_or_block(frame):
    assert make(frame).y_kind == "category" and make(frame).c == 2
    frame["value"] = frame["count"] * 1.5
    to = TabularPandas(frame, PROCS, "color", "size", y_names="value")
    assert to.y_kind == "regression" and to.y_tensor.dtype == torch.float32 and to.y_tensor.shape == (8, 1)
    ints = TabularPandas(frame, PROCS, "color", "size", y_names="count", y_block=RegressionBlock())
    assert ints.y_kind == "regression"
    labels = TabularPandas(frame, PROCS, "color", "size", y_names="count", y_block=CategoryBlock)
    assert list(labels.vocab) == list(range(1, 9))


def test_multi_target_regression(frame):
    frame["a"], frame["b"] = frame["count"] * 1.0, frame["count"] * 2.0
    to = TabularPandas(frame, PROCS, "color", "size", y_names=["a", "b"])
    assert to.y_tensor.shape == (8, 2) and to.c == 2
    assert to.decode_y(to.y_tensor[:2]) == [[1.0, 2.0], [2.0, 4.0]]


def test_new_data_with_unknown_categories_and_no_target(frame):
    to = make(frame)
    test = to.new(pd.DataFrame({"color": ["blue", "ultraviolet"], "size": [np.nan, 2.0], "count": [1, 2]}))
    assert test.cats.tolist() == [[1, 2], [0, 1]]
    assert test.y_tensor is None and len(test[0]) == 2


def test_new_data_missing_a_column_is_an_error_naming_it(frame):
    with pytest.raises(KeyError, match="'count' of cont_names"):
        make(frame).new(frame.drop(columns="count"))


def test_new_empty_pickles_with_its_state(frame):
    empty = make(frame).new([])
    assert len(empty) == 0
    again = pickle.loads(pickle.dumps(empty))
    assert again.new(frame.iloc[:2]).cats.tolist() == make(frame).cats[:2].tolist()


def test_decode_round_trips_the_raw_values(frame):
    to = make(frame)
    decoded = to.decode()
    assert decoded["color"].tolist()[:2] == ["red", "blue"]
    np.testing.assert_allclose(decoded["size"].tolist(), [1, 3.5, 3, 4, 5, 3.5, 7, 8], rtol=1e-5)
    assert to.decode_row(to.items.iloc[1])["size_na"] == True  # noqa: E712  (numpy bool)
    assert to.decode_y(torch.tensor([1, 0])) == ["b", "a"]


def test_show_prints_readable_rows(frame, capsys):
    make(frame).show(max_n=2)
    out = capsys.readouterr().out
    assert "red" in out and "blue" in out and "#na#" not in out


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


def test_unseen_validation_labels_are_an_error(frame):
    frame.loc[7, "label"] = "zebra"
    with pytest.raises(ValueError, match="'label' holds values not seen in the training rows \\(zebra\\)"):
        make(frame)


def test_not_a_frame():
    with pytest.raises(TypeError, match="DataFrame"):
        TabularPandas([[1, 2]], cont_names="a")


def test_processing_again_keeps_the_codes(frame):
    to = make(frame)
    cats, conts = to.cats.clone(), to.conts.clone()
    to.process()
    assert torch.equal(to.cats, cats) and torch.equal(to.conts, conts)


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
