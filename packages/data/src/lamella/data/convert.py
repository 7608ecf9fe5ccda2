"""Transforms that turn items into model inputs: `ToTensor`, `IntToFloatTensor`, `Normalize`.

`ToTensor` learns new item types from the apps (`@ToTensor.encodes` for PIL images in vision);
`IntToFloatTensor` and `Normalize` run on whole batches, on the batch's device, and decode.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from lamella.transforms import DisplayedTransform, Transform
from lamella.typedtensor import TensorImage, TensorMask, tensor

__all__ = ["IntToFloatTensor", "Normalize", "ToTensor", "broadcast_vec"]


class ToTensor(Transform):
    """Turn an item into a tensor: arrays directly, any object through its `to_tensor()` method.

    The `to_tensor()` protocol lets apps teach it their item types (a `PILImage` becomes a
    `TensorImage`) without registering into this layer; `@ToTensor.encodes` works too.

    Examples:
        >>> ToTensor()(np.zeros((2, 2), dtype=np.uint8)).dtype
        torch.uint8
        >>> class Item:
        ...     def to_tensor(self): return torch.ones(1)
        >>> ToTensor()(Item())
        tensor([1.])
    """

    order = 5

    def encodes(self, o: np.ndarray):  # noqa: D102  (the class documents its cases)
        return tensor(o)

    def encodes(self, o: object):  # noqa: D102, F811
        to_tensor = getattr(o, "to_tensor", None)
        return to_tensor() if callable(to_tensor) else o


class IntToFloatTensor(DisplayedTransform):
    """Images from integers to floats in [0, 1] (divided by `div`); masks to long codes.

    Examples:
        >>> tfm = IntToFloatTensor()
        >>> x = tfm(TensorImage(torch.tensor([0, 255], dtype=torch.uint8)))
        >>> x, tfm.decode(x)
        (TensorImage([0., 1.]), TensorImage([  0, 255]))
    """

    order = 10

    def __init__(self, div: float = 255.0, div_mask: int = 1) -> None:
        super().__init__()
        self.div, self.div_mask = div, div_mask

    def encodes(self, o: TensorImage):  # noqa: D102
        return o.float() / self.div

    def encodes(self, o: TensorMask):  # noqa: D102, F811  (one case per type)
        return o.long() // self.div_mask

    def decodes(self, o: TensorImage):  # noqa: D102
        return (o.clamp(0.0, 1.0) * self.div).round().long() if self.div else o


def broadcast_vec(dim: int, ndim: int, *vecs: Any, device: Any = None) -> list[torch.Tensor]:
    """Shape each vector to broadcast along dimension `dim` of an `ndim`-d batch.

    Examples:
        >>> [v.shape for v in broadcast_vec(1, 4, [0.5, 0.5, 0.5])]
        [torch.Size([1, 3, 1, 1])]
    """
    shape = [1] * ndim
    shape[dim] = -1
    return [torch.as_tensor(v, dtype=torch.float32, device=device).view(*shape) for v in vecs]


class Normalize(DisplayedTransform):
    """Normalise image batches with `mean` and `std`, on the batch's device; `decodes` undoes it.

    Without statistics, `setups` computes them from one batch of the DataLoader it is set up on.

    Args:
        mean: per-channel means, shaped to broadcast (see `from_stats`).
        std: per-channel standard deviations.
        axes: the dimensions averaged over when computing the statistics.

    Examples:
        >>> norm = Normalize.from_stats([0.5, 0.5, 0.5], [0.25, 0.25, 0.25])
        >>> x = TensorImage(torch.full((2, 3, 4, 4), 0.75))
        >>> norm(x)[0, 0, 0, 0].item(), norm.decode(norm(x))[0, 0, 0, 0].item()
        (1.0, 0.75)
    """

    order = 99

    def __init__(self, mean: Any = None, std: Any = None, axes: Sequence[int] = (0, 2, 3)) -> None:
        super().__init__()
        self.mean, self.std, self.axes = mean, std, tuple(axes)

    @classmethod
    def from_stats(
        cls, mean: Sequence[float], std: Sequence[float], dim: int = 1, ndim: int = 4
    ) -> Normalize:
        """Build from per-channel statistics (e.g. ImageNet's).

        Examples:
            >>> Normalize.from_stats([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]).mean.shape
            torch.Size([1, 3, 1, 1])
        """
        m, s = broadcast_vec(dim, ndim, mean, std)
        return cls(m, s)

    def setups(self, dl: Any):  # noqa: D102
        if (self.mean is None or self.std is None) and hasattr(dl, "one_batch"):
            x = dl.one_batch()[0].as_plain().float()
            self.mean, self.std = x.mean(self.axes, keepdim=True), x.std(self.axes, keepdim=True) + 1e-7

    def _stats(self, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
        if self.mean is None or self.std is None:
            raise ValueError(
                "Normalize has no statistics: pass mean and std, use from_stats, or set it up on a DataLoader"
            )
        if self.mean.device != device:  # move once to the batch's device, then reuse
            self.mean, self.std = self.mean.to(device), self.std.to(device)
        return self.mean, self.std

    def encodes(self, x: TensorImage):  # noqa: D102
        mean, std = self._stats(x.device)
        return (x - mean) / std

    def decodes(self, x: TensorImage):  # noqa: D102
        mean, std = self._stats(x.device)
        return x * std + mean
