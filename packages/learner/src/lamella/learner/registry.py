"""`ArchRegistry`: what the learners of an application know about each architecture, in one place.

A registry maps a model function (`resnet34`, `AWD_LSTM`) to its metadata: where to cut it, how
to split its parameters into groups, the statistics and URLs of its pretrained weights. It is a
`dict`, as fastai's `model_meta`, so `model_meta[arch]` reads and assigns as there;
`register(arch, **meta)` adds one (also as a decorator), and `meta(arch)` fills in the
application's defaults for an architecture it lacks. The vision registry is
`lamella.vision.model_meta`, the text one `lamella.text.text_model_meta`.

Examples:
    >>> reg = ArchRegistry(defaults={"cut": None, "split": "default split"})
    >>> @reg.register(cut=-2)
    ... def tiny(pretrained=False): ...
    >>> reg.meta(tiny), reg.meta(len)["split"]
    ({'cut': -2, 'split': 'default split'}, 'default split')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

__all__ = ["ArchRegistry"]

A = TypeVar("A")


class ArchRegistry(dict):
    """Architecture -> metadata, with the defaults an unregistered architecture gets.

    Examples:
        >>> reg = ArchRegistry({"stats": None}); reg.register(len, stats=([0.5], [0.5]))
        <built-in function len>
        >>> reg[len], reg.meta(abs)
        ({'stats': ([0.5], [0.5])}, {'stats': None})
    """

    def __init__(
        self, defaults: Mapping[str, Any] | None = None, entries: Mapping[Any, dict] | None = None
    ) -> None:
        super().__init__(entries or {})
        self.defaults = dict(defaults or {})

    def register(self, arch: A | None = None, **meta: Any) -> Any:
        """Record `meta` for `arch` (merged into what is there); without `arch`, a decorator.

        Examples:
            >>> reg = ArchRegistry({"cut": None})
            >>> reg.register(len, cut=3) is len, reg.meta(len)
            (True, {'cut': 3})
        """
        if self.defaults:
            unknown = sorted(set(meta) - set(self.defaults))
            if unknown:
                raise TypeError(
                    f"register: unknown metadata {unknown}; this registry takes {sorted(self.defaults)}"
                )

        def add(a: A) -> A:
            self[a] = {**self.get(a, {}), **meta}
            return a

        return add(arch) if arch is not None else add

    def meta(self, arch: Any) -> dict[str, Any]:
        """The metadata of `arch`, the defaults filling what it does not say.

        Examples:
            >>> ArchRegistry({"cut": None, "split": 1}, {len: {"cut": 2}}).meta(len)
            {'cut': 2, 'split': 1}
        """
        return {**self.defaults, **self.get(arch, {})}

    def __repr__(self) -> str:
        names = ", ".join(getattr(a, "__name__", repr(a)) for a in self)
        return f"ArchRegistry({names})"
