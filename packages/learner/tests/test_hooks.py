import pytest
import torch
from torch import nn

from lamella.learner import ActivationStats, Hook, hook_output, hook_outputs, model_sizes


def test_hook_stores_and_removes():
    lin = nn.Linear(2, 3)
    h = Hook(lin, lambda m, i, o: o.sum())
    lin(torch.ones(1, 2))
    first = h.stored
    h.remove()
    lin(torch.zeros(1, 2))
    assert h.stored is first


def test_output_and_gradient_hooks():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    with hook_outputs(model) as hs, hook_output(model[2], grad=True) as g:
        model(torch.ones(4, 2)).sum().backward()
    assert [tuple(o.shape) for o in hs.stored] == [(4, 3), (4, 3), (4, 1)]
    assert not hs.stored[0].requires_grad and g.stored[0].shape == (4, 1)


def test_model_sizes():
    rows = model_sizes(nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten()), torch.zeros(2, 3, 8, 8))
    assert rows[0][1:] == ("Conv2d", (2, 4, 6, 6), 112, True) and rows[1][2] == (2, 144)


def test_activation_stats(learn):
    stats = ActivationStats()
    learn.fit(1, cbs=stats)
    assert len(stats.stats) == len(learn.dls.train) and len(stats.stats[0]) == 1
    mean, std, near_zero = stats.stats[0][0]
    assert std > 0 and 0 <= near_zero <= 1


def test_plot_layer_stats(learn):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    stats = ActivationStats()
    learn.fit(1, cbs=stats)
    assert len(stats.plot_layer_stats(0)) == 3
    import matplotlib.pyplot as plt

    plt.close("all")
