"""The names docstring examples may use without building them: a small real `dls` and `learn`.

Each example of `lamella.learner` gets a fresh `learn` (a linear classifier on 120 points of
two classes, trained by nothing yet, saving under a temporary folder) over one shared `dls`,
so examples can train, freeze, save and export without leaking into each other. The data are
real tensors and the learner is a real `Learner`: what an example prints is what a user sees.

Used by the root conftest.py (pytest's `doctest_namespace`) and by tools/run_doctests.py, so
the examples run the same under `tools/test` and against installed wheels.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from typing import Any

NEEDS = {
    "learner": ("learn", "dls"),
    "text": ("df", "dls_lm", "dls_clas", "learn", "learn_clas"),
    "tabular": ("df", "dls", "dl", "learn"),
    "collab": ("ratings", "dls"),
}


@cache
def _root() -> str:
    """One temporary folder for this process's learners, removed when the process ends."""
    root = tempfile.mkdtemp(prefix="lamella-doc-")
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


def _tmp() -> str:
    """A fresh folder for one learner's files, inside `_root()`."""
    return tempfile.mkdtemp(dir=_root())


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


@cache
def _text_dls() -> tuple[Any, Any]:
    from lamella.text import TextDataLoaders

    kw = dict(text_col="text", valid_col="is_valid", device="cpu", n_workers=0)
    dls_lm = TextDataLoaders.from_df(_reviews(), is_lm=True, bs=2, seq_len=4, min_freq=1, **kw)
    dls_clas = TextDataLoaders.from_df(_reviews(), label_col="label", bs=4, text_vocab=dls_lm.vocab, **kw)
    return dls_lm, dls_clas


def _text_namespace() -> dict[str, Any]:
    """Reviews, their language-model and classifier loaders, and small untrained text learners."""
    import torch

    from lamella.text import (
        AWD_LSTM,
        awd_lstm_clas_config,
        awd_lstm_lm_config,
        language_model_learner,
        text_classifier_learner,
    )

    torch.manual_seed(0)
    dls_lm, dls_clas = _text_dls()
    small = dict(emb_sz=8, n_hid=12, n_layers=2)
    path = _tmp()
    lm_cfg, clas_cfg = dict(awd_lstm_lm_config, **small), dict(awd_lstm_clas_config, **small)
    learn = language_model_learner(dls_lm, AWD_LSTM, config=lm_cfg, pretrained=False, path=path)
    learn_clas = text_classifier_learner(dls_clas, AWD_LSTM, config=clas_cfg, pretrained=False, path=path)
    for one in (learn, learn_clas):
        one.progress.show_bars = one.progress.show_table = False
    learn.save_encoder("enc")  # what `learn_clas.load_encoder("enc")` loads
    return {
        "df": _reviews(),
        "dls_lm": dls_lm,
        "dls_clas": dls_clas,
        "learn": learn,
        "learn_clas": learn_clas,
    }


def _tabular_namespace() -> dict[str, Any]:
    """Forty rows of ages and work classes with a salary class; their loaders; a small learner."""
    import numpy as np
    import pandas as pd

    from lamella.data import Normalize
    from lamella.learner import accuracy
    from lamella.tabular import Categorify, FillMissing, TabularDataLoaders, tabular_learner

    rng = np.random.default_rng(0)
    age = rng.integers(18, 70, 40).astype(float)
    df = pd.DataFrame({
        "age": age, "workclass": rng.choice(["Private", "State-gov", "Self-emp"], 40),
        "salary": np.where(age > 40, ">=50k", "<50k"),
    })  # fmt: skip
    dls = TabularDataLoaders.from_df(
        df, procs=[Categorify, FillMissing, Normalize], cat_names="workclass", cont_names="age",
        y_names="salary", valid_idx=list(range(32, 40)), bs=8, device="cpu",
    )  # fmt: skip
    learn = tabular_learner(dls, layers=[8], metrics=accuracy, path=_tmp())
    learn.progress.show_bars = learn.progress.show_table = False
    return {"df": df, "dls": dls, "dl": dls.train, "learn": learn}


def _collab_namespace() -> dict[str, Any]:
    """Sixty ratings of five films by twelve users, and their loaders."""
    import numpy as np
    import pandas as pd

    from lamella.collab import CollabDataLoaders

    rng = np.random.default_rng(0)
    ratings = pd.DataFrame({
        "user": rng.integers(1, 13, 60), "title": rng.choice([f"Film {i}" for i in range(5)], 60),
        "rating": rng.integers(1, 6, 60).astype(float),
    })  # fmt: skip
    return {"ratings": ratings, "dls": CollabDataLoaders.from_df(ratings, item_name="title", bs=8, seed=0)}


def namespace(layer: str, module: str | None = None) -> dict[str, Any]:
    """Fresh objects for the examples of `lamella.<layer>` (its `module`), empty for layers that need none.

    Examples:
        >>> sorted(namespace("typedtensor"))
        []
    """
    if layer not in NEEDS:
        return {}
    if layer == "tabular":
        return _tabular_namespace()
    if layer == "collab":
        return _collab_namespace()
    if layer == "text":  # the learners only for the module whose examples use them
        return _text_namespace() if module == "learner" else {"df": _reviews()}
    import torch
    from torch import nn

    from lamella.learner import Learner, accuracy

    torch.manual_seed(0)
    learn = Learner(_dls(), nn.Linear(2, 2), metrics=accuracy, lr=0.1, path=_tmp())
    learn.progress.show_bars = learn.progress.show_table = False
    return {"learn": learn, "dls": _dls()}
