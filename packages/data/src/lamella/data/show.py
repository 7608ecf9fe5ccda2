"""`show_batch` and `show_results`: dispatched on the types of a batch's input and target.

The default cases lay the decoded items out in a grid, each element showing itself on its
item's axes (an image, then its label as the title). Apps register cases for their types:
`@show_batch.register def _(x: TensorImage, y: TensorMask, samples, ...)`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from lamella.transforms import typedispatch
from lamella.typedtensor import subplots

__all__ = ["display_df", "get_grid", "show_batch", "show_results"]


def get_grid(
    n: int,
    nrows: int | None = None,
    ncols: int | None = None,
    figsize: tuple[float, float] | None = None,
    **kwargs: Any,
) -> list[Any]:
    """`n` axes in a grid (about square unless `nrows`/`ncols` say otherwise); the extra ones hidden.

    Examples:
        >>> axs = get_grid(5)  # doctest: +NEEDS_MATPLOTLIB
        >>> len(axs)  # doctest: +NEEDS_MATPLOTLIB
        5
    """
    if nrows is None and ncols is None:
        nrows = int(math.sqrt(n))
    if nrows is None:
        nrows = -(-n // ncols)  # type: ignore[operator]
    if ncols is None:
        ncols = -(-n // nrows)
    _, axs = subplots(nrows, ncols, figsize=figsize, **kwargs)
    for ax in axs[n:]:
        ax.set_axis_off()
    return list(axs[:n])


def display_df(df: Any) -> Any:
    """Show a data frame: a rich table in a notebook, plain text elsewhere; returns it (fastai's name).

    Examples:
        >>> class Frame:  # a pandas DataFrame, or anything with `to_string()`
        ...     def to_string(self): return "a  b"
        >>> _ = display_df(Frame())
        a  b
    """
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display(df)
            return df
    except ImportError:
        pass
    print(df.to_string())
    return df


def _show_sample(sample: Sequence[Any], ctx: Any, **kwargs: Any) -> Any:
    for o in sample:
        if callable(getattr(o, "show", None)):
            ctx = o.show(ctx=ctx, **kwargs)
    return ctx


@typedispatch
def show_batch(
    x: object,
    y: object,
    samples: list,
    ctxs: Any = None,
    max_n: int = 9,
    nrows: int | None = None,
    ncols: int | None = None,
    figsize: tuple[float, float] | None = None,
    **kwargs: Any,
) -> Any:
    """Show decoded items in a grid; the default case for any input and target types.

    Examples:
        >>> show_batch  # doctest: +ELLIPSIS
        show_batch: (object, object) -> show_batch...
    """
    n = min(len(samples), max_n)
    if ctxs is None:
        ctxs = get_grid(n, nrows, ncols, figsize)
    return [_show_sample(s, ctx, **kwargs) for s, ctx in zip(samples[:n], ctxs)]


@typedispatch
def show_results(
    x: object,
    y: object,
    samples: list,
    outs: list,
    ctxs: Any = None,
    max_n: int = 9,
    nrows: int | None = None,
    ncols: int | None = None,
    figsize: tuple[float, float] | None = None,
    **kwargs: Any,
) -> Any:
    """Show decoded items with their decoded predictions; the default case for any types.

    Each axes shows the input and is titled `target / prediction` when both can be written.

    Examples:
        >>> show_results  # doctest: +ELLIPSIS
        show_results: (object, object) -> show_results...
    """
    n = min(len(samples), max_n)
    if ctxs is None:
        ctxs = get_grid(n, nrows, ncols, figsize)
    for sample, out, ctx in zip(samples[:n], outs, ctxs):
        _show_sample(sample[:1], ctx, **kwargs)
        target = " ".join(str(o) for o in sample[1:])
        pred = " ".join(str(o) for o in out)
        ctx.set_title(f"{target} / {pred}" if target else pred)
    return ctxs[:n]
