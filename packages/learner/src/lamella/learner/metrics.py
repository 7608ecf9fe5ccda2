"""Metrics: functions of predictions and targets, and the accumulators that make them exact.

An `AvgMetric` averages a per-batch value weighted by batch size (exact for means such as
accuracy); an `AccumMetric` gathers every prediction and target of the epoch and computes once
(exact for everything else: RMSE, F1, R²). Plain functions given to `Learner(metrics=...)`
become `AvgMetric`s; the classes below and the score factories in `lamella.learner.scores` are
already accumulators.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import torch
from torch import Tensor

__all__ = [
    "MetricError",
    "skm_to_fastai",
    "AccumMetric",
    "AvgLoss",
    "AvgMetric",
    "AvgSmoothLoss",
    "Metric",
    "ValueMetric",
    "accuracy",
    "accuracy_multi",
    "error_rate",
    "top_k_accuracy",
]


def _check(pred: Tensor, targ: Tensor, name: str) -> None:
    if pred.shape[0] != targ.shape[0]:
        raise ValueError(f"{name}: {pred.shape[0]} predictions for {targ.shape[0]} targets")


def accuracy(inp: Tensor, targ: Tensor, axis: int = -1) -> Tensor:
    """The fraction of `argmax(inp)` equal to `targ`.

    Examples:
        >>> accuracy(torch.tensor([[0.1, 0.9], [0.8, 0.2]]), torch.tensor([1, 1]))
        tensor(0.5000)
    """
    pred = inp.argmax(dim=axis)
    if pred.shape != targ.shape:
        raise ValueError(
            f"accuracy: predictions of shape {tuple(inp.shape)} do not match targets {tuple(targ.shape)}"
        )
    return (pred == targ).float().mean()


def error_rate(inp: Tensor, targ: Tensor, axis: int = -1) -> Tensor:
    """`1 - accuracy`.

    Examples:
        >>> error_rate(torch.tensor([[0.1, 0.9], [0.8, 0.2]]), torch.tensor([1, 1]))
        tensor(0.5000)
    """
    return 1 - accuracy(inp, targ, axis)


def top_k_accuracy(inp: Tensor, targ: Tensor, k: int = 5, axis: int = -1) -> Tensor:
    """The fraction of targets among the `k` highest predictions.

    Examples:
        >>> top_k_accuracy(torch.tensor([[0.5, 0.3, 0.2]]), torch.tensor([1]), k=2)
        tensor(1.)
    """
    _check(inp, targ, "top_k_accuracy")
    top = inp.topk(k, dim=axis).indices
    return (top == targ.unsqueeze(axis)).any(dim=axis).float().mean()


def accuracy_multi(inp: Tensor, targ: Tensor, thresh: float = 0.5, sigmoid: bool = True) -> Tensor:
    """Multi-label accuracy: the fraction of labels predicted right, thresholding (sigmoid) outputs.

    Examples:
        >>> accuracy_multi(torch.tensor([[3.0, -3.0]]), torch.tensor([[1.0, 1.0]]))
        tensor(0.5000)
    """
    if inp.shape != targ.shape:
        raise ValueError(
            f"accuracy_multi: predictions {tuple(inp.shape)} do not match targets {tuple(targ.shape)}"
        )
    if sigmoid:
        inp = inp.sigmoid()
    return ((inp > thresh) == targ.bool()).float().mean()


def func_name(f: Any) -> str:
    """A function's name as a column title: `partial(accuracy, axis=1)` is `accuracy`, as in fastai."""
    while isinstance(f, partial):
        f = f.func
    return getattr(f, "__name__", type(f).__name__)


class MetricError(RuntimeError):
    """A metric failed on a batch; the message names the metric and the batch's shapes.

    Examples:
        >>> issubclass(MetricError, RuntimeError)
        True
    """


def _shapes(o: Any) -> Any:
    return [tuple(t.shape) for t in o] if isinstance(o, (tuple, list)) else tuple(getattr(o, "shape", ()))


def accumulate_metrics(metrics: Any, learn: Any) -> None:
    """Feed the current batch to each metric; a failure names the metric (`MetricError`)."""
    for m in metrics:
        try:
            m.accumulate(learn)
        except Exception as e:
            raise MetricError(
                f"metric {m.name!r} failed on a batch of predictions {_shapes(learn.pred)} and targets "
                f"{_shapes(learn.yb)}: {type(e).__name__}: {e}"
            ) from e


