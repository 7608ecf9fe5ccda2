"""`Optimizer`: a `torch.optim.Optimizer` whose update is a list of small parts.

Each part is a function `part(batch, **hypers)` that sees one parameter group at a time as a
`ParamBatch` (the parameters that have gradients, their gradients and their state) and acts on
the whole list at once with `torch._foreach_*`. Stats update state (a running average of the
gradients); steppers update parameters. Hyper-parameters live in `param_groups`, as in
`torch.optim`, so torch's LR schedulers and `GradScaler` work unchanged; `set_hyper` spreads a
`slice(lo, hi)` over groups for discriminative learning rates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import torch
from torch import Tensor

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["HyperParams", "Optimizer", "ParamBatch", "even_mults", "part_defaults", "spread", "with_defaults"]

#: What torch's `_foreach_*` functions take and (by their type stubs) return.
TensorList = list[Tensor] | tuple[Tensor, ...]

# Per-parameter flags that survive `clear_state` (set by whoever knows the model, e.g. the learner).
_FLAGS = ("force_train", "do_wd")


class ParamBatch:
    """One parameter group as the parts see it: parameters with a gradient, gradients, state.

    Examples:
        >>> p = torch.nn.Parameter(torch.ones(2)); p.grad = torch.ones(2)
        >>> b = ParamBatch([p], [p.grad], [{}])
        >>> b.buf("grad_avg")[0]
        tensor([0., 0.])
    """

    local_lr: list[float]  # each parameter's own rate, when a part (LARC, LAMB) computes one

    def __init__(self, params: list[Tensor], grads: list[Tensor], state: list[dict]) -> None:
        self.params, self.state = params, state
        self.grads: TensorList = grads  # parts may replace it with a foreach result

    def buf(self, name: str, init: Callable[[Tensor], Tensor] | None = None) -> list[Tensor]:
        """The state tensor `name` of each parameter, made with `init(p)` (zeros) when missing.

        Examples:
            >>> b = ParamBatch([torch.ones(2)], [torch.ones(2)], [{}])
            >>> b.buf("avg", torch.ones_like)[0]
            tensor([1., 1.])
        """
        out = []
        for p, s in zip(self.params, self.state):
            t = s.get(name)
            if t is None:
                t = s[name] = (
                    torch.zeros_like(p, memory_format=torch.preserve_format) if init is None else init(p)
                )
            out.append(t)
        return out

    def steps(self) -> list[int]:
        """The step count of each parameter (kept by the `step_stat` stat).

        Examples:
            >>> ParamBatch([torch.ones(1)], [torch.ones(1)], [{"step": 3}]).steps()
            [3]
        """
        return [s["step"] for s in self.state]


def with_defaults(**hypers: float) -> Callable[[F], F]:
    """Declare the hyper-parameters a stat or stepper reads, with their defaults (as its `defaults`).

    The optimizer gathers them from its parts (`part_defaults`); a part written fastai's way, with
    `f.defaults = {...}` set after it, works the same.

    Examples:
        >>> @with_defaults(mom=0.9)
        ... def my_stat(b, mom, **_): ...
        >>> part_defaults(my_stat)
        {'mom': 0.9}
    """

    def attach(part: F) -> F:
        part.defaults = dict(hypers)  # type: ignore[attr-defined]  # the one place a part gets them
        return part

    return attach


def part_defaults(part: Callable) -> dict[str, Any]:
    """The default hyper-parameters a part declares (its `defaults` attribute).

    Examples:
        >>> from lamella.optim import average_grad
        >>> part_defaults(average_grad)
        {'mom': 0.9}
    """
    while not hasattr(part, "defaults") and hasattr(part, "func"):  # functools.partial
        part = part.func
    return dict(getattr(part, "defaults", {}))


def even_mults(start: float, stop: float, n: int) -> list[float]:
    """`n` values from `start` to `stop` spread geometrically.

    Examples:
        >>> even_mults(1e-3, 1e-1, 3)
        [0.001, 0.01, 0.1]
    """
    if n == 1:
        return [stop]
    step = (stop / start) ** (1 / (n - 1))
    return [start * step**i for i in range(n - 1)] + [stop]


def spread(name: str, value: Any, n: int) -> list[Any]:
    """One value of hyper-parameter `name` per group, by `set_hyper`'s rule.

    Examples:
        >>> spread("lr", slice(0.1), 3)
        [0.01, 0.01, 0.1]
    """
    if isinstance(value, slice):
        if value.start:
            value = even_mults(value.start, value.stop, n)
        else:
            value = [value.stop / 10] * (n - 1) + [value.stop]
    # a list, a tuple or another sequence (fastcore's `L`) gives one value per group
    listy = isinstance(value, Sequence) and not isinstance(value, (str, bytes))
    values = list(value) if listy else [value] * n
    if len(values) != n:
        raise ValueError(f"set_hyper('{name}') got {len(values)} values for {n} parameter groups")
    return values


def _groups(params: Any) -> list[dict]:
    params = list(params)
    if not params:
        raise ValueError("the optimizer got an empty list of parameters")
    if isinstance(params[0], dict):
        return params
    if isinstance(params[0], (list, tuple)):  # fastai style: a list of lists, one per group
        return [{"params": list(g)} for g in params]
    return [{"params": params}]


class HyperParams:
    """Hyper-parameter and freezing API over `param_groups` and `state`, shared by every lamella optimizer.

    Subclasses provide `param_groups` (torch-style group dicts), `state` (per-parameter dicts)
    and `train_bn`.

    Examples:
        >>> issubclass(Optimizer, HyperParams)
        True
    """

    param_groups: list[dict[str, Any]]
    state: Any
    train_bn: bool

    @property
    def hypers(self) -> list[dict[str, Any]]:
        """The hyper-parameters of each group (copies; change them with `set_hyper`).

        Examples:
            >>> from lamella.optim import SGD
            >>> SGD([torch.nn.Parameter(torch.ones(1))], lr=0.1).hypers[0]["lr"]
            0.1
        """
        return [{k: v for k, v in g.items() if k != "params"} for g in self.param_groups]

    def set_hyper(self, name: str, value: Any) -> None:
        """Set a hyper-parameter on every group.

        Args:
            name: the hyper-parameter (`lr`, `mom`, `wd`...).
            value: one value for all groups; a list with one per group; or `slice(lo, hi)`,
                spread geometrically from the first group to the last (`slice(hi)`: the last
                group gets `hi`, the others `hi / 10`).

        Examples:
            >>> from lamella.optim import SGD
            >>> ps = [[torch.nn.Parameter(torch.ones(1))] for _ in range(3)]
            >>> opt = SGD(ps, lr=0.1); opt.set_hyper("lr", slice(1e-3, 1e-1))
            >>> [round(h["lr"], 6) for h in opt.hypers]
            [0.001, 0.01, 0.1]
        """
        for group, v in zip(self.param_groups, spread(name, value, len(self.param_groups))):
            group[name] = v

    def _params(self, groups: Iterable[dict]) -> Iterable[Tensor]:
        for g in groups:
            yield from g["params"]

    def freeze_to(self, n: int) -> None:
        """Freeze the groups before `n` (no gradient, no update, no state), unfreeze the rest.

        Parameters flagged `force_train` in their state (norm layers) stay trainable when `train_bn`.

        Examples:
            >>> from lamella.optim import SGD
            >>> a, b = torch.nn.Parameter(torch.ones(1)), torch.nn.Parameter(torch.ones(1))
            >>> opt = SGD([[a], [b]], lr=0.1); opt.freeze_to(1)
            >>> a.requires_grad, b.requires_grad
            (False, True)
        """
        for p in self._params(self.param_groups[:n]):
            p.requires_grad_(self.train_bn and self._flag(p, "force_train"))
            if not p.requires_grad:
                self._clear(p)
        for p in self._params(self.param_groups[n:]):
            p.requires_grad_(True)

    def freeze(self) -> None:
        """Freeze every group but the last.

        Examples:
            >>> from lamella.optim import SGD
            >>> a, b = torch.nn.Parameter(torch.ones(1)), torch.nn.Parameter(torch.ones(1))
            >>> opt = SGD([[a], [b]], lr=0.1); opt.freeze(); a.requires_grad
            False
        """
        if len(self.param_groups) < 2:
            raise ValueError("freeze() needs at least two parameter groups (a body and a head)")
        self.freeze_to(-1)

    def unfreeze(self) -> None:
        """Make every group trainable.

        Examples:
            >>> from lamella.optim import SGD
            >>> a = torch.nn.Parameter(torch.ones(1)); opt = SGD([[a]], lr=0.1)
            >>> opt.freeze_to(1); opt.unfreeze(); a.requires_grad
            True
        """
        self.freeze_to(0)

    def _flag(self, p: Tensor, name: str) -> bool:
        return bool(self.state.get(p, {}).get(name, False))

    def _clear(self, p: Tensor) -> None:
        state = self.state.get(p)
        if state:
            kept = {k: state[k] for k in _FLAGS if k in state}
            state.clear()
            state.update(kept)

    def clear_state(self) -> None:
        """Drop every running statistic (the flags `force_train` and `do_wd` stay).

        Examples:
            >>> from lamella.optim import Adam
            >>> p = torch.nn.Parameter(torch.ones(1)); opt = Adam([p], lr=0.1)
            >>> p.grad = torch.ones(1); opt.step(); opt.clear_state(); dict(opt.state[p])
            {}
        """
        for p in list(self.state):
            self._clear(p)


class Optimizer(torch.optim.Optimizer, HyperParams):
    """An optimizer made of stats and steppers applied in order to each parameter group.

    Args:
        params: parameters, a list of lists (one per group), or torch-style group dicts.
        cbs: the parts, in order; their `defaults` give the hyper-parameters.
        train_bn: keep parameters flagged `force_train` (norm layers) trainable when frozen.
        **defaults: hyper-parameters (`lr`, `mom`, `wd`...) overriding the parts' defaults.

    Examples:
        >>> from lamella.optim import sgd_step
        >>> p = torch.nn.Parameter(torch.tensor([1.0]))
        >>> opt = Optimizer([p], [sgd_step], lr=0.1)
        >>> p.grad = torch.tensor([2.0]); opt.step(); p.data
        tensor([0.8000])
    """

    def __init__(self, params: Any, cbs: Sequence[Callable], train_bn: bool = True, **defaults: Any) -> None:
        if "lr" not in defaults:
            raise TypeError("the optimizer needs a learning rate: pass lr=...")
        lr = defaults["lr"]
        if isinstance(lr, (int, float)) and not lr >= 0:  # NaN fails the comparison too, as in torch.optim
            raise ValueError(f"the optimizer's learning rate must be 0 or more; got lr={lr!r}")
        self.cbs = list(cbs)
        merged: dict[str, Any] = {}
        for cb in self.cbs:
            merged.update(part_defaults(cb))
        merged.update(defaults)
        self.train_bn = train_bn
        super().__init__(_groups(params), merged)

    @torch.no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Run every part on each parameter group; parameters without a gradient are skipped.

        Examples:
            >>> from lamella.optim import SGD
            >>> p = torch.nn.Parameter(torch.ones(1)); opt = SGD([p], lr=0.5, mom=0)
            >>> p.grad = torch.ones(1); _ = opt.step(); p.data
            tensor([0.5000])
        """
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            if not params:
                continue
            batch = ParamBatch(params, [p.grad for p in params], [self.state[p] for p in params])
            hypers = {k: v for k, v in group.items() if k != "params"}
            for cb in self.cbs:
                cb(batch, **hypers)
        return loss

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset gradients (to None by default, as torch does).

        Examples:
            >>> from lamella.optim import SGD
            >>> p = torch.nn.Parameter(torch.ones(1)); p.grad = torch.ones(1)
            >>> SGD([p], lr=0.1).zero_grad(); p.grad is None
            True
        """
        super().zero_grad(set_to_none=set_to_none)

    def __repr__(self) -> str:
        parts = ", ".join(getattr(getattr(cb, "func", cb), "__name__", repr(cb)) for cb in self.cbs)
        return f"{type(self).__name__}({len(self.param_groups)} groups; parts: {parts})"
