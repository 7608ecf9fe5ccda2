"""`GradientAccumulation`: step the optimizer once every `n_acc` items, as with a larger batch."""

from __future__ import annotations

from ..callback import Callback
from ..events import CancelBatchException

__all__ = ["GradientAccumulation"]


def _bs(learn: object) -> int:
    yb = getattr(learn, "yb", ())
    return int(yb[0].shape[0]) if yb and getattr(yb[0], "ndim", 0) else 1


class GradientAccumulation(Callback):
    """Accumulate gradients over `n_acc` items before each optimizer step (losses scaled to match).

    With batches of 16 and `n_acc=64`, the optimizer steps every 4 batches on the mean gradient
    of those 64 items, as one batch of 64 would.

    Examples:
        >>> GradientAccumulation(n_acc=64).n_acc
        64
    """

    order = -5
    run_valid = False

    def __init__(self, n_acc: int = 32) -> None:
        self.n_acc = n_acc

    def before_fit(self) -> None:  # noqa: D102  (the class documents its events)
        self.count = 0

    def after_loss(self) -> None:  # noqa: D102
        self.learn.loss_grad = self.learn.loss_grad * (_bs(self.learn) / self.n_acc)

    def before_step(self) -> None:  # noqa: D102
        self.count += _bs(self.learn)
        if self.count < self.n_acc:
            raise CancelBatchException()  # skips the step and the zero_grad: gradients add up
        self.count = 0
