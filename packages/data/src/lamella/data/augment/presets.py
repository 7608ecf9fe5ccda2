"""`aug_transforms`: fastai's default augmentations, merged so the batch is resampled once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .affine import AffineCoordTfm, Dihedral, Flip, RandomResizedCropGPU, Rotate, Warp, Zoom
from .lighting import Brightness, Contrast, LightingTfm

__all__ = ["aug_transforms", "setup_aug_tfms"]


def setup_aug_tfms(tfms: Iterable[Any]) -> list[Any]:
    """Sort batch transforms by `order`; merge neighbours that compose (affine with affine, lighting too).

    Examples:
        >>> merged = setup_aug_tfms([Flip(), Rotate(), Brightness(), Zoom(max_zoom=1.2), Contrast()])
        >>> [type(t).__name__ for t in merged]
        ['AffineCoordTfm', 'LightingTfm']
    """
    out: list[Any] = []
    for t in sorted(tfms, key=lambda t: getattr(t, "order", 0)):
        prev = out[-1] if out else None
        mergeable = getattr(t, "mergeable", False) and getattr(prev, "mergeable", False)
        if mergeable and isinstance(t, AffineCoordTfm) and isinstance(prev, AffineCoordTfm):
            out[-1] = prev.compose(t)
        elif mergeable and isinstance(t, LightingTfm) and isinstance(prev, LightingTfm):
            out[-1] = prev.compose(t)
        else:
            out.append(t)
    return out


def aug_transforms(
    mult: float = 1.0,
    do_flip: bool = True,
    flip_vert: bool = False,
    max_rotate: float = 10.0,
    min_zoom: float = 1.0,
    max_zoom: float = 1.1,
    max_lighting: float = 0.2,
    max_warp: float = 0.2,
    p_affine: float = 0.75,
    p_lighting: float = 0.75,
    xtra_tfms: Iterable[Any] | None = None,
    size: int | tuple[int, int] | None = None,
    mode: str = "bilinear",
    pad_mode: str = "reflection",
    align_corners: bool = True,
    min_scale: float = 1.0,
) -> list[Any]:
    """Fastai's default batch augmentations: flip, warp, rotate, zoom, brightness and contrast.

    Returns transforms for `batch_tfms`, already merged: one affine resample and one lighting pass.

    Examples:
        >>> [type(t).__name__ for t in aug_transforms(size=64)]
        ['AffineCoordTfm', 'LightingTfm']
    """
    kw: dict[str, Any] = dict(size=size if min_scale == 1.0 else None, mode=mode, pad_mode=pad_mode,
                              align_corners=align_corners)  # fmt: skip
    max_rotate, max_lighting, max_warp = max_rotate * mult, max_lighting * mult, max_warp * mult
    res: list[Any] = []
    if do_flip:
        res.append(Dihedral(p=0.5, **kw) if flip_vert else Flip(p=0.5, **kw))
    if max_warp:
        res.append(Warp(magnitude=max_warp, p=p_affine, **kw))
    if max_rotate:
        res.append(Rotate(max_deg=max_rotate, p=p_affine, **kw))
    if min_zoom < 1 or max_zoom > 1:
        res.append(Zoom(min_zoom=min_zoom, max_zoom=max_zoom, p=p_affine, **kw))
    if max_lighting:
        res += [
            Brightness(max_lighting=max_lighting, p=p_lighting),
            Contrast(max_lighting=max_lighting, p=p_lighting),
        ]
    extra = list(xtra_tfms or [])
    if min_scale != 1.0:
        if size is None:
            raise ValueError("aug_transforms(min_scale=...) crops at random: it needs size=")
        extra = [RandomResizedCropGPU(size, min_scale=min_scale, ratio=(1, 1))] + extra
    return setup_aug_tfms(res + extra)
