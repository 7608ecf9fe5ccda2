import math
import pickle
import subprocess
import sys

import pytest
import torch
from torch import nn

from lamella.learner import (
    BCEWithLogitsLossFlat,
    Callback,
    CallbackError,
    CancelBatchException,
    CancelFitException,
    CrossEntropyLossFlat,
    Learner,
    MSELossFlat,
    accuracy,
    load_learner,
)
from lamella.typedtensor import TensorCategory

from .conftest import block_dls, toy_dls


class Log(Callback):
    def __init__(self):
        self.events = []

    def __getattr__(self, name):
        if name.startswith(("before_", "after_")):
            return lambda: self.events.append(name)
        return super().__getattr__(name)


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


def test_fit_one_cycle_schedules_lr_and_mom(learn):
    learn.fit_one_cycle(2, 1e-2)
    lrs, moms = learn.recorder.lrs, learn.recorder.moms
    peak = max(lrs)
    assert peak == pytest.approx(1e-2, rel=0.05) and lrs[0] == pytest.approx(1e-2 / 25, rel=0.05)
    assert lrs[-1] < 1e-3 and min(moms) == pytest.approx(0.85, abs=0.01) and moms[0] == pytest.approx(0.95)


def test_fit_flat_cos(learn):
    learn.fit_flat_cos(2, 1e-2)
    lrs = learn.recorder.lrs
    assert lrs[0] == pytest.approx(1e-2) and lrs[len(lrs) // 2] == pytest.approx(1e-2) and lrs[-1] < 5e-3


def _two_group_learner():
    model = nn.Sequential(nn.Linear(2, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))

    def splitter(m):
        return [list(m[0].parameters()) + list(m[1].parameters()), list(m[3].parameters())]

    learn = Learner(toy_dls(), model, loss_func=CrossEntropyLossFlat(), splitter=splitter)
    learn.progress.show_bars = learn.progress.show_table = False
    return learn


def test_freeze_fine_tune_and_discriminative_lrs():
    learn = _two_group_learner()
    learn.freeze()
    assert not learn.model[0].weight.requires_grad and learn.model[1].weight.requires_grad  # train_bn
    body = learn.model[0].weight.detach().clone()
    learn.fit(1)
    assert torch.equal(learn.model[0].weight, body)
    learn.fine_tune(1, base_lr=1e-2, freeze_epochs=1)
    assert learn.model[0].weight.requires_grad and not torch.equal(learn.model[0].weight, body)
    lrs = [h["lr"] for h in learn.opt.hypers]
    assert lrs[0] < lrs[1]
    assert learn.opt.state[learn.model[1].weight]["do_wd"] is False


@pytest.mark.parametrize("schedule", ["fit_one_cycle", "fit_flat_cos", "fit_sgdr"])
def test_schedules_take_one_rate_per_group_from_a_slice(schedule):
    # every schedule reaches its cosine phase with a slice: one schedule per parameter group
    learn = _two_group_learner()
    args = (2, 1, slice(1e-3, 1e-1)) if schedule == "fit_sgdr" else (3, slice(1e-3, 1e-1))
    getattr(learn, schedule)(*args)
    first, last = learn.opt.hypers
    assert first["lr"] < last["lr"] and last["lr"] < 1e-1  # annealed, each group from its own rate


def test_get_preds_predict_and_decoding():
    dls = block_dls()
    learn = Learner(dls, nn.Linear(2, 2), lr=0.1)
    learn.progress.show_bars = learn.progress.show_table = False
    learn.fit(3)
    inp, preds, targs, dec, losses = learn.get_preds(with_input=True, with_decoded=True, with_loss=True)
    assert preds.shape == (50, 2) and torch.allclose(preds.sum(1), torch.ones(50))
    assert type(dec) is TensorCategory and losses.shape == (50,) and inp.shape == (50, 2)
    assert (dec == targs).float().mean() > 0.85
    label, idx, probs = learn.predict([2.0, 1.0])
    assert label == "pos" and int(idx) == 1 and probs.shape == (2,) and probs[1] > 0.5


def test_save_load_round_trip_and_atomicity(learn, tmp_path, monkeypatch):
    learn.path = tmp_path
    learn.fit(1)
    file = learn.save("stage")
    assert sorted(p.name for p in file.parent.iterdir()) == ["stage.safetensors"]  # weights and optimizer
    saved = [p.detach().clone() for p in learn.model.parameters()]
    learn.fit(1)
    learn.load("stage")
    assert all(torch.equal(a, b) for a, b in zip(learn.model.parameters(), saved))

    import safetensors.torch

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(safetensors.torch, "save_file", crash)
    with pytest.raises(OSError, match="disk full"):
        learn.save("stage")
    learn.load("stage")  # the previous file is intact
    assert not [p for p in (tmp_path / "models").iterdir() if p.name.startswith(".")]
    with pytest.raises(FileNotFoundError, match="saved: \\['stage'\\]"):
        learn.load("nope")


def test_export_and_load_learner_in_a_fresh_process(tmp_path):
    dls = block_dls()
    learn = Learner(dls, nn.Linear(2, 2), lr=0.1, path=tmp_path)
    learn.progress.show_bars = learn.progress.show_table = False
    learn.fit(2)
    file = learn.export()
    with pytest.raises(PermissionError, match="pass trusted=True"):
        load_learner(file)
    code = (
        "import sys; sys.path.insert(0, sys.argv[2])\n"
        "from lamella.learner import load_learner\n"
        "learn = load_learner(sys.argv[1], trusted=True)\n"
        "print(learn.predict([2.0, 1.0])[0], len(learn.dls.train_ds))"
    )
    tests_dir = str(__import__("pathlib").Path(__file__).parent)
    out = subprocess.run(
        [sys.executable, "-c", code, str(file), tests_dir], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["pos", "0"]


def test_multi_label_learner():
    learn = Learner(toy_dls(), nn.Linear(2, 2), loss_func=BCEWithLogitsLossFlat())
    assert learn.loss_func.decodes(torch.tensor([[0.9, 0.1]])).tolist() == [[True, False]]


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


def test_predict_with_input():
    learn = Learner(block_dls(), nn.Linear(2, 2), lr=0.1)
    x, label, idx, probs = learn.predict([1.0, 1.0], with_input=True)
    assert x.tolist() == [1.0, 1.0] and label in ("pos", "neg") and probs.shape == (2,)


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
