"""`Loop`: the training loop of `Learner`, one event between every step.

`fit` runs, for each epoch, the training batches then the validation batches; each batch goes
`before_batch` → forward (`after_pred`) → loss (`after_loss`) → backward → step → `after_batch`.
Every feature (schedules, progress, metrics, mixed precision, checkpoints) is a callback that
reads and writes the learner between those steps. Semantic types are dropped (zero-copy) at the
model and the loss. Read it top to bottom: callbacks, events, one batch, epochs, `fit`.

Examples:
    >>> with learn.no_logging(): learn.fit(1)
    >>> len(learn.recorder.values)
    1
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import torch
from torch import Tensor

from lamella.typedtensor import as_plain, is_listy, to_device

from .base import LearnerBase
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

if sys.version_info >= (3, 11):
    from typing import Self
else:  # typing_extensions comes with torch
    from typing_extensions import Self

__all__ = ["Callbacks", "Loop", "listify"]

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


def listify(o: Any) -> list:
    """`o` as a list: None is empty, a list or tuple is copied, anything else is one element.

    Examples:
        >>> listify(None), listify((1, 2)), listify(3)
        ([], [1, 2], [3])
    """
    if o is None:
        return []
    return list(o) if is_listy(o) else [o]


class Callbacks(LearnerBase):
    """The learner's callbacks: adding and removing them, and firing an event on them in order.

    Examples:
        >>> with learn.added_cbs([Callback()]): [type(c).__name__ for c in learn.cbs][-1]
        'Callback'
    """

    # -- callbacks -----------------------------------------------------------------------------------
    def add_cb(self, cb: Callback | type) -> Self:
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

    def add_cbs(self, cbs: Iterable[Callback | type]) -> Self:
        """Add several callbacks.

        Examples:
            >>> len(learn.add_cbs([Callback()]).cbs)
            5
        """
        for cb in cbs:
            self.add_cb(cb)
        return self

    def remove_cb(self, cb: Callback | type) -> Self:
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

    def remove_cbs(self, cbs: Iterable[Callback | type]) -> Self:
        """Remove several callbacks.

        Examples:
            >>> len(learn.remove_cbs([learn.progress]).cbs)
            3
        """
        for cb in list(cbs):
            self.remove_cb(cb)
        return self

    @contextmanager
    def added_cbs(self, cbs: Callback | Iterable[Callback] | None) -> Iterator[Self]:
        """Add callbacks for the duration of a `with` block.

        Examples:
            >>> with learn.added_cbs([Callback()]): learn.fit(1)
        """
        cbs = listify(cbs)
        self.add_cbs(cbs)
        try:
            yield self
        finally:
            self.remove_cbs(cbs)

    @contextmanager
    def removed_cbs(self, cbs: Callback | Iterable[Callback]) -> Iterator[Self]:
        """Remove callbacks (one or several) for the duration of a `with` block, then put them back.

        Examples:
            >>> with learn.removed_cbs(learn.progress): learn.fit(1)
        """
        cbs = [c for c in listify(cbs) if c in self.cbs]
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


class Loop(Callbacks):
    """The event loop: `fit`, its epochs and batches, and the contexts that quiet it.

    Examples:
        >>> with learn.no_logging(): learn.fit(2)
        >>> learn.epoch, learn.n_epoch, learn.iter == len(dls.valid) - 1
        (1, 2, True)
    """

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

    def __enter__(self) -> Self:
        """`with learn:` runs `before_fit` and `before_epoch` on entry, as fastai's (for notebook cells)."""
        self("before_fit")
        self("before_epoch")
        return self

    def __exit__(self, *exc: Any) -> None:
        """Run `after_epoch` and `after_fit` on leaving the block."""
        self("after_epoch")
        self("after_fit")

    # -- contexts --------------------------------------------------------------------------------------
    @contextmanager
    def no_bar(self) -> Iterator[Self]:
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
    def no_logging(self) -> Iterator[Self]:
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


def _positive(x: Any) -> bool:
    """A finite number above 0 (a Python, numpy or 0-d torch number)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return False
    return 0 < v < float("inf")
