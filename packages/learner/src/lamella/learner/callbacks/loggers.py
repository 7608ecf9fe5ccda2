"""Loggers: `CSVLogger` writes the results table to a file; `TensorBoardCallback` to TensorBoard."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from ..callback import Callback

__all__ = ["CSVLogger", "TensorBoardCallback"]


class CSVLogger(Callback):
    """Append each epoch's row of the results table to `path/fname` (a header first).

    Examples:
        >>> CSVLogger("history.csv").fname
        'history.csv'
    """

    order = 65

    def __init__(self, fname: str = "history.csv", append: bool = False) -> None:
        self.fname, self.append = fname, append

    def before_fit(self) -> None:  # noqa: D102  (the class documents its events)
        self.file = Path(self.learn.path) / self.fname
        self.file.parent.mkdir(parents=True, exist_ok=True)
        new = not (self.append and self.file.exists())
        self._handle = open(self.file, "w" if new else "a", newline="")
        self._writer = csv.writer(self._handle)
        if new:
            self._writer.writerow(self.learn.recorder.metric_names)

    def after_epoch(self) -> None:  # noqa: D102
        self._writer.writerow(self.learn.recorder.log)
        self._handle.flush()

    def after_fit(self) -> None:  # noqa: D102
        self._handle.close()

    def read_log(self) -> Any:
        """The rows written so far, as a pandas `DataFrame` (as fastai's; needs pandas).

        Examples:
            >>> learn.add_cb(CSVLogger()).fit(2)
            >>> list(learn.csv_logger.read_log().columns)
            ['epoch', 'train_loss', 'valid_loss', 'accuracy', 'time']
        """
        try:
            import pandas as pd
        except ImportError as e:
            raise ImportError("CSVLogger.read_log returns a DataFrame: pip install pandas") from e
        return pd.read_csv(self.file)


class TensorBoardCallback(Callback):
    """Write the training loss per batch and the epoch's values to TensorBoard (needs `tensorboard`).

    Examples:
        >>> TensorBoardCallback(log_dir="runs/x").log_dir
        'runs/x'
    """

    order = 65

    def __init__(self, log_dir: str | None = None) -> None:
        self.log_dir = log_dir

    def before_fit(self) -> None:  # noqa: D102
        try:
            from torch.utils.tensorboard import SummaryWriter
        except ImportError as e:
            raise ImportError(
                "TensorBoardCallback needs the tensorboard package: pip install tensorboard"
            ) from e
        self.writer: Any = SummaryWriter(log_dir=self.log_dir)

    def after_batch(self) -> None:  # noqa: D102
        if self.learn.training:
            self.writer.add_scalar("train_loss", float(self.learn.loss), self.learn.train_iter)

    def after_epoch(self) -> None:  # noqa: D102
        rec = self.learn.recorder
        for name, value in zip(rec.metric_names, rec.log):
            if name not in ("epoch", "time") and value is not None:
                self.writer.add_scalar(name, value, self.learn.epoch)

    def after_fit(self) -> None:  # noqa: D102
        self.writer.close()
