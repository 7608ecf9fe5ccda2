import pickle

import numpy as np
import pandas as pd
import pytest
import torch

from lamella.data import CategoryBlock, RegressionBlock
from lamella.tabular import TabularPandas
from lamella.typedtensor import TensorCategory

from .conftest import PROCS, make


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
