"""`ShortEpochCallback`: run only a fraction of each epoch, to check a training loop quickly."""

from __future__ import annotations

from ..callback import Callback
from ..events import CancelEpochException, CancelTrainException

__all__ = ["ShortEpochCallback"]


class ShortEpochCallback(Callback):
    """Stop each epoch after `pct` of its training batches (at least one), as fastai's.

    Args:
        pct: the fraction of the training batches to run.
        short_valid: skip validation too (the epoch ends with the shortened training).

    Examples:
        >>> ShortEpochCallback(pct=0.1).pct
        0.1
    """

    order = 70  # after the recorder has logged the batch

    def __init__(self, pct: float = 0.01, short_valid: bool = True) -> None:
        self.pct, self.short_valid = pct, short_valid

    def after_batch(self) -> None:  # noqa: D102  (the class documents its events)
        if self.learn.training and self.learn.iter + 1 >= max(1, int(self.pct * self.learn.n_iter)):
            raise CancelEpochException() if self.short_valid else CancelTrainException()
