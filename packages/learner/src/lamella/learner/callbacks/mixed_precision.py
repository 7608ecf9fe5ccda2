"""`MixedPrecision`: train in float16 (with loss scaling) or bfloat16 under `torch.autocast`."""

from __future__ import annotations

import torch

from ..callback import Callback
from ..events import CancelStepException

__all__ = ["MixedPrecision"]


class MixedPrecision(Callback):
    """Run the forward pass and loss under `torch.autocast`; scale float16 losses with a `GradScaler`.

    `Learner.to_fp16()` (CUDA, or a CPU that supports it) and `Learner.to_bf16()` (CPU and CUDA)
    add it. bfloat16 needs no loss scaling.

    Args:
        amp_mode: `"fp16"` or `"bf16"`.
        init_scale: the first loss scale of float16 training.

    Examples:
        >>> MixedPrecision("bf16").dtype
        torch.bfloat16
    """

    order = 10

    def __init__(self, amp_mode: str = "fp16", init_scale: float = 2.0**16) -> None:
        if amp_mode not in ("fp16", "bf16"):
            raise ValueError(f"amp_mode must be 'fp16' or 'bf16', got {amp_mode!r}")
        self.amp_mode, self.init_scale = amp_mode, init_scale
        self.dtype = torch.float16 if amp_mode == "fp16" else torch.bfloat16

    def before_fit(self) -> None:  # noqa: D102  (the class documents its events)
        device = next(self.learn.model.parameters()).device
        self.device_type = device.type
        self.scaler = (
            torch.amp.GradScaler(self.device_type, init_scale=self.init_scale)
            if self.amp_mode == "fp16"
            else None
        )
        self.autocast = torch.autocast(self.device_type, dtype=self.dtype)

    def before_batch(self) -> None:  # noqa: D102
        self.autocast.__enter__()

    def after_pred(self) -> None:  # noqa: D102
        pred = self.learn.pred
        if isinstance(pred, torch.Tensor) and pred.dtype in (torch.float16, torch.bfloat16):
            self.learn.pred = pred.float()  # the loss (and metrics) in float32

    def after_loss(self) -> None:  # noqa: D102
        self.autocast.__exit__(None, None, None)

    def after_cancel_batch(self) -> None:  # noqa: D102
        if torch.is_autocast_enabled(self.device_type):
            self.autocast.__exit__(None, None, None)

    def before_backward(self) -> None:  # noqa: D102
        if self.scaler is not None:
            self.learn.loss_grad = self.scaler.scale(self.learn.loss_grad)

    def before_step(self) -> None:  # noqa: D102
        if self.scaler is None:
            return
        self.scaler.step(self.learn.opt)  # unscales, skips the step on inf/nan gradients
        self.scaler.update()
        raise CancelStepException()  # the scaler stepped already
