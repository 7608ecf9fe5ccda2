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
    """`SaveModelCallback` -> `save_model`: the name a learner knows a callback by (fastai's rule).

    Examples:
        >>> snake_name("GradientAccumulation"), snake_name("TrainEvalCallback"), snake_name("CSVLogger")
        ('gradient_accumulation', 'train_eval', 'csv_logger')
    """
    name = re.sub(r"Callback$", "", cls_name) or cls_name
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)  # a capitalised word starts a new part
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()  # and so does a capital after lower case


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

    def __init__(self, **events: Any) -> None:
        """Handlers given as keywords, as fastai allows: `Callback(before_fit=lambda: print("go"))`.

        Examples:
            >>> Callback(after_epoc=print)
            Traceback (most recent call last):
            ...
            TypeError: Callback got an unknown event 'after_epoc'; the events are after_create, ...
        """
        from .events import EVENTS

        for event, f in events.items():
            if event not in EVENTS:
                raise TypeError(
                    f"Callback got an unknown event {event!r}; the events are {', '.join(EVENTS)}"
                )
            setattr(self, event, f)

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
