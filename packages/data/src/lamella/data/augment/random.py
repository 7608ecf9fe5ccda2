"""`RandTransform`: a batch transform that draws its random parameters once per batch.

Each item of a batch gets its own draw (its own angle, its own flip, its own probability
test). Draws come from a CPU `torch.Generator`, so a seed gives the same parameters whether
the batch lives on the CPU or on CUDA; without a seed they come from torch's global RNG.
"""

from __future__ import annotations

from typing import Any

import torch

from lamella.transforms import DisplayedTransform
from lamella.typedtensor import TensorImage, TensorImageBase  # noqa: F401  (TensorImage: the examples)

__all__ = ["RandTransform", "batch_info"]


def batch_info(b: Any) -> tuple[int, torch.device, tuple[int, int] | None]:
    """Batch size, device and image size (h, w) of a batch, read from its first image-like tensor.

    Examples:
        >>> batch_info((TensorImage(torch.zeros(4, 3, 8, 6)), torch.zeros(4)))
        (4, device(type='cpu'), (8, 6))
    """
    items = b if isinstance(b, tuple) else (b,)
    for o in items:
        if isinstance(o, TensorImageBase):  # an image or a mask
            return o.shape[0], o.device, (o.shape[-2], o.shape[-1])
    for o in items:
        if isinstance(o, torch.Tensor) and o.ndim:
            return o.shape[0], o.device, getattr(o, "img_size", None)
    raise TypeError("a batch transform needs a batch holding at least one tensor")


class RandTransform(DisplayedTransform):
    """A batch transform with per-item random parameters drawn in `before_call`, once per batch.

    Runs on training batches only (`split_idx=0`) unless told otherwise.

    Args:
        p: the probability that each item is transformed.
        seed: seed of this transform's own generator (None: torch's global RNG).

    Examples:
        >>> class Invert(RandTransform):
        ...     def before_call(self, b, split_idx):
        ...         self.do = self.draw_mask(batch_info(b)[0])
        ...     def encodes(self, x: TensorImage):
        ...         keep = self.do.to(x.device).view(-1, 1, 1, 1)
        ...         return torch.where(keep, 1 - x, x)
        >>> x = TensorImage(torch.zeros(4, 1, 2, 2))
        >>> Invert(p=1.0)(x, split_idx=0)[:, 0, 0, 0].tolist()
        [1.0, 1.0, 1.0, 1.0]
    """

    split_idx: int | None = 0
    order = 30

    def __init__(self, p: float = 1.0, seed: int | None = None) -> None:
        super().__init__()
        self.p, self.seed = p, seed
        self.generator = None if seed is None else torch.Generator().manual_seed(seed)

    def before_call(self, b: Any, split_idx: int | None) -> None:
        """Draw this batch's parameters (subclasses override it).

        Examples:
            >>> RandTransform().before_call(torch.zeros(2), 0)
        """

    def __call__(self, b: Any, split_idx: int | None = None) -> Any:
        """Draw the batch's parameters, then apply the transform to each element of the batch."""
        if self.split_idx is not None and split_idx != self.split_idx:
            return b
        self.before_call(b, split_idx)
        return super().__call__(b, split_idx)

    def rand(self, *shape: int) -> torch.Tensor:
        """Uniform [0, 1) numbers on the CPU from this transform's generator.

        Examples:
            >>> RandTransform(seed=0).rand(3).shape
            torch.Size([3])
        """
        return torch.rand(*shape, generator=self.generator)

    def uniform(self, lo: float, hi: float, n: int) -> torch.Tensor:
        """`n` uniform numbers in [lo, hi).

        Examples:
            >>> bool(((RandTransform(seed=0).uniform(2.0, 3.0, 5) - 2.5).abs() <= 0.5).all())
            True
        """
        return lo + (hi - lo) * self.rand(n)

    def draw_mask(self, n: int, p: float | None = None) -> torch.Tensor:
        """Which of `n` items to transform, each with probability `p` (default `self.p`).

        Examples:
            >>> RandTransform(p=1.0).draw_mask(3).tolist()
            [True, True, True]
        """
        return self.rand(n) < (self.p if p is None else p)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        gen = state.pop("generator", None)
        state["_generator_state"] = None if gen is None else gen.get_state()
        return state

    def __setstate__(self, state: dict) -> None:
        gen_state = state.pop("_generator_state", None)
        self.__dict__.update(state)
        self.generator = None
        if gen_state is not None:
            self.generator = torch.Generator()
            self.generator.set_state(gen_state)
