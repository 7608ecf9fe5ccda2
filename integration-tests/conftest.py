import pytest


@pytest.fixture
def mpl():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    yield mpl
    plt.close("all")
