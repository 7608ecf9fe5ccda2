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

        plt = _plt()
        ax: Any = getattr(self, "graph_ax", None)
        if ax is None:
            _, ax = plt.subplots()
            self.graph_ax = ax
        ax.clear()
        rec = self.learn.recorder
        ax.plot(range(len(rec.losses)), rec.losses, label="train")
        if rec.values:
            col = rec.metric_names.index("valid_loss") - 1
            ax.plot(rec.iters, [row[col] for row in rec.values], label="valid")
        n_total = len(self.learn.dls.train) * self.learn.n_epoch
        ax.set_xlim(0, max(n_total, 1))
        ax.set_xlabel("batch")
        ax.legend()
