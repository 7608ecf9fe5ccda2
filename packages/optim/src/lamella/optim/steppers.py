"""Steppers: parts that update parameters, each written close to its paper's equation.

A catalogue of small functions, kept in one module so they read side by side. Each acts on a
whole parameter group with `torch._foreach_*`; when the parameters of a group have taken
different numbers of steps (after unfreezing), bias corrections become per-parameter lists.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from .optimizer import ParamBatch, TensorList, with_defaults

__all__ = [
    "adam_step",
    "fused_adamw_available",
    "fused_adamw_step",
    "l2_reg",
    "lamb_step",
    "larc_layer_lr",
    "larc_step",
    "lion_step",
    "momentum_step",
    "qhadam_step",
    "radam_step",
    "rms_prop_step",
    "sgd_step",
    "weight_decay",
]


def _scalar_or_list(values: list[float]) -> float | list[float]:
    return values[0] if all(v == values[0] for v in values) else values


def _with_wd(b: ParamBatch) -> list[torch.Tensor]:
    return [p for p, s in zip(b.params, b.state) if s.get("do_wd", True)]


@with_defaults(wd=0.0)
def weight_decay(b: ParamBatch, lr: float, wd: float, **_: Any) -> None:
    """Decoupled weight decay (Loshchilov & Hutter 2019): `p = p * (1 - lr * wd)`.

    Parameters flagged `do_wd=False` in their state (norm layers, biases) are left alone.

    Examples:
        >>> b = ParamBatch([torch.ones(1)], [torch.zeros(1)], [{}])
        >>> weight_decay(b, lr=0.1, wd=0.5); b.params[0]
        tensor([0.9500])
    """
    params = _with_wd(b) if wd else []
    if params:
        torch._foreach_mul_(params, 1 - lr * wd)


@with_defaults(wd=0.0)
def l2_reg(b: ParamBatch, wd: float, **_: Any) -> None:
    """L2 regularisation: the gradient the next parts see is `grad + wd * p` (grads are not modified).

    Examples:
        >>> b = ParamBatch([torch.ones(1)], [torch.zeros(1)], [{}])
        >>> l2_reg(b, wd=0.5); b.grads[0]
        tensor([0.5000])
    """
    if wd:
        flags = [s.get("do_wd", True) for s in b.state]
        if all(flags):
            b.grads = torch._foreach_add(b.grads, b.params, alpha=wd)
        else:
            b.grads = [g + wd * p if f else g for g, p, f in zip(b.grads, b.params, flags)]


def sgd_step(b: ParamBatch, lr: float, **_: Any) -> None:
    """Plain gradient descent: `p = p - lr * grad`.

    Examples:
        >>> b = ParamBatch([torch.ones(1)], [torch.ones(1)], [{}])
        >>> sgd_step(b, lr=0.1); b.params[0]
        tensor([0.9000])
    """
    torch._foreach_add_(b.params, b.grads, alpha=-lr)


def momentum_step(b: ParamBatch, lr: float, **_: Any) -> None:
    """Step along the averaged gradient (state `grad_avg`): `p = p - lr * grad_avg`.

    Examples:
        >>> b = ParamBatch([torch.ones(1)], [torch.ones(1)], [{"grad_avg": torch.full((1,), 2.0)}])
        >>> momentum_step(b, lr=0.1); b.params[0]
        tensor([0.8000])
    """
    torch._foreach_add_(b.params, b.buf("grad_avg"), alpha=-lr)


@with_defaults(eps=1e-8)
def rms_prop_step(b: ParamBatch, lr: float, eps: float, **_: Any) -> None:
    """RMSProp (Hinton 2012): `p = p - lr * g / (sqrt(sqr_avg) + eps)`, `g` the averaged grad if kept.

    Examples:
        >>> b = ParamBatch([torch.ones(1)], [torch.ones(1)], [{"sqr_avg": torch.full((1,), 4.0)}])
        >>> rms_prop_step(b, lr=0.1, eps=0.0); b.params[0]
        tensor([0.9500])
    """
    denom = torch._foreach_sqrt(b.buf("sqr_avg"))
    torch._foreach_add_(denom, eps)
    grads = b.buf("grad_avg") if "grad_avg" in b.state[0] else b.grads
    torch._foreach_addcdiv_(b.params, grads, denom, value=-lr)


def _adam_denominator(
    b: ParamBatch, sqr_mom: float, eps: float
) -> list[torch.Tensor] | tuple[torch.Tensor, ...]:
    """sqrt(v_t / (1 - sqr_mom^t)) + eps, computed as torch does (sqrt first, then divide)."""
    denom = torch._foreach_sqrt(b.buf("sqr_avg"))
    torch._foreach_div_(denom, _scalar_or_list([math.sqrt(1 - sqr_mom**t) for t in b.steps()]))
    torch._foreach_add_(denom, eps)
    return denom


@with_defaults(eps=1e-5)
def adam_step(b: ParamBatch, lr: float, mom: float, sqr_mom: float, eps: float, **_: Any) -> None:
    """Adam (Kingma & Ba 2015): `p = p - lr * m̂ / (sqrt(v̂) + eps)`.

    With `m̂ = m / (1 - mom^t)` and `v̂ = v / (1 - sqr_mom^t)`.

    Needs the stats `average_grad(dampening=True)`, `average_sqr_grad` and `step_stat`.

    Examples:
        >>> state = {"grad_avg": torch.full((1,), 0.1), "sqr_avg": torch.full((1,), 0.001), "step": 1}
        >>> b = ParamBatch([torch.ones(1)], [torch.ones(1)], [state])
        >>> adam_step(b, lr=0.1, mom=0.9, sqr_mom=0.999, eps=0.0); b.params[0]
        tensor([0.9000])
    """
    denom = _adam_denominator(b, sqr_mom, eps)
    step_size = [-lr / (1 - mom**t) for t in b.steps()]
    torch._foreach_addcdiv_(b.params, b.buf("grad_avg"), denom, step_size)


def _radam_rect(t: int, sqr_mom: float) -> float:
    """The variance rectification r_t of RAdam (Liu et al. 2020, Algorithm 2), 0 while rho_t <= 5."""
    rho_inf = 2 / (1 - sqr_mom) - 1
    rho_t = rho_inf - 2 * t * sqr_mom**t / (1 - sqr_mom**t)
    if rho_t <= 5:
        return 0.0
    return math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))


@with_defaults(eps=1e-5)
def radam_step(b: ParamBatch, lr: float, mom: float, sqr_mom: float, eps: float, **_: Any) -> None:
    """RAdam (Liu et al. 2020): Adam's step scaled by r_t once rho_t > 5, plain momentum before.

    `p = p - lr * r_t * m̂ * sqrt(1 - sqr_mom^t) / (sqrt(v) + eps)` when rectified, else `p = p - lr * m̂`.

    Examples:
        >>> state = {"grad_avg": torch.full((1,), 0.1), "sqr_avg": torch.full((1,), 0.001), "step": 1}
        >>> b = ParamBatch([torch.ones(1)], [torch.ones(1)], [state])
        >>> radam_step(b, lr=0.1, mom=0.9, sqr_mom=0.999, eps=0.0); b.params[0]
        tensor([0.9000])
    """
    avgs, sqrs = b.buf("grad_avg"), b.buf("sqr_avg")
    rect_p, rect_m, rect_v, rect_c, plain_p, plain_m, plain_c = [], [], [], [], [], [], []
    for p, m, v, t in zip(b.params, avgs, sqrs, b.steps()):
        bc1, r = 1 - mom**t, _radam_rect(t, sqr_mom)
        if r > 0:
            rect_p.append(p)
            rect_m.append(m)
            rect_v.append(v)
            rect_c.append(-lr * r * math.sqrt(1 - sqr_mom**t) / bc1)
        else:
            plain_p.append(p)
            plain_m.append(m)
            plain_c.append(-lr / bc1)
    if rect_p:
        denom = torch._foreach_sqrt(rect_v)
        torch._foreach_add_(denom, eps)
        torch._foreach_addcdiv_(rect_p, rect_m, denom, rect_c)
    if plain_p:
        torch._foreach_add_(plain_p, torch._foreach_mul(plain_m, plain_c))


@with_defaults(eps=1e-8, nu_1=0.7, nu_2=1.0)
def qhadam_step(
    b: ParamBatch, lr: float, mom: float, sqr_mom: float, eps: float, nu_1: float, nu_2: float, **_: Any
) -> None:
    """QHAdam (Ma & Yarats 2019, eq. 4): quasi-hyperbolic mixes of the raw and averaged moments.

    `p = p - lr * ((1 - nu_1) g + nu_1 m̂) / (sqrt((1 - nu_2) g² + nu_2 v̂) + eps)`.

    Examples:
        >>> state = {"grad_avg": torch.full((1,), 0.1), "sqr_avg": torch.full((1,), 0.001), "step": 1}
        >>> b = ParamBatch([torch.ones(1)], [torch.ones(1)], [state])
        >>> qhadam_step(b, lr=0.1, mom=0.9, sqr_mom=0.999, eps=0.0, nu_1=1.0, nu_2=1.0); b.params[0]
        tensor([0.9000])
    """
    steps = b.steps()
    num = torch._foreach_mul(b.buf("grad_avg"), _scalar_or_list([nu_1 / (1 - mom**t) for t in steps]))
    torch._foreach_add_(num, b.grads, alpha=1 - nu_1)
    denom = torch._foreach_mul(b.buf("sqr_avg"), _scalar_or_list([nu_2 / (1 - sqr_mom**t) for t in steps]))
    torch._foreach_addcmul_(denom, b.grads, b.grads, value=1 - nu_2)
    torch._foreach_sqrt_(denom)
    torch._foreach_add_(denom, eps)
    torch._foreach_addcdiv_(b.params, num, denom, value=-lr)


def _norms(ts: TensorList) -> torch.Tensor:
    return torch.stack(torch._foreach_norm(ts))


@with_defaults(trust_coeff=0.02, wd=0.0, eps=1e-8)
def larc_layer_lr(
    b: ParamBatch, lr: float, trust_coeff: float, wd: float, eps: float, clip: bool = True, **_: Any
) -> None:
    """LARC's per-layer rate (You et al. 2017, LARS eq. 6): `lr * trust_coeff * ‖p‖ / (‖g‖ + wd ‖p‖ + eps)`.

    Clipped to `lr` when `clip` (LARC). Kept in `b.local_lr` for `larc_step`.

    Examples:
        >>> b = ParamBatch([torch.full((4,), 1.0)], [torch.full((4,), 1.0)], [{}])
        >>> larc_layer_lr(b, lr=1.0, trust_coeff=0.02, wd=0.0, eps=0.0); b.local_lr
        [0.019999999552965164]
    """
    p_norm, g_norm = _norms(b.params), _norms(b.grads)
    local = lr * trust_coeff * p_norm / (g_norm + wd * p_norm + eps)
    if clip:
        local = local.clamp(max=lr)
    b.local_lr = local.tolist()


def larc_step(b: ParamBatch, **_: Any) -> None:
    """Step each layer at its own rate from `larc_layer_lr`: `p = p - local_lr * g`.

    Examples:
        >>> b = ParamBatch([torch.ones(1)], [torch.ones(1)], [{}]); b.local_lr = [0.5]
        >>> larc_step(b); b.params[0]
        tensor([0.5000])
    """
    grads = b.buf("grad_avg") if "grad_avg" in b.state[0] else b.grads
    step = torch._foreach_mul(grads, [-lr for lr in b.local_lr])
    torch._foreach_add_(b.params, step)


@with_defaults(eps=1e-6)
def lamb_step(b: ParamBatch, lr: float, mom: float, sqr_mom: float, eps: float, **_: Any) -> None:
    """LAMB (You et al. 2020, Algorithm 2): Adam's direction scaled per layer by `‖p‖ / ‖step‖`.

    `r = m̂ / (sqrt(v̂) + eps)`; `p = p - lr * q * r` with `q = min(‖p‖_rms / ‖r‖_rms, 10)`, 1 when
    either norm is 0.

    Examples:
        >>> state = {"grad_avg": torch.full((1,), 0.1), "sqr_avg": torch.full((1,), 0.001), "step": 1}
        >>> b = ParamBatch([torch.full((1,), 2.0)], [torch.ones(1)], [state])
        >>> lamb_step(b, lr=0.1, mom=0.9, sqr_mom=0.999, eps=0.0); b.params[0]
        tensor([1.8000])
    """
    steps = b.steps()
    r = torch._foreach_div(b.buf("grad_avg"), _scalar_or_list([1 - mom**t for t in steps]))
    denom = torch._foreach_div(b.buf("sqr_avg"), _scalar_or_list([1 - sqr_mom**t for t in steps]))
    torch._foreach_sqrt_(denom)
    torch._foreach_add_(denom, eps)
    torch._foreach_div_(r, denom)
    sizes = torch.tensor([p.numel() for p in b.params], dtype=torch.float32).sqrt()
    r1, r2 = _norms(b.params).float().cpu() / sizes, _norms(r).float().cpu() / sizes
    q = torch.where((r1 == 0) | (r2 == 0), torch.ones_like(r1), (r1 / r2).clamp(max=10))
    torch._foreach_add_(b.params, torch._foreach_mul(r, (-lr * q).tolist()))


@with_defaults(mom=0.9, mom2=0.99)
def lion_step(b: ParamBatch, lr: float, mom: float, mom2: float, **_: Any) -> None:
    """Lion (Chen et al. 2023, Algorithm 2): step by the sign of an interpolated momentum.

    `c = mom * m + (1 - mom) g`; `p = p - lr * sign(c)`; `m = mom2 * m + (1 - mom2) g`
    (decoupled weight decay comes from the `weight_decay` part before it).

    Examples:
        >>> b = ParamBatch([torch.ones(2)], [torch.tensor([0.5, -2.0])], [{}])
        >>> lion_step(b, lr=0.1, mom=0.9, mom2=0.99); b.params[0]
        tensor([0.9000, 1.1000])
    """
    m = b.buf("exp_avg")
    c = torch._foreach_lerp(m, b.grads, 1 - mom)
    torch._foreach_sign_(c)
    torch._foreach_add_(b.params, c, alpha=-lr)
    torch._foreach_lerp_(m, b.grads, 1 - mom2)


def fused_adamw_available() -> bool:
    """Whether this torch has the fused AdamW kernel that `fused_adamw_step` calls.

    Examples:
        >>> isinstance(fused_adamw_available(), bool)
        True
    """
    return hasattr(torch, "_fused_adamw_")


@with_defaults(eps=1e-5, wd=0.0)
def fused_adamw_step(
    b: ParamBatch, lr: float, mom: float, sqr_mom: float, eps: float, wd: float, **_: Any
) -> None:
    """AdamW in one kernel: `weight_decay`, both averages, `step_stat` and `adam_step` together.

    The same update and the same state (`grad_avg`, `sqr_avg`, `step`) as those five parts, so
    an optimizer can switch between them; it runs torch's fused AdamW kernel (CPU and CUDA),
    several times faster than the composed parts on the CPU.

    Examples:
        >>> b = ParamBatch([torch.ones(1)], [torch.ones(1)], [{}])
        >>> fused_adamw_step(b, lr=0.1, mom=0.9, sqr_mom=0.999, eps=0.0, wd=0.0); b.params[0]
        tensor([0.9000])
    """
    for s in b.state:
        s["step"] = s.get("step", 0) + 1
    avgs, sqrs = b.buf("grad_avg"), b.buf("sqr_avg")
    groups: dict[tuple, list[int]] = {}
    for i, (p, s) in enumerate(zip(b.params, b.state)):
        groups.setdefault((p.device, p.dtype, s.get("do_wd", True)), []).append(i)
    for (device, _dtype, do_wd), idx in groups.items():
        # One tensor of step counts viewed per parameter: a tensor each costs more than the kernel.
        steps = list(torch.tensor([float(b.state[i]["step"]) for i in idx], device=device).unbind())
        torch._fused_adamw_(
            [b.params[i] for i in idx],
            [b.grads[i] for i in idx],
            [avgs[i] for i in idx],
            [sqrs[i] for i in idx],
            [],
            steps,
            lr=lr,
            beta1=mom,
            beta2=sqr_mom,
            weight_decay=wd if do_wd else 0.0,
            eps=eps,
            amsgrad=False,
            maximize=False,
        )
