"""`Lookahead` (Zhang et al. 2019): slow weights following an inner optimizer every k steps; `ranger`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

from .optimizers import RAdam
from .wrapper import WrappedOptimizer

__all__ = ["Lookahead", "ranger"]


class Lookahead(WrappedOptimizer):
    """Wrap an optimizer: every `k` steps, `slow += alpha * (fast - slow)` and `fast = slow`.

    Hyper-parameters, freezing and state are the inner optimizer's (`opt`); pass `opt` itself
    to a `torch.optim.lr_scheduler`.

    Args:
        opt: the inner (fast) optimizer.
        k: steps between synchronisations.
        alpha: how far the slow weights move toward the fast ones.

    Examples:
        >>> from lamella.optim import SGD
        >>> p = torch.nn.Parameter(torch.zeros(1)); look = Lookahead(SGD([p], lr=1.0), k=2, alpha=0.5)
        >>> for _ in range(2):
        ...     p.grad = torch.ones(1); look.step()
        >>> p.data  # fast weights reached -2, slow ones move half way from 0
        tensor([-1.])
    """

    def __init__(self, opt: Any, k: int = 6, alpha: float = 0.5) -> None:
        self.opt, self.k, self.alpha = opt, k, alpha
        self.count = 0
        self.slow: dict[Tensor, Tensor] = {}

    @property
    def train_bn(self) -> bool:  # type: ignore[override]
        """Whether frozen norm layers stay trainable (the inner optimizer's setting)."""
        return self.opt.train_bn

    def _flag(self, p: Tensor, name: str) -> bool:
        return self.opt._flag(p, name)

    def _clear(self, p: Tensor) -> None:
        self.opt._clear(p)
        self.slow.pop(p, None)

    @torch.no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One inner step; every `k`-th also moves the slow weights and resets the fast ones.

        Examples:
            >>> from lamella.optim import SGD
            >>> p = torch.nn.Parameter(torch.zeros(1)); look = Lookahead(SGD([p], lr=1.0), k=5)
            >>> p.grad = torch.ones(1); _ = look.step(); look.count
            1
        """
        fast = [p for g in self.param_groups for p in g["params"] if p.requires_grad]
        if self.count % self.k == 0:  # a cycle starts: the slow weights are where the fast ones are now
            for p in fast:
                if p not in self.slow:
                    self.slow[p] = p.detach().clone()
        loss = self.opt.step(closure)
        self.count += 1
        if self.count % self.k:
            return loss
        fast = [p for p in fast if p in self.slow]  # one unfrozen mid-cycle joins at the next cycle
        slow = [self.slow[p] for p in fast]
        torch._foreach_lerp_(slow, fast, self.alpha)
        torch._foreach_copy_(fast, slow)
        return loss

    def clear_state(self) -> None:
        """Drop the inner optimizer's statistics and the slow weights.

        Examples:
            >>> from lamella.optim import SGD
            >>> look = Lookahead(SGD([torch.nn.Parameter(torch.ones(1))], lr=0.1)); look.clear_state()
        """
        self.opt.clear_state()
        self.slow.clear()

    def state_dict(self) -> dict[str, Any]:
        """The inner optimizer's state, the slow weights (in parameter order) and the step count.

        Examples:
            >>> from lamella.optim import SGD
            >>> sorted(Lookahead(SGD([torch.nn.Parameter(torch.ones(1))], lr=0.1)).state_dict())
            ['count', 'opt', 'slow']
        """
        params = [p for g in self.param_groups for p in g["params"]]
        slow = {i: self.slow[p].clone() for i, p in enumerate(params) if p in self.slow}
        return {"opt": self.opt.state_dict(), "slow": slow, "count": self.count}

    def load_state_dict(self, sd: dict[str, Any]) -> None:
        """Restore what `state_dict` saved.

        Examples:
            >>> from lamella.optim import SGD
            >>> look = Lookahead(SGD([torch.nn.Parameter(torch.ones(1))], lr=0.1))
            >>> look.load_state_dict(look.state_dict())
        """
        self.opt.load_state_dict(sd["opt"])
        params = [p for g in self.param_groups for p in g["params"]]
        self.slow = {params[i]: t.clone() for i, t in sd["slow"].items()}
        self.count = sd["count"]

    def __repr__(self) -> str:
        return f"Lookahead(k={self.k}, alpha={self.alpha}, opt={self.opt!r})"


def ranger(
    params: Any,
    lr: float,
    mom: float = 0.95,
    wd: float = 0.01,
    eps: float = 1e-6,
    k: int = 6,
    alpha: float = 0.5,
    sqr_mom: float = 0.99,
) -> Lookahead:
    """Ranger: `Lookahead` over `RAdam`, with fastai's defaults.

    Examples:
        >>> opt = ranger([torch.nn.Parameter(torch.ones(1))], lr=1e-3)
        >>> opt.k, opt.hypers[0]["mom"]
        (6, 0.95)
    """
    return Lookahead(RAdam(params, lr=lr, mom=mom, sqr_mom=sqr_mom, wd=wd, eps=eps), k=k, alpha=alpha)
