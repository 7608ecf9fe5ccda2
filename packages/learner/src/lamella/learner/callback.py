"""`Callback`: the base of every training feature; it reads the learner's state and changes it.

A callback defines methods named after events (`before_batch`, `after_loss`...). Inside them,
`self.x` reads `self.learn.x` (the batch, the loss, the model, the epoch...); to change the
learner, assign `self.learn.x = ...`. `order` sorts callbacks; `run_train` / `run_valid` say
in which phases they run. A learner finds a callback by its snake-case name (`learn.recorder`).
"""

from __future__ import annotations

import inspect
import re
from types import MethodType
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


def _takes_self(f: Any) -> bool:
    """Whether `f` has a first positional parameter without a default (fastai's `def f(self)`)."""
    if isinstance(f, MethodType):
        return False
    try:
        params = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):  # builtins without a signature
        return False
    first = params[0] if params else None
    return (
        first is not None
        and first.kind in (first.POSITIONAL_ONLY, first.POSITIONAL_OR_KEYWORD)
        and first.default is first.empty
    )


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

        A function whose first parameter is required (`def f(self): ...`, fastai's form) is bound
        to the callback as a method, so it reads `self.learn`, `self.epoch`...; one without
        (`lambda: ...`) is called as it is.

        Examples:
            >>> def announce(self): print(f"{self.name} starts")
            >>> Callback(before_fit=announce).before_fit()
            callback starts
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
            setattr(self, event, MethodType(f, self) if _takes_self(f) else f)

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
