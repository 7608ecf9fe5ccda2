"""The ready optimizers: each is a list of parts with fastai's defaults.

A catalogue of short constructors. Weight decay is decoupled (`weight_decay`) by default;
`decouple_wd=False` gives classic L2 regularisation (`l2_reg`), as `torch.optim.SGD` does.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from .optimizer import Optimizer
from .stats import average_grad, average_sqr_grad, step_stat
from .steppers import (
    adam_step,
    fused_adamw_available,
    fused_adamw_step,
    l2_reg,
    lamb_step,
    larc_layer_lr,
    larc_step,
    lion_step,
    momentum_step,
    qhadam_step,
    radam_step,
    rms_prop_step,
    sgd_step,
    weight_decay,
)

__all__ = ["QHAdam", "RAdam", "SGD", "Adam", "Lamb", "Larc", "Lion", "RMSProp"]


def _wd(decouple_wd: bool) -> Any:
    return weight_decay if decouple_wd else l2_reg


def SGD(params: Any, lr: float, mom: float = 0.0, wd: float = 0.0, decouple_wd: bool = True) -> Optimizer:
    """SGD with optional momentum (no Nesterov, no dampening), as fastai's.

    Examples:
        >>> import torch
        >>> p = torch.nn.Parameter(torch.ones(1)); opt = SGD([p], lr=0.1, mom=0.9)
        >>> p.grad = torch.ones(1); opt.step(); p.data
        tensor([0.9000])
    """
    cbs = [_wd(decouple_wd)]
    cbs += [average_grad, momentum_step] if mom else [sgd_step]
    return Optimizer(params, cbs, lr=lr, mom=mom, wd=wd)


def RMSProp(
    params: Any,
    lr: float,
    sqr_mom: float = 0.99,
    mom: float = 0.0,
    eps: float = 1e-8,
    wd: float = 0.0,
    decouple_wd: bool = True,
) -> Optimizer:
    """RMSProp; `mom > 0` averages the gradients before dividing by the root mean square.

    Examples:
        >>> import torch
        >>> opt = RMSProp([torch.nn.Parameter(torch.ones(1))], lr=0.01)
        >>> opt.hypers[0]["sqr_mom"]
        0.99
    """
    cbs = [_wd(decouple_wd)] + ([average_grad] if mom else [])
    cbs += [average_sqr_grad, rms_prop_step]
    return Optimizer(params, cbs, lr=lr, mom=mom, sqr_mom=sqr_mom, eps=eps, wd=wd)


def _adam_parts() -> list[Any]:
    return [partial(average_grad, dampening=True), average_sqr_grad, step_stat]


def Adam(
    params: Any,
    lr: float,
    mom: float = 0.9,
    sqr_mom: float = 0.99,
    eps: float = 1e-5,
    wd: float = 0.01,
    decouple_wd: bool = True,
) -> Optimizer:
    """Adam with decoupled weight decay (AdamW) by default, with fastai's defaults.

    In AdamW mode the five parts (`weight_decay`, both averages, `step_stat`, `adam_step`) run
    as one fused kernel (`fused_adamw_step`, same update, same state); with
    `decouple_wd=False` the parts are composed with `l2_reg`.

    Examples:
        >>> import torch
        >>> opt = Adam([torch.nn.Parameter(torch.ones(1))], lr=1e-3)
        >>> [opt.hypers[0][k] for k in ("mom", "sqr_mom", "eps", "wd")]
        [0.9, 0.99, 1e-05, 0.01]
    """
    cbs: list[Callable[..., None]]
    if decouple_wd and fused_adamw_available():
        cbs = [fused_adamw_step]
    else:
        cbs = [_wd(decouple_wd), *_adam_parts(), adam_step]
    return Optimizer(params, cbs, lr=lr, mom=mom, sqr_mom=sqr_mom, eps=eps, wd=wd)


def RAdam(
    params: Any,
    lr: float,
    mom: float = 0.9,
    sqr_mom: float = 0.99,
    eps: float = 1e-5,
    wd: float = 0.0,
    decouple_wd: bool = True,
) -> Optimizer:
    """RAdam: Adam with its variance rectified while the second moment is unreliable.

    Examples:
        >>> import torch
        >>> RAdam([torch.nn.Parameter(torch.ones(1))], lr=1e-3).hypers[0]["lr"]
        0.001
    """
    cbs = [_wd(decouple_wd), *_adam_parts(), radam_step]
    return Optimizer(params, cbs, lr=lr, mom=mom, sqr_mom=sqr_mom, eps=eps, wd=wd)


def QHAdam(
    params: Any,
    lr: float,
    mom: float = 0.999,
    sqr_mom: float = 0.999,
    nu_1: float = 0.7,
    nu_2: float = 1.0,
    eps: float = 1e-8,
    wd: float = 0.0,
) -> Optimizer:
    """QHAdam with the paper's recommended `nu_1=0.7`, `nu_2=1.0`, `mom=0.999` (decoupled wd).

    Examples:
        >>> import torch
        >>> QHAdam([torch.nn.Parameter(torch.ones(1))], lr=1e-3).hypers[0]["nu_1"]
        0.7
    """
    cbs = [weight_decay, *_adam_parts(), qhadam_step]
    return Optimizer(params, cbs, lr=lr, mom=mom, sqr_mom=sqr_mom, nu_1=nu_1, nu_2=nu_2, eps=eps, wd=wd)


def Larc(
    params: Any,
    lr: float,
    mom: float = 0.9,
    clip: bool = True,
    trust_coeff: float = 0.02,
    eps: float = 1e-8,
    wd: float = 0.0,
) -> Optimizer:
    """LARC (`clip=True`) or LARS (`clip=False`): SGD with a per-layer trust ratio.

    Examples:
        >>> import torch
        >>> Larc([torch.nn.Parameter(torch.ones(1))], lr=0.1).hypers[0]["trust_coeff"]
        0.02
    """
    cbs: list[Any] = [weight_decay] + ([average_grad] if mom else [])
    cbs += [partial(larc_layer_lr, clip=clip), larc_step]
    return Optimizer(params, cbs, lr=lr, mom=mom, trust_coeff=trust_coeff, eps=eps, wd=wd)


def Lamb(
    params: Any, lr: float, mom: float = 0.9, sqr_mom: float = 0.99, eps: float = 1e-5, wd: float = 0.0
) -> Optimizer:
    """LAMB: Adam's direction with a per-layer trust ratio, for large batches (decoupled wd).

    Examples:
        >>> import torch
        >>> Lamb([torch.nn.Parameter(torch.ones(1))], lr=1e-3).hypers[0]["eps"]
        1e-05
    """
    cbs = [weight_decay, *_adam_parts(), lamb_step]
    return Optimizer(params, cbs, lr=lr, mom=mom, sqr_mom=sqr_mom, eps=eps, wd=wd)


def Lion(params: Any, lr: float = 1e-4, mom: float = 0.9, mom2: float = 0.99, wd: float = 0.0) -> Optimizer:
    """Lion: sign of an interpolated momentum, with decoupled weight decay.

    Examples:
        >>> import torch
        >>> p = torch.nn.Parameter(torch.ones(1)); opt = Lion([p], lr=0.1)
        >>> p.grad = torch.ones(1); opt.step(); p.data
        tensor([0.9000])
    """
    return Optimizer(params, [weight_decay, lion_step], lr=lr, mom=mom, mom2=mom2, wd=wd)
