"""The event loop: events in order, callbacks reading and writing the learner, cancels, refusals, Ctrl-C."""

import math

import pytest
import torch
from torch import nn

from lamella.learner import (
    Callback,
    CallbackError,
    CancelBatchException,
    CancelFitException,
    CrossEntropyLossFlat,
    Learner,
)

from .conftest import toy_dls


class Log(Callback):
    def __init__(self):
        self.events = []

    def __getattr__(self, name):
        if name.startswith(("before_", "after_")):
            return lambda: self.events.append(name)
        return super().__getattr__(name)


def test_events_fire_in_order():
    from lamella.learner import EVENTS

    def handler(name):
        return lambda self: self.seen.append(name)

    Events = type("Events", (Callback,), {name: handler(name) for name in EVENTS})
    cb = Events()
    cb.seen = []
    items = toy_dls(bs=96, n=128)  # one training batch, one validation batch
    learn = Learner(items, nn.Linear(2, 2), loss_func=CrossEntropyLossFlat(), cbs=cb)
    learn.progress.show_table = learn.progress.show_bars = False
    cb.seen.clear()
    learn.fit(1)
    batch = ["before_batch", "after_pred", "after_loss", "before_backward", "after_backward", "before_step",
             "after_step", "after_batch"]  # fmt: skip
    valid_batch = ["before_batch", "after_pred", "after_loss", "after_batch"]
    expected = ["before_fit", "before_epoch", "before_train", *batch, "after_train", "before_validate",
                *valid_batch, "after_validate", "after_epoch", "after_fit"]  # fmt: skip
    assert cb.seen == expected


def test_callbacks_read_and_write_the_learner(learn):
    class Double(Callback):
        def after_loss(self):
            if self.training:
                self.learn.loss_grad = self.loss_grad * 0  # no gradient: nothing learns

    before = [p.detach().clone() for p in learn.model.parameters()]
    learn.fit(1, cbs=Double())
    after = list(learn.model.parameters())
    # Adam's decoupled weight decay still moves weights a little; the gradient step did nothing
    assert all(torch.allclose(a, b, atol=1e-2) for a, b in zip(after, before))
    assert not hasattr(learn, "double")  # fit(cbs=...) removes them afterwards


def test_cancel_batch_skips_the_step(learn):
    class SkipAll(Callback):
        def before_batch(self):
            if self.training:
                raise CancelBatchException()

    learn.wd = 0.0
    before = [p.detach().clone() for p in learn.model.parameters()]
    learn.fit(1, cbs=SkipAll())
    assert all(torch.equal(a, b) for a, b in zip(learn.model.parameters(), before))


def test_cancel_fit_runs_after_fit(learn):
    seen = []

    class Stop(Callback):
        def after_batch(self):
            if self.iter == 1:
                raise CancelFitException()

        def after_cancel_fit(self):
            seen.append("cancel")

        def after_fit(self):
            seen.append("after")

    learn.fit(3, cbs=Stop())
    assert seen == ["cancel", "after"] and learn.epoch == 0


def test_a_failing_callback_is_named(learn):
    class Broken(Callback):
        def after_pred(self):
            raise KeyError("oops")

    with pytest.raises(CallbackError, match="callback Broken failed in after_pred: KeyError"):
        learn.fit(1, cbs=Broken())


def test_added_and_removed_cbs(learn):
    cb = Callback()
    with learn.added_cbs([cb]):
        assert learn.callback is cb
    assert not hasattr(learn, "callback")
    with learn.removed_cbs([learn.progress]):
        assert not hasattr(learn, "progress")
    assert learn.progress is not None
    assert "Learner(Linear" in repr(learn)


def test_no_logging_and_no_bar(learn, capsys):
    learn.progress.show_table = True
    with learn.no_logging():
        learn.fit(1)
    assert capsys.readouterr().out == ""
    learn.fit(1)
    assert "train_loss" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [((-1,), "n_epoch is a whole number"), ((2.5,), "n_epoch is a whole number"),
     ((1, -1e-3), "learning rate must be a positive number"), ((1, slice(0, 1e-2)), "positive number"),
     ((1, float("nan")), "positive number")],
)  # fmt: skip
def test_fit_refuses_what_cannot_train(learn, args, message):
    with pytest.raises(ValueError, match=message):
        learn.fit(*args)
    assert learn.recorder.values == []


def test_a_batch_size_above_the_training_set_is_refused_by_fit_and_one_batch():
    from lamella.data import DataLoader, DataLoaders

    from .conftest import toy_items

    items = toy_items(10)
    dls = DataLoaders(DataLoader(items[:6], bs=8, shuffle=True, drop_last=True), DataLoader(items[6:], bs=8))
    learn = Learner(dls, nn.Linear(2, 2), loss_func=CrossEntropyLossFlat(), lr=0.1)
    with pytest.raises(ValueError, match="makes no batch: 6 items, bs=8 .* pass bs=6 or less"):
        learn.fit(1)
    with pytest.raises(ValueError, match="makes no batch"):
        dls.one_batch()
    assert learn.recorder.values == []


def test_ctrl_c_after_backward_leaves_no_gradient_for_the_next_fit(learn):
    class Interrupt(Callback):
        def after_backward(self):
            raise KeyboardInterrupt

    class FirstGrads(Callback):
        def before_batch(self):
            if self.training and not hasattr(self, "grads"):
                self.grads = [p.grad for p in self.learn.model.parameters()]

    with pytest.raises(KeyboardInterrupt):
        learn.fit(1, cbs=Interrupt())
    assert any(p.grad is not None for p in learn.model.parameters())  # what Ctrl-C leaves
    watch = FirstGrads()
    learn.fit(1, cbs=watch)
    assert all(g is None for g in watch.grads) and len(learn.recorder.values) == 1


@pytest.mark.parametrize(
    "event",
    ["before_fit", "before_epoch", "before_train", "before_batch", "after_pred", "after_loss",
     "before_backward", "after_backward", "before_step", "after_step", "after_batch", "after_train",
     "before_validate", "after_validate", "after_epoch"],
)  # fmt: skip
def test_ctrl_c_at_any_event_leaves_a_learner_that_fits_again(learn, event):
    interrupt = type("Interrupt", (Callback,), {event: lambda self: (_ for _ in ()).throw(KeyboardInterrupt)})
    with pytest.raises(KeyboardInterrupt):
        learn.fit(2, cbs=interrupt())
    assert not any(type(cb).__name__ == "Interrupt" for cb in learn.cbs)  # fit's own cbs are removed
    assert learn.training is False or learn.model.training == learn.training
    learn.fit(1)
    values = learn.recorder.values
    assert len(values) == 1 and all(v is not None and math.isfinite(v) for v in values[0])
    assert all(p.grad is None or torch.isfinite(p.grad).all() for p in learn.model.parameters())
    assert learn.epoch == 0 and learn.n_epoch == 1
