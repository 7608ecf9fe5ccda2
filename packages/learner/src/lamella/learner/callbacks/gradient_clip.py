"""`GradientClip`: clip the norm of the gradients before each optimizer step."""

from __future__ import annotations

import torch

from ..callback import Callback

__all__ = ["GradientClip"]


class GradientClip(Callback):
    """Clip the gradients' total `norm_type` norm to `max_norm` (`torch.nn.utils.clip_grad_norm_`).

    Examples:
        >>> GradientClip(max_norm=0.5).max_norm
        0.5
    """

    order = 20
    run_valid = False

    def __init__(self, max_norm: float = 1.0, norm_type: float = 2.0) -> None:
        self.max_norm, self.norm_type = max_norm, norm_type

    def before_step(self) -> None:  # noqa: D102  (the class documents its event)
        torch.nn.utils.clip_grad_norm_(self.learn.model.parameters(), self.max_norm, self.norm_type)
