"""Schedules: pure functions of the position in training, `pos` in [0, 1].

`SchedLin(0.1, 1)(0.5)` is 0.55. `combine_scheds` joins schedules over fractions of training;
`combined_cos` is the shape of one-cycle training. The learner reads them at each batch and
writes the value with `opt.set_hyper`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

__all__ = [
    "SchedCos",
    "SchedExp",
    "SchedLin",
    "SchedNo",
    "SchedPoly",
    "combine_scheds",
    "combined_cos",
    "one_cycle_scheds",
]

Scheduler = Callable[[float], float]


class _Sched:
    def __init__(self, start: float, end: float) -> None:
        self.start, self.end = start, end

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.start}, {self.end})"


class SchedLin(_Sched):
    """Linear from `start` to `end`.

    Examples:
        >>> SchedLin(0.0, 1.0)(0.25)
        0.25
    """

    def __call__(self, pos: float) -> float:
        """The value at `pos` in [0, 1]."""
        return self.start + pos * (self.end - self.start)


class SchedCos(_Sched):
    """Cosine (half a period) from `start` to `end`.

    Examples:
        >>> round(SchedCos(1.0, 0.0)(0.5), 6)
        0.5
    """

    def __call__(self, pos: float) -> float:
        """The value at `pos` in [0, 1]."""
        return self.start + (1 + math.cos(math.pi * (1 - pos))) * (self.end - self.start) / 2


class SchedNo(_Sched):
    """Constant at `start`.

    Examples:
        >>> SchedNo(0.3, 1.0)(0.9)
        0.3
    """

    def __call__(self, pos: float) -> float:
        """The value at `pos` in [0, 1]."""
        return self.start


class SchedExp(_Sched):
    """Exponential from `start` to `end` (both > 0), as the learning-rate finder sweeps.

    Examples:
        >>> round(SchedExp(1e-4, 1e-2)(0.5), 8)
        0.001
    """

    def __call__(self, pos: float) -> float:
        """The value at `pos` in [0, 1]."""
        return self.start * (self.end / self.start) ** pos


class SchedPoly(_Sched):
    """Polynomial of degree `power` from `start` to `end`.

    Examples:
        >>> SchedPoly(1.0, 0.0, power=2)(0.5)
        0.25
    """

    def __init__(self, start: float, end: float, power: float) -> None:
        super().__init__(start, end)
        self.power = power

    def __call__(self, pos: float) -> float:
        """The value at `pos` in [0, 1]."""
        return self.start + (self.end - self.start) * (1 - (1 - pos) ** self.power)


def combine_scheds(pcts: Sequence[float], scheds: Sequence[Scheduler]) -> Scheduler:
    """Run each schedule over its fraction `pcts[i]` of training (the fractions sum to 1).

    Examples:
        >>> f = combine_scheds([0.5, 0.5], [SchedLin(0, 1), SchedLin(1, 0)])
        >>> f(0.25), f(0.5), f(0.75)
        (0.5, 1.0, 0.5)
    """
    if len(pcts) != len(scheds):
        raise ValueError(f"combine_scheds got {len(pcts)} fractions for {len(scheds)} schedules")
    if abs(sum(pcts) - 1) > 1e-6 or any(p < 0 for p in pcts):
        raise ValueError(f"the fractions must be non-negative and sum to 1, got {list(pcts)}")
    bounds = [0.0]
    for p in pcts:
        bounds.append(bounds[-1] + p)

    def sched(pos: float) -> float:
        i = next((j for j in range(len(scheds)) if pos < bounds[j + 1]), len(scheds) - 1)
        while pcts[i] == 0 and i > 0:
            i -= 1
        width = pcts[i] or 1.0
        return scheds[i](min(max((pos - bounds[i]) / width, 0.0), 1.0))

    return sched


def combined_cos(pct: float, start: float, middle: float, end: float) -> Scheduler:
    """Cosine from `start` to `middle` over `pct` of training, then cosine to `end`.

    Examples:
        >>> f = combined_cos(0.25, 1.0, 10.0, 0.0)
        >>> f(0.0), f(0.25), round(f(1.0), 6)
        (1.0, 10.0, 0.0)
    """
    return combine_scheds([pct, 1 - pct], [SchedCos(start, middle), SchedCos(middle, end)])


def one_cycle_scheds(
    lr_max: float,
    pct_start: float = 0.25,
    div: float = 25.0,
    div_final: float = 1e5,
    moms: Sequence[float] = (0.95, 0.85, 0.95),
) -> dict[str, Any]:
    """The learning-rate and momentum schedules of one-cycle training (Smith 2018), fastai's defaults.

    Examples:
        >>> s = one_cycle_scheds(1e-2)
        >>> s["lr"](0.0), s["lr"](0.25), s["mom"](0.25)
        (0.0004, 0.01, 0.85)
    """
    return {
        "lr": combined_cos(pct_start, lr_max / div, lr_max, lr_max / div_final),
        "mom": combined_cos(pct_start, *moms),
    }
