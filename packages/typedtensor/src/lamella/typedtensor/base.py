"""`TensorBase`: a `torch.Tensor` subclass that keeps its type and metadata through torch ops.

The retention rule, written once (the README and docs carry the same table):

| the op returns                                  | the result is                                    |
|-------------------------------------------------|--------------------------------------------------|
| a new tensor, from at least one typed input     | the type of the *first* typed input, with a copy |
|                                                 | of its metadata (`img + mask` is a `TensorImage`)|
| a 0-d tensor from a typed input that had dims   | a plain `torch.Tensor` (`img.mean()`, a loss);   |
| (a reduction)                                   | indexing, `unbind` and `new_*` keep the type     |
| a tuple or list of tensors (`unbind`, `max(d)`) | the same container, each tensor by the rules     |
| one of its inputs (in-place ops, `out=`)        | that object, its type untouched                  |
| anything that is not a tensor (`shape`, `item`) | unchanged                                        |

Metadata is whatever lives in the instance `__dict__` (an image size, a sample rate); it is
shared by reference, not copied deeply, so retention costs one dict update.

Speed: the common arithmetic operators skip `__torch_function__` altogether (a dispatch through
Python costs more than the op itself on small tensors) and call the op with subclass dispatch
disabled; every other op goes through `__torch_function__`. Both paths apply the same rule.
"""

from __future__ import annotations

import copy
from types import MethodWrapperType
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import torch
from torch import Tensor
from torch._C import _disabled_torch_function_impl

__all__ = ["TensorBase", "tensor"]


def tensor(x: Any, *rest: Any, **kwargs: Any) -> Tensor:
    """Build a tensor from a tensor, numpy array, PIL-like image, list or number.

    A tensor comes back as it is (no copy); extra positional values are gathered with `x`
    into one tensor; a list of tensors is stacked.

    Args:
        x: the value; anything with `__array__` (PIL images, pandas columns) works.
        *rest: more values to gather with `x`, as `torch.tensor([x, *rest])` would.
        **kwargs: passed to `torch.as_tensor` (`dtype`, `device`).

    Examples:
        >>> tensor([1, 2, 3])
        tensor([1, 2, 3])
        >>> tensor(1, 2).shape
        torch.Size([2])
        >>> tensor(np.zeros((2, 2), dtype=np.uint8)).dtype
        torch.uint8
    """
    if rest:
        x = (x, *rest)
    if type(x) in (int, float, bool) and not kwargs:
        return torch.full((), x)  # a scalar: twice as fast as as_tensor (labels are made per item)
    if isinstance(x, Tensor):
        return x if not kwargs else x.to(**kwargs)
    if isinstance(x, (list, tuple)) and x and all(isinstance(o, Tensor) for o in x):
        return torch.stack(list(x)).to(**kwargs) if kwargs else torch.stack(list(x))
    if hasattr(x, "__array__") and not isinstance(x, np.ndarray):
        x = np.asarray(x)
    return torch.as_tensor(x, **kwargs)


def first_typed(args: tuple) -> TensorBase | None:
    for a in args:
        if isinstance(a, TensorBase):
            return a
        if isinstance(a, (list, tuple)):
            for b in a:
                if isinstance(b, TensorBase):
                    return b
    return None


# Factories make "a new tensor like this one" and indexing takes a piece of this one (a label of a
# batch of labels): both keep the type even for a 0-d result. Other 0-d results are reductions.
_FACTORIES = frozenset(
    [
        Tensor.new_empty,
        Tensor.new_zeros,
        Tensor.new_ones,
        Tensor.new_full,
        Tensor.new_tensor,
        Tensor.clone,
        Tensor.__getitem__,
        Tensor.unbind,
        Tensor.select,
        torch.unbind,
        torch.select,
    ]
)


def wrap_like(res: Any, src: TensorBase, alias: bool = False, func: Any = None) -> Any:
    """Give `res` the type and metadata of `src` by the rule in the module docstring."""
    if type(res) is Tensor:
        if res.ndim == 0 and src.ndim != 0 and func not in _FACTORIES:
            return res
        if alias:
            res = res.as_subclass(type(src))
        else:
            res.__class__ = type(src)
        meta = src.__dict__
        if meta:
            res.__dict__.update(meta)
        return cast(TensorBase, res)
    if isinstance(res, (tuple, list)):
        return type(res)(wrap_like(r, src, alias, func) for r in res)
    return res


_UNARY = object()
_SHAPE, _NDIM = Tensor.shape.__get__, Tensor.ndim.__get__  # type: ignore[attr-defined]
_DTYPE, _DEVICE = Tensor.dtype.__get__, Tensor.device.__get__  # type: ignore[attr-defined]


def _fast_op(op: Any) -> Any:
    def method(self: TensorBase, other: Any = _UNARY) -> Any:
        args = (self,) if other is _UNARY else (self, other)
        return wrap_like(_disabled_torch_function_impl(op, (), args, {}), self)

    method.__name__ = op.__name__
    method.__doc__ = f"`Tensor.{op.__name__}` keeping the type and metadata of `self`."
    return method


