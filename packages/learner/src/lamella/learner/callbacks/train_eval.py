"""`TrainEvalCallback`: switch the model between training and evaluation, and count progress."""

from __future__ import annotations

from ..callback import Callback

__all__ = ["TrainEvalCallback"]


class TrainEvalCallback(Callback):
    """Put the model in train or eval mode and keep `train_iter`, `pct_train` and `training` up to date.

    Added to every learner.

    Examples:
        >>> TrainEvalCallback.order
        -10
    """

    order = -10
    run_valid = False

    def after_create(self) -> None:  # noqa: D102  (the class documents its events)
        self.learn.train_iter, self.learn.pct_train = 0, 0.0

    def before_fit(self) -> None:  # noqa: D102
        self.learn.train_iter, self.learn.pct_train = 0, 0.0
        self.learn.epoch = 0

    def after_batch(self) -> None:  # noqa: D102
        learn = self.learn
        learn.pct_train += 1.0 / (learn.n_iter * learn.n_epoch)
        learn.train_iter += 1

    def before_train(self) -> None:  # noqa: D102
        self.learn.pct_train = self.epoch / self.n_epoch
        self.model.train()
        self.learn.training = True

    def before_validate(self) -> None:  # noqa: D102
        self.model.eval()
        self.learn.training = False
