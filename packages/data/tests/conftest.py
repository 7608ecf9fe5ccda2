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
