import math

import pytest
import torch
from torch import nn

from lamella.learner import CrossEntropyLossFlat, Learner
from lamella.learner.callbacks.lr_finder import minimum, slide, steep, valley
from lamella.optim import SGD

from .conftest import toy_dls


def test_suggestion_functions_on_a_known_curve():
    lrs = [10 ** (-6 + i * 0.1) for i in range(60)]  # 1e-6 .. ~1

    # a loss curve that falls between 1e-4 and 1e-2 and explodes after 1e-1
    def loss(lr):
        if lr < 1e-4:
            return 2.0
        return 2.0 - (math.log10(lr) + 4) * 0.8 if lr < 1e-2 else 0.4 + (lr > 0.1) * 5 * lr

    losses = [loss(lr) for lr in lrs]
    assert 1e-4 <= valley(lrs, losses) <= 1e-2
    assert 1e-4 <= steep(lrs, losses) <= 1e-2
    assert minimum(lrs, losses) <= 1e-2
    assert slide(lrs, losses) <= 0.1


def test_lr_find_restores_the_model_and_suggests_a_sensible_range():
    torch.manual_seed(0)
    learn = Learner(toy_dls(bs=8, n=512), nn.Linear(2, 2), loss_func=CrossEntropyLossFlat(), opt_func=SGD)
    learn.progress.show_bars = False
    before = [p.detach().clone() for p in learn.model.parameters()]
    res = learn.lr_find(start_lr=1e-5, end_lr=100, num_it=100, show_plot=False, suggest_funcs=[valley, steep])
    assert all(torch.equal(a, b) for a, b in zip(learn.model.parameters(), before))
    lrs, losses = learn.lr_find_results
    assert len(lrs) < 100 or max(losses) > min(losses)  # stopped on divergence or swept fully
    # SGD on this problem learns well between 1e-2 and 10: the suggestions fall there
    assert 1e-3 <= res.valley <= 10 and min(lrs) <= res.steep <= max(lrs)


def test_lr_find_plot():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    learn = Learner(toy_dls(bs=8, n=512), nn.Linear(2, 2), loss_func=CrossEntropyLossFlat(), opt_func=SGD)
    learn.progress.show_bars = False
    learn.lr_find(num_it=50, end_lr=100)
    import matplotlib.pyplot as plt

    assert plt.gca().get_xscale() == "log"
    plt.close("all")


def test_lr_find_returns_fastais_named_tuple():
    # fastai's `lr_min, lr_steep = learn.lr_find(...)` unpacks the rates, not dict keys (issue 15)
    torch.manual_seed(0)
    learn = Learner(toy_dls(bs=8, n=512), nn.Linear(2, 2), loss_func=CrossEntropyLossFlat(), opt_func=SGD)
    learn.progress.show_bars = False
    res = learn.lr_find(num_it=30, show_plot=False, suggest_funcs=(minimum, steep))
    lr_min, lr_steep = res
    assert type(res).__name__ == "SuggestedLRs" and res._fields == ("minimum", "steep")
    assert isinstance(lr_min, float) and lr_min == res.minimum and lr_steep == res.steep
    assert learn.lr_find(num_it=30, show_plot=False).valley > 0
