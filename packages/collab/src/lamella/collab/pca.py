"""`pca`: the principal components of a matrix, for looking at learnt item factors (fastai's book)."""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["pca"]


def pca(x: Tensor, k: int = 3) -> Tensor:
    """Project the rows of `x` onto its first `k` principal components (a function, not a Tensor method).

    fastai patches `Tensor.pca`; here it is `pca(movie_w, 3)`. Rows are centred first; the
    components are ordered by the variance they explain.

    Examples:
        >>> x = torch.tensor([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
        >>> [round(v, 3) for v in pca(x, 1).abs().squeeze().tolist()]
        [1.414, 0.0, 1.414]
    """
    if x.ndim != 2:
        raise ValueError(f"pca takes a matrix (rows of features), got shape {tuple(x.shape)}")
    centred = x.float() - x.float().mean(0)
    _, _, vh = torch.linalg.svd(centred, full_matrices=False)
    return centred @ vh[:k].T
