"""lamella.collab: collaborative filtering built on the tabular layer.

`CollabDataLoaders` turn a frame of (user, item, rating) into batches of codes and ratings;
`EmbeddingDotBias` (factors and biases) and `EmbeddingNN` learn them; `collab_learner` builds
either. Depends on lamella-tabular.

Examples:
    >>> import pandas as pd
    >>> from lamella.collab import CollabDataLoaders, collab_learner
    >>> ratings = pd.DataFrame({"user": [1, 2, 3, 1], "movie": list("abba"), "rating": [5.0, 3, 4, 1]})
    >>> learn = collab_learner(CollabDataLoaders.from_df(ratings, seed=0, bs=2, device="cpu"), n_factors=4)
    >>> type(learn.model).__name__
    'EmbeddingDotBias'
"""

from .data import CollabDataLoaders as CollabDataLoaders
from .learner import collab_learner as collab_learner
from .model import EmbeddingDotBias as EmbeddingDotBias
from .model import EmbeddingNN as EmbeddingNN
from .pca import pca as pca

__all__ = [
    "CollabDataLoaders",
    "EmbeddingDotBias",
    "EmbeddingNN",
    "collab_learner",
    "pca",
]
