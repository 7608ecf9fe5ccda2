"""`Learner`: the training loop, one event between every step, and what is built on it.

`fit` runs, for each epoch, the training batches then the validation batches; each batch goes
`before_batch` → forward (`after_pred`) → loss (`after_loss`) → backward → step → `after_batch`.
Every feature (schedules, progress, metrics, mixed precision, checkpoints) is a callback that
reads and writes the learner between those steps. Semantic types are dropped (zero-copy) at the
model and the loss, and put back on predictions for decoding.

The module stays whole past 400 lines: `Learner` is one class whose methods are the user-facing
API (`fit_one_cycle`, `fine_tune`, `predict`...), and methods live on their class (no patching).
"""

from __future__ import annotations

import inspect
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from torch import Tensor, nn

from lamella.optim import Adam
from lamella.optim.schedule import SchedCos, SchedNo, combine_scheds, combined_cos
from lamella.typedtensor import TensorBase, as_plain, cast, is_listy, to_device

from .callback import Callback, CallbackError
from .events import (
    CancelBackwardException,
    CancelBatchException,
    CancelEpochException,
    CancelFitException,
    CancelStepException,
    CancelTrainException,
    CancelValidException,
)
from .metrics import AvgMetric, Metric
from .persist import CheckpointError, check_fits, load_checkpoint, save_atomic, save_checkpoint

__all__ = ["Learner", "load_learner", "trainable_params"]

_CANCELS = (
    CancelFitException,
    CancelEpochException,
    CancelTrainException,
    CancelValidException,
    CancelBatchException,
    CancelBackwardException,
    CancelStepException,
)
# The event names of each step, made once (this runs several times a batch).
_NAMES = {
    e: (f"before_{e}", f"after_cancel_{e}", f"after_{e}")
    for e in ("fit", "epoch", "train", "validate", "batch", "backward", "step")
}
# Events of the batch loop: these alone respect a callback's run_train / run_valid.
_INNER = frozenset(
    [
        "before_batch",
        "after_pred",
        "after_loss",
        "before_backward",
        "after_cancel_backward",
        "after_backward",
        "before_step",
        "after_cancel_step",
        "after_step",
        "after_cancel_batch",
        "after_batch",
    ]
)
_NORM = (nn.modules.batchnorm._BatchNorm, nn.GroupNorm, nn.LayerNorm, nn.modules.instancenorm._InstanceNorm)


def trainable_params(model: nn.Module) -> list[nn.Parameter]:
    """The parameters of `model` that require a gradient: one group (the default splitter).

    Examples:
        >>> len(trainable_params(nn.Linear(2, 1)))
        2
    """
    return [p for p in model.parameters() if p.requires_grad]


def _norm_bias_params(model: nn.Module, with_bias: bool = True) -> list[nn.Parameter]:
    params = []
    for m in model.modules():
        if isinstance(m, _NORM):
            params += list(m.parameters(recurse=False))
        elif with_bias and getattr(m, "bias", None) is not None and isinstance(m.bias, nn.Parameter):
            params.append(m.bias)
    return params


def _default_loss(dls: Any) -> Any:
    from lamella.data import Categorize, EncodedMultiCategorize, MultiCategorize, RegressionSetup

    from .losses import BCEWithLogitsLossFlat, CrossEntropyLossFlat, MSELossFlat

    tls = getattr(getattr(dls, "train_ds", None), "tls", None) or []
    n_inp = getattr(dls.train_ds, "n_inp", 1) if tls else 1
    for tl in tls[n_inp:]:
        for t in reversed(tl.tfms.fs):
            if isinstance(t, (MultiCategorize, EncodedMultiCategorize)):
                return BCEWithLogitsLossFlat()
            if isinstance(t, Categorize):
                return CrossEntropyLossFlat()
            if isinstance(t, RegressionSetup):
                return MSELossFlat()
    raise ValueError(
        "Learner could not pick a loss from the targets (no CategoryBlock, MultiCategoryBlock or "
        "RegressionBlock found): pass loss_func="
    )


