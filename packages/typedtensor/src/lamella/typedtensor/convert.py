"""Moving values between types, devices and libraries: `tensor`, `cast`, `retain_type`, `apply`...

Each helper works on a tensor or on nested tuples, lists and dicts of them, and keeps the
semantic type of every tensor it touches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
import torch
from torch import Tensor

from .base import TensorBase

__all__ = [
    "apply",
    "as_plain",
    "cast",
    "default_device",
    "is_listy",
    "retain_type",
    "to_cpu",
    "to_device",
    "to_np",
]

T = TypeVar("T")


def is_listy(o: Any) -> bool:
    """Whether `o` is a list of things: a list, a tuple, or another sequence such as fastcore's `L`.

    Strings, bytes, tensors and arrays are not (fastcore's `fastuple` is a tuple, so it is).

    Examples:
        >>> is_listy([1]), is_listy((1, 2)), is_listy("ab"), is_listy(torch.zeros(2))
        (True, True, False, False)
    """
    if isinstance(o, (list, tuple)):
        return True
    return isinstance(o, Sequence) and not isinstance(o, (str, bytes, bytearray, Tensor, np.ndarray))


def as_plain(x: T) -> T:
    """A zero-copy view of `x` (or of every tensor in a nested structure) as plain `torch.Tensor`.

    Used at the model boundary so the model and loss run with no subclass overhead.

    Examples:
        >>> from lamella.typedtensor import TensorImage
        >>> img = TensorImage(torch.zeros(3, 2, 2))
        >>> p = as_plain(img)
        >>> type(p).__name__, p.data_ptr() == img.data_ptr()
        ('Tensor', True)
    """
    if type(x) is Tensor:
        return x
    if isinstance(x, Tensor):
        return x.as_subclass(Tensor)  # type: ignore[return-value]
    if isinstance(x, dict):
        return type(x)((k, as_plain(v)) for k, v in x.items())
    if isinstance(x, (tuple, list)):
        res = [as_plain(o) for o in x]
        return type(x)(*res) if hasattr(x, "_fields") else type(x)(res)
    return x


def cast(x: Any, typ: type) -> Any:
    """Give the tensor `x` the type `typ`, zero-copy, keeping the metadata `x` has.

    Examples:
        >>> from lamella.typedtensor import TensorImage
        >>> type(cast(torch.zeros(1), TensorImage)).__name__
        'TensorImage'
    """
    if isinstance(x, Tensor) and issubclass(typ, Tensor):
        res = x.as_subclass(typ)
        if isinstance(x, TensorBase) and x.__dict__:
            res.__dict__.update(x.__dict__)
        return res
    if isinstance(x, typ):
        return x
    return typ(x)


def retain_type(new: Any, old: Any = None, typ: type | None = None) -> Any:
    """Put the type (and metadata) of `old` back on `new` when an op lost it.

    Only a value whose type is a base class of the wanted type is cast (a plain tensor
    becomes a `TensorImage`); anything else comes back unchanged. When the result has the
    wanted type, metadata from `old` fills what it lacks.

    Args:
        new: the value to fix.
        old: the value whose type and metadata to copy.
        typ: the type to give instead of `type(old)`.

    Examples:
        >>> from lamella.typedtensor import TensorPoint
        >>> pts = TensorPoint([[1.0, 2.0]], img_size=(28, 28))
        >>> back = retain_type(pts.as_plain() * 2, pts)
        >>> type(back).__name__, back.img_size
        ('TensorPoint', (28, 28))
    """
    if new is None:
        return None
    typ = type(old) if typ is None else typ
    if typ is type(None):
        return new
    if type(new) is not typ and issubclass(typ, type(new)):
        new = cast(new, typ)
    if type(new) is typ and isinstance(old, TensorBase) and old.__dict__:
        for k, v in old.__dict__.items():
            new.__dict__.setdefault(k, v)
    return new


def apply(func: Callable[..., Any], x: Any, *args: Any, **kwargs: Any) -> Any:
    """Apply `func` to every leaf of nested tuples, lists and dicts, keeping types.

    Args:
        func: called as `func(leaf, *args, **kwargs)`.
        x: a leaf or a nested structure.
        *args: more positional arguments for `func`.
        **kwargs: keyword arguments for `func`.

    Examples:
        >>> apply(lambda t: t * 2, (torch.tensor(1), [torch.tensor(2)], {"a": torch.tensor(3)}))
        (tensor(2), [tensor(4)], {'a': tensor(6)})
    """
    if isinstance(x, dict):
        return type(x)((k, apply(func, v, *args, **kwargs)) for k, v in x.items())
    if isinstance(x, (tuple, list)):
        res = [apply(func, o, *args, **kwargs) for o in x]
        if hasattr(x, "_fields"):  # a namedtuple takes its fields positionally
            return type(x)(*res)
        return type(x)(res)
    if x is None:
        return None
    return retain_type(func(x, *args, **kwargs), x)


def default_device(use: bool | None = None) -> torch.device:
    """The device lamella puts batches on: CUDA when present (or `use=True`), else CPU.

    Examples:
        >>> default_device(use=False)
        device(type='cpu')
    """
    if use is None:
        use = torch.cuda.is_available()
    if use and torch.cuda.is_available():
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


def to_device(b: T, device: torch.device | str | None = None, non_blocking: bool = False) -> T:
    """Move every tensor in `b` to `device` (default: `default_device()`), keeping types.

    Examples:
        >>> to_device((torch.zeros(1), {"y": torch.ones(1)}), "cpu")[1]["y"].device
        device(type='cpu')
    """
    device = default_device() if device is None else device
    return apply(lambda t: t.to(device, non_blocking=non_blocking) if isinstance(t, Tensor) else t, b)


def to_cpu(b: T) -> T:
    """Move every tensor in `b` to the CPU, keeping types.

    Examples:
        >>> to_cpu([torch.zeros(2)])[0].device
        device(type='cpu')
    """
    return to_device(b, "cpu")


def to_np(x: Any) -> Any:
    """Turn every tensor in `x` into a numpy array (detached, on the CPU).

    Examples:
        >>> to_np(torch.tensor([1.0, 2.0]))
        array([1., 2.], dtype=float32)
    """
    return apply(lambda t: t.detach().cpu().as_subclass(Tensor).numpy() if isinstance(t, Tensor) else t, x)
