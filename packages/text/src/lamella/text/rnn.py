"""The callbacks recurrent text models train with (fastai's `callback.rnn`): state resets, AR and TAR.

Examples:
    >>> [type(c).__name__ for c in rnn_cbs(alpha=2.0)]
    ['ModelResetter', 'RNNCallback', 'RNNRegularizer']
"""

from __future__ import annotations

from typing import Any

from torch import nn  # noqa: F401  (the examples use it)

from lamella.learner import Callback

__all__ = [
    "ModelResetter",
    "RNNCallback",
    "RNNRegularizer",
    "reset_model",
    "rnn_cbs",
]


class ModelResetter(Callback):
    """Reset the model's carried state before training, before validation and after fitting.

    Examples:
        >>> ModelResetter().name
        'model_resetter'
    """

    def before_train(self) -> None:  # noqa: D102
        reset_model(self.learn.model)

    def before_validate(self) -> None:  # noqa: D102
        reset_model(self.learn.model)

    def after_fit(self) -> None:  # noqa: D102
        reset_model(self.learn.model)


def reset_model(model: Any) -> None:
    """Call `model.reset()` (an RNN's state) where the model (or the one `torch.compile` wraps) has one.

    Examples:
        >>> class Carried(nn.Module):
        ...     def reset(self): self.state = None
        >>> m = Carried(); m.state = 1; reset_model(m); m.state is None
        True
        >>> reset_model(nn.Linear(2, 2))  # nothing to reset
    """
    model = getattr(model, "_orig_mod", model)
    if hasattr(model, "reset"):
        model.reset()


class RNNCallback(Callback):
    """Keep the logits of a `(logits, raw outputs, outputs)` prediction as the prediction, the rest aside.

    Examples:
        >>> RNNCallback().name
        'rnn'
    """

    def after_pred(self) -> None:  # noqa: D102
        pred = self.learn.pred
        if isinstance(pred, tuple):
            self.learn.pred, self.raw_out, self.out = pred


class RNNRegularizer(Callback):
    """AR (`alpha`: large activations) and TAR (`beta`: fast-changing ones) regularisation, in training.

    Examples:
        >>> RNNRegularizer(alpha=2.0, beta=1.0).alpha
        2.0
    """

    order = RNNCallback.order + 1
    run_valid = False

    def __init__(self, alpha: float = 0.0, beta: float = 0.0) -> None:
        self.alpha, self.beta = alpha, beta

    def after_loss(self) -> None:  # noqa: D102
        rnn = getattr(self.learn, "rnn", None)
        if not self.learn.training or rnn is None or not hasattr(rnn, "out"):
            return
        if self.alpha:
            self.learn.loss_grad = self.learn.loss_grad + self.alpha * rnn.out.float().pow(2).mean()
        if self.beta:
            h = rnn.raw_out
            if h.shape[1] > 1:
                tar = (h[:, 1:] - h[:, :-1]).float().pow(2).mean()
                self.learn.loss_grad = self.learn.loss_grad + self.beta * tar


def rnn_cbs(alpha: float = 0.0, beta: float = 0.0) -> list[Callback]:
    """The callbacks recurrent text models train with: reset, unpacking, and AR/TAR when asked.

    Examples:
        >>> [type(c).__name__ for c in rnn_cbs(2.0, 1.0)]
        ['ModelResetter', 'RNNCallback', 'RNNRegularizer']
    """
    reg: list[Callback] = [RNNRegularizer(alpha=alpha, beta=beta)] if alpha or beta else []
    return [ModelResetter(), RNNCallback(), *reg]
