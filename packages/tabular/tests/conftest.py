import numpy as np
import pandas as pd
import pytest

import lamella.samples
from lamella.tabular import Categorify, FillMissing, NormalizeTab, TabularPandas


@pytest.fixture
def frame():
    """A small frame with a categorical and a continuous column that both miss values, and a label."""
    return pd.DataFrame(
        {
            "color": ["red", "blue", None, "red", "green", "blue", "red", "blue"],
            "size": [1.0, np.nan, 3.0, 4.0, 5.0, np.nan, 7.0, 8.0],
            "count": [1, 2, 3, 4, 5, 6, 7, 8],
            "label": ["a", "b", "a", "b", "a", "b", "a", "b"],
        }
    )


@pytest.fixture(scope="session")
def adult():
    return pd.read_csv(lamella.samples.path("adult_sample") / "adult.csv", skipinitialspace=True)


@pytest.fixture(scope="session")
def adult_names():
    """The adult sample's columns as in fastai's tabular tutorial."""
    return dict(
        cat_names=["workclass", "education", "marital-status", "occupation", "relationship", "race"],
        cont_names=["age", "fnlwgt", "education-num"],
        y_names="salary",
    )


PROCS = [Categorify, FillMissing, NormalizeTab]


def make(frame, **kwargs):
    """`frame` as a TabularPandas: colour categorical, size and count continuous, six rows to train on."""
    kwargs.setdefault("splits", ([0, 1, 2, 3, 4, 5], [6, 7]))
    return TabularPandas(
        frame, PROCS, cat_names="color", cont_names=["size", "count"], y_names="label", **kwargs
    )
