import pickle

import pytest
import torch
from torch import nn

from lamella.learner import (
    Callback,
    CallbackError,
    CrossEntropyLossFlat,
    Learner,
    MSELossFlat,
    accuracy,
)

from .conftest import block_dls, toy_dls


def test_fit_learns_and_reports(learn, threshold):
    learn.metrics = [__import__("lamella.learner", fromlist=["AvgMetric"]).AvgMetric(accuracy)]
    learn.fit(4)
    loss, acc = learn.validate()
    threshold(acc, above=0.9, name="accuracy")  # two linearly separable classes: chance is 0.5
    threshold(loss, below=0.5, name="loss")  # chance's cross-entropy is ln 2 = 0.69
    names = learn.recorder.metric_names
    assert (
        names == ["epoch", "train_loss", "valid_loss", "accuracy", "time"] and len(learn.recorder.values) == 4
    )
    assert len(learn.recorder.losses) == 4 * len(learn.dls.train)


def test_nan_loss_stops_with_the_batch(learn):
    class Poison(Callback):
        def after_pred(self):
            if self.iter == 2:
                self.learn.pred = self.pred * float("nan")

    with pytest.raises(CallbackError, match="training loss is nan at epoch 0, batch 2"):
        learn.fit(1, cbs=Poison())


def test_wrong_output_shape_is_explained():
    learn = Learner(toy_dls(), nn.Linear(2, 3), loss_func=MSELossFlat())
    learn.progress.show_bars = False
    with pytest.raises(
        ValueError, match=r"predictions of shape \(32, 3\) cannot meet targets of shape \(32,\)"
    ):
        learn.fit(1)


def test_default_loss_from_the_target_block():
    dls = block_dls()
    learn = Learner(dls, nn.Linear(2, 2))
    assert isinstance(learn.loss_func, CrossEntropyLossFlat)
    with pytest.raises(ValueError, match="pass loss_func="):
        Learner(toy_dls(), nn.Linear(2, 2))


def test_pickles(learn):
    back = pickle.loads(pickle.dumps(learn))
    assert isinstance(back, Learner) and back.recorder.learn is back


def test_metrics_as_functions_factories_and_classes():
    from lamella.learner import AccumMetric, AvgMetric, Dice, Learner, accuracy, rmse

    learn = Learner(
        toy_dls(), nn.Linear(2, 2), loss_func=nn.CrossEntropyLoss(), metrics=[accuracy, rmse, Dice]
    )
    kinds = [type(m) for m in learn.metrics]
    assert kinds == [AvgMetric, AccumMetric, Dice]
    assert learn.metrics[1].name == "rmse"
    other = Learner(toy_dls(), nn.Linear(2, 2), loss_func=nn.CrossEntropyLoss(), metrics=rmse)
    assert other.metrics[0] is not learn.metrics[1]  # a fresh accumulator per learner


def test_fastai_learner_extras(learn, capsys):
    """`fit_sgdr`, `tta`, `predict(with_input=)`, `show_training_loop`, `x`/`y` and `with learn:`."""
    learn.fit_sgdr(2, 1, 0.1)  # 1 + 2 epochs, the rate restarting at the second cycle
    lrs = learn.recorder.lrs
    n = len(learn.dls.train)
    assert len(learn.recorder.values) == 3 and lrs[n] > lrs[n - 1] and lrs[-1] < 0.01
    preds, targs = learn.tta(n=2)
    plain, _ = learn.get_preds()
    assert torch.allclose(preds, plain)  # no random transform: augmenting changes nothing
    (aug, plain2), _ = learn.tta(n=2, beta=None)
    assert aug.shape == plain2.shape == plain.shape
    learn.show_training_loop()
    assert "before_fit" in capsys.readouterr().out
    b = learn.dls.train.one_batch()
    with learn:  # fastai's mixup visualisation cell runs events by hand inside such a block
        learn._split(b)
        assert learn.x is learn.xb[0] and learn.y is learn.yb[0]
        learn.y = learn.y * 0
        assert int(learn.yb[0].sum()) == 0
