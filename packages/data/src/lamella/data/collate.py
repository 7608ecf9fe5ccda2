"""`collate`: items into one batch, keeping their semantic types and metadata (`CollateError` if they differ).

Examples:
    >>> collate([1, 2, 3])
    tensor([1, 2, 3])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from torch import Tensor
from torch.utils.data import default_collate

__all__ = ["CollateError", "collate"]


class CollateError(ValueError):
    """Items of one batch that cannot be stacked together (different shapes or kinds).

    Examples:
        >>> collate([torch.zeros(2), torch.zeros(3)])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        lamella.data.collate.CollateError: item 0 of the batch has shape (2,) but item 1 has shape (3,); ...
    """


def collate(samples: Sequence[Any]) -> Any:
    """Collate items into a batch, keeping semantic types and metadata (tuples field by field).

    Tensors are stacked (a `TensorImage` batch stays a `TensorImage`), numbers become a tensor,
    strings and other objects stay a list.

    Examples:
        >>> from lamella.typedtensor import TensorCategory, TensorImage
        >>> x, y = collate([(TensorImage(torch.zeros(3, 2, 2)), TensorCategory(1))] * 4)
        >>> type(x).__name__, x.shape, y
        ('TensorImage', torch.Size([4, 3, 2, 2]), TensorCategory([1, 1, 1, 1]))
    """
    first = samples[0]
    if isinstance(first, tuple):
        if any(not isinstance(s, tuple) or len(s) != len(first) for s in samples):
            raise CollateError(f"items of a batch must all be tuples of {len(first)} elements")
        fields = [collate([s[i] for s in samples]) for i in range(len(first))]
        if hasattr(first, "_fields"):  # a named tuple
            return type(first)(*fields)
        # a tuple subclass (fastai's Siamese `ImageTuple`) stays itself, so show_batch can dispatch on it
        return tuple(fields) if type(first) is tuple else type(first)(fields)
    if isinstance(first, Tensor):
        with torch._C.DisableTorchFunctionSubclass():  # `.shape` of typed tensors, without dispatch
            shapes = [tuple(s.shape) for s in samples]
        if any(sh != shapes[0] for sh in shapes):
            j = next(j for j, sh in enumerate(shapes) if sh != shapes[0])
            raise CollateError(
                f"item 0 of the batch has shape {shapes[0]} but item {j} has shape {shapes[j]}; "
                "make every item the same size (a resize in item_tfms) "
                "or collate them yourself in before_batch"
            )
        return default_collate(list(samples))
    if isinstance(first, dict):
        return {k: collate([s[k] for s in samples]) for k in first}
    if isinstance(first, (bool, int, float, np.number, np.ndarray)):
        return default_collate(list(samples))
    return list(samples)
