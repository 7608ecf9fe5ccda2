"""The names docstring examples may use without building them: a small real `dls` and `learn`.

Each example of `lamella.learner` gets a fresh `learn` (a linear classifier on 120 points of
two classes, trained by nothing yet, saving under a temporary folder) over one shared `dls`,
so examples can train, freeze, save and export without leaking into each other. The data are
real tensors and the learner is a real `Learner`: what an example prints is what a user sees.

Used by the root conftest.py (pytest's `doctest_namespace`) and by tools/run_doctests.py, so
the examples run the same under `tools/test` and against installed wheels.
"""

from __future__ import annotations

import tempfile
from functools import cache
from typing import Any

NEEDS = {"learner": ("learn", "dls"), "text": ("df",)}


@cache
def _dls() -> Any:
    import torch

    from lamella.data import CategoryBlock, DataBlock, IndexSplitter, ItemGetter, TransformBlock

    g = torch.Generator().manual_seed(1)
    xs = torch.randn(120, 2, generator=g)
    items = [(x, "pos" if x.sum() > 0 else "neg") for x in xs]
    dblock = DataBlock(
        blocks=(TransformBlock, CategoryBlock), get_x=ItemGetter(0), get_y=ItemGetter(1),
        splitter=IndexSplitter(list(range(90, 120))),
    )  # fmt: skip
    return dblock.dataloaders(items, bs=30, device="cpu", seed=0)


def _reviews() -> Any:
    """Sixteen short reviews, labelled, the last four for validation (a fresh frame each time)."""
    import pandas as pd

    return pd.DataFrame({
        "text": ["Good film", "bad film", "good plot", "bad acting"] * 4,
        "label": ["pos", "neg"] * 8,
        "is_valid": [False] * 12 + [True] * 4,
    })  # fmt: skip


def namespace(layer: str) -> dict[str, Any]:
    """Fresh objects for the examples of `lamella.<layer>` (empty for layers that need none).

    Examples:
        >>> sorted(namespace("typedtensor"))
        []
    """
    if layer not in NEEDS:
        return {}
    if layer == "text":
        return {"df": _reviews()}
    import torch
    from torch import nn

    from lamella.learner import Learner, accuracy

    torch.manual_seed(0)
    learn = Learner(
        _dls(), nn.Linear(2, 2), metrics=accuracy, lr=0.1, path=tempfile.mkdtemp(prefix="lamella-doc-")
    )
    learn.progress.show_bars = learn.progress.show_table = False
    return {"learn": learn, "dls": _dls()}