class Learner:
    """Train `model` on `dls` with `loss_func` and an optimizer from `opt_func`, through callbacks.

    Args:
        dls: the DataLoaders (training first, then validation).
        model: the PyTorch model; it is moved to the DataLoaders' device.
        loss_func: the loss (default: from the target block, e.g. `CrossEntropyLossFlat` for categories).
        opt_func: builds the optimizer from parameter groups and `lr` (default lamella `Adam`).
        lr: the default learning rate.
        splitter: from the model to parameter groups (for discriminative learning rates and freezing).
        cbs: extra callbacks.
        metrics: functions or `Metric`s computed on the validation set each epoch.
        path: where `model_dir` lives (default: the DataLoaders' path).
        model_dir: the folder of saved models, under `path`.
        wd: weight decay (default: the optimizer's).
        wd_bn_bias: apply weight decay to norm layers and biases too.
        train_bn: keep norm layers trainable when the model is frozen.
        moms: the momentum schedule of one-cycle training.

    Examples:
        >>> from lamella.data import DataLoader, DataLoaders
        >>> xs = torch.randn(64, 2); ys = (xs.sum(1) > 0).long()
        >>> items = list(zip(xs, ys))
        >>> dls = DataLoaders(DataLoader(items, bs=16, shuffle=True), DataLoader(items, bs=16), device="cpu")
        >>> from lamella.learner import CrossEntropyLossFlat, accuracy
        >>> learn = Learner(dls, nn.Linear(2, 2), loss_func=CrossEntropyLossFlat(), metrics=accuracy, lr=0.1)
        >>> with learn.no_logging(): learn.fit(3)
        >>> learn.validate()[1] > 0.8
        True
    """

    if TYPE_CHECKING:  # a default callback, reached by its name as in fastai (`learn.recorder`)
        from .callbacks.recorder import Recorder

        recorder: Recorder

    def __init__(
        self,
        dls: Any,
        model: nn.Module,
        loss_func: Callable[..., Tensor] | None = None,
        opt_func: Callable[..., Any] = Adam,
        lr: float = 1e-3,
        splitter: Callable[[nn.Module], Any] = trainable_params,
        cbs: Callback | Iterable[Callback] | None = None,
        metrics: Any = None,
        path: str | Path | None = None,
        model_dir: str | Path = "models",
        wd: float | None = None,
        wd_bn_bias: bool = False,
        train_bn: bool = True,
        moms: tuple[float, float, float] = (0.95, 0.85, 0.95),
    ) -> None:
        from .callbacks.nan import TerminateOnNaNCallback
        from .callbacks.progress import ProgressCallback
        from .callbacks.recorder import Recorder
        from .callbacks.train_eval import TrainEvalCallback

        self.dls, self.model = dls, model
        train_ds = getattr(getattr(dls, "train", None), "dataset", None)
        self.n_inp: int | None = getattr(train_ds, "n_inp", None)
        self.loss_func = _default_loss(dls) if loss_func is None else loss_func
        self.opt_func, self.lr, self.splitter, self.wd = opt_func, lr, splitter, wd
        self.wd_bn_bias, self.train_bn, self.moms = wd_bn_bias, train_bn, moms
        self.path = Path(path) if path is not None else Path(getattr(dls, "path", "."))
        self.model_dir = Path(model_dir)
        self.metrics = metrics
        self.opt: Any = None
        self._start_epoch = self._batch_offset = 0
        self.training, self.epoch, self.n_epoch, self.iter, self.n_iter = False, 0, 1, 0, 0
        self.loss = self.loss_grad = torch.tensor(0.0)
        self.xb: tuple = ()
        self.yb: tuple = ()
        self.cbs: list[Callback] = []
        self._handlers: dict[str, list[tuple[Callback, Callable]]] = {}
        device = getattr(dls, "device", None)
        if device is not None:
            self.model.to(device)
        self.add_cbs([TrainEvalCallback(), Recorder(), ProgressCallback(), TerminateOnNaNCallback()])
        self.add_cbs(_listify(cbs))
        self("after_create")

    @property
    def metrics(self) -> list[Metric]:
        """The validation metrics; assigning functions or factories wraps them, as in fastai.

        Examples:
            >>> from lamella.learner import accuracy, error_rate
            >>> learn.metrics = [accuracy, error_rate]; [m.name for m in learn.metrics]
            ['accuracy', 'error_rate']
        """
        return self._metrics

    @metrics.setter
    def metrics(self, metrics: Any) -> None:
        self._metrics = [_as_metric(m) for m in _listify(metrics)]

    # -- callbacks -----------------------------------------------------------------------------------
    def add_cb(self, cb: Callback | type) -> Learner:
        """Add a callback (a class is instantiated); it is then reachable as `learn.<name>`.

        Examples:
            >>> learn.add_cb(Callback()).callback
            Callback
        """
        cb = cb() if isinstance(cb, type) else cb
        cb.learn = self
        setattr(self, cb.name, cb)
        self.cbs.append(cb)
        self._handlers.clear()
        return self

    def add_cbs(self, cbs: Iterable[Callback | type]) -> Learner:
        """Add several callbacks.

        Examples:
            >>> len(learn.add_cbs([Callback()]).cbs)
            5
        """
        for cb in cbs:
            self.add_cb(cb)
        return self

    def remove_cb(self, cb: Callback | type) -> Learner:
        """Remove a callback (or every callback of a class).

        Examples:
            >>> hasattr(learn.remove_cb(learn.progress), "progress")
            False
        """
        found = [c for c in self.cbs if c is cb or (isinstance(cb, type) and isinstance(c, cb))]
        for c in found:
            self.cbs.remove(c)
            if getattr(self, c.name, None) is c:
                delattr(self, c.name)
            c.learn = None
        self._handlers.clear()
        return self

    def remove_cbs(self, cbs: Iterable[Callback | type]) -> Learner:
        """Remove several callbacks.

        Examples:
            >>> len(learn.remove_cbs([learn.progress]).cbs)
            3
        """
        for cb in list(cbs):
            self.remove_cb(cb)
        return self

    @contextmanager
    def added_cbs(self, cbs: Callback | Iterable[Callback] | None) -> Iterator[Learner]:
        """Add callbacks for the duration of a `with` block.

        Examples:
            >>> with learn.added_cbs([Callback()]): learn.fit(1)
        """
        cbs = _listify(cbs)
        self.add_cbs(cbs)
        try:
            yield self
        finally:
            self.remove_cbs(cbs)

    @contextmanager
    def removed_cbs(self, cbs: Callback | Iterable[Callback]) -> Iterator[Learner]:
        """Remove callbacks (one or several) for the duration of a `with` block, then put them back.

        Examples:
            >>> with learn.removed_cbs(learn.progress): learn.fit(1)
        """
        cbs = [c for c in _listify(cbs) if c in self.cbs]
        self.remove_cbs(cbs)
        try:
            yield self
        finally:
            self.add_cbs(cbs)

    def _event_handlers(self, event: str) -> list[tuple[Callback, Callable]]:
        found = self._handlers.get(event)
        if found is None:
            cbs = sorted(self.cbs, key=lambda c: c.order)
            found = self._handlers[event] = [
                (c, getattr(c, event))
                for c in cbs
                if callable(getattr(type(c), event, None)) or callable(c.__dict__.get(event))
            ]
        return found

    def __call__(self, event: str) -> None:
        """Fire `event`: run it on every callback that defines it, in `order`, in the current phase."""
        handlers = self._handlers.get(event)
        if handlers is None:
            handlers = self._event_handlers(event)
        if not handlers:
            return
        training = self.training
        for cb, handler in handlers:
            if event not in _INNER or (cb.run_train if training else cb.run_valid):
                try:
                    handler()
                except _CANCELS:
                    raise
                except CallbackError:
                    raise
                except Exception as e:
                    raise CallbackError(
                        f"callback {type(cb).__name__} failed in {event}: {type(e).__name__}: {e}"
                    ) from e

    def _with_events(self, f: Callable[[], None], event: str, cancel: type[Exception]) -> None:
        before, after_cancel, after = _NAMES[event]
        try:
            self(before)
            f()
        except cancel:
            self(after_cancel)
        self(after)

    # -- one batch -------------------------------------------------------------------------------------
    @property
    def xb_plain(self) -> tuple:
        """The inputs of the current batch as plain tensors (what the model gets).

        Examples:
            >>> learn._split(dls.one_batch()); learn.xb_plain[0].shape
            torch.Size([30, 2])
        """
        xb = self.xb
        return xb if all(type(x) is Tensor for x in xb) else tuple([as_plain(x) for x in xb])

    @property
    def yb_plain(self) -> tuple:
        """The targets of the current batch as plain tensors (what the loss gets).

        Examples:
            >>> learn._split(dls.one_batch()); type(learn.yb_plain[0]).__name__
            'Tensor'
        """
        yb = self.yb
        return yb if all(type(y) is Tensor for y in yb) else tuple([as_plain(y) for y in yb])

    @property
    def x(self) -> Any:
        """The first input of the current batch (fastai's `learn.x`); settable.

        Examples:
            >>> learn._split(dls.one_batch()); learn.x.shape
            torch.Size([30, 2])
        """
        return self.xb[0]

    @x.setter
    def x(self, value: Any) -> None:
        self.xb = (value, *self.xb[1:])

    @property
    def y(self) -> Any:
        """The first target of the current batch (fastai's `learn.y`); settable.

        Examples:
            >>> learn._split(dls.one_batch()); type(learn.y).__name__
            'TensorCategory'
        """
        return self.yb[0]

    @y.setter
    def y(self, value: Any) -> None:
        self.yb = (value, *self.yb[1:])

    def _split(self, b: Any) -> None:
        if type(b) is not tuple:
            b = tuple(b) if isinstance(b, (tuple, list)) else (b,)
        n_inp = self.n_inp or max(1, len(b) - 1)
        self.xb, self.yb = b[:n_inp], b[n_inp:]
        if self.yb:
            self._target_cls = type(self.yb[0])  # it types the decoded predictions

    def _do_one_batch(self) -> None:
        self.pred = self.model(*self.xb_plain)
        self("after_pred")
        if self.yb:
            self.loss_grad = self.loss_func(self.pred, *self.yb_plain)
            self.loss = self.loss_grad.detach()
        self("after_loss")
        if not self.training or not self.yb:
            return
        try:  # `_with_events` written out: this runs for every batch
            self("before_backward")
            self._backward()
        except CancelBackwardException:
            self("after_cancel_backward")
        self("after_backward")
        try:
            self("before_step")
            self._step()
        except CancelStepException:
            self("after_cancel_step")
        self("after_step")
        self.opt.zero_grad()

    def _backward(self) -> None:
        self.loss_grad.backward()

    def _step(self) -> None:
        self.opt.step()

    def one_batch(self, i: int, b: Any) -> None:
        """Run batch number `i`: forward, loss and, in training, backward and step, with their events.

        Examples:
            >>> learn.create_opt(); learn.training, learn.n_iter = True, len(dls.train)
            >>> learn.one_batch(0, dls.one_batch()); learn.loss.ndim
            0
        """
        self.iter = i
        self._split(b)
        try:  # `_with_events` written out: this runs for every batch
            self("before_batch")
            self._do_one_batch()
        except CancelBatchException:
            self("after_cancel_batch")
        self("after_batch")

    def _all_batches(self) -> None:
        self.n_iter = len(self.dl)
        start, self._batch_offset = self._batch_offset, 0  # a resumed epoch starts part way
        if start:
            self.n_iter = len(self.dl)
        for i, b in enumerate(self.dl, start):
            self.one_batch(i, b)

    # -- epochs and fit --------------------------------------------------------------------------------
    def create_opt(self) -> None:
        """Build the optimizer over the splitter's parameter groups, flagging norm layers and biases.

        Examples:
            >>> learn.create_opt(); learn.opt
            Optimizer(1 groups; parts: ...)
        """
        self.opt = self.opt_func(self.splitter(self.model), lr=self.lr)
        state = getattr(self.opt, "state", None)
        if state is None or not hasattr(self.opt, "freeze_to"):
            return
        if not self.wd_bn_bias:
            for p in _norm_bias_params(self.model, with_bias=True):
                state[p]["do_wd"] = False
        if self.train_bn:
            for p in _norm_bias_params(self.model, with_bias=False):
                if hasattr(self.opt, "mark_force_train"):
                    self.opt.mark_force_train([p])
                else:
                    state[p]["force_train"] = True

    def _do_epoch_train(self) -> None:
        self.dl = self.dls.train
        self._with_events(self._all_batches, "train", CancelTrainException)

    def _do_epoch_validate(self, ds_idx: int = 1, dl: Any = None) -> None:
        self.dl = self.dls[ds_idx] if dl is None else dl
        with torch.no_grad():
            self._with_events(self._all_batches, "validate", CancelValidException)

    def _do_epoch(self) -> None:
        self._do_epoch_train()
        self._do_epoch_validate()

    def _do_fit(self) -> None:
        start, self._start_epoch = self._start_epoch, 0  # a resumed fit starts at a later epoch
        for epoch in range(start, self.n_epoch):
            self.epoch = epoch
            self._with_events(self._do_epoch, "epoch", CancelEpochException)

    def fit(
        self, n_epoch: int, lr: Any = None, wd: float | None = None, cbs: Any = None, reset_opt: bool = False
    ) -> None:
        """Train for `n_epoch` epochs at a constant learning rate (schedules come from callbacks).

        Args:
            n_epoch: how many epochs.
            lr: the learning rate (a `slice` spreads it over parameter groups).
            wd: the weight decay.
            cbs: callbacks for this fit only.
            reset_opt: build a new optimizer (its state lost).

        Examples:
            >>> learn.fit(1, lr=1e-2); len(learn.recorder.values)
            1
        """
        self._check_fit(n_epoch, lr)
        with self.added_cbs(cbs):
            if reset_opt or self.opt is None:
                self.create_opt()
            # a fit stopped between backward and step (Ctrl-C, an error) left gradients behind: the
            # first step of this one must not add them to its own
            self.opt.zero_grad()
            wd = self.wd if wd is None else wd
            if wd is not None:
                self.opt.set_hyper("wd", wd)
            self.opt.set_hyper("lr", self.lr if lr is None else lr)
            self.n_epoch = n_epoch
            self._with_events(self._do_fit, "fit", CancelFitException)

    def _check_fit(self, n_epoch: Any, lr: Any) -> None:
        """Refuse a fit that cannot train: a bad epoch count or rate, or a training loader with no batch."""
        if isinstance(n_epoch, bool) or not isinstance(n_epoch, int) or n_epoch < 0:
            raise ValueError(f"fit: n_epoch is a whole number of epochs, 0 or more; got {n_epoch!r}")
        rates = [lr.start, lr.stop] if isinstance(lr, slice) else list(lr) if is_listy(lr) else [lr]
        bad = [r for r in rates if r is not None and not _positive(r)]
        if bad:
            raise ValueError(f"fit: a learning rate must be a positive number; got {bad[0]!r}")
        check = getattr(getattr(self.dls, "train", None), "check_batches", None)
        if n_epoch and check is not None:
            check()

    def _lr_max(self, lr_max: Any) -> Any:
        if lr_max is None:
            lr_max = self.lr
        if isinstance(lr_max, slice):
            self.opt.set_hyper("lr", lr_max)
            return torch.tensor([h["lr"] for h in self.opt.hypers]).tolist()
        return lr_max

    def fit_one_cycle(
        self,
        n_epoch: int,
        lr_max: Any = None,
        div: float = 25.0,
        div_final: float = 1e5,
        pct_start: float = 0.25,
        wd: float | None = None,
        moms: Sequence[float] | None = None,
        cbs: Any = None,
        reset_opt: bool = False,
    ) -> None:
        """Train with the one-cycle policy (Smith 2018): lr up from `lr_max/div`, down to `lr_max/div_final`.

        Examples:
            >>> learn.fit_one_cycle(1, 1e-2)
        """
        from .callbacks.schedule import ParamScheduler

        if self.opt is None:
            self.create_opt()
        lr_max = self._lr_max(lr_max)
        moms = self.moms if moms is None else moms
        scheds = {
            "lr": _per_group(lr_max, lambda v: combined_cos(pct_start, v / div, v, v / div_final)),
            "mom": combined_cos(pct_start, *moms),
        }
        self.fit(n_epoch, cbs=[ParamScheduler(scheds), *_listify(cbs)], wd=wd, reset_opt=reset_opt)

    def fit_flat_cos(
        self,
        n_epoch: int,
        lr: Any = None,
        div_final: float = 1e5,
        pct_start: float = 0.75,
        wd: float | None = None,
        cbs: Any = None,
        reset_opt: bool = False,
    ) -> None:
        """Train at a flat learning rate, then anneal it with a cosine over the last `1 - pct_start`.

        Examples:
            >>> learn.fit_flat_cos(1, 1e-2)
        """
        from .callbacks.schedule import ParamScheduler

        if self.opt is None:
            self.create_opt()
        lr = self._lr_max(lr)
        pcts = [pct_start, 1 - pct_start]
        sched = _per_group(lr, lambda v: combine_scheds(pcts, [SchedNo(v, v), SchedCos(v, v / div_final)]))
        self.fit(n_epoch, cbs=[ParamScheduler({"lr": sched}), *_listify(cbs)], wd=wd, reset_opt=reset_opt)

    def fit_sgdr(
        self,
        n_cycles: int,
        cycle_len: int,
        lr_max: Any = None,
        cycle_mult: int = 2,
        cbs: Any = None,
        reset_opt: bool = False,
        wd: float | None = None,
    ) -> None:
        """SGD with warm restarts (Loshchilov & Hutter 2017): `n_cycles` cosine cycles, growing `cycle_mult`x.

        Trains `cycle_len * (1 + cycle_mult + ... + cycle_mult**(n_cycles-1))` epochs, as fastai's.

        Examples:
            >>> learn.fit_sgdr(2, 1, 1e-2); len(learn.recorder.values)
            3
        """
        from .callbacks.schedule import ParamScheduler

        if self.opt is None:
            self.create_opt()
        lr = self._lr_max(lr_max)
        lengths = [cycle_len * cycle_mult**i for i in range(n_cycles)]
        n_epoch = sum(lengths)
        pcts = [n / n_epoch for n in lengths]
        sched = _per_group(lr, lambda v: combine_scheds(pcts, [SchedCos(v, 0.0) for _ in lengths]))
        self.fit(n_epoch, cbs=[ParamScheduler({"lr": sched}), *_listify(cbs)], wd=wd, reset_opt=reset_opt)

    def fine_tune(
        self,
        epochs: int,
        base_lr: float = 2e-3,
        freeze_epochs: int = 1,
        lr_mult: float = 100,
        pct_start: float = 0.3,
        div: float = 5.0,
        **kwargs: Any,
    ) -> None:
        """Transfer learning: train the head with the body frozen, then everything with smaller body rates.

        Examples:
            >>> learn.fine_tune(1)
        """
        self.freeze()
        self.fit_one_cycle(freeze_epochs, slice(base_lr), pct_start=0.99, **kwargs)
        base_lr /= 2
        self.unfreeze()
        self.fit_one_cycle(epochs, slice(base_lr / lr_mult, base_lr), pct_start=pct_start, div=div, **kwargs)

    def lr_find(
        self, start_lr: float = 1e-7, end_lr: float = 10.0, num_it: int = 100, stop_div: bool = True,
        show_plot: bool = True, suggest_funcs: Sequence[Callable] | None = None,
    ) -> tuple:  # fmt: skip
        """Sweep the learning rate (the model is put back after) and suggest one per function.

        Returns fastai's `SuggestedLRs` named tuple, one field per function (`.valley`; unpacks as
        `lr_min, lr_steep = learn.lr_find(suggest_funcs=(minimum, steep))`); `show_plot` draws loss
        against lr with the suggestions marked.

        Examples:
            >>> from lamella.learner import minimum, steep
            >>> lr_min, lr_steep = learn.lr_find(show_plot=False, suggest_funcs=(minimum, steep))
            >>> 1e-7 < lr_min < 10 and 1e-7 < lr_steep < 10
            True
        """
        from .callbacks.lr_finder import LRFinder, SuggestedLRs, valley

        suggest_funcs = list(suggest_funcs) if suggest_funcs is not None else [valley]
        finder = LRFinder(start_lr, end_lr, num_it, stop_div)
        n_epoch = -(-num_it // max(len(self.dls.train), 1))
        if self.opt is None:
            self.create_opt()
        with self.no_logging():
            self.fit(n_epoch, cbs=finder)
        lrs, losses = finder.lrs, finder.losses
        skip = min(len(lrs) // 10, 10)  # the first batches of a sweep are noise
        if len(lrs) - skip < 3:
            raise ValueError(f"lr_find stopped after {len(lrs)} batches; use more data or a smaller start_lr")
        res = SuggestedLRs(suggest_funcs, [f(lrs[skip:], losses[skip:]) for f in suggest_funcs])
        if show_plot:
            from .callbacks.recorder import _plt

            _, ax = _plt().subplots()
            ax.plot(lrs[skip:], losses[skip:])
            ax.set_xscale("log")
            ax.set_xlabel("learning rate")
            ax.set_ylabel("loss")
            for name, lr in res._asdict().items():
                ax.axvline(lr, linestyle="--", label=f"{name}: {lr:.2e}")
            ax.legend()
        self.lr_find_results = (lrs, losses)
        return res

    def to_fp16(self) -> Learner:
        """Train in float16 mixed precision with loss scaling on CUDA; on a CPU, warn and stay in float32.

        Examples:
            >>> learn.to_fp16().cbs[-1]
            MixedPrecision
        """
        from .callbacks.mixed_precision import MixedPrecision

        self.remove_cb(MixedPrecision)
        return self.add_cb(MixedPrecision("fp16"))

    def to_bf16(self) -> Learner:
        """Train in bfloat16 mixed precision (CPU and CUDA; no loss scaling needed).

        Examples:
            >>> learn.to_bf16().cbs[-1]
            MixedPrecision
        """
        from .callbacks.mixed_precision import MixedPrecision

        self.remove_cb(MixedPrecision)
        return self.add_cb(MixedPrecision("bf16"))

    def to_fp32(self) -> Learner:
        """Back to full precision.

        Examples:
            >>> any(type(c).__name__ == "MixedPrecision" for c in learn.to_bf16().to_fp32().cbs)
            False
        """
        from .callbacks.mixed_precision import MixedPrecision

        return self.remove_cb(MixedPrecision)

    def summary(self) -> str:
        """Describe the model layer by layer for one batch (output shapes, parameters) and the setup.

        Examples:
            >>> print(learn.summary())  # doctest: +ELLIPSIS
            Linear (input: (30, 2))
            ...
            Total params: 6
            ...
        """
        from .hooks import model_sizes

        self._split(self.dls.train.one_batch())
        rows = model_sizes(self.model, *self.xb_plain)
        self.model.train()
        width = max(len(f"{name} ({kind})") for name, kind, *_ in rows) if rows else 10
        lines = [
            f"{type(self.model).__name__} (input: {', '.join(str(tuple(x.shape)) for x in self.xb_plain)})"
        ]
        lines.append(f"{'Layer (type)':<{width}}  {'Output shape':<20}  {'Param #':>10}  Trainable")
        for name, kind, shape, n, trainable in rows:
            lines.append(f"{f'{name} ({kind})':<{width}}  {str(shape):<20}  {n:>10,}  {trainable}")
        total = sum(p.numel() for p in self.model.parameters())
        n_trainable = sum(p.numel() for p in self.model.parameters() if p.requires_grad)
        cbs = ", ".join(type(c).__name__ for c in sorted(self.cbs, key=lambda c: c.order))
        lines += [
            f"Total params: {total:,}", f"Trainable params: {n_trainable:,}",
            f"Optimizer: {getattr(self.opt_func, '__name__', self.opt_func)}",
            f"Loss function: {self.loss_func!r}",
            f"Callbacks: {cbs}",
        ]  # fmt: skip
        return "\n".join(lines)

    def distrib_ctx(self, sync_bn: bool = True, backend: str | None = None) -> Any:
        """Data-parallel training across the processes `torchrun` started (see `lamella.learner.distributed`).

        Examples:
            >>> with learn.distrib_ctx(): learn.fit(1)  # needs torchrun  # doctest: +SKIP
        """
        from .distributed import distrib_ctx

        return distrib_ctx(self, sync_bn=sync_bn, backend=backend)

    def compile(self, **kwargs: Any) -> Learner:
        """Train and predict through `torch.compile(model, **kwargs)`; `save` still writes the plain model.

        Examples:
            >>> learn.compile(mode="reduce-overhead")  # compiling takes minutes on a CPU  # doctest: +SKIP
        """
        base = getattr(self.model, "_orig_mod", self.model)
        self.model = torch.compile(base, **kwargs)  # type: ignore[assignment]  # an nn.Module at run time
        return self

    def freeze_to(self, n: int) -> None:
        """Freeze the parameter groups before `n` (norm layers stay trainable with `train_bn`).

        Examples:
            >>> learn.freeze_to(-1)
        """
        if self.opt is None:
            self.create_opt()
        self.opt.freeze_to(n)
        self.opt.clear_state()

    def freeze(self) -> None:
        """Freeze every parameter group but the last (the head).

        Examples:
            >>> learn.freeze()
        """
        self.freeze_to(-1)

    def unfreeze(self) -> None:
        """Make every parameter group trainable.

        Examples:
            >>> learn.unfreeze()
        """
        self.freeze_to(0)

    # -- evaluation and prediction -----------------------------------------------------------------
    def validate(self, ds_idx: int = 1, dl: Any = None, cbs: Any = None) -> list[Any]:
        """The validation loss and metrics on `dls[ds_idx]` (or `dl`).

        Examples:
            >>> loss, acc = learn.validate(); 0 <= acc <= 1
            True
        """
        with self.added_cbs(cbs), self.no_logging(), self.no_bar():
            self.n_epoch, self.epoch = 1, 0
            self._do_epoch_validate(ds_idx, dl)
        return [self.recorder.valid_loss.value] + [m.value for m in self.metrics]

    def get_preds(
        self,
        ds_idx: int = 1,
        dl: Any = None,
        with_input: bool = False,
        with_decoded: bool = False,
        with_loss: bool = False,
        act: Callable[[Tensor], Tensor] | None = None,
        reorder: bool = True,
    ) -> tuple:
        """Predictions (activated) and targets of a dataset; optionally inputs, decoded predictions, losses.

        Returns `(inputs?, preds, targets, decoded?, losses?)` in that order, the optional parts
        present when asked for. Items come in dataset order (`reorder` is accepted for fastai's
        signature: no lamella validation loader reorders its items).

        Examples:
            >>> preds, targs = learn.get_preds(); preds.shape, targs.shape
            (torch.Size([30, 2]), torch.Size([30]))
        """
        from .callbacks.gather import GatherPredsCallback

        dl = self.dls[ds_idx] if dl is None else dl
        gather = GatherPredsCallback(with_input=with_input, with_loss=with_loss)
        with self.added_cbs([gather]), self.no_logging(), self.no_bar():
            self.n_epoch, self.epoch = 1, 0
            self._do_epoch_validate(dl=dl)
        act = act or getattr(self.loss_func, "activation", None) or (lambda x: x)
        preds = act(gather.preds)
        res: list[Any] = [preds, gather.targets]
        if with_input:
            res.insert(0, gather.inputs)
        if with_decoded:
            decoded = getattr(self.loss_func, "decodes", lambda x: x)(preds)
            target_type = gather.target_type or self._target_type()
            if (
                target_type is not None
                and issubclass(target_type, TensorBase)
                and isinstance(decoded, Tensor)
            ):
                decoded = cast(decoded, target_type)
            res.append(decoded)
        if with_loss:
            res.append(gather.losses)
        return tuple(res)

    def _target_type(self) -> type | None:
        if getattr(self, "_target_cls", None) is None and len(getattr(self.dls.valid, "dataset", [])):
            self._split(self.dls.valid.one_batch())
        return getattr(self, "_target_cls", None)

    def predict(self, item: Any, with_input: bool = False) -> tuple:
        """Predict one raw item: `(decoded, decoded tensor, probabilities)`, e.g. `('dog', tensor(1), probs)`.

        With `with_input`, the decoded input comes first, as in fastai.

        Examples:
            >>> label, idx, probs = learn.predict((torch.tensor([1.0, 1.0]), "pos")); label in ("neg", "pos")
            True
        """
        dl = self.dls.test_dl([item])
        inp, preds, _, dec = self.get_preds(dl=dl, with_input=True, with_decoded=True)
        n_inp = len(inp) if isinstance(inp, tuple) else 1
        inputs = inp if isinstance(inp, tuple) else (inp,)
        decoded = self.dls.valid.decode_batch((*inputs, dec), max_n=1)[0]
        dec_targ = decoded[n_inp:]
        res = ((dec_targ[0] if len(dec_targ) == 1 else dec_targ), dec[0], preds[0])
        if with_input:
            dec_inp = decoded[:n_inp]
            return ((dec_inp[0] if n_inp == 1 else dec_inp), *res)
        return res

    def show_results(
        self, ds_idx: int = 1, dl: Any = None, max_n: int = 9, shuffle: bool = True, **kwargs: Any
    ) -> Any:
        """Show a batch's inputs and targets beside the decoded predictions.

        The batch is drawn at random from `dls[ds_idx]` (`shuffle`, as fastai), not its first items.

        Examples:
            >>> axs = learn.show_results(max_n=4)  # doctest: +NEEDS_MATPLOTLIB
        """
        dl = self.dls[ds_idx].new(shuffle=shuffle) if dl is None else dl
        b = dl.one_batch()
        inp, _, _, dec = self.get_preds(dl=[b], with_input=True, with_decoded=True)
        return dl.show_results(b, dec, max_n=max_n, **kwargs)

    def tta(
        self, ds_idx: int = 1, dl: Any = None, n: int = 4, beta: float | None = 0.25, use_max: bool = False
    ) -> tuple[Any, Tensor]:
        """Test-time augmentation: predictions averaged over `n` passes with training augmentation.

        The result blends the mean of the augmented predictions with the plain ones, `beta` of
        the plain ones (fastai's rule and default); `beta=None` gives `((augmented, plain), targets)`
        and `use_max` the elementwise maximum.

        Examples:
            >>> preds, targs = learn.tta(n=2); preds.shape
            torch.Size([30, 2])
        """
        dl = self.dls[ds_idx] if dl is None else dl
        aug = dl.new(shuffle=False, drop_last=False)
        for name in ("after_item", "after_batch"):
            getattr(aug, name).split_idx = 0  # the training-time random transforms
        aug_preds = torch.stack([self.get_preds(dl=aug)[0] for _ in range(n)])
        aug_preds = aug_preds.max(0).values if use_max else aug_preds.mean(0)
        preds, targs = self.get_preds(dl=dl)
        if use_max:
            return torch.maximum(preds, aug_preds), targs
        if beta is None:
            return (aug_preds, preds), targs
        return torch.lerp(aug_preds, preds, beta), targs  # as fastai: `beta` of the plain predictions

    def show_training_loop(self) -> None:
        """Print the events of a fit in order, each with the callbacks that handle it.

        Examples:
            >>> learn.show_training_loop()  # doctest: +ELLIPSIS
               - before_fit            : ['TrainEvalCallback', 'Recorder', 'ProgressCallback']
               ...
               - after_fit             : ['Recorder', 'ProgressCallback']
        """
        from .events import EVENTS

        for event in EVENTS[1:]:
            names = [type(c).__name__ for c, _ in self._event_handlers(event)]
            if names:
                print(f"   - {event:<22}: {names}")

    def __enter__(self) -> Learner:
        """`with learn:` runs `before_fit` and `before_epoch` on entry, as fastai's (for notebook cells)."""
        self("before_fit")
        self("before_epoch")
        return self

    def __exit__(self, *exc: Any) -> None:
        """Run `after_epoch` and `after_fit` on leaving the block."""
        self("after_epoch")
        self("after_fit")

    # -- saving --------------------------------------------------------------------------------------
    def save(self, name: str, with_opt: bool = True) -> Path:
        """Save the weights and optimizer state in one file, `path/model_dir/name.safetensors`, atomically.

        Examples:
            >>> learn.save("stage-1").name
            'stage-1.safetensors'
        """
        file = self.path / self.model_dir / f"{name}.safetensors"
        if getattr(self, "_distrib_rank", 0) != 0:
            return file  # in distributed training only rank 0 writes
        save_checkpoint(file, self._plain_model(), self.opt if with_opt else None)
        return file

    def load(self, name: str, with_opt: bool = True, strict: bool = True) -> Learner:
        """Load the weights (and the optimizer state when saved) written by `save`.

        The file is checked against the model and optimizer (names, shapes, optimizer type and
        hyper-parameters) before anything changes: on any error both stay as they were.

        Examples:
            >>> _ = learn.save("stage-1"); learn.load("stage-1") is learn
            True
        """
        file = self.path / self.model_dir / f"{name}.safetensors"
        if not file.exists():
            raise FileNotFoundError(
                f"no saved model {file}; saved: {sorted(p.stem for p in file.parent.glob('*.safetensors'))}"
            )
        ckpt = load_checkpoint(file)
        model = self._plain_model()
        if with_opt and ckpt["opt"] is not None and self.opt is None:
            self.create_opt()
        opt = self.opt if with_opt and ckpt["opt"] is not None else None
        weights = check_fits(ckpt, model, opt, strict)
        device = next(model.parameters()).device
        model.load_state_dict({k: v.to(device) for k, v in weights.items()}, strict=strict)
        if opt is not None:
            opt.load_state_dict(ckpt["opt"])
        return self

    def _plain_model(self) -> nn.Module:
        """The model without torch.compile's or DDP's wrapper (whose weights a checkpoint holds)."""
        model = getattr(self.model, "_orig_mod", self.model)
        return getattr(model, "module", model)

    def export(self, fname: str | Path = "export.pkl") -> Path:
        """Pickle the learner with its data pipelines but no items (for `load_learner` and `predict`).

        Examples:
            >>> learn.export().name
            'export.pkl'
        """
        file = self.path / fname
        self._target_type()  # kept, so the exported learner decodes predictions without data
        dls, opt = self.dls, self.opt
        self.dls, self.opt = dls.new_empty(), None
        try:
            save_atomic(lambda tmp: torch.save(self, tmp, pickle_protocol=4), file)
        finally:
            self.dls, self.opt = dls, opt
        return file

    # -- contexts --------------------------------------------------------------------------------------
    @contextmanager
    def no_bar(self) -> Iterator[Learner]:
        """Train without progress bars inside a `with` block.

        Examples:
            >>> with learn.no_bar(): learn.fit(1)
        """
        progress = getattr(self, "progress", None)
        old = getattr(progress, "show_bars", None)
        if progress is not None:
            progress.show_bars = False
        try:
            yield self
        finally:
            if progress is not None:
                progress.show_bars = old

    @contextmanager
    def no_logging(self) -> Iterator[Learner]:
        """Train without printing the results table inside a `with` block.

        Examples:
            >>> with learn.no_logging(): learn.fit(1)
        """
        progress = getattr(self, "progress", None)
        old = getattr(progress, "show_table", None)
        if progress is not None:
            progress.show_table = False
        try:
            yield self
        finally:
            if progress is not None:
                progress.show_table = old

    def to_device(self, b: Any) -> Any:
        """Move a batch to the DataLoaders' device.

        Examples:
            >>> learn.to_device(torch.zeros(1))
            tensor([0.])
        """
        return to_device(b, getattr(self.dls, "device", None))

    def __repr__(self) -> str:
        return f"Learner({type(self.model).__name__}, loss_func={self.loss_func!r}, cbs={self.cbs})"


def _positive(x: Any) -> bool:
    """A finite number above 0 (a Python, numpy or 0-d torch number)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return False
    return 0 < v < float("inf")


def _per_group(lr: Any, make: Callable[[float], Callable[[float], float]]) -> Callable[[float], Any]:
    """`make(lr)`, or with one rate per parameter group (a slice), one schedule per group."""
    if not isinstance(lr, list):
        return make(lr)
    scheds = [make(v) for v in lr]
    return lambda pos: [f(pos) for f in scheds]


def _as_metric(m: Any) -> Metric:
    """A `Metric` from a metric, a function of `(pred, targ)`, or a factory taking no arguments.

    Factories such as `rmse` make a fresh accumulator per learner; `metrics=rmse` calls them,
    so fastai's spelling works without the parentheses.
    """
    if isinstance(m, Metric):
        return m
    if isinstance(m, type) and issubclass(m, Metric):
        return m()
    try:
        params = inspect.signature(m).parameters.values()
    except (TypeError, ValueError):  # builtins without a signature: a function of (pred, targ)
        return AvgMetric(m)
    required = [
        p for p in params if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if not required:
        made = m()
        if isinstance(made, Metric):
            return made
    return AvgMetric(m)


def _listify(o: Any) -> list:
    if o is None:
        return []
    return list(o) if is_listy(o) else [o]


def load_learner(fname: str | Path, cpu: bool = True, trusted: bool = False) -> Learner:
    """Load a learner saved by `Learner.export`.

    The file is a pickle, which can run code when loaded: only load files you trust, and say so
    with `trusted=True` (or set the environment variable `LAMELLA_TRUST_PICKLE=1`).

    Examples:
        >>> load_learner("export.pkl")
        Traceback (most recent call last):
        ...
        PermissionError: export.pkl is a pickle, which can run code when loaded: ...
    """
    if not trusted and os.environ.get("LAMELLA_TRUST_PICKLE") != "1":
        raise PermissionError(
            f"{fname} is a pickle, which can run code when loaded: pass trusted=True (or set "
            "LAMELLA_TRUST_PICKLE=1) only for a file you made or trust"
        )
    if not Path(fname).is_file():
        raise FileNotFoundError(f"no exported learner at {fname}: make one with learn.export()")
    try:
        learn = torch.load(fname, map_location="cpu" if cpu else None, weights_only=False)
    except (pickle.UnpicklingError, RuntimeError, EOFError, ValueError) as e:
        raise CheckpointError(
            f"{fname} is not a readable exported learner (truncated, corrupt or another format: {e}); "
            "export it again with learn.export()"
        ) from e
    if cpu:
        learn.dls.to("cpu")
        learn.model.to("cpu")
    return learn
