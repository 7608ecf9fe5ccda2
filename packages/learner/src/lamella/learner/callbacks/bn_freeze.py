"""`BnFreeze`: keep the running statistics of frozen batch-norm layers fixed during training."""

from __future__ import annotations

from torch import nn

from ..callback import Callback

__all__ = ["BnFreeze"]


class BnFreeze(Callback):
    """Put batch-norm layers whose parameters are frozen in eval mode during training.

    Transfer learning with a frozen body keeps its pre-trained statistics this way.

    Examples:
        >>> BnFreeze.run_valid
        False
    """

    run_valid = False

    def before_train(self) -> None:  # noqa: D102  (the class documents its event)
        for m in self.learn.model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm) and not any(
                p.requires_grad for p in m.parameters()
            ):
                m.eval()
