"""The closed set of training events, in the order `Learner.fit` fires them, and the cancel exceptions.

A callback raises `CancelBatchException` (or Train, Valid, Epoch, Fit) to skip the rest of that
step; the learner then fires `after_cancel_<step>` and carries on with the next one.
"""

from __future__ import annotations

__all__ = [
    "CancelBackwardException",
    "CancelBatchException",
    "CancelEpochException",
    "CancelFitException",
    "CancelStepException",
    "CancelTrainException",
    "CancelValidException",
    "EVENTS",
]

#: Every event, in firing order within one fit (the `after_cancel_*` ones fire only on a cancel).
EVENTS = (
    "after_create",
    "before_fit", "before_epoch", "before_train", "before_batch", "after_pred", "after_loss",
    "before_backward", "after_cancel_backward", "after_backward", "before_step", "after_cancel_step",
    "after_step", "after_cancel_batch", "after_batch", "after_cancel_train", "after_train",
    "before_validate", "after_cancel_validate", "after_validate", "after_cancel_epoch", "after_epoch",
    "after_cancel_fit", "after_fit",
)  # fmt: skip


class CancelFitException(Exception):
    """Stop training now (`after_cancel_fit`, then `after_fit`, still run).

    Examples:
        >>> issubclass(CancelFitException, Exception)
        True
    """


class CancelEpochException(Exception):
    """Skip the rest of this epoch.

    Examples:
        >>> str(CancelEpochException("enough"))
        'enough'
    """


class CancelTrainException(Exception):
    """Skip the rest of this epoch's training phase.

    Examples:
        >>> CancelTrainException.__name__
        'CancelTrainException'
    """


class CancelValidException(Exception):
    """Skip the rest of this epoch's validation.

    Examples:
        >>> CancelValidException.__name__
        'CancelValidException'
    """


class CancelBatchException(Exception):
    """Skip the rest of this batch.

    Examples:
        >>> CancelBatchException.__name__
        'CancelBatchException'
    """


class CancelBackwardException(Exception):
    """Skip the backward pass of this batch.

    Examples:
        >>> CancelBackwardException.__name__
        'CancelBackwardException'
    """


class CancelStepException(Exception):
    """Skip the optimizer step of this batch (gradient accumulation does).

    Examples:
        >>> CancelStepException.__name__
        'CancelStepException'
    """
