"""`OptimWrapper`: any `torch.optim` optimizer behind lamella's hyper-parameter API.

fastai's names map onto torch's: `mom` is `momentum` or `betas[0]`, `sqr_mom` is `betas[1]` or
`alpha` (RMSprop), `wd` is `weight_decay`; `lr` and `eps` are shared.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

from .optimizer import HyperParams, spread

__all__ = ["OptimWrapper", "WrappedOptimizer"]


def _to_ours(group: dict[str, Any]) -> dict[str, Any]:
    out = {
        k: v for k, v in group.items() if k not in ("params", "betas", "momentum", "alpha", "weight_decay")
    }
    if "betas" in group:
        out["mom"], out["sqr_mom"] = group["betas"]
    if "momentum" in group:
        out["mom"] = group["momentum"]
    if "alpha" in group:
        out["sqr_mom"] = group["alpha"]
    if "weight_decay" in group:
        out["wd"] = group["weight_decay"]
    return out


def _set(group: dict[str, Any], name: str, value: Any) -> None:
    if name == "mom" and "betas" in group:
        group["betas"] = (value, group["betas"][1])
    elif name == "sqr_mom" and "betas" in group:
        group["betas"] = (group["betas"][0], value)
    elif name == "mom" and "momentum" in group:
        group["momentum"] = value
    elif name == "sqr_mom" and "alpha" in group:
        group["alpha"] = value
    elif name == "wd":
        group["weight_decay"] = value
    else:
        group[name] = value


class WrappedOptimizer(HyperParams):
    """An optimizer that delegates to an inner one, `self.opt`: its groups, state, steps and gradients.

    `OptimWrapper` (a `torch.optim` optimizer inside) and `Lookahead` (any optimizer inside) build
    on it, each overriding only what it changes.

    Examples:
        >>> p = torch.nn.Parameter(torch.ones(1)); opt = OptimWrapper(torch.optim.SGD([p], lr=0.5))
        >>> isinstance(opt, WrappedOptimizer), opt.param_groups is opt.opt.param_groups
        (True, True)
    """

    opt: Any

    @property
    def param_groups(self) -> list[dict[str, Any]]:  # type: ignore[override]
        """The wrapped optimizer's parameter groups."""
        return self.opt.param_groups

    @property
    def state(self) -> Any:
        """The wrapped optimizer's per-parameter state."""
        return self.opt.state

    @torch.no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """The wrapped optimizer's step.

        Examples:
            >>> p = torch.nn.Parameter(torch.ones(1)); opt = OptimWrapper(torch.optim.SGD([p], lr=0.5))
            >>> p.grad = torch.ones(1); _ = opt.step(); p.data
            tensor([0.5000])
        """
        return self.opt.step(closure)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """The wrapped optimizer's `zero_grad`.

        Examples:
            >>> p = torch.nn.Parameter(torch.ones(1)); p.grad = torch.ones(1)
            >>> OptimWrapper(torch.optim.SGD([p], lr=0.5)).zero_grad(); p.grad is None
            True
        """
        self.opt.zero_grad(set_to_none=set_to_none)

    def state_dict(self) -> dict[str, Any]:
        """The wrapped optimizer's `state_dict`.

        Examples:
            >>> opt = OptimWrapper(torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=0.5))
            >>> sorted(opt.state_dict())
            ['param_groups', 'state']
        """
        return self.opt.state_dict()

    def load_state_dict(self, sd: dict[str, Any]) -> None:
        """Restore the wrapped optimizer's state.

        Examples:
            >>> opt = OptimWrapper(torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=0.5))
            >>> opt.load_state_dict(opt.state_dict())
        """
        self.opt.load_state_dict(sd)


class OptimWrapper(WrappedOptimizer):
    """Give a `torch.optim` optimizer lamella's `hypers`, `set_hyper`, freezing and `clear_state`.

    Two call shapes: fastai's `OptimWrapper(params, opt, **kwargs)` builds `opt(params, **kwargs)`
    (so `opt_func=partial(OptimWrapper, opt=torch.optim.AdamW)` works), and `OptimWrapper(optimizer)`
    wraps one already built.

    Args:
        params: parameters or parameter groups (lists of parameters, as a splitter gives), or an
            optimizer already built.
        opt: the torch optimizer class (or any callable building one).
        train_bn: keep parameters marked with `mark_force_train` trainable when frozen.
        **kwargs: passed to `opt` (`lr`, `weight_decay`...).

    Examples:
        >>> p = torch.nn.Parameter(torch.ones(1))
        >>> opt = OptimWrapper(torch.optim.AdamW([p], lr=1e-3))
        >>> opt.set_hyper("mom", 0.8); opt.opt.param_groups[0]["betas"]
        (0.8, 0.999)
        >>> opt.hypers[0]["wd"]
        0.01
        >>> from functools import partial
        >>> opt_func = partial(OptimWrapper, opt=torch.optim.SGD)
        >>> opt_func([[p], [torch.nn.Parameter(torch.ones(2))]], lr=0.1).hypers[1]["lr"]
        0.1
    """

    def __init__(
        self, params: Any, opt: Callable[..., torch.optim.Optimizer] | None = None, train_bn: bool = True,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        if isinstance(params, torch.optim.Optimizer):
            built = params
        elif opt is None:
            raise TypeError(
                "OptimWrapper needs opt=, the torch optimizer to build on params (or a built optimizer)"
            )
        else:
            params = list(params)
            if params and isinstance(params[0], (list, tuple)):  # a splitter's groups
                params = [{"params": list(g)} for g in params]
            built = opt(params, **kwargs)
        self.opt, self.train_bn = built, train_bn
        self.flags: dict[Tensor, set[str]] = {}

    @property
    def hypers(self) -> list[dict[str, Any]]:
        """Each group's hyper-parameters under lamella's names.

        Examples:
            >>> OptimWrapper(torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=0.1)).hypers[0]["lr"]
            0.1
        """
        return [_to_ours(g) for g in self.param_groups]

    def set_hyper(self, name: str, value: Any) -> None:
        """Set a hyper-parameter by lamella's name (a slice spreads over groups, as `Optimizer.set_hyper`).

        Examples:
            >>> opt = OptimWrapper(torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=0.1, momentum=0.9))
            >>> opt.set_hyper("mom", 0.5); opt.opt.param_groups[0]["momentum"]
            0.5
        """
        for group, v in zip(self.param_groups, spread(name, value, len(self.param_groups))):
            _set(group, name, v)

    def mark_force_train(self, params: Any) -> None:
        """Keep `params` (norm layers) trainable when their group is frozen and `train_bn` is on.

        Examples:
            >>> p = torch.nn.Parameter(torch.ones(1))
            >>> opt = OptimWrapper(torch.optim.SGD([[p][0]], lr=0.1)); opt.mark_force_train([p])
        """
        for p in params:
            self.flags.setdefault(p, set()).add("force_train")

    def _flag(self, p: Tensor, name: str) -> bool:
        return name in self.flags.get(p, ())

    def _clear(self, p: Tensor) -> None:
        self.opt.state.pop(p, None)

    def __repr__(self) -> str:
        return f"OptimWrapper({type(self.opt).__name__}, {len(self.param_groups)} groups)"
