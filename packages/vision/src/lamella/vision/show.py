"""How vision batches and results show: masks beside their predictions, points and boxes on the image.

Cases of lamella.data's `show_batch` and `show_results`, registered for the vision target types
when `lamella.vision` is imported. Classification needs no case of its own: the default titles
each image `target / prediction`.
"""

from __future__ import annotations

from typing import Any

from lamella.data import get_grid, show_batch, show_results
from lamella.typedtensor import TensorBBox, TensorImage, TensorMask, TensorPoint

__all__ = ["show_boxes"]

TARGET, PREDICTION = "white", "red"


def show_boxes(boxes: TensorBBox, labels: Any = None, ctx: Any = None, color: str = TARGET) -> Any:
    """Draw boxes on `ctx` with their labels, leaving out padding (empty boxes and `#na#` labels).

    Examples:
        >>> import torch
        >>> boxes = TensorBBox(torch.tensor([[1.0, 1, 5, 5], [0, 0, 0, 0]]))
        >>> ax = show_boxes(boxes, ["cell", "#na#"])  # doctest: +NEEDS_MATPLOTLIB
    """
    plain = boxes.as_plain().detach().cpu().reshape(-1, 4)
    labels = list(labels) if labels is not None else [None] * len(plain)
    keep = [
        i
        for i, (b, lbl) in enumerate(zip(plain.tolist(), labels))
        if b[2] > b[0] and b[3] > b[1] and lbl != "#na#"
    ]
    kept = TensorBBox(plain[keep])
    ctx = kept.show(ctx=ctx, color=color)
    for i in keep:
        if labels[i] is not None:
            x0, y0 = plain[i, 0].item(), plain[i, 1].item()
            ctx.text(x0, y0, str(labels[i]), color="black", fontsize=8, va="bottom",
                     bbox={"facecolor": color, "alpha": 0.7, "pad": 1, "lw": 0})  # fmt: skip
    return ctx


def _grid(n: int, ctxs: Any, nrows: Any, ncols: Any, figsize: Any, **kwargs: Any) -> list:
    return ctxs if ctxs is not None else get_grid(n, nrows, ncols, figsize, **kwargs)


@show_batch.register
def _(x: TensorImage, y: TensorBBox, samples: list, ctxs: Any = None, max_n: int = 9, nrows: Any = None,
      ncols: Any = None, figsize: Any = None, **kwargs: Any) -> Any:  # fmt: skip
    n = min(len(samples), max_n)
    ctxs = _grid(n, ctxs, nrows, ncols, figsize)
    for s, ctx in zip(samples[:n], ctxs):
        s[0].show(ctx=ctx)
        show_boxes(s[1], s[2] if len(s) > 2 else None, ctx=ctx)
    return ctxs[:n]


@show_results.register
def _(x: TensorImage, y: TensorMask, samples: list, outs: list, ctxs: Any = None, max_n: int = 6,
      nrows: Any = None, ncols: Any = None, figsize: Any = None, **kwargs: Any) -> Any:  # fmt: skip
    # two columns, as fastai: the target mask, then the predicted one, on the same image
    n = min(len(samples), max_n)
    ctxs = _grid(2 * n, ctxs, nrows or n, 2, figsize)
    for i, (s, o) in enumerate(zip(samples[:n], outs)):
        for ctx, mask, title in ((ctxs[2 * i], s[1], "target"), (ctxs[2 * i + 1], o[0], "prediction")):
            s[0].show(ctx=ctx)
            mask.show(ctx=ctx)
            ctx.set_title(title)
    return ctxs[: 2 * n]


@show_results.register
def _(x: TensorImage, y: TensorPoint | TensorBBox, samples: list, outs: list, ctxs: Any = None,
      max_n: int = 9, nrows: Any = None, ncols: Any = None, figsize: Any = None,
      **kwargs: Any) -> Any:  # fmt: skip
    # points or boxes: target and prediction on the same image, told apart by colour
    n = min(len(samples), max_n)
    ctxs = _grid(n, ctxs, nrows, ncols, figsize)
    for s, o, ctx in zip(samples[:n], outs, ctxs):
        s[0].show(ctx=ctx)
        for target, color in ((s[1], TARGET), (o[0], PREDICTION)):
            if isinstance(target, TensorBBox):
                show_boxes(target, ctx=ctx, color=color)
            else:
                target.show(ctx=ctx, c=color, s=30, edgecolors="black")
    if n:
        ctxs[0].figure.suptitle(f"target: {TARGET}, prediction: {PREDICTION}", fontsize=9)
    return ctxs[:n]
