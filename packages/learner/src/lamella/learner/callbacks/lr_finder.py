"""`LRFinder` and the learning-rate suggestions of `Learner.lr_find` (Smith 2015's range test).

The learning rate grows exponentially from `start_lr` to `end_lr` over `num_it` batches while
the smoothed loss is recorded; training stops early once the loss diverges, and the model and
optimizer are put back as they were. Suggestion functions read the (lr, loss) curve.
"""

from __future__ import annotations

import copy
import math
from collections import namedtuple
from collections.abc import Callable, Sequence
from typing import Any

import torch
import torch.distributed as dist

from lamella.optim.schedule import SchedExp

from ..callback import Callback
from ..events import CancelFitException, CancelValidException
from ..metrics import func_name

__all__ = ["LRFinder", "SuggestedLRs", "minimum", "slide", "steep", "valley"]


def SuggestedLRs(funcs: Sequence[Callable], lrs: Sequence[float]) -> Any:  # noqa: N802  (fastai's name)
    """Fastai's `SuggestedLRs`: a named tuple of the suggested rates, one field per suggestion function.

    Examples:
        >>> res = SuggestedLRs([minimum, steep], [1e-3, 1e-2])
        >>> res.minimum, tuple(res)
        (0.001, (0.001, 0.01))
        >>> lr_min, lr_steep = res
    """
    names = [func_name(f) for f in funcs]
    fields: Any = namedtuple("SuggestedLRs", names)  # type: ignore[misc]  # fields named at run time
    return fields(*lrs)


def minimum(lrs: Sequence[float], losses: Sequence[float]) -> float:
    """A tenth of the learning rate with the lowest loss (fastai's `minimum`).

    Examples:
        >>> minimum([1e-3, 1e-2, 1e-1], [2.0, 1.0, 3.0])
        0.001
    """
    return lrs[min(range(len(losses)), key=losses.__getitem__)] / 10


def steep(lrs: Sequence[float], losses: Sequence[float]) -> float:
    """The learning rate where the loss falls fastest (steepest slope in log-lr).

    Examples:
        >>> steep([1e-3, 1e-2, 1e-1, 1.0], [3.0, 2.9, 1.0, 0.9])
        0.01
    """
    log = [math.log10(lr) for lr in lrs]
    slopes = [(losses[i + 1] - losses[i]) / (log[i + 1] - log[i]) for i in range(len(lrs) - 1)]
    return lrs[min(range(len(slopes)), key=slopes.__getitem__)]


def valley(lrs: Sequence[float], losses: Sequence[float]) -> float:
    """The middle of the longest stretch where the loss keeps decreasing (fastai's default, `valley`).

    Examples:
        >>> valley([1e-4, 1e-3, 1e-2, 1e-1, 1.0], [3.0, 2.0, 1.5, 1.0, 4.0])
        0.01
    """
    n = len(losses)
    best_start, best_len, start = 0, 0, 0
    for i in range(1, n + 1):
        if i == n or losses[i] >= losses[i - 1]:
            if i - start > best_len:
                best_start, best_len = start, i - start
            start = i
    return lrs[best_start + (best_len - 1) * 2 // 3] if best_len > 1 else lrs[best_start]


def slide(lrs: Sequence[float], losses: Sequence[float], lr_diff: int = 15, thresh: float = 0.005) -> float:
    """Walk back from the lowest loss while the loss curve stays flat (fastai's `slide`).

    Examples:
        >>> slide([1e-4, 1e-3, 1e-2, 1e-1], [3.0, 2.0, 1.0, 4.0], lr_diff=1)
        0.01
    """
    i = min(range(len(losses)), key=losses.__getitem__)
    while i - lr_diff >= 0 and abs(losses[i] - losses[i - lr_diff]) / max(abs(losses[i]), 1e-12) < thresh:
        i -= lr_diff
    return lrs[i]


class LRFinder(Callback):
    """Sweep the learning rate exponentially, record the loss, stop on divergence, restore the weights.

    Args:
        start_lr: the first learning rate.
        end_lr: the last one.
        num_it: how many batches the sweep takes.
        stop_div: stop once the smoothed loss exceeds 4x its minimum.

    Examples:
        >>> LRFinder(num_it=50).num_it
        50
    """

    order = 55
    run_valid = False

    def __init__(
        self, start_lr: float = 1e-7, end_lr: float = 10.0, num_it: int = 100, stop_div: bool = True
    ) -> None:
        self.sched = SchedExp(start_lr, end_lr)
        self.num_it, self.stop_div = num_it, stop_div

    def before_fit(self) -> None:  # noqa: D102  (the class documents its events)
        self.saved = (
            copy.deepcopy(self.learn.model.state_dict()),
            copy.deepcopy(self.learn.opt.state_dict()),
        )
        self.best_loss = float("inf")
        self.lrs: list[float] = []
        self.losses: list[float] = []

    def before_batch(self) -> None:  # noqa: D102
        self.learn.opt.set_hyper("lr", self.sched(self.learn.train_iter / self.num_it))

    def after_batch(self) -> None:  # noqa: D102
        smooth = self.learn.recorder.smooth_loss.value
        if getattr(self.learn.dl, "world_size", 1) > 1:  # in distrib_ctx: every rank stops at the same batch
            t = torch.tensor([smooth], dtype=torch.float64)
            dist.all_reduce(t)
            smooth = float(t) / self.learn.dl.world_size
        self.lrs.append(self.learn.opt.param_groups[-1]["lr"])
        self.losses.append(smooth)
        self.best_loss = min(self.best_loss, smooth)
        if (self.stop_div and (smooth > 4 * self.best_loss or not math.isfinite(smooth))) or (
            self.learn.train_iter + 1 >= self.num_it
        ):
            raise CancelFitException()

    def before_validate(self) -> None:  # noqa: D102
        raise CancelValidException()

    def after_fit(self) -> None:  # noqa: D102
        model_state, opt_state = self.saved
        self.learn.model.load_state_dict(model_state)
        self.learn.opt.load_state_dict(opt_state)
        with torch.no_grad():
            self.learn.opt.zero_grad()
