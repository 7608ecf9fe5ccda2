"""`Learner`: a model, its data, a loss and an optimizer, trained through callbacks.

The class is put together from parts, each in its own module, so a reader finds a feature by
name: `loop.py` (callbacks, events and `fit`), `groups.py` (the optimizer, parameter groups,
freezing), `schedules.py` (`fit_one_cycle` and the other fit variants, `lr_find`),
`inference.py` (`validate`, `get_preds`, `predict`, `tta`, `show_results`), `persist.py`
(`save`, `load`, `export`, `load_learner`) and `modes.py` (precision, `compile`, distributed
training, `summary`). `base.py` names the state they share.

Examples:
    >>> [m for m in ("fit", "fine_tune", "get_preds", "save", "to_fp16") if hasattr(Learner, m)]
    ['fit', 'fine_tune', 'get_preds', 'save', 'to_fp16']
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import torch
from torch import Tensor, nn

from lamella.optim import Adam

from .callback import Callback
from .groups import Groups, trainable_params
from .inference import Inference
from .loop import Loop, listify
from .metrics import AvgMetric, Metric
from .modes import Modes
from .persist import Persist, load_learner
from .schedules import Schedules

__all__ = ["Learner", "load_learner", "trainable_params"]


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


class Learner(Loop, Groups, Schedules, Inference, Persist, Modes):
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
        self.add_cbs(listify(cbs))
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
        self._metrics = [_as_metric(m) for m in listify(metrics)]

    def __repr__(self) -> str:
        return f"Learner({type(self.model).__name__}, loss_func={self.loss_func!r}, cbs={self.cbs})"


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
