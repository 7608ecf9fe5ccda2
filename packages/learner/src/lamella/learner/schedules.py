"""`Schedules`: the ways to fit (one-cycle, flat then cosine, warm restarts, fine-tuning) and `lr_find`.

Each is `fit` with a `ParamScheduler` callback holding its schedules; a `slice` of learning rates
gives one schedule per parameter group.

Examples:
    >>> learn.fit_one_cycle(1, 1e-2); len(learn.recorder.values)
    1
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch

from lamella.optim.schedule import SchedCos, SchedNo, combine_scheds, combined_cos

from .base import LearnerBase
from .loop import listify

__all__ = ["Schedules"]


class Schedules(LearnerBase):
    """fastai's fit variants and learning-rate finder, on top of `fit`.

    Examples:
        >>> learn.fit_flat_cos(1, 1e-2); len(learn.recorder.values)
        1
    """

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
        self.fit(n_epoch, cbs=[ParamScheduler(scheds), *listify(cbs)], wd=wd, reset_opt=reset_opt)

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
        self.fit(n_epoch, cbs=[ParamScheduler({"lr": sched}), *listify(cbs)], wd=wd, reset_opt=reset_opt)

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
        self.fit(n_epoch, cbs=[ParamScheduler({"lr": sched}), *listify(cbs)], wd=wd, reset_opt=reset_opt)

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


def _per_group(lr: Any, make: Callable[[float], Callable[[float], float]]) -> Callable[[float], Any]:
    """`make(lr)`, or with one rate per parameter group (a slice), one schedule per group."""
    if not isinstance(lr, list):
        return make(lr)
    scheds = [make(v) for v in lr]
    return lambda pos: [f(pos) for f in scheds]
