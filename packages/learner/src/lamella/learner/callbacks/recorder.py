"""`Recorder`: the losses, metrics and hyper-parameters of training, and their plots."""

from __future__ import annotations

import time
from typing import Any

from ..callback import Callback
from ..metrics import AvgLoss, AvgSmoothLoss, accumulate_metrics

__all__ = ["Recorder"]


def _plt() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise ImportError("plotting needs matplotlib: pip install 'lamella-typedtensor[show]'") from e
    return plt


class Recorder(Callback):
    """Record the smoothed training loss, the validation loss, the metrics and the hyper-parameters.

    `values` holds one row per epoch as fastai's does: the training loss, the validation loss and
    the metrics (`metric_names[1:-1]`), so `values[-1][2]` is the first metric. `log` is the last
    epoch's whole row, with the epoch first and its seconds last (`metric_names` names its columns).
    `losses`, `lrs` and `moms` hold one value per training batch. Added to every learner.

    Args:
        train_metrics: compute the metrics on the training batches too.
        valid_metrics: record the validation loss and metrics (False: no such columns, as fastai's
            GAN tutorial sets for a learner without a validation set).
        beta: smoothing of the training loss.

    Examples:
        >>> Recorder().metric_names_for([])
        ['epoch', 'train_loss', 'valid_loss', 'time']
    """

    order = 50

    def __init__(self, train_metrics: bool = False, beta: float = 0.98, valid_metrics: bool = True) -> None:
        self.train_metrics, self.valid_metrics = train_metrics, valid_metrics
        self.smooth_loss, self.valid_loss = AvgSmoothLoss(beta), AvgLoss()
        self.values: list[list[Any]] = []
        self.losses: list[float] = []
        self.lrs: list[Any] = []
        self.moms: list[Any] = []
        self.iters: list[int] = []

    def metric_names_for(self, metrics: list[Any]) -> list[str]:
        """The columns of `values` for these metrics.

        Examples:
            >>> from lamella.learner import accuracy, AvgMetric
            >>> Recorder().metric_names_for([AvgMetric(accuracy)])
            ['epoch', 'train_loss', 'valid_loss', 'accuracy', 'time']
        """
        names = [m.name for m in metrics]
        train = [f"train_{n}" for n in names] if self.train_metrics else []
        valid = ["valid_loss", *names] if self.valid_metrics else []
        return ["epoch", "train_loss", *train, *valid, "time"]

    def before_fit(self) -> None:  # noqa: D102  (the class documents its events)
        self.losses, self.lrs, self.moms, self.iters, self.values = [], [], [], [], []
        self.smooth_loss.reset()
        self.metric_names = self.metric_names_for(self.metrics)
        self._fitting = True

    def before_epoch(self) -> None:  # noqa: D102
        self.start_epoch = time.perf_counter()
        self.log: list[Any] = [self.epoch]

    def before_train(self) -> None:  # noqa: D102
        if self.train_metrics:
            for m in self.metrics:
                m.reset()

    def before_validate(self) -> None:  # noqa: D102
        self.valid_loss.reset()
        for m in self.metrics:
            m.reset()

    def after_batch(self) -> None:  # noqa: D102
        learn = self.learn  # read through `learn` directly: this runs for every batch
        if not learn.yb:
            return
        if learn.training:
            self.smooth_loss.accumulate(learn)
            loss = self.smooth_loss.value
            self.losses.append(float("nan") if loss is None else loss)  # None only before any batch
            group = learn.opt.param_groups[-1]
            self.lrs.append(group.get("lr"))
            self.moms.append(group.get("mom"))
            if self.train_metrics:
                accumulate_metrics(learn.metrics, learn)
        else:
            self.valid_loss.accumulate(learn)
            accumulate_metrics(learn.metrics, learn)

    def after_train(self) -> None:  # noqa: D102
        self.log.append(self.smooth_loss.value)
        if self.train_metrics:
            self.log += [m.value for m in self.metrics]

    def after_validate(self) -> None:  # noqa: D102
        if not getattr(self, "_fitting", False) or not self.valid_metrics:  # `learn.validate()` outside a fit
            return
        self.log.append(self.valid_loss.value)
        self.log += [m.value for m in self.metrics]

    def after_epoch(self) -> None:  # noqa: D102
        self.log.append(time.perf_counter() - self.start_epoch)
        self.values.append(self.log[1:-1])
        self.iters.append(len(self.losses))

    def after_fit(self) -> None:  # noqa: D102
        self._fitting = False

    @property
    def hps(self) -> dict[str, list[Any]]:
        """The hyper-parameters of the last group at every training batch (`lr`, `mom`), as fastai's.

        Examples:
            >>> sorted(Recorder().hps)
            ['lr', 'mom']
        """
        return {"lr": self.lrs, "mom": self.moms}

    def plot_loss(self, skip_start: int = 5, with_valid: bool = True, ax: Any = None) -> Any:
        """Plot the smoothed training loss per batch and the validation loss per epoch (on `ax`, or new axes).

        Examples:
            >>> learn.fit_one_cycle(2, 0.1)
            >>> ax = learn.recorder.plot_loss()  # doctest: +NEEDS_MATPLOTLIB
        """
        if ax is None:
            _, ax = _plt().subplots()
        ax.plot(range(skip_start, len(self.losses)), self.losses[skip_start:], label="train")
        if with_valid and self.values and "valid_loss" in self.metric_names:
            col = self.metric_names.index("valid_loss") - 1
            ax.plot(self.iters, [row[col] for row in self.values], label="valid")
        ax.set_xlabel("batch")
        ax.legend()
        return ax

    def plot_sched(self) -> Any:
        """Plot the learning rate and momentum of every training batch.

        Examples:
            >>> learn.fit_one_cycle(2, 0.1)
            >>> ax = learn.recorder.plot_sched()  # doctest: +NEEDS_MATPLOTLIB
        """
        plt = _plt()
        _, axs = plt.subplots(1, 2, figsize=(8, 3))
        axs[0].plot(self.lrs)
        axs[0].set_title("lr")
        axs[1].plot(self.moms)
        axs[1].set_title("mom")
        return axs

    def plot_metrics(self) -> Any:
        """Plot every column of `values` against the epoch.

        Examples:
            >>> learn.fit_one_cycle(2, 0.1)
            >>> ax = learn.recorder.plot_metrics()  # doctest: +NEEDS_MATPLOTLIB
        """
        plt = _plt()
        names = [n for n in self.metric_names if n not in ("epoch", "time")]
        _, axs = plt.subplots(1, len(names), figsize=(3 * len(names), 3), squeeze=False)
        for ax, name in zip(axs[0], names):
            col = self.metric_names.index(name) - 1
            ax.plot(range(len(self.values)), [row[col] for row in self.values])
            ax.set_title(name)
        return axs[0]
