"""What the audio transforms share: batches of items, per-item values, shifts, cropping and padding.

Audio augmentations take an item or a whole batch and give each item its own random parameters;
these helpers turn an item into a batch of one and back (keeping its type and metadata), shape
per-item values to broadcast, and shift, crop or pad along time.

Examples:
    >>> x = TensorAudio(torch.arange(4.0)[None], sr=4)
    >>> b, item = as_batch(x, 2)
    >>> like_input(shift_last(b, torch.tensor([1]), roll=True), x, item).tolist()
    [[3.0, 0.0, 1.0, 2.0]]
"""

from __future__ import annotations

import enum
from typing import Any

import torch
import torch.nn.functional as F

from lamella.data.augment import RandTransform
from lamella.typedtensor import retain_type

from .core import TensorAudio  # noqa: F401  (the examples use it)

__all__ = ["AudioPadType", "RandomPlace", "as_batch", "like_input", "n_items", "per_item", "shift_last"]


class AudioPadType(str, enum.Enum):
    """How `ResizeSignal` and `CropTime` pad a short signal: zeros around it, zeros after it, repeats.

    Zeros around it are placed at random while training and centred otherwise.

    Examples:
        >>> AudioPadType("zeros_after") is AudioPadType.Zeros_After
        True
    """

    Zeros = "zeros"
    Zeros_After = "zeros_after"
    Repeat = "repeat"


def n_items(b: Any, cls: type[torch.Tensor], item_ndim: int) -> int:
    """How many items of type `cls` the batch (or single item) `b` holds.

    Examples:
        >>> n_items((TensorAudio(torch.zeros(4, 1, 8)), torch.zeros(4)), TensorAudio, 2)
        4
    """
    for o in b if isinstance(b, tuple) else (b,):
        if isinstance(o, cls):
            return o.shape[0] if o.ndim > item_ndim else 1
    return 0


def as_batch(x: torch.Tensor, item_ndim: int) -> tuple[torch.Tensor, bool]:
    """`x` as a plain batch (an item gets a leading dimension) and whether it was an item.

    Examples:
        >>> b, was_item = as_batch(TensorAudio(torch.zeros(1, 8)), 2); b.shape, was_item
        (torch.Size([1, 1, 8]), True)
    """
    plain = x.as_subclass(torch.Tensor)
    return (plain[None], True) if x.ndim == item_ndim else (plain, False)


def like_input(res: torch.Tensor, x: torch.Tensor, was_item: bool) -> Any:
    """`res` (a plain batch) back as `x`'s type and metadata, an item again if `x` was one.

    Examples:
        >>> x = TensorAudio(torch.zeros(1, 8), sr=8000)
        >>> y = like_input(as_batch(x, 2)[0] + 1, x, True); type(y).__name__, y.sr, y.shape
        ('TensorAudio', 8000, torch.Size([1, 8]))
    """
    return retain_type(res[0] if was_item else res, x)


def per_item(v: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Per-item values `(bs,)` shaped to broadcast over a batch `x`, on its device.

    Examples:
        >>> per_item(torch.tensor([1.0, 2.0]), torch.zeros(2, 1, 8)).shape
        torch.Size([2, 1, 1])
    """
    return v.to(x.device, x.dtype if v.is_floating_point() else v.dtype).view(-1, *([1] * (x.ndim - 1)))


def shift_last(x: torch.Tensor, s: torch.Tensor, roll: bool) -> torch.Tensor:
    """Shift each item of `x` (bs, ..., n) by `s[i]` samples along the last axis (zeros fill, or wrap).

    Examples:
        >>> shift_last(torch.tensor([[1.0, 2.0, 3.0]]), torch.tensor([1]), roll=False).tolist()
        [[0.0, 1.0, 2.0]]
        >>> shift_last(torch.tensor([[1.0, 2.0, 3.0]]), torch.tensor([1]), roll=True).tolist()
        [[3.0, 1.0, 2.0]]
    """
    n = x.shape[-1]
    idx = torch.arange(n, device=x.device)[None] - s.to(x.device)[:, None]  # (bs, n)
    if roll:
        idx = idx % n
    valid = (idx >= 0) & (idx < n)
    idx = idx.clamp(0, n - 1).view(x.shape[0], *([1] * (x.ndim - 2)), n).expand_as(x)
    out = x.gather(-1, idx)
    return out if roll else out * valid.view(x.shape[0], *([1] * (x.ndim - 2)), n)


class RandomPlace(RandTransform):
    """Cropping or padding to a length: a random window while training, the centre otherwise.

    The base of `ResizeSignal` (signals) and `CropTime` (spectrograms); a subclass calls
    `self._fit(batch, width)` on the last axis.

    Examples:
        >>> class Fit4(RandomPlace):
        ...     def encodes(self, x: TensorAudio) -> TensorAudio:
        ...         b, item = as_batch(x, 2)
        ...         return like_input(self._fit(b, 4), x, item)
        >>> Fit4()(TensorAudio(torch.arange(8.0)[None]), split_idx=1).tolist()  # the centre
        [[2.0, 3.0, 4.0, 5.0]]
    """

    split_idx = None  # every split: batches must collate; only the placement is random in training

    def __init__(self, pad_mode: AudioPadType | str = AudioPadType.Zeros) -> None:
        super().__init__(p=1.0)
        if pad_mode not in list(AudioPadType):
            raise ValueError(f"pad_mode must be one of {[m.value for m in AudioPadType]}, got {pad_mode!r}")
        self.pad_mode = AudioPadType(pad_mode)

    def before_call(self, b: Any, split_idx: int | None) -> None:  # noqa: D102
        self._train = split_idx == 0

    def _fit(self, x: torch.Tensor, width: int) -> torch.Tensor:
        """Crop or pad the last axis of the batch `x` to `width` (by slicing: items come one at a time)."""
        bs, n = x.shape[0], x.shape[-1]
        if n == width:
            return x
        u = self.rand(bs).tolist() if self._train else [0.5] * bs
        if n > width:  # a window of `width`
            starts = [min(int(v * (n - width + 1)), n - width) for v in u]
            if bs == 1:
                return x[..., starts[0] : starts[0] + width]
            return torch.cat([x[i : i + 1, ..., s : s + width] for i, s in enumerate(starts)])
        if self.pad_mode is AudioPadType.Repeat:
            return x.repeat(*([1] * (x.ndim - 1)), -(-width // n))[..., :width]
        if self.pad_mode is AudioPadType.Zeros_After:
            return F.pad(x, (0, width - n))
        before = [min(int(v * (width - n + 1)), width - n) for v in u]
        if bs == 1:
            return F.pad(x, (before[0], width - n - before[0]))
        return torch.cat([F.pad(x[i : i + 1], (b, width - n - b)) for i, b in enumerate(before)])
