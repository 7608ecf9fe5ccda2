"""`set_seed`: one call seeds Python's, numpy's and torch's random number generators."""

from __future__ import annotations

import random

import numpy as np
import torch

__all__ = ["set_seed"]


def set_seed(s: int, reproducible: bool = False) -> None:
    """Seed `random`, numpy and torch (every CUDA device too); `reproducible` also makes cuDNN deterministic.

    Examples:
        >>> set_seed(42); a = torch.rand(1)
        >>> set_seed(42); bool(torch.rand(1) == a)
        True
    """
    random.seed(s)
    np.random.seed(s % 2**32)
    torch.manual_seed(s)  # seeds every CUDA device as well
    if reproducible:
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False
