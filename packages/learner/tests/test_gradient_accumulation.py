import torch
from torch import nn

from lamella.data import DataLoader, DataLoaders
from lamella.learner import CrossEntropyLossFlat, GradientAccumulation, Learner
from lamella.optim import SGD

from .conftest import toy_items


def _learner(bs):
    items = toy_items(64)
    dls = DataLoaders(DataLoader(items[:32], bs=bs), DataLoader(items[32:], bs=bs), device="cpu")
    torch.manual_seed(0)
    learn = Learner(dls, nn.Linear(2, 2), loss_func=CrossEntropyLossFlat(), opt_func=SGD, lr=0.1)
    learn.progress.show_bars = learn.progress.show_table = False
    return learn


def test_accumulating_small_batches_equals_one_big_batch():
    small = _learner(bs=8)
    small.fit(1, cbs=GradientAccumulation(n_acc=32))
    big = _learner(bs=32)
    big.fit(1)
    for a, b in zip(small.model.parameters(), big.model.parameters()):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_steps_only_every_n_acc_items():
    learn = _learner(bs=8)
    steps = []
    real_step = learn.opt_func

    learn.create_opt()
    original = learn.opt.step

    def counting(*a, **k):
        steps.append(1)
        return original(*a, **k)

    learn.opt.step = counting
    learn.fit(1, cbs=GradientAccumulation(n_acc=16))
    assert len(steps) == 2 and real_step is SGD
