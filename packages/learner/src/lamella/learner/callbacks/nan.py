"""`TerminateOnNaNCallback`: stop at once, saying where, when the training loss stops being finite."""

from __future__ import annotations

import math

from ..callback import Callback

__all__ = ["TerminateOnNaNCallback"]


class TerminateOnNaNCallback(Callback):
    """Raise `FloatingPointError` naming the epoch and batch when the training loss is NaN or infinite.

    On by default: a diverging run stops with a clear message instead of training on garbage.
    Anything already saved (checkpoints) is untouched.

    Examples:
        >>> TerminateOnNaNCallback.run_valid
        False
    """

    order = -9
    run_valid = False

    def after_loss(self) -> None:  # noqa: D102  (the class documents its event)
        learn = self.learn
        value = float(learn.loss)
        if not math.isfinite(value):
            raise FloatingPointError(
                f"the training loss is {value} at epoch {learn.epoch}, batch {learn.iter}; training stopped. "
                "Lower the learning rate, check the inputs for NaN, or clip gradients."
            )
