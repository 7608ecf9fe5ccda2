"""`ParamScheduler`: set hyper-parameters from schedules at every training batch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..callback import Callback

__all__ = ["ParamScheduler"]


class ParamScheduler(Callback):
    """Set each hyper-parameter `name` to `sched(pct_train)` before every training batch.

    Args:
        scheds: hyper-parameter name → schedule (a function of the position in [0, 1]).

    Examples:
        >>> from lamella.optim.schedule import SchedLin
        >>> round(ParamScheduler({"lr": SchedLin(1e-3, 1e-2)}).scheds["lr"](0.5), 6)
        0.0055
    """

    order = 60
    run_valid = False

    def __init__(self, scheds: dict[str, Callable[[float], Any]]) -> None:
        self.scheds = scheds

    def before_fit(self) -> None:  # noqa: D102  (the class documents its events)
        self.hps: dict[str, list[Any]] = {name: [] for name in self.scheds}

    def before_batch(self) -> None:  # noqa: D102
        pos = min(self.pct_train, 1.0)
        for name, sched in self.scheds.items():
            self.opt.set_hyper(name, sched(pos))

    def after_batch(self) -> None:  # noqa: D102
        for name in self.scheds:
            self.hps[name].append(self.opt.hypers[-1][name])
