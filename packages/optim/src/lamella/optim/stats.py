"""Stats: parts that update an optimizer's running state from the gradients.

Each works on a whole parameter group at once (`torch._foreach_*`) and declares its default
hyper-parameters in a `defaults` attribute.
"""

from __future__ import annotations

from typing import Any

import torch

from .optimizer import ParamBatch, with_defaults

__all__ = ["average_grad", "average_sqr_grad", "step_stat"]


@with_defaults(mom=0.9)
def average_grad(b: ParamBatch, mom: float, dampening: bool = False, **_: Any) -> None:
    """Running average of the gradients in state `grad_avg`.

    Without dampening (SGD momentum): `avg = mom * avg + grad`. With dampening (Adam's first
    moment, Kingma & Ba 2015, eq. m_t): `avg = mom * avg + (1 - mom) * grad`.

    Examples:
        >>> b = ParamBatch([torch.zeros(1)], [torch.ones(1)], [{}])
        >>> average_grad(b, mom=0.9, dampening=True); b.state[0]["grad_avg"]
        tensor([0.1000])
    """
    avg = b.buf("grad_avg")
    if dampening:
        torch._foreach_lerp_(avg, b.grads, 1 - mom)
    else:
        torch._foreach_mul_(avg, mom)
        torch._foreach_add_(avg, b.grads)


@with_defaults(sqr_mom=0.99)
def average_sqr_grad(b: ParamBatch, sqr_mom: float, dampening: bool = True, **_: Any) -> None:
    """Running average of the squared gradients in state `sqr_avg`.

    With dampening (Adam's second moment v_t; RMSProp's mean square): `avg = sqr_mom * avg +
    (1 - sqr_mom) * grad²`; without: `avg = sqr_mom * avg + grad²`.

    Examples:
        >>> b = ParamBatch([torch.zeros(1)], [torch.full((1,), 2.0)], [{}])
        >>> average_sqr_grad(b, sqr_mom=0.99); b.state[0]["sqr_avg"]
        tensor([0.0400])
    """
    avg = b.buf("sqr_avg")
    torch._foreach_mul_(avg, sqr_mom)
    torch._foreach_addcmul_(avg, b.grads, b.grads, value=1 - sqr_mom if dampening else 1.0)


def step_stat(b: ParamBatch, **_: Any) -> None:
    """Count the steps each parameter has taken, in state `step` (for bias corrections).

    Examples:
        >>> b = ParamBatch([torch.zeros(1)], [torch.ones(1)], [{}])
        >>> step_stat(b); step_stat(b); b.steps()
        [2]
    """
    for s in b.state:
        s["step"] = s.get("step", 0) + 1
