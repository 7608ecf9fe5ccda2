"""Getters the end-to-end tests hand to factories, in a module a fresh process can import.

A learner pickles the functions it was built with by reference (as fastai's does), so the ones
a user writes must live in an importable module for `load_learner` to find them; these do.
"""

from pathlib import Path
from typing import Any


class CamvidLabel:
    """The CamVid mask of an image: `labels/<stem>_P<suffix>` beside `images/`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def __call__(self, fn: Path) -> Path:
        fn = Path(fn)
        return self.path / "labels" / f"{fn.stem}_P{fn.suffix}"


def is_even(name: str) -> bool:
    """The book's first cell takes a file name (`def is_cat(x): return x[0].isupper()`): so does this."""
    return int(name.split(".")[0]) % 2 == 0


def one_box(row: Any) -> list[list[float]]:
    """The one box of a bccd row, as `[[x1, y1, x2, y2]]`."""
    return [[row["xmin"], row["ymin"], row["xmax"], row["ymax"]]]


def fsdd_is_test(fn: Path) -> bool:
    """FSDD's official split: recordings 0-4 of each digit and speaker are the test set."""
    return int(Path(fn).stem.split("_")[-1]) < 5
