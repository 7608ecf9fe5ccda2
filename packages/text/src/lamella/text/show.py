"""How text batches show: a table in a notebook; in a terminal each row's short columns, its texts wrapped.

Examples:
    >>> from lamella.typedtensor import TensorText
    >>> show_batch[TensorText, object].__module__
    'lamella.text.show'
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import pandas as pd

from lamella.data import (
    ColSplitter,  # noqa: F401  (the examples use it)
    display_df,
    show_batch,
    show_results,
)
from lamella.typedtensor import TensorText

from .numericalize import LMTensorText

__all__: list[str] = []


def _truncate(text: Any, n_words: int | None) -> str:
    words = str(text).split(" ")
    return " ".join(words[:n_words]) + (" ..." if n_words is not None and len(words) > n_words else "")


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def _show_table(df: pd.DataFrame, width: int = 100) -> pd.DataFrame:
    """A notebook shows the table; a terminal gets each row's short columns, then its texts wrapped."""
    if _in_notebook():
        with pd.option_context("display.max_colwidth", None):
            return display_df(df)
    texts = [c for c in df.columns if c.startswith("text")]
    short = [c for c in df.columns if c not in texts]
    for i, row in df.iterrows():
        print(f"[{i}] " + "  ".join(f"{c}: {row[c]}" for c in short))
        for c in texts:
            print(textwrap.fill(str(row[c]), width, initial_indent=f"  {c}: ", subsequent_indent="    "))
    return df


def _text_frame(samples: list, max_n: int, trunc_at: int | None, names: Sequence[str]) -> pd.DataFrame:
    rows = [
        [_truncate(o, trunc_at) if isinstance(o, str) and j < 2 else str(o) for j, o in enumerate(s)]
        for s in samples[:max_n]
    ]
    width = max((len(r) for r in rows), default=0)
    cols = [names[j] if j < len(names) else f"col{j}" for j in range(width)]
    return pd.DataFrame(rows, columns=cols)


@show_batch.register
def _(x: TensorText, y: object, samples: list, ctxs: Any = None, max_n: int = 10,
      trunc_at: int | None = 150, **kwargs: Any) -> pd.DataFrame:  # fmt: skip
    names = ["text", "text_"] if isinstance(x, LMTensorText) else ["text", "category"]
    return _show_table(_text_frame(samples, max_n, trunc_at, names))


@show_results.register
def _(x: TensorText, y: object, samples: list, outs: list, ctxs: Any = None, max_n: int = 10,
      trunc_at: int | None = 150, **kwargs: Any) -> pd.DataFrame:  # fmt: skip
    lm = isinstance(x, LMTensorText)
    names = ["text", "text_", "text_pred"] if lm else ["text", "category", "category_"]
    rows = [(*s, *o) for s, o in zip(samples, outs)]
    return _show_table(_text_frame(rows, max_n, trunc_at, names))
