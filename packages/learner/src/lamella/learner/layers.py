"""Small layers fastai notebooks reach for: `Module`, `Flatten`, `Lambda`, `sequential`, `SigmoidRange`.

Examples:
    >>> class Double(Module):
    ...     def __init__(self, k): self.lin = nn.Linear(k, k)  # no super().__init__() needed
    ...     def forward(self, x): return 2 * self.lin(x)
    >>> Double(3)(torch.zeros(1, 3)).shape
    torch.Size([1, 3])
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from enum import Enum
from typing import Any

import torch
from torch import Tensor, nn

__all__ = [
    "Flatten", "Identity", "Lambda", "LinBnDrop", "Mish", "Module", "NormType", "SigmoidRange", "Swish",
    "TimeDistributed", "apply_init", "params", "sequential", "sigmoid_range",
]  # fmt: skip

#: torch's `nn.Identity`, `nn.Mish` and `nn.SiLU` under fastai's names (`act_cls=Mish`).
Identity, Mish, Swish = nn.Identity, nn.Mish, nn.SiLU


class NormType(Enum):
    """Which normalisation a layer gets (fastai's names): `ConvLayer(..., norm_type=NormType.Spectral)`.

    `BatchZero` and `InstanceZero` start the norm's scale at 0, so a residual branch starts as
    the identity; `Weight` and `Spectral` reparametrise the layer's weight instead.

    Examples:
        >>> [n.name for n in NormType]
        ['Batch', 'BatchZero', 'Weight', 'Spectral', 'Instance', 'InstanceZero']
    """

    Batch = 1
    BatchZero = 2
    Weight = 3
    Spectral = 4
    Instance = 5
    InstanceZero = 6


class Module(nn.Module):
    """An `nn.Module` whose subclasses need not call `super().__init__()` first (fastai's `Module`).

    Examples:
        >>> class Scale(Module):
        ...     def __init__(self, s): self.s = nn.Parameter(torch.tensor(s))
        ...     def forward(self, x): return x * self.s
        >>> len(list(Scale(2.0).parameters()))
        1
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Module:
        """Set up the `nn.Module` machinery before the subclass's `__init__` runs."""
        self = super().__new__(cls)
        nn.Module.__init__(self)
        return self

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass  # nn.Module's own set-up ran in __new__; a subclass calling this again is harmless


class Flatten(nn.Module):
    """Flatten each item to a vector (`full=True`: the whole batch to one vector), as fastai's.

    Examples:
        >>> Flatten()(torch.zeros(2, 3, 4)).shape, Flatten(full=True)(torch.zeros(2, 3)).shape
        (torch.Size([2, 12]), torch.Size([6]))
    """

    def __init__(self, full: bool = False) -> None:
        super().__init__()
        self.full = full

    def forward(self, x: Tensor) -> Tensor:  # noqa: D102  (the class documents it)
        return x.reshape(-1) if self.full else x.reshape(x.shape[0], -1)


class Lambda(nn.Module):
    """A function as a layer (fastai's `Lambda`), so a model can hold a reshape or any plain function.

    Examples:
        >>> Lambda(lambda x: x * 2)(torch.ones(2))
        tensor([2., 2.])
    """

    def __init__(self, func: Callable[[Any], Any]) -> None:
        super().__init__()
        self.func = func

    def forward(self, x: Any) -> Any:  # noqa: D102  (the class documents it)
        return self.func(x)

    def extra_repr(self) -> str:  # noqa: D102
        return getattr(self.func, "__name__", repr(self.func))


def sequential(*args: Any) -> nn.Sequential:
    """An `nn.Sequential` of `args`, each plain function wrapped in a `Lambda` (fastai's `sequential`).

    One `OrderedDict` of named layers is passed to `nn.Sequential` as it is.

    Examples:
        >>> model = sequential(nn.Linear(4, 2), torch.flatten, nn.ReLU())
        >>> type(model[1]).__name__, model(torch.ones(1, 4)).shape
        ('Lambda', torch.Size([2]))
    """
    if len(args) == 1 and isinstance(args[0], OrderedDict):
        return nn.Sequential(args[0])
    return nn.Sequential(*(a if isinstance(a, nn.Module) else _as_layer(a, i) for i, a in enumerate(args)))


def _as_layer(f: Any, i: int) -> nn.Module:
    if not callable(f):
        raise TypeError(f"sequential: argument {i} is a {type(f).__name__}, not a layer or a function")
    return Lambda(f)


class TimeDistributed(nn.Module):
    """Apply `module` to every step of a sequence of inputs (fastai's `TimeDistributed`).

    Inputs are `batch x steps x ...` (`tdim` says where the steps are); the steps are folded into
    the batch for one call (`low_mem=True`: one call per step), and the outputs unfolded again.

    Examples:
        >>> frames = torch.randn(2, 5, 3, 8, 8)  # two clips of five 3x8x8 frames
        >>> TimeDistributed(nn.Conv2d(3, 4, 3))(frames).shape
        torch.Size([2, 5, 4, 6, 6])
    """

    def __init__(self, module: nn.Module, low_mem: bool = False, tdim: int = 1) -> None:
        super().__init__()
        self.module, self.low_mem, self.tdim = module, low_mem, tdim

    def forward(self, *tensors: Tensor, **kwargs: Any) -> Any:  # noqa: D102  (the class documents it)
        if self.low_mem or self.tdim != 1:
            steps = [t.unbind(self.tdim) for t in tensors]
            outs = [self.module(*step, **kwargs) for step in zip(*steps)]
            if isinstance(outs[0], tuple):
                return tuple(torch.stack(o, dim=self.tdim) for o in zip(*outs))
            return torch.stack(outs, dim=self.tdim)
        bs, n = tensors[0].shape[:2]
        out = self.module(*[t.reshape(bs * n, *t.shape[2:]) for t in tensors], **kwargs)
        if isinstance(out, tuple):
            return tuple(o.reshape(bs, n, *o.shape[1:]) for o in out)
        return out.reshape(bs, n, *out.shape[1:])

    def __repr__(self) -> str:
        return f"TimeDistributed({self.module})"


_NORMS = (nn.modules.batchnorm._BatchNorm, nn.modules.instancenorm._InstanceNorm, nn.LayerNorm, nn.GroupNorm)


def apply_init(m: nn.Module, func: Callable[[Tensor], Any] | None = nn.init.kaiming_normal_) -> None:
    """Initialise every layer of `m` as fastai's `apply_init`: `func` on its weight, its bias zeroed.

    Normalisation layers and frozen layers keep their values; `func=None` only zeroes biases.

    Examples:
        >>> head = nn.Sequential(nn.Linear(4, 2), nn.BatchNorm1d(2))
        >>> apply_init(head, nn.init.ones_)
        >>> head[0].weight.sum().item(), head[0].bias.abs().sum().item(), head[1].weight.sum().item()
        (8.0, 0.0, 2.0)
    """
    for layer in m.modules():
        own = list(layer.parameters(recurse=False))
        if isinstance(layer, _NORMS) or not own or not any(p.requires_grad for p in own):
            continue
        with torch.no_grad():
            weight, bias = getattr(layer, "weight", None), getattr(layer, "bias", None)
            if func is not None and isinstance(weight, Tensor):
                func(weight)
            if isinstance(bias, Tensor):
                bias.zero_()


def sigmoid_range(x: Tensor, low: float, high: float) -> Tensor:
    """A sigmoid scaled to `(low, high)`.

    Examples:
        >>> sigmoid_range(torch.tensor([0.0]), 0, 5)
        tensor([2.5000])
    """
    return torch.sigmoid(x) * (high - low) + low


class SigmoidRange(nn.Module):
    """`sigmoid_range` as a layer.

    Examples:
        >>> SigmoidRange(0, 5)(torch.tensor([0.0]))
        tensor([2.5000])
    """

    def __init__(self, low: float, high: float) -> None:
        super().__init__()
        self.low, self.high = low, high

    def forward(self, x: Tensor) -> Tensor:  # noqa: D102
        return sigmoid_range(x, self.low, self.high)


def params(m: nn.Module) -> list[nn.Parameter]:
    """All the parameters of `m`, as a list (fastai's `params`).

    Examples:
        >>> len(params(nn.Linear(2, 1)))
        2
    """
    return list(m.parameters())


class LinBnDrop(nn.Sequential):
    """Linear, activation, batch norm and dropout (`lin_first`), or batch norm, dropout, linear, activation.

    Examples:
        >>> LinBnDrop(4, 2, p=0.1, act=nn.ReLU(), lin_first=True)
        LinBnDrop(
          (0): Linear(in_features=4, out_features=2, bias=False)
          (1): ReLU()
          (2): BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
          (3): Dropout(p=0.1, inplace=False)
        )
    """

    def __init__(
        self, n_in: int, n_out: int, bn: bool = True, p: float = 0.0, act: nn.Module | None = None,
        lin_first: bool = False,
    ) -> None:  # fmt: skip
        norm: list[nn.Module] = [nn.BatchNorm1d(n_out if lin_first else n_in)] if bn else []
        if p != 0:
            norm.append(nn.Dropout(p))
        lin: list[nn.Module] = [nn.Linear(n_in, n_out, bias=not bn)] + ([act] if act is not None else [])
        super().__init__(*(lin + norm if lin_first else norm + lin))
