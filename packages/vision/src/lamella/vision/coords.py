"""Point and box targets: scaled to [-1, 1] for the model, padded to a common count per batch.

Points and boxes stay in pixels through item transforms and batch augmentation (so every
kernel moves them with the image's own geometry); `PointScaler`, last in the batch pipeline,
turns them into the [-1, 1] range a regression head predicts, and decodes predictions back to
pixels of the batch's images. `bb_pad` pads the boxes and labels of a batch's items to the
largest count, as fastai's does, so they can be stacked.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from lamella.transforms import Transform
from lamella.typedtensor import TensorBBox, TensorImage, TensorImageBase, TensorPoint, as_plain  # noqa: F401  (examples)

__all__ = ["PointScaler", "bb_pad"]


def _image_size(b: Any) -> tuple[int, int] | None:
    for o in b if isinstance(b, tuple) else (b,):
        if isinstance(o, TensorImageBase):  # an image or a mask
            return tuple(o.shape[-2:])  # type: ignore[return-value]
    return None


class PointScaler(Transform):
    """Scale pixel points and boxes of a batch to [-1, 1] of its images' width and height; decode back.

    Examples:
        >>> img = TensorImage(torch.zeros(1, 3, 10, 20))
        >>> pts = TensorPoint(torch.tensor([[[0.0, 5.0], [20.0, 10.0]]]))
        >>> scaled = PointScaler()((img, pts))[1]
        >>> scaled.tolist()
        [[[-1.0, 0.0], [1.0, 1.0]]]
        >>> PointScaler().decode((img, scaled))[1].tolist()
        [[[0.0, 5.0], [20.0, 10.0]]]
    """

    order = 100  # after every augmentation, which works in pixels

    def __init__(self) -> None:
        super().__init__()
        self.size: tuple[int, int] | None = None

    def __call__(self, b: Any, split_idx: int | None = None) -> Any:
        """Note the batch's image size, then scale its points and boxes."""
        self.size = _image_size(b) or self.size
        return super().__call__(b, split_idx)

    def decode(self, b: Any, split_idx: int | None = None) -> Any:
        """Note the batch's image size, then bring its points and boxes back to pixels."""
        self.size = _image_size(b) or self.size
        return super().decode(b, split_idx)

    def _wh(self, x: Tensor) -> Tensor:
        size = self.size or getattr(x, "img_size", None)
        if size is None:
            raise ValueError("PointScaler needs the image size: put the image first in the batch")
        return torch.tensor([size[1], size[0]], dtype=torch.float32, device=x.device)

    def _scale(self, x: Tensor, cls: type, inverse: bool) -> Tensor:
        wh = self._wh(x)
        n = len(x)
        xy = as_plain(x).float().reshape(n, -1, 2)
        out = cls(
            ((xy + 1) / 2 * wh if inverse else xy * 2 / wh - 1).reshape(n, -1, 4 if cls is TensorBBox else 2)
        )
        out.img_size = self.size
        return out

    def encodes(self, x: TensorPoint):  # noqa: D102  (the class documents its cases)
        return self._scale(x, TensorPoint, inverse=False)

    def encodes(self, x: TensorBBox):  # noqa: D102, F811
        return self._scale(x, TensorBBox, inverse=False)

    def decodes(self, x: TensorPoint):  # noqa: D102
        return self._scale(x, TensorPoint, inverse=True)

    def decodes(self, x: TensorBBox):  # noqa: D102, F811
        return self._scale(x, TensorBBox, inverse=True)


def bb_pad(samples: list[tuple], pad_idx: int = 0) -> list[tuple]:
    """Pad the boxes `(n, 4)` and labels `(n,)` of each item to the batch's largest `n` (label `pad_idx`).

    Boxes with no area (emptied by a crop) are dropped before padding. Items may have boxes and
    no labels (`(image, boxes)`: box regression).

    Examples:
        >>> img = TensorImage(torch.zeros(3, 2, 2))
        >>> a = (img, TensorBBox(torch.tensor([[0.0, 0, 1, 1]])), torch.tensor([1]))
        >>> b = (img, TensorBBox(torch.tensor([[0.0, 0, 1, 1], [0, 0, 2, 2]])), torch.tensor([2, 1]))
        >>> [s[2].tolist() for s in bb_pad([a, b])]
        [[1, 0], [2, 1]]
    """
    if not samples or len(samples[0]) < 2:
        return samples  # test items without targets: nothing to pad
    kept = []
    for s in samples:
        boxes = s[1]
        plain = boxes.as_plain() if hasattr(boxes, "as_plain") else boxes
        keep = (
            ((plain[:, 2:] - plain[:, :2]) > 0).all(dim=1) if len(plain) else torch.zeros(0, dtype=torch.bool)
        )
        kept.append((s[0], boxes[keep], *((s[2][keep],) if len(s) > 2 else ()), *s[3:]))
    n = max(1, max(len(s[1]) for s in kept))
    return [_pad_item(s, n, pad_idx) for s in kept]


def _pad_item(s: tuple, n: int, pad_idx: int) -> tuple:
    boxes = s[1]
    pad = n - len(boxes)
    new_boxes = type(boxes)(torch.cat([boxes.as_plain().float(), boxes.new_zeros(pad, 4).as_plain().float()]))
    new_boxes.img_size = getattr(boxes, "img_size", None)
    if len(s) < 3:
        return (s[0], new_boxes)
    labels = s[2]
    pads = torch.full((pad,), pad_idx, dtype=torch.int64)
    new_labels = type(labels)(torch.cat([torch.as_tensor(labels).as_subclass(Tensor), pads]))
    return (s[0], new_boxes, new_labels, *s[3:])
