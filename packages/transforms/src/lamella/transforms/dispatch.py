"""Type dispatch: pick a function by the types of its first one or two arguments.

`TypeDispatch` holds cases keyed by `(type of arg 1, type of arg 2)`, taken from each case's
annotations (a missing annotation means `object`; `A | B`, `Union[A, B]` and tuples of types
register each member). A call picks the case whose types are nearest in the MRO, the first
argument before the second; the choice is cached per type pair, and the cache is dropped
whenever any dispatcher gains a case (so a case added later to a base class is seen).
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["TypeDispatch", "typedispatch"]

#: Marker for a case without a return annotation (None means "annotated `-> None`").
NO_RETURN: Any = inspect.Signature.empty
_VERSION = [0]  # bumped by every `add`, so caches built before a new case are dropped


def _flatten(ann: Any) -> tuple[type, ...]:
    if ann is inspect.Parameter.empty or ann is Any:
        return (object,)
    if ann is None:
        return (type(None),)
    if isinstance(ann, tuple):
        return tuple(t for a in ann for t in _flatten(a))
    if isinstance(ann, types.UnionType) or typing.get_origin(ann) is typing.Union:
        return tuple(t for a in typing.get_args(ann) for t in _flatten(a))
    origin = typing.get_origin(ann)
    if origin is not None:  # list[int] dispatches on list
        return (origin,)
    if not isinstance(ann, type):
        raise TypeError(
            f"cannot dispatch on the annotation {ann!r}: use a class, a union or a tuple of classes"
        )
    return (ann,)


def _hints(f: Callable) -> dict[str, Any]:
    if not (inspect.isfunction(f) or inspect.ismethod(f)):
        call = type(f).__call__ if callable(f) else None  # a callable object (a labeller): its hints
        try:
            return typing.get_type_hints(call) if call is not None else {}
        except TypeError:  # builtins, functools.partial: no annotations to dispatch on
            return {}
    try:
        return typing.get_type_hints(f)
    except Exception as e:
        raise TypeError(
            f"cannot read the annotations of {getattr(f, '__qualname__', f)}: {e}. Annotation names must be "
            "importable where the function is defined."
        ) from e


def case_types(f: Callable, is_method: bool = False) -> tuple[tuple[type, ...], tuple[type, ...], Any]:
    """The types a case dispatches on (first and second argument) and its return annotation.

    Examples:
        >>> def f(x: int | str, y: float): ...
        >>> case_types(f)[:2]
        ((<class 'int'>, <class 'str'>), (<class 'float'>,))
        >>> def g(x: int, pad: int = 0): ...
        >>> case_types(g)[:2]
        ((<class 'int'>,), (<class 'object'>,))
        >>> from operator import attrgetter
        >>> case_types(attrgetter("name"))[:2]
        ((<class 'object'>,), (<class 'object'>,))
    """
    try:
        sig = inspect.signature(f)
    except (ValueError, TypeError):  # attrgetter, itemgetter and some builtins: no signature, no annotations
        return (object,), (object,), NO_RETURN
    params = [p for p in sig.parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if is_method:
        params = params[1:]
    hints = _hints(f)
    # a second parameter with a default is an option (`bb_pad(samples, pad_idx=0)`), not a dispatch key
    params = params[:1] + [p for p in params[1:2] if p.default is p.empty]
    anns = [hints.get(p.name, inspect.Parameter.empty) for p in params]
    anns += [inspect.Parameter.empty] * (2 - len(anns))
    ret = hints.get("return", NO_RETURN)
    if isinstance(ret, types.GenericAlias):  # `-> list[tuple]` casts (and checks) as `list`
        ret = typing.get_origin(ret)
    return _flatten(anns[0]), _flatten(anns[1]), NO_RETURN if ret is Any else ret


def _distance(mro: tuple[type, ...], t: type) -> int | None:
    try:
        return mro.index(t)
    except ValueError:
        return None


class TypeDispatch:
    """Cases of one function, chosen by the types of the first one or two arguments.

    Args:
        funcs: the cases; each dispatches on its annotations.
        bases: dispatchers to fall back to when no own case matches (a subclass's transform
            falls back to its parent's cases).
        is_method: the cases take `self` first; dispatch starts at the next argument.
        name: the name shown in `repr` and in errors.

    Examples:
        >>> def area(x: int): return x * x
        >>> def _(x: str): return len(x) ** 2
        >>> td = TypeDispatch([area, _], name="area")
        >>> td(3), td("ab")
        (9, 4)
        >>> td
        area: (int, object) -> area, (str, object) -> _
    """

    def __init__(
        self,
        funcs: Iterable[Callable] = (),
        bases: Iterable[TypeDispatch] = (),
        is_method: bool = False,
        name: str = "",
    ) -> None:
        self.cases: dict[tuple[type, type], Callable] = {}
        self.returns: dict[Callable, Any] = {}
        self.bases, self.is_method, self.name = list(bases), is_method, name
        self._cache: dict[tuple[type, type], tuple[Callable, Any] | None] = {}
        self._cache1: dict[type, tuple[Callable, Any] | None] = {}  # one-argument calls, the hot path
        self._seen = -1
        for f in funcs:
            self.add(f)

    def add(self, f: Callable) -> Callable:
        """Register the case `f` (by its annotations) and return it.

        Examples:
            >>> td = TypeDispatch(name="half")
            >>> _ = td.add(lambda x: x / 2)
            >>> td(3)
            1.5
        """
        first, second, ret = case_types(f, self.is_method)
        for a in first:
            for b in second:
                self.cases[(a, b)] = f
        self.returns[f] = ret
        self.name = self.name or getattr(f, "__name__", "")
        _VERSION[0] += 1
        return f

    register = add

    def lookup(self, t1: type, t2: type = object) -> tuple[Callable, Any] | None:
        """The `(case, return annotation)` for arguments of types `t1`, `t2`, or None.

        Examples:
            >>> def f(x: object): return "any"
            >>> TypeDispatch([f]).lookup(bool)[0] is f
            True
        """
        if self._seen != _VERSION[0]:
            self._cache.clear()
            self._cache1.clear()
            self._seen = _VERSION[0]
        if t2 is object:
            try:
                return self._cache1[t1]
            except KeyError:
                found = self._cache1[t1] = self._resolve(t1, object)
                return found
        key = (t1, t2)
        try:
            return self._cache[key]
        except KeyError:
            found = self._cache[key] = self._resolve(t1, t2)
            return found

    def _resolve(self, t1: type, t2: type) -> tuple[Callable, Any] | None:
        m1, m2 = t1.__mro__, t2.__mro__
        best, best_d = None, None
        for (a, b), f in self.cases.items():
            d1, d2 = _distance(m1, a), _distance(m2, b)
            if d1 is None or d2 is None:
                continue
            if best_d is None or (d1, d2) < best_d:
                best, best_d = f, (d1, d2)
        if best is not None:
            return best, self.returns[best]
        for base in self.bases:
            found = base.lookup(t1, t2)
            if found is not None:
                return found
        return None

    def __getitem__(self, types: type | tuple[type, ...]) -> Callable:
        """The case chosen for arguments of these types (fastai's `show_batch[object]`: the default case).

        Examples:
            >>> def f(x: int): return "int"
            >>> def g(x: object): return "any"
            >>> TypeDispatch([f, g])[object](3)
            'any'
        """
        t1, t2 = (types, object) if isinstance(types, type) else (tuple(types) + (object,))[:2]
        found = self.lookup(t1, t2)
        if found is None:
            raise KeyError(f"{self.name} has no case for ({t1.__name__}, {t2.__name__})")
        return found[0]

    def __bool__(self) -> bool:
        return bool(self.cases) or any(self.bases)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Dispatch on the arguments' types; with one plain function, register it instead."""
        # Used as a decorator (`@MyTfm.encodes` over a function) it registers the function.
        if len(args) == 1 and not kwargs and isinstance(args[0], types.FunctionType):
            if self.lookup(types.FunctionType) is None:
                return self.add(args[0])
        on = args[1:] if self.is_method else args  # method cases take `self` first
        if not on:
            raise TypeError(f"{self.name} needs at least one argument to dispatch on")
        found = self.lookup(type(on[0]), type(on[1]) if len(on) > 1 else object)
        if found is None:
            kinds = ", ".join(type(a).__name__ for a in on[:2])
            raise TypeError(f"{self.name} has no case for ({kinds}); registered: {self._listing() or 'none'}")
        return found[0](*args, **kwargs)

    def _listing(self) -> str:
        own = [
            f"({a.__name__}, {b.__name__}) -> {getattr(f, '__name__', f)}" for (a, b), f in self.cases.items()
        ]
        return ", ".join(own + [repr(b) for b in self.bases if b])

    def __repr__(self) -> str:
        return f"{self.name}: {self._listing() or 'no cases'}"


#: Dispatchers made by `typedispatch`, by the qualified name of their first case.
_DISPATCHERS: dict[str, TypeDispatch] = {}


def typedispatch(f: Callable) -> TypeDispatch:
    """Make `f` a case of the function dispatched on its first two arguments' types, by `f`'s name.

    As fastai's: the first `@typedispatch def show_batch(...)` makes the dispatcher, and a later
    `@typedispatch def show_batch(x: MyType, ...)` anywhere (a notebook, another package) adds a
    case to that same dispatcher, so `show_batch` and `show_results` reach a user's own types.
    Functions are matched by qualified name: one defined inside another function stays apart.
    `@name.register` adds a case too. Calling it with no matching case raises `TypeError`.

    Examples:
        >>> @typedispatch
        ... def describe(x: int, y: int): return "two ints"
        >>> @describe.register
        ... def _(x: int, y: str): return "int and str"
        >>> describe(1, 2), describe(1, "a")
        ('two ints', 'int and str')
        >>> describe("a", 1)
        Traceback (most recent call last):
        ...
        TypeError: describe has no case for (str, int); registered: (int, int) -> describe, (int, str) -> _
    """
    key = getattr(f, "__qualname__", f.__name__)
    found = _DISPATCHERS.get(key)
    if found is None:
        found = _DISPATCHERS[key] = TypeDispatch([f], name=f.__name__)
    else:
        found.add(f)
    return found
