"""`Callback`: the base of every training feature; it reads the learner's state and changes it.

A callback defines methods named after events (`before_batch`, `after_loss`...). Inside them,
`self.x` reads `self.learn.x` (the batch, the loss, the model, the epoch...); to change the
learner, assign `self.learn.x = ...`. `order` sorts callbacks; `run_train` / `run_valid` say
in which phases they run. A learner finds a callback by its snake-case name (`learn.recorder`).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["Callback", "CallbackError", "snake_name"]


def snake_name(cls_name: str) -> str:
    """`SaveModelCallback` -> `save_model`: the name a learner knows a callback by.

    Examples:
        >>> snake_name("GradientAccumulation"), snake_name("TrainEvalCallback")
        ('gradient_accumulation', 'train_eval')
    """
    name = re.sub(r"Callback$", "", cls_name) or cls_name
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class CallbackError(RuntimeError):
    """A callback raised while handling an event; the message names the callback and the event.

    Examples:
        >>> issubclass(CallbackError, RuntimeError)
        True
    """


class Callback:
    """Base class of training callbacks.

    Examples:
        >>> class PrintLoss(Callback):
        ...     order = 60
        ...     def after_batch(self):
        ...         if self.training: print(round(float(self.loss), 2))
        >>> PrintLoss().name
        'print_loss'
    """

    order: int = 0
    run_train: bool = True
    run_valid: bool = True
    learn: Any = None

    @property
    def name(self) -> str:
        """The name the learner knows this callback by (`learn.<name>`).

        Examples:
            >>> Callback().name
            'callback'
        """
        return snake_name(type(self).__name__)

    def __getattr__(self, name: str) -> Any:
        # Reads of the learner's state (`self.loss`, `self.model`...); writes go to `self.learn.x`.
        if name.startswith("_") or name == "learn" or self.__dict__.get("learn") is None:
            raise AttributeError(f"{type(self).__name__} has no attribute '{name}'")
        return getattr(self.learn, name)

    def __repr__(self) -> str:
        return type(self).__name__