class Metric:
    """The accumulator protocol: `reset()` each epoch, `accumulate(learn)` each batch, `value` at the end.

    Examples:
        >>> Metric().name
        'metric'
    """

    def reset(self) -> None:
        """Start a new epoch."""

    def accumulate(self, learn: Any) -> None:
        """Take in the learner's current batch (`learn.pred`, `learn.yb`, `learn.loss`)."""

    @property
    def value(self) -> Any:
        """The metric for the epoch so far."""
        return None

    @property
    def name(self) -> str:
        """The column name in the results table.

        Examples:
            >>> AvgMetric(accuracy).name
            'accuracy'
        """
        return type(self).__name__.lower()


class AvgMetric(Metric):
    """Average `func(pred, *targets)` over an epoch, weighted by batch size.

    Examples:
        >>> m = AvgMetric(accuracy); m.reset()
        >>> for p, t in [(torch.tensor([[1.0, 0.0]]), torch.tensor([0])),
        ...              (torch.tensor([[1.0, 0.0], [1.0, 0.0]]), torch.tensor([1, 1]))]:
        ...     m.accumulate_batch(p, t)
        >>> round(m.value, 4)  # 1 right of 3, not the mean of 1.0 and 0.0
        0.3333
    """

    def __init__(self, func: Callable[..., Tensor]) -> None:
        self.func = func
        self.reset()

    def reset(self) -> None:  # noqa: D102
        self.total, self.count = 0.0, 0

    def accumulate_batch(self, pred: Tensor, *targs: Tensor) -> None:
        """Add one batch's predictions and targets.

        Examples:
            >>> m = AvgMetric(accuracy)
            >>> m.accumulate_batch(torch.tensor([[0.0, 1.0]]), torch.tensor([1])); m.value
            1.0
        """
        bs = targs[0].shape[0] if targs and targs[0].ndim else 1
        self.total += float(self.func(pred, *targs)) * bs
        self.count += bs

    def accumulate(self, learn: Any) -> None:  # noqa: D102
        self.accumulate_batch(learn.pred, *learn.yb_plain)

    @property
    def value(self) -> float | None:  # noqa: D102
        return self.total / self.count if self.count else None

    @property
    def name(self) -> str:  # noqa: D102
        return func_name(self.func)


class AccumMetric(Metric):
    """Gather the epoch's predictions and targets, then compute `func(preds, targs)` once.

    Args:
        func: the metric on all predictions and targets.
        dim_argmax: take `argmax` of the predictions over this dimension first.
        activation: `"softmax"`, `"sigmoid"` or None, applied before `argmax`/`thresh`.
        thresh: threshold the (activated) predictions.
        flatten: flatten predictions and targets.
        name: the column name (default: the function's).

    Examples:
        >>> rmse = lambda p, t: ((p - t) ** 2).mean().sqrt()
        >>> m = AccumMetric(rmse, name="rmse")
        >>> m.accumulate_batch(torch.tensor([0.0, 0.0]), torch.tensor([1.0, 1.0]))
        >>> m.accumulate_batch(torch.tensor([0.0]), torch.tensor([4.0]))
        >>> round(m.value, 4)  # sqrt((1 + 1 + 16) / 3), exact across unequal batches
        2.4495
    """

    def __init__(
        self,
        func: Callable[[Tensor, Tensor], Any],
        dim_argmax: int | None = None,
        activation: str | None = None,
        thresh: float | None = None,
        flatten: bool = True,
        name: str | None = None,
    ) -> None:
        self.func, self.dim_argmax, self.activation, self.thresh = func, dim_argmax, activation, thresh
        self.flatten, self._name = flatten, name
        self.reset()

    def reset(self) -> None:  # noqa: D102
        self.preds: list[Tensor] = []
        self.targs: list[Tensor] = []

    def accumulate_batch(self, pred: Tensor, targ: Tensor) -> None:
        """Keep one batch (detached, on the CPU).

        Examples:
            >>> m = AccumMetric(lambda p, t: (p - t).abs().mean().item())
            >>> m.accumulate_batch(torch.tensor([1.0]), torch.tensor([3.0])); m.value
            2.0
        """
        pred = pred.detach()
        if self.activation == "softmax":
            pred = pred.softmax(dim=-1 if self.dim_argmax is None else self.dim_argmax)
        elif self.activation == "sigmoid":
            pred = pred.sigmoid()
        if self.dim_argmax is not None:
            pred = pred.argmax(dim=self.dim_argmax)
        if self.thresh is not None:
            pred = pred >= self.thresh
        if self.flatten:
            pred, targ = pred.reshape(-1), targ.reshape(-1)
        if (pred.shape != targ.shape) if self.flatten else (pred.shape[0] != targ.shape[0]):
            raise ValueError(
                f"{self.name}: predictions {tuple(pred.shape)} do not match targets {tuple(targ.shape)}"
            )
        self.preds.append(pred.cpu())
        self.targs.append(targ.detach().cpu())

    def accumulate(self, learn: Any) -> None:  # noqa: D102
        self.accumulate_batch(learn.pred, learn.yb_plain[0])

    @property
    def value(self) -> Any:  # noqa: D102
        if not self.preds:
            return None
        res = self.func(torch.cat(self.preds), torch.cat(self.targs))
        return res.item() if isinstance(res, Tensor) and res.ndim == 0 else res

    @property
    def name(self) -> str:  # noqa: D102
        return self._name or func_name(self.func)


