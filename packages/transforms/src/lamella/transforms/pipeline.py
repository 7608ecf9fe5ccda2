"""`Pipeline`: transforms composed in `order`, set up in turn, decoded in reverse."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from .transform import Transform, TransformError, describe, instantiate

__all__ = ["Pipeline"]


class _Transformed(Sequence):
    """The items as the transforms so far make them, computed when read (what `setups` sees)."""

    def __init__(self, items: Any, tfms: Pipeline) -> None:
        self.items, self.tfms = items, tfms

    def __len__(self) -> int:
        return len(self.items)

    def _one(self, i: int, o: Any) -> Any:
        try:
            return self.tfms(o)
        except TransformError as e:
            raise TransformError(f"setting up on item {i} ({describe(o)}): {e}") from e.__cause__

    def __getitem__(self, i: Any) -> Any:
        return self._one(i, self.items[i])

    def __iter__(self) -> Iterator[Any]:
        return (self._one(i, o) for i, o in enumerate(self.items))

    @property
    def train(self) -> Any:
        """The training items, as the transforms so far make them (for a transform set up on them)."""
        train = getattr(self.items, "train", None)
        if train is None:
            raise AttributeError("train")
        return _Transformed(train, self.tfms)

    def __getattr__(self, name: str) -> Any:
        # State learnt by the transforms so far (a `vocab`), as a OneHotEncode after a
        # MultiCategorize reads it; the latest transform that has it wins.
        if name.startswith("__") or name in ("items", "tfms", "train"):
            raise AttributeError(name)
        try:
            return getattr(self.tfms, name)  # Pipeline's own pass-through
        except AttributeError:
            raise AttributeError(f"no transform before this one has '{name}'") from None


def _showable(x: Any) -> bool:
    if isinstance(x, tuple):
        return all(_showable(o) for o in x)
    return callable(getattr(x, "show", None))


class Pipeline:
    """Compose transforms (or plain callables) in `order`; decode and show in reverse.

    Args:
        funcs: transforms, transform classes (built without arguments) or callables (a callable
            becomes `Transform(f)`); sorted by `order`, keeping the given order among equals.
        split_idx: the split this pipeline runs for (0 train, 1 valid), passed to each transform.

    Examples:
        >>> def add1(x: int): return x + 1
        >>> def sub1(x: int): return x - 1
        >>> pipe = Pipeline([Transform(add1, sub1), lambda x: x * 10])
        >>> pipe(1)
        20
        >>> pipe
        Pipeline: add1 -> <lambda>
        >>> pipe.decode(pipe(1) // 10)
        1
    """

    def __init__(
        self, funcs: Iterable[Callable] | Callable | None = None, split_idx: int | None = None
    ) -> None:
        self.split_idx = split_idx
        if funcs is None:
            funcs = []
        elif isinstance(funcs, Pipeline):
            funcs = funcs.fs
        elif callable(funcs):  # one function, transform or transform class
            funcs = [funcs]
        tfms = [f if isinstance(f, Transform) else Transform(f) for f in map(instantiate, funcs)]
        self.fs: list[Transform] = sorted(tfms, key=lambda f: f.order)

    def __getattr__(self, name: str) -> Any:
        # fastai's pass-through: state a transform holds (`tfms.vocab`), the latest one that has it
        if name.startswith("__") or name in ("fs", "split_idx"):
            raise AttributeError(name)
        for f in reversed(self.__dict__.get("fs", [])):
            if hasattr(f, name):
                return getattr(f, name)
        raise AttributeError(f"no transform of this Pipeline has {name!r}")

    def setup(self, items: Any = None, train_setup: bool = False) -> None:
        """Set up each transform, in order, on `items` as the transforms before it make them.

        With `train_setup`, a transform sets up on `items.train` (the training split), unless its own
        `train_setup` attribute says otherwise: a tokenizer set up on every item, as fastai's.

        Examples:
            >>> class Mean(Transform):
            ...     def setups(self, items): self.m = sum(items) / len(items)
            ...     def encodes(self, x: float): return x - self.m
            >>> pipe = Pipeline([lambda x: x * 2.0, Mean()])
            >>> pipe.setup([1, 2, 3]); pipe.fs[1].m
            4.0
        """
        tfms, self.fs = self.fs, []
        self.add(tfms, items, train_setup=train_setup)

    def add(
        self, tfms: Transform | Iterable[Transform], items: Any = None, train_setup: bool = False
    ) -> None:
        """Append transforms, setting each up on `items` as the pipeline so far makes them.

        Examples:
            >>> pipe = Pipeline()
            >>> pipe.add(Transform(lambda x: x + 1)); pipe(1)
            2
        """
        if isinstance(tfms, Transform) or callable(tfms):
            tfms = [tfms]  # type: ignore[list-item]
        for t in tfms:
            t = t if isinstance(t, Transform) else Transform(t)
            seen = None if items is None else _Transformed(items, Pipeline(self.fs, split_idx=self.split_idx))
            t.setup(seen, train_setup=train_setup)
            self.fs.append(t)

    def __call__(self, x: Any) -> Any:
        """Apply every transform in order."""
        split_idx = self.split_idx
        for f in self.fs:  # Transform.__call__ inlined (this loop runs for every item) unless overridden
            if not f._plain_call:
                x = f(x, split_idx)
                continue
            own = f.split_idx
            if own is None or own == split_idx:
                x = f._apply(f.encodes, x)
        return x

    def decode(self, x: Any, full: bool = True) -> Any:
        """Run the `decodes` of each transform in reverse order.

        Args:
            x: an encoded value.
            full: False stops at the first transform (from the end) that cannot decode `x`.

        Examples:
            >>> pipe = Pipeline([Transform(lambda x: x + 1, lambda x: x - 1), Transform(lambda x: x * 2)])
            >>> pipe.decode(10), pipe.decode(10, full=False)
            (9, 10)
        """
        for f in reversed(self.fs):
            if not full and not f.can_decode(x):
                break
            x = f.decode(x, self.split_idx)
        return x

    def show(self, x: Any, ctx: Any = None, strict: bool = True, **kwargs: Any) -> Any:
        """Decode `x` as `decode(full=False)` does and show the most decoded form that can show itself.

        A label decodes to a `Category` that writes itself as a title, rather than showing its
        index; each element of a tuple shows on the same `ctx`. When nothing can show itself,
        `strict` raises a `TypeError`; otherwise `ctx` comes back untouched.

        Examples:
            >>> Pipeline().show(3)
            Traceback (most recent call last):
            ...
            TypeError: cannot show int: no transform decodes it into something with a `show` method
        """
        shown = x if _showable(x) else None
        for f in reversed(self.fs):
            if not f.can_decode(x):
                break
            x = f.decode(x, self.split_idx)
            if _showable(x):
                shown = x
        if shown is None:
            if not strict:
                return ctx
            raise TypeError(
                f"cannot show {type(x).__name__}: no transform decodes it into something with a `show` method"
            )
        x = shown
        if isinstance(x, tuple):
            for o in x:
                ctx = o.show(ctx=ctx, **kwargs)
            return ctx
        return x.show(ctx=ctx, **kwargs)

    def __getitem__(self, i: int | slice) -> Transform | Pipeline:
        return Pipeline(self.fs[i], split_idx=self.split_idx) if isinstance(i, slice) else self.fs[i]

    def __len__(self) -> int:
        return len(self.fs)

    def __repr__(self) -> str:
        return f"Pipeline: {' -> '.join(f.name for f in self.fs) or '(empty)'}"
