"""`ShowGraphCallback`: draw the training and validation losses after every epoch."""

from __future__ import annotations

from typing import Any

from ..callback import Callback

__all__ = ["ShowGraphCallback"]


class ShowGraphCallback(Callback):
    """Plot the smoothed training loss per batch and the validation loss per epoch as training runs.

    Each epoch redraws the figure (`self.graph_ax` holds the axes; needs matplotlib).

    Examples:
        >>> ShowGraphCallback().order
        65
    """

    order = 65
    run_valid = False

    def after_epoch(self) -> None:  # noqa: D102  (the class documents its events)
        from .recorder import _plt

        ax: Any = getattr(self, "graph_ax", None)
        if ax is None:
            _, ax = _plt().subplots()
            self.graph_ax = ax
        ax.clear()
        self.learn.recorder.plot_loss(skip_start=0, ax=ax)
        ax.set_xlim(0, max(len(self.learn.dls.train) * self.learn.n_epoch, 1))  # room for the whole fit
