"""`Transform`: a function with `encodes`, `decodes` and `setups`, each dispatched by type.

Write cases in the class body (several `def encodes(self, x: T)`), add them from outside with
`@MyTfm.encodes`, or pass plain functions (`Transform(enc_fn, dec_fn)`). A transform maps over
the elements of a tuple (an image and its mask each go to their own case), leaves alone values
it has no case for, runs only on the split named by `split_idx`, and keeps types: a return
annotation casts the result; otherwise a plain tensor made from a typed input gets the
input's type and metadata back (`lamella.typedtensor.retain_type`).
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from typing import Any

from lamella.typedtensor import TensorBase, retain_type

from .dispatch import _VERSION, NO_RETURN, TypeDispatch

__all__ = ["DisplayedTransform", "ItemTransform", "Transform", "TransformError", "instantiate"]

_METHODS = ("encodes", "decodes", "setups")
_NONE = type(None)
_MISS = object()


class TransformError(RuntimeError):
    """Raised when a transform's case fails; says which transform, case and input, chaining the cause.

    Examples:
        >>> issubclass(TransformError, RuntimeError)
        True
    """


def describe(x: Any) -> str:
    """A short description of a value for error messages: its type, and shape and dtype for tensors.

    Examples:
        >>> describe("dog")
        "str 'dog'"
        >>> import torch
        >>> describe(torch.zeros(2, 3))
        'Tensor of shape (2, 3), dtype torch.float32'
        >>> from pathlib import PurePosixPath
        >>> text = describe(PurePosixPath("/data/" + "x" * 80 + "/7_theo_3.wav"))  # a long path keeps its end
        >>> text.startswith("PurePosixPath ..."), text.endswith("xx/7_theo_3.wav"), len(text)
        (True, True, 94)
    """
    shape = getattr(x, "shape", None)
    if shape is not None:  # a tensor or an array; an image item has a shape, a path and no dtype
        dtype, path = getattr(x, "dtype", None), getattr(x, "path", None)
        return (
            f"{type(x).__name__} of shape {tuple(shape)}"
            + (f", dtype {dtype}" if dtype is not None else "")
            + (f", read from {path}" if path else "")
        )
    if isinstance(x, os.PathLike):  # the end of a path names the file: cut from the left
        text = os.fspath(x)
        return f"{type(x).__name__} {text if len(text) <= 80 else '...' + text[-77:]}"
    text = repr(x)
    return f"{type(x).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


class _CaseNamespace(dict):
    """Class-body namespace that collects every `encodes`/`decodes`/`setups` instead of keeping the last."""

    def __setitem__(self, key: str, value: Any) -> None:
        if key in _METHODS and inspect.isfunction(value):
            self.setdefault(key, []).append(value)
        else:
            super().__setitem__(key, value)


class _TransformMeta(type):
    @classmethod
    def __prepare__(mcs, name: str, bases: tuple[type, ...], /, **kwargs: Any) -> dict[str, Any]:
        return _CaseNamespace()

    def __new__(mcs, name: str, bases: tuple, ns: dict, **kwargs: Any) -> type:
        for meth in _METHODS:
            funcs = ns.get(meth, [])
            if isinstance(funcs, list):
                parents = [
                    getattr(b, meth) for b in bases if isinstance(getattr(b, meth, None), TypeDispatch)
                ]
                ns[meth] = TypeDispatch(funcs, bases=parents, is_method=True, name=f"{name}.{meth}")
        cls: Any = super().__new__(mcs, name, bases, dict(ns), **kwargs)
        # Whether calling an instance is Transform.__call__ itself, so a Pipeline may inline it.
        cls._plain_call = "__call__" not in ns and all(getattr(b, "_plain_call", False) for b in bases)
        return cls


class Transform(metaclass=_TransformMeta):
    """A dispatched, invertible, set-up-able function of one item or batch.

    Args:
        enc: a function to use as `encodes` (dispatched on its annotation).
        dec: a function to use as `decodes`.
        split_idx: apply only when called with this split index (0 train, 1 valid); None: always.
        order: position in a `Pipeline` (sorted ascending).

    Examples:
        >>> class Double(Transform):
        ...     def encodes(self, x: int): return x * 2
        ...     def encodes(self, x: str): return x + x
        ...     def decodes(self, x: int): return x // 2
        >>> t = Double()
        >>> t(3), t("ab"), t(1.5), t((1, "a"))
        (6, 'abab', 1.5, (2, 'aa'))
        >>> t.decode(6)
        3
    """

    split_idx: int | None = None
    order: int = 0
    train_setup: bool | None = None
    _plain_call: bool  # set by the metaclass: calling an instance is `Transform.__call__` itself
    encodes: Any  # the cases of a class body, gathered by the metaclass into a TypeDispatch
    decodes: Any
    setups: Any

    def __init__(
        self,
        enc: Callable | None = None,
        dec: Callable | None = None,
        split_idx: int | None = None,
        order: int | None = None,
    ) -> None:
        if enc is not None:
            self.encodes = TypeDispatch([enc], name=getattr(enc, "__name__", "encodes"))
            self._name = getattr(enc, "__name__", None)
        if dec is not None:
            self.decodes = TypeDispatch([dec], name=getattr(dec, "__name__", "decodes"))
        if split_idx is not None:
            self.split_idx = split_idx
        if order is not None:
            self.order = order

    @property
    def name(self) -> str:
        """The function's name for `Transform(f)`, else the class name.

        Examples:
            >>> def neg(x: int): return -x
            >>> Transform(neg).name
            'neg'
        """
        return getattr(self, "_name", None) or type(self).__name__

    def __call__(self, x: Any, split_idx: int | None = None) -> Any:
        """Encode `x` (each element of a tuple) when `split_idx` matches the transform's."""
        own = self.split_idx
        if own is not None and split_idx != own:
            return x
        return self._apply(self.encodes, x)

    def decode(self, x: Any, split_idx: int | None = None) -> Any:
        """Undo the transform on `x` (its `decodes` cases); values without a case pass unchanged.

        Examples:
            >>> Transform(lambda x: x + 1, lambda x: x - 1).decode(5)
            4
        """
        if self.split_idx is not None and split_idx != self.split_idx:
            return x
        return self._apply(self.decodes, x)

    def setup(self, items: Any = None, train_setup: bool = False) -> None:
        """Learn state from `items` (the training split of them when `train_setup`) with `setups`.

        Examples:
            >>> class Center(Transform):
            ...     def setups(self, items): self.mean = sum(items) / len(items)
            ...     def encodes(self, x: float): return x - self.mean
            >>> t = Center(); t.setup([1.0, 2.0, 3.0]); t(5.0)
            3.0
        """
        train_setup = train_setup if self.train_setup is None else self.train_setup
        if train_setup:
            items = getattr(items, "train", items)
        found = self.setups.lookup(type(items))
        if found is None:
            return
        f = found[0]
        try:
            f(self, items) if self.setups.is_method else f(items)
        except TransformError:
            raise
        except Exception as e:
            raise self._error(f, items, e) from e

    def can_decode(self, x: Any) -> bool:
        """Whether some `decodes` case applies to `x` (or to an element of the tuple `x`).

        Examples:
            >>> Transform(dec=lambda x: x).can_decode(1), Transform().can_decode(1)
            (True, False)
        """
        if isinstance(x, tuple) and not self._whole_tuple:
            return any(self.can_decode(o) for o in x)
        return self.decodes.lookup(type(x)) is not None

    _whole_tuple = False

    def _apply(self, td: TypeDispatch, x: Any) -> Any:
        if not self._whole_tuple and isinstance(x, tuple):
            res = [self._apply(td, o) for o in x]
            return type(x)(*res) if hasattr(x, "_fields") else type(x)(res)
        found: Any = td._cache1.get(type(x), _MISS) if td._seen == _VERSION[0] else _MISS
        if found is _MISS:
            found = td.lookup(type(x))
        if found is None:
            return x
        f, ret = found
        try:
            res = f(self, x) if td.is_method else f(x)
        except TransformError:
            raise
        except Exception as e:
            raise self._error(f, x, e) from e
        if ret is NO_RETURN:
            # Only a typed input has a type to give back (a plain tensor made from a TensorImage).
            return retain_type(res, x) if isinstance(x, TensorBase) else res
        if ret is _NONE or isinstance(res, ret):
            return res
        return retain_type(res, x, typ=ret)

    def _error(self, f: Callable, x: Any, e: Exception) -> TransformError:
        where = getattr(f, "__qualname__", "case")
        return TransformError(f"{self.name} failed in {where} on {describe(x)}: {type(e).__name__}: {e}")

    def __repr__(self) -> str:
        lines = [f"{self.name}:"]
        for meth in ("encodes", "decodes"):
            td = getattr(self, meth)
            lines.append(f"  {meth}: {td._listing() or 'none'}")
        return "\n".join(lines)


