"""`MixedPrecision`: train in float16 (with loss scaling) or bfloat16 under `torch.autocast`."""

from __future__ import annotations

import warnings

import torch

from ..callback import Callback
from ..events import CancelStepException

__all__ = ["MixedPrecision"]


class MixedPrecision(Callback):
    """Run the forward pass and loss under `torch.autocast`; scale float16 losses with a `GradScaler`.

    `Learner.to_fp16()` and `Learner.to_bf16()` (CPU and CUDA) add it. bfloat16 needs no loss
    scaling. float16 on a CPU is refused with one warning and training stays in float32: CPU
    kernels emulate float16, and an epoch ran 50x slower (152 s against 2.9 s), where fastai's
    CPU runs are effectively float32. Set `cpu_fp16 = True` on the callback to force it (tests do).

    Args:
        amp_mode: `"fp16"` or `"bf16"`.
        init_scale: the first loss scale of float16 training.

    Examples:
        >>> MixedPrecision("bf16").dtype
        torch.bfloat16
    """

    order = 10
    cpu_fp16 = False

    def __init__(self, amp_mode: str = "fp16", init_scale: float = 2.0**16) -> None:
        if amp_mode not in ("fp16", "bf16"):
            raise ValueError(f"amp_mode must be 'fp16' or 'bf16', got {amp_mode!r}")
        self.amp_mode, self.init_scale = amp_mode, init_scale
        self.dtype = torch.float16 if amp_mode == "fp16" else torch.bfloat16

    def _prepare(self) -> None:
        device = next(self.learn.model.parameters()).device
        self.device_type = device.type
        self.active = not (self.amp_mode == "fp16" and self.device_type == "cpu" and not self.cpu_fp16)
        self.autocast = torch.autocast(self.device_type, dtype=self.dtype)

    def before_validate(self) -> None:  # noqa: D102
        self._prepare()  # validate() and get_preds() run without a before_fit

    def before_fit(self) -> None:  # noqa: D102  (the class documents its events)
        self._prepare()
        if not self.active:
            warnings.warn(
                "to_fp16() on a CPU: float16 is emulated there and trains many times slower, so this fit "
                "stays in float32. Use learn.to_bf16() for mixed precision on a CPU.",
                UserWarning,
                stacklevel=2,
            )
        self.scaler = (
            torch.amp.GradScaler(self.device_type, init_scale=self.init_scale)
            if self.amp_mode == "fp16" and self.active
            else None
        )

    def before_batch(self) -> None:  # noqa: D102
        if self.active:
            self.autocast.__enter__()

    def after_pred(self) -> None:  # noqa: D102
        pred = self.learn.pred
        if isinstance(pred, torch.Tensor) and pred.dtype in (torch.float16, torch.bfloat16):
            self.learn.pred = pred.float()  # the loss (and metrics) in float32

    def after_loss(self) -> None:  # noqa: D102
        if self.active:
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
