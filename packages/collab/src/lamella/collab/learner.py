"""`collab_learner`: a dot-product or neural recommender sized from the data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lamella.learner import MSELossFlat
from lamella.tabular import TabularLearner, get_emb_sz, tabular_config

from .model import EmbeddingDotBias, EmbeddingNN

__all__ = ["collab_learner"]


def collab_learner(
    dls: Any,
    n_factors: int = 50,
    use_nn: bool = False,
    emb_szs: dict[str, int] | None = None,
    layers: Sequence[int] | None = None,
    config: dict[str, Any] | None = None,
    y_range: tuple[float, float] | None = None,
    **kwargs: Any,
) -> TabularLearner:
    """A learner for ratings: `EmbeddingDotBias` with `n_factors`, or `EmbeddingNN` when `use_nn`.

    Args:
        dls: `CollabDataLoaders`.
        n_factors: the width of the user and item factors (dot product model).
        use_nn: a neural network on the embeddings instead of a dot product.
        emb_szs: embedding widths that replace the rule (neural model).
        layers: hidden widths of the neural model.
        config: more `TabularModel` options (`tabular_config`) for the neural model.
        y_range: squash predictions into this range, e.g. `(0, 5.5)` for ratings 1-5.
        **kwargs: passed to the `Learner` (`metrics`, `loss_func`, `wd`...).

    Examples:
        >>> import pandas as pd
        >>> from lamella.collab import CollabDataLoaders
        >>> ratings = pd.DataFrame({"user": [1, 2, 3, 1], "movie": list("abba"), "rating": [5.0, 3, 4, 1]})
        >>> dls = CollabDataLoaders.from_df(ratings, seed=0, bs=2, device="cpu")
        >>> collab_learner(dls, n_factors=8, y_range=(0, 5.5)).model.u_weight
        Embedding(4, 8)
    """
    if use_nn:
        config = dict(tabular_config() if config is None else config)
        config["y_range"] = y_range
        model: Any = EmbeddingNN(get_emb_sz(dls, emb_szs), layers=[] if layers is None else layers, **config)
    else:
        model = EmbeddingDotBias.from_classes(n_factors, dls.classes, y_range=y_range)
    if kwargs.get("loss_func") is None:
        kwargs["loss_func"] = MSELossFlat()
    return TabularLearner(dls, model, **kwargs)
