import gzip

import numpy as np
import pytest

import lamella.samples


@pytest.fixture(scope="session")
def digits():
    """The bundled 8x8 digits: (n, 64) pixels and (n,) labels."""
    with gzip.open(lamella.samples.path("sklearn_digits") / "digits.csv.gz") as f:
        data = np.loadtxt(f, delimiter=",")
    return data[:, :64].astype(np.float32), data[:, 64].astype(np.int64)


def number(o):
    return int(o.split(".")[1])


def label(o):
    return o.split(".")[0]


def make_dls():
    """Loaders of six named items (`cat.1`...): the number as input, the animal as a category."""
    from lamella.data import Categorize, DataLoaders, Datasets

    items = ["cat.1", "dog.2", "cat.3", "dog.4", "cat.5", "dog.6"]
    dsets = Datasets(items, [[number], [label, Categorize()]], splits=([0, 1, 2, 3], [4, 5]))
    return DataLoaders.from_dsets(dsets.train, dsets.valid, bs=2, device="cpu", seed=0)
