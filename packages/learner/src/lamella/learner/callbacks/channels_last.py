"""`ChannelsLast`: train convolutional models in the channels-last memory format."""

from __future__ import annotations

import torch

from ..callback import Callback

__all__ = ["ChannelsLast"]


class ChannelsLast(Callback):
    """Convert the model and each 4-d input batch to `torch.channels_last` (faster convolutions on CUDA).

    Examples:
        >>> ChannelsLast.order
        -5
    """

    order = -5

    def before_fit(self) -> None:  # noqa: D102  (the class documents its events)
        self.learn.model.to(memory_format=torch.channels_last)

    def before_batch(self) -> None:  # noqa: D102
        xb = self.learn.xb
        self.learn.xb = tuple(
            x.contiguous(memory_format=torch.channels_last) if x.ndim == 4 else x for x in xb
        )