class ValueMetric(Metric):
    """A metric computed from other recorded values (e.g. perplexity from the validation loss).

    Examples:
        >>> ValueMetric(lambda: 3.0, "three").value
        3.0
    """

    def __init__(self, func: Callable[[], Any], metric_name: str | None = None) -> None:
        self.func, self.metric_name = func, metric_name

    @property
    def value(self) -> Any:  # noqa: D102
        return self.func()

    @property
    def name(self) -> str:  # noqa: D102
        return self.metric_name or str(getattr(self.func, "__name__", "value"))


class AvgLoss(Metric):
    """The loss averaged over an epoch, weighted by batch size.

    Examples:
        >>> AvgLoss().name
        'loss'
    """

    def reset(self) -> None:  # noqa: D102
        self.total, self.count = 0.0, 0

    def accumulate(self, learn: Any) -> None:  # noqa: D102
        y = learn.yb[0] if learn.yb else None
        bs = y.shape[0] if y is not None and y.ndim else 1
        self.total += float(learn.loss) * bs
        self.count += bs

    @property
    def value(self) -> float | None:  # noqa: D102
        return self.total / self.count if self.count else None

    @property
    def name(self) -> str:  # noqa: D102
        return "loss"


class AvgSmoothLoss(Metric):
    """An exponentially smoothed (and debiased) training loss, as fastai reports it.

    Examples:
        >>> AvgSmoothLoss(beta=0.98).beta
        0.98
    """

    def __init__(self, beta: float = 0.98) -> None:
        self.beta = beta
        self.reset()

    def reset(self) -> None:  # noqa: D102
        self.count, self.val = 0, 0.0

    def accumulate(self, learn: Any) -> None:  # noqa: D102
        self.count += 1
        self.val = self.val * self.beta + float(learn.loss) * (1 - self.beta)

    @property
    def value(self) -> float | None:  # noqa: D102
        return self.val / (1 - self.beta**self.count) if self.count else None

    @property
    def name(self) -> str:  # noqa: D102
        return "loss"


def skm_to_fastai(
    func: Callable[..., Any], is_class: bool = True, thresh: float | None = None, axis: int = -1,
    activation: str | None = None, **kwargs: Any,
) -> AccumMetric:  # fmt: skip
    """Wrap a scikit-learn style `func(y_true, y_pred, **kwargs)` as an epoch metric on numpy arrays.

    Examples:
        >>> m = skm_to_fastai(lambda t, p: float((t == p).mean()))
        >>> m.accumulate_batch(torch.tensor([[0.0, 1.0]]), torch.tensor([1])); m.value
        1.0
    """
    dim_argmax = axis if is_class and thresh is None else None
    return AccumMetric(
        partial(_skm, func, kwargs), dim_argmax=dim_argmax, activation=activation, thresh=thresh,
        name=func_name(func),
    )  # fmt: skip


def _skm(func: Callable[..., Any], kwargs: dict, p: Tensor, t: Tensor) -> Any:
    return func(t.numpy(), p.numpy(), **kwargs)
