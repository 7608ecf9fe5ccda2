"""`ProgressCallback`: tqdm bars for the epochs and batches, and the table of results per epoch.

Bars are drawn only where someone watches them: a terminal or a notebook. Written to a file or a CI
log, a bar is thousands of carriage returns per epoch, so there the table alone reports, one line
per epoch (as Keras's `verbose=2` does).
"""

from __future__ import annotations

import sys
from typing import Any

from ..callback import Callback

__all__ = ["ProgressCallback"]


def _fmt(v: Any) -> str:
    if v is None:
        return "None"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return f"{v:.6f}" if abs(v) < 1e4 else f"{v:.4g}"
    return str(v)


def watched(stream: Any) -> bool:
    """Whether `stream` is a terminal, or this process is a notebook kernel (tqdm.auto draws a widget)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty()) or "ipykernel" in sys.modules


def _format_time(seconds: float) -> str:
    """`mm:ss` (or `h:mm:ss`), as fastai's table prints an epoch's time."""
    t = int(seconds)
    h, m, sec = t // 3600, (t // 60) % 60, t % 60
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"


class ProgressCallback(Callback):
    """Show progress bars (tqdm) and print a row of the results table after each epoch.

    `show_bars` and `show_table` switch each off (`learn.no_bar()`, `learn.no_logging()`). Bars are
    drawn only to a terminal or in a notebook; elsewhere the table is the one line per epoch.

    Examples:
        >>> ProgressCallback().show_bars
        True
    """

    order = 60

    def __init__(self, show_bars: bool = True, show_table: bool = True) -> None:
        self.show_bars, self.show_table = show_bars, show_table
        self.bar: Any = None

    def _write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stdout)
        else:
            print(line)

    def before_fit(self) -> None:  # noqa: D102  (the class documents its events)
        self.widths = [max(len(n), 9) for n in self.recorder.metric_names]
        if self.show_table:
            self._write("  ".join(n.ljust(w) for n, w in zip(self.recorder.metric_names, self.widths)))

    def _bar(self, desc: str) -> None:
        if self.show_bars and watched(sys.stderr):
            from tqdm.auto import tqdm

            self.bar = tqdm(total=len(self.dl), desc=desc, leave=False, file=sys.stderr)

    def before_train(self) -> None:  # noqa: D102
        self._bar(f"epoch {self.epoch + 1}/{self.n_epoch} train")

    def before_validate(self) -> None:  # noqa: D102
        self._bar("valid")

    def after_batch(self) -> None:  # noqa: D102
        bar = self.bar
        if bar is not None:
            bar.update(1)
            if self.learn.training:
                bar.set_postfix(loss=f"{float(self.learn.loss):.4f}", refresh=False)

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def after_train(self) -> None:  # noqa: D102
        self._close()

    def after_validate(self) -> None:  # noqa: D102
        self._close()

    def after_epoch(self) -> None:  # noqa: D102
        if self.show_table:
            *row, seconds = self.recorder.log
            cells = [_fmt(v) for v in row] + [_format_time(seconds)]
            self._write("  ".join(c.ljust(w) for c, w in zip(cells, self.widths)))

    def after_fit(self) -> None:  # noqa: D102
        self._close()
