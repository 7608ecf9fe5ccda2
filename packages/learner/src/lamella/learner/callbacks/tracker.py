"""Callbacks that watch a recorded value each epoch: early stopping, saving the best model, lowering the lr.

They read the value named `monitor` from the epoch's row of `learn.recorder.values`
(`valid_loss`, a metric's name...); lower is better for losses and errors, higher otherwise.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from ..callback import Callback
from ..events import CancelFitException

__all__ = ["EarlyStoppingCallback", "ReduceLROnPlateau", "SaveModelCallback", "TrackerCallback"]


class TrackerCallback(Callback):
    """Track the best value of `monitor` over the epochs; subclasses act on it.

    Args:
        monitor: the column of the results table to watch.
        comp: `operator.lt` (lower is better) or `operator.gt`; default from the name.
        min_delta: how much better counts as better.
        reset_on_fit: forget the best value at each new fit.

    Examples:
        >>> TrackerCallback("accuracy").comp is operator.gt, TrackerCallback().comp is operator.lt
        (True, True)
    """

    order = 60

    def __init__(self, monitor: str = "valid_loss", comp: Callable[[Any, Any], bool] | None = None,
                 min_delta: float = 0.0, reset_on_fit: bool = True) -> None:  # fmt: skip
        if comp is None:
            comp = operator.lt if ("loss" in monitor or "error" in monitor) else operator.gt
        self.monitor, self.comp, self.min_delta, self.reset_on_fit = monitor, comp, min_delta, reset_on_fit
        self.best: float | None = None

    def before_fit(self) -> None:  # noqa: D102  (the class documents its events)
        if self.reset_on_fit or self.best is None:
            self.best = None
        names = self.learn.recorder.metric_names
        if self.monitor not in names:
            raise ValueError(
                f"{self.name}: nothing named '{self.monitor}' is recorded; the columns are {names}"
            )
        self.idx = names.index(self.monitor) - 1  # `values` rows leave out the epoch, as fastai's
        self.wait = 0

    def after_epoch(self) -> None:  # noqa: D102
        value = self.learn.recorder.values[-1][self.idx]
        if value is None:
            raise ValueError(
                f"{self.name}: '{self.monitor}' has no value after epoch {self.epoch} (an empty validation "
                "set?): give the loaders validation items, or monitor 'train_loss'"
            )
        delta = -self.min_delta if self.comp is operator.lt else self.min_delta
        self.new_best = self.best is None or self.comp(value - delta, self.best)
        if self.new_best:
            self.best = value

    def _out_of_patience(self, patience: int) -> bool:
        """Count an epoch without improvement; True when `patience` of them have passed (fastai's rule)."""
        if self.new_best:
            self.wait = 0
            return False
        self.wait += 1
        return self.wait >= patience


class EarlyStoppingCallback(TrackerCallback):
    """Stop training when `monitor` has not improved for `patience` epochs.

    Examples:
        >>> EarlyStoppingCallback(patience=3).patience
        3
    """

    def __init__(self, monitor: str = "valid_loss", comp: Callable[[Any, Any], bool] | None = None,
                 min_delta: float = 0.0, patience: int = 1, reset_on_fit: bool = True) -> None:  # fmt: skip
        super().__init__(monitor, comp, min_delta, reset_on_fit)
        self.patience = patience

    def after_epoch(self) -> None:  # noqa: D102
        super().after_epoch()
        if self._out_of_patience(self.patience):
            print(f"No improvement of {self.monitor} since epoch {self.epoch - self.wait}: early stopping")
            raise CancelFitException()


class SaveModelCallback(TrackerCallback):
    """Save the model when `monitor` improves (or every epoch), and load the best one at the end.

    Args:
        monitor: the value to watch.
        comp: better means `comp(new, best)`.
        min_delta: how much better counts.
        fname: the saved name (`fname.safetensors`; `fname_<epoch>` with `every_epoch`).
        every_epoch: save every epoch instead of on improvement.
        at_end: save once, at the end of training, instead of keeping the best (fastai's `at_end`).
        with_opt: save the optimizer state too.

    Examples:
        >>> SaveModelCallback(fname="best").fname
        'best'
    """

    def __init__(self, monitor: str = "valid_loss", comp: Callable[[Any, Any], bool] | None = None,
                 min_delta: float = 0.0, fname: str = "model", every_epoch: bool = False,
                 at_end: bool = False, with_opt: bool = False) -> None:  # fmt: skip
        super().__init__(monitor, comp, min_delta)
        self.fname, self.every_epoch, self.at_end, self.with_opt = fname, every_epoch, at_end, with_opt

    def after_epoch(self) -> None:  # noqa: D102
        if self.at_end:
            return
        if self.every_epoch:
            self.learn.save(f"{self.fname}_{self.epoch}", with_opt=self.with_opt)
            return
        super().after_epoch()
        if self.new_best:
            self.learn.save(self.fname, with_opt=self.with_opt)

    def after_fit(self) -> None:  # noqa: D102
        if self.at_end:
            self.learn.save(self.fname, with_opt=self.with_opt)
        elif not self.every_epoch and self.best is not None:
            self.learn.load(self.fname, with_opt=self.with_opt)


class ReduceLROnPlateau(TrackerCallback):
    """Divide the learning rate by `factor` when `monitor` has not improved for `patience` epochs.

    Examples:
        >>> ReduceLROnPlateau(factor=10.0).factor
        10.0
    """

    def __init__(self, monitor: str = "valid_loss", comp: Callable[[Any, Any], bool] | None = None,
                 min_delta: float = 0.0, patience: int = 1, factor: float = 10.0, min_lr: float = 0.0,
                 reset_on_fit: bool = True) -> None:  # fmt: skip
        super().__init__(monitor, comp, min_delta, reset_on_fit)
        self.patience, self.factor, self.min_lr = patience, factor, min_lr

    def after_epoch(self) -> None:  # noqa: D102
        super().after_epoch()
        if self._out_of_patience(self.patience):
            self.wait = 0
            new = [max(g["lr"] / self.factor, self.min_lr) for g in self.opt.param_groups]
            self.opt.set_hyper("lr", new)
            print(f"Epoch {self.epoch}: reducing lr to {new[-1]:g}")
