"""Drawing tensors with matplotlib: `show_image`, `show_titled_image`, `show_images`, `subplots`.

matplotlib is optional (`pip install lamella-typedtensor[show]`); it is imported the first time
something is drawn, never at import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

__all__ = ["show_image", "show_images", "show_title", "show_titled_image", "subplots"]


def _plt() -> Any:
    try:
        import matplotlib
        import matplotlib.patches  # noqa: F401  (boxes use it through _plt().matplotlib)
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise ImportError("Showing tensors needs matplotlib: pip install 'lamella-typedtensor[show]'") from e
    plt.matplotlib = matplotlib
    return plt


def _axes(ctx: Any = None, figsize: tuple[float, float] | None = None) -> Any:
    if ctx is not None:
        return ctx
    _, ax = _plt().subplots(figsize=figsize)
    return ax


def _to_hwc(im: Any) -> np.ndarray:
    """An array matplotlib can draw: `H×W` or `H×W×C` with 1, 3 or 4 channels."""
    if isinstance(im, torch.Tensor):
        im = im.detach().cpu().as_subclass(torch.Tensor).numpy()
    im = np.asarray(im)
    shape = im.shape
    if im.ndim == 3 and shape[0] in (1, 3, 4) and shape[-1] not in (1, 3, 4):
        im = im.transpose(1, 2, 0)
    elif im.ndim == 3 and shape[0] in (1, 3, 4) and shape[-1] in (1, 3, 4) and shape[0] < shape[-1]:
        im = im.transpose(1, 2, 0)
    if im.ndim == 3 and im.shape[-1] == 1:
        im = im[..., 0]
    if im.ndim not in (2, 3) or (im.ndim == 3 and im.shape[-1] not in (3, 4)):
        raise ValueError(
            "show_image expects an image of shape H×W, C×H×W or H×W×C with C in (1, 3, 4); "
            f"got shape {shape}."
        )
    if im.dtype.kind == "f" and im.ndim == 3 and (im.min() < 0 or im.max() > 1):
        # A normalised image: stretch to [0, 1] so it can be seen (matplotlib clips otherwise).
        lo, hi = im.min(), im.max()
        im = (im - lo) / (hi - lo + 1e-8)
    return im


def show_image(
    im: Any,
    ax: Any = None,
    figsize: tuple[float, float] | None = None,
    title: str | None = None,
    ctx: Any = None,
    **kwargs: Any,
) -> Any:
    """Draw an image (tensor, array or PIL image; `C×H×W`, `H×W×C` or `H×W`) and return the axes.

    Floats outside [0, 1] (a normalised image) are stretched to [0, 1] for display.

    Args:
        im: the image.
        ax: axes to draw on.
        figsize: size of a new figure when no axes is given.
        title: a title for the axes.
        ctx: the same as `ax`, by the name the show methods use.
        **kwargs: passed to `imshow` (`cmap`, `alpha`...).

    Examples:
        >>> ax = show_image(torch.rand(3, 8, 8), title="noise")  # doctest: +NEEDS_MATPLOTLIB
    """
    ax = _axes(ax if ax is not None else ctx, figsize)
    ax.imshow(_to_hwc(im), **kwargs)
    if title is not None:
        ax.set_title(title)
    ax.axis("off")
    return ax


#: Keywords a title takes; the others (`cmap`, `figsize`, `alpha`...) are for the image shown with it.
_TITLE_KWARGS = ("color", "fontsize", "fontweight", "loc", "pad", "y")


def show_title(o: Any, ctx: Any = None, **kwargs: Any) -> Any:
    r"""Write `o` as the title of the axes `ctx` (a new one when None) and return it.

    Keywords meant for the image beside it (`show_at(dsets, 0, cmap="Greys", figsize=(2, 2))`)
    are left to the image, as in fastai; a title already there gets `o` on a new line.

    Examples:
        >>> ax = show_title("dog", cmap="Greys")  # doctest: +NEEDS_MATPLOTLIB
        >>> show_title("brown", ctx=ax).get_title()  # doctest: +NEEDS_MATPLOTLIB
        'dog\nbrown'
    """
    ax = _axes(ctx)
    before = ax.get_title()
    ax.set_title(
        f"{before}\n{o}" if before else str(o), **{k: v for k, v in kwargs.items() if k in _TITLE_KWARGS}
    )
    return ax


def show_titled_image(o: tuple[Any, Any], **kwargs: Any) -> Any:
    """Draw the image `o[0]` titled with `o[1]`.

    Examples:
        >>> ax = show_titled_image((torch.rand(3, 8, 8), "noise"))  # doctest: +NEEDS_MATPLOTLIB
    """
    return show_image(o[0], title=str(o[1]), **kwargs)


def subplots(
    nrows: int = 1,
    ncols: int = 1,
    figsize: tuple[float, float] | None = None,
    imsize: float = 3,
    **kwargs: Any,
) -> tuple[Any, np.ndarray]:
    """A figure and a flat array of axes; `figsize` defaults to `imsize` inches an image.

    Examples:
        >>> fig, axs = subplots(2, 3)  # doctest: +NEEDS_MATPLOTLIB
        >>> axs.shape  # doctest: +NEEDS_MATPLOTLIB
        (6,)
    """
    if figsize is None:
        figsize = (ncols * imsize, nrows * imsize)
    fig, axs = _plt().subplots(nrows, ncols, figsize=figsize, squeeze=False, **kwargs)
    return fig, axs.flatten()


def show_images(
    ims: Sequence[Any],
    nrows: int = 1,
    ncols: int | None = None,
    titles: Sequence[str] | None = None,
    **kwargs: Any,
) -> np.ndarray:
    """Draw several images in a grid, optionally titled; returns the axes.

    Examples:
        >>> axs = show_images([torch.rand(3, 8, 8)] * 4, nrows=2)  # doctest: +NEEDS_MATPLOTLIB
    """
    ncols = ncols or int(np.ceil(len(ims) / nrows))
    if titles is None:
        titles = [None] * len(ims)  # type: ignore[list-item]
    _, axs = subplots(nrows, ncols, **kwargs)
    for im, title, ax in zip(ims, titles, axs):
        show_image(im, ax=ax, title=title)
    for ax in axs[len(ims) :]:
        ax.axis("off")
    return axs
