"""`typed_compile`: `torch.compile` for functions that take and return typed tensors.

Why a wrapper: torch.compile cannot trace tensor subclasses that carry no `__torch_dispatch__`
(its fake-tensor pass fails with "Multiple dispatch failed for aten.mul" even for an empty
`torch.Tensor` subclass, seen with torch 2.14). lamella's rule is that types are dropped at the
model boundary anyway, so the wrapper does exactly that: it compiles the function on plain
tensors and puts the type of the first typed argument back on the outputs, by the same
retention rule as eager ops. Remove it once torch.compile traces plain subclasses.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import torch

from .base import first_typed, wrap_like
from .convert import as_plain

__all__ = ["typed_compile"]


def typed_compile(fn: Callable[..., Any], **kwargs: Any) -> Callable[..., Any]:
    """Compile `fn` with `torch.compile(fn, **kwargs)`, keeping typed inputs' types on the outputs.

    Args:
        fn: a function of tensors.
        **kwargs: passed to `torch.compile` (`backend`, `mode`, `fullgraph`...).

    Examples:
        >>> from lamella.typedtensor import TensorImage
        >>> f = typed_compile(lambda x: x.flip(-1) * 2, backend="eager")
        >>> type(f(TensorImage(torch.ones(1, 2, 2)))).__name__
        'TensorImage'
    """
    compiled = torch.compile(fn, **kwargs)

    @functools.wraps(fn)
    def run(*args: Any, **kw: Any) -> Any:
        src = first_typed(args)
        if src is None:
            src = first_typed(tuple(kw.values()))
        res = compiled(*as_plain(args), **as_plain(kw))
        return res if src is None else wrap_like(res, src, alias=True)

    return run
