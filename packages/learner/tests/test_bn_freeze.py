from torch import nn

from lamella.learner import BnFreeze, CrossEntropyLossFlat, Learner

from .conftest import toy_dls


def test_frozen_batchnorm_keeps_its_statistics():
    model = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    for p in list(model[0].parameters()) + list(model[1].parameters()):
        p.requires_grad_(False)
    learn = Learner(toy_dls(), model, loss_func=CrossEntropyLossFlat(), cbs=BnFreeze())
    learn.progress.show_bars = learn.progress.show_table = False
    before = model[1].running_mean.clone()
    learn.fit(1)
    assert (model[1].running_mean == before).all()
    learn.remove_cb(learn.bn_freeze)
    learn.fit(1)
    assert not (model[1].running_mean == before).all()