Transform._plain_call = True


class ItemTransform(Transform):
    """A transform that receives the whole tuple (x and y together) instead of each element.

    Examples:
        >>> class Swap(ItemTransform):
        ...     def encodes(self, xy: tuple): return (xy[1], xy[0])
        >>> Swap()((1, "a"))
        ('a', 1)
    """

    _whole_tuple = True


class DisplayedTransform(Transform):
    """A transform whose `repr` shows the arguments it was built with.

    Without an `__init__` of its own, it shows the state it holds (what `setups` learnt).

    Examples:
        >>> class Scale(DisplayedTransform):
        ...     def __init__(self, factor: float = 2.0):
        ...         super().__init__()
        ...         self.factor = factor
        ...     def encodes(self, x: float): return x * self.factor
        >>> Scale(3.0)
        Scale(factor=3.0)
    """

    def __repr__(self) -> str:
        init = type(self).__init__
        if init is Transform.__init__:
            names = [k for k in vars(self) if not k.startswith("_")]
        else:
            names = [k for k in inspect.signature(init).parameters if k != "self" and hasattr(self, k)]
        shown = [f"{k}={getattr(self, k)!r}" for k in names]
        return f"{self.name}({', '.join(shown)})"


def instantiate(t: Any) -> Any:
    """An instance of `t` if it is a `Transform` class (fastai accepts `item_tfms=[ToTensor]`), else `t`.

    A class that needs arguments gets an error saying an instance is expected. Other classes
    (`float`, a user's callable class) stay as they are: calling them is the transform.

    Examples:
        >>> class AddOne(Transform):
        ...     def encodes(self, x: int): return x + 1
        >>> type(instantiate(AddOne)).__name__, instantiate(float) is float
        ('AddOne', True)
    """
    if not (isinstance(t, type) and issubclass(t, Transform)):
        return t
    try:
        return t()
    except TypeError as e:
        raise TypeError(
            f"you passed the class {t.__name__} where an instance is expected, and it cannot be built "
            f"without arguments ({e}); pass {t.__name__}(...) with its arguments"
        ) from e