class TensorBase(Tensor):
    """A tensor that knows what it is: its type and metadata survive torch ops.

    Subclass it to make a semantic type. `TensorBase(x, **meta)` takes anything
    `lamella.typedtensor.tensor` accepts (zero-copy from a tensor); keyword arguments become
    metadata (`img_size=(28, 28)`, `sr=16000`).

    Examples:
        >>> class TensorAudio(TensorBase): pass
        >>> a = TensorAudio([0.0, 0.5, -0.5], sr=16000)
        >>> b = a * 2
        >>> type(b).__name__, b.sr
        ('TensorAudio', 16000)
        >>> type(a.mean()).__name__
        'Tensor'
    """

    if TYPE_CHECKING:  # metadata (`img_size`, `sr`...) are attributes each instance may carry

        def __getattr__(self, name: str) -> Any: ...

        def __setattr__(self, name: str, value: Any) -> None: ...

    def __new__(cls, x: Any, **meta: Any) -> TensorBase:
        """Build the typed tensor, zero-copy from a tensor; keyword arguments become metadata."""
        if type(x) in (int, float, bool):  # a label: the hot path of item pipelines
            res = torch.full((), x)
            res.__class__ = cls
        elif isinstance(x, Tensor):
            res = x.as_subclass(cls)  # zero-copy: a new object over the same data
            if isinstance(x, TensorBase) and x.__dict__:
                res.__dict__.update(x.__dict__)
        else:
            res = tensor(x)  # a fresh plain tensor nobody else holds: retype it in place
            res.__class__ = cls
        if meta:
            res.__dict__.update(meta)
        return cast(TensorBase, res)

    @classmethod
    def __torch_function__(cls, func: Any, types: tuple, args: tuple = (), kwargs: dict | None = None) -> Any:
        res = _disabled_torch_function_impl(func, types, args, kwargs or {})
        src = args[0] if args and isinstance(args[0], TensorBase) else first_typed(args)
        if src is None or (args and res is args[0]) or (kwargs and kwargs.get("out") is not None):
            return res
        return wrap_like(res, src, type(func) is MethodWrapperType, func)

    # Attributes that return no tensor skip `__torch_function__` (3 us a read through Python, 0.8 us
    # here): item pipelines read `x.shape` of every item several times.
    @property
    def shape(self) -> torch.Size:  # type: ignore[override]
        """The size, as `torch.Tensor.shape` (read without a dispatch through Python).

        Examples:
            >>> TensorBase(torch.zeros(2, 3)).shape
            torch.Size([2, 3])
        """
        with torch._C.DisableTorchFunctionSubclass():
            return _SHAPE(self)

    @property
    def ndim(self) -> int:  # type: ignore[override]
        """The number of dimensions, as `torch.Tensor.ndim`.

        Examples:
            >>> TensorBase(torch.zeros(2, 3)).ndim
            2
        """
        with torch._C.DisableTorchFunctionSubclass():
            return _NDIM(self)

    @property
    def dtype(self) -> torch.dtype:  # type: ignore[override]
        """The element type, as `torch.Tensor.dtype`.

        Examples:
            >>> TensorBase(torch.zeros(2)).dtype
            torch.float32
        """
        with torch._C.DisableTorchFunctionSubclass():
            return _DTYPE(self)

    @property
    def device(self) -> torch.device:  # type: ignore[override]
        """Where the data lives, as `torch.Tensor.device`.

        Examples:
            >>> TensorBase(torch.zeros(2)).device
            device(type='cpu')
        """
        with torch._C.DisableTorchFunctionSubclass():
            return _DEVICE(self)

    def __deepcopy__(self, memo: dict) -> TensorBase:
        # torch's own __deepcopy__ runs with subclass dispatch off, so its `new_empty` check
        # sees a plain tensor and refuses; copy the data plainly and put type and metadata back.
        if id(self) in memo:
            return memo[id(self)]
        with torch.no_grad():
            new = _disabled_torch_function_impl(Tensor.clone, (), (self,), {})
        new.__class__ = type(self)
        new.requires_grad_(self.requires_grad)
        memo[id(self)] = new
        if self.grad is not None:
            new.grad = copy.deepcopy(self.grad, memo)
        new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return new

    def as_plain(self) -> Tensor:
        """A zero-copy view of this tensor as a plain `torch.Tensor`.

        Examples:
            >>> type(TensorBase([1, 2]).as_plain()).__name__
            'Tensor'
        """
        return self.as_subclass(Tensor)

    def show(self, ctx: Any = None, **kwargs: Any) -> Any:
        """Draw this tensor; each semantic type says how (the base type cannot).

        Examples:
            >>> TensorBase([1]).show()
            Traceback (most recent call last):
            ...
            NotImplementedError: TensorBase has no way to show itself; use a semantic type ...
        """
        raise NotImplementedError(
            f"{type(self).__name__} has no way to show itself; use a semantic type such as TensorImage."
        )

    __add__ = _fast_op(Tensor.__add__)
    __radd__ = _fast_op(Tensor.__radd__)
    __sub__ = _fast_op(Tensor.__sub__)
    __rsub__ = _fast_op(Tensor.__rsub__)
    __mul__ = _fast_op(Tensor.__mul__)
    __rmul__ = _fast_op(Tensor.__rmul__)
    __truediv__ = _fast_op(Tensor.__truediv__)
    __rtruediv__ = _fast_op(Tensor.__rtruediv__)
    __pow__ = _fast_op(Tensor.__pow__)
    __neg__ = _fast_op(Tensor.__neg__)
