import operator

import pytest
import torch

from lamella.learner import (
    AvgMetric,
    Callback,
    EarlyStoppingCallback,
    ReduceLROnPlateau,
    SaveModelCallback,
    accuracy,
)
from lamella.learner.callbacks.tracker import TrackerCallback


class FakeLoss(Callback):
    """Overwrite the recorded validation loss with a scripted sequence, one value per epoch."""

    order = 55

    def __init__(self, values):
        self.values = list(values)

    def after_epoch(self):
        self.learn.recorder.values[-1][1] = self.values[self.epoch]


def test_comparison_from_the_name():
    assert (
        TrackerCallback("valid_loss").comp is operator.lt
        and TrackerCallback("error_rate").comp is operator.lt
    )
    assert TrackerCallback("accuracy").comp is operator.gt


def test_unknown_monitor_is_explained(learn):
    with pytest.raises(Exception, match="nothing named 'acc' is recorded"):
        learn.fit(1, cbs=EarlyStoppingCallback(monitor="acc"))


def test_early_stopping(learn, capsys):
    learn.fit(10, cbs=[FakeLoss([1.0, 0.9, 0.95, 0.97, 0.5] + [0.1] * 5), EarlyStoppingCallback(patience=2)])
    assert len(learn.recorder.values) == 4 and "early stopping" in capsys.readouterr().out


def test_save_model_keeps_the_best_and_loads_it(learn, tmp_path):
    learn.path = tmp_path
    snapshots = []

    class Snap(Callback):
        order = 70

        def after_epoch(self):
            snapshots.append([p.detach().clone() for p in self.learn.model.parameters()])

    learn.fit(4, cbs=[FakeLoss([1.0, 0.5, 0.7, 0.8]), SaveModelCallback(fname="best"), Snap()])
    assert (tmp_path / "models" / "best.safetensors").exists()
    assert all(torch.equal(a, b) for a, b in zip(learn.model.parameters(), snapshots[1]))
    learn.fit(2, cbs=SaveModelCallback(every_epoch=True, fname="ep"))
    assert sorted(p.name for p in (tmp_path / "models").glob("ep_*.safetensors")) == [
        "ep_0.safetensors",
        "ep_1.safetensors",
    ]


def test_reduce_lr_on_plateau(learn, capsys):
    learn.metrics = [AvgMetric(accuracy)]
    learn.fit(3, lr=0.1, cbs=[FakeLoss([1.0, 1.0, 1.0]), ReduceLROnPlateau(patience=1, factor=10)])
    assert learn.opt.param_groups[0]["lr"] == pytest.approx(0.001)
    assert "reducing lr" in capsys.readouterr().out


def test_save_model_at_end(learn, tmp_path):
    from lamella.learner import SaveModelCallback

    learn.path = tmp_path
    learn.fit(2, cbs=SaveModelCallback(fname="final", at_end=True))
    assert (tmp_path / "models" / "final.safetensors").exists()


def test_patience_zero_stops_at_the_first_epoch_without_improvement(learn, capsys):
    learn.fit(10, cbs=[FakeLoss([1.0, 0.9, 0.8, 0.85] + [0.1] * 6), EarlyStoppingCallback(patience=0)])
    assert len(learn.recorder.values) == 4  # as fastai: improving epochs never stop it
    assert "since epoch 2" in capsys.readouterr().out


def test_a_tracker_without_validation_values_says_so(learn):
    from lamella.data import DataLoader, DataLoaders
    from lamella.learner import CallbackError

    learn.dls = DataLoaders(learn.dls.train, DataLoader([], bs=8), device="cpu")
    for cb in (EarlyStoppingCallback(), SaveModelCallback(), ReduceLROnPlateau()):
        with pytest.raises(CallbackError, match="'valid_loss' has no value after epoch 0"):
            learn.fit(2, cbs=cb)
    learn.fit(2, cbs=EarlyStoppingCallback(monitor="train_loss"))  # a training value works
