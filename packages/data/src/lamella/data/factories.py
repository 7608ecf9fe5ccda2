"""What every application's `DataLoaders` factories share: choosing the split, and reading a CSV file.

`ImageDataLoaders`, `TextDataLoaders`, `TabularDataLoaders` and `CollabDataLoaders` take the same
split arguments (`valid_col`, `valid_idx`, `valid_pct`, `seed`) and read CSV files the same way;
each factory then does only what is its own (the blocks, the columns).

Examples:
    >>> type(pick_splitter(valid_pct=0.25, seed=0)(range(8))).__name__
    'tuple'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from .splitters import ColSplitter, IndexSplitter, RandomSplitter, Splits

__all__ = ["pick_splitter", "read_csv"]


def pick_splitter(
    valid_col: Any = None,
    valid_idx: Sequence[int] | None = None,
    valid_pct: float | None = 0.2,
    seed: int | None = None,
    columns: Iterable[Any] | None = None,
    caller: str = "from_df",
) -> Callable[[Any], Splits]:
    """The splitter the factories' arguments ask for: a column, given rows, or a random share.

    `valid_col` (a column of booleans) wins, then `valid_idx` (the validation rows), else
    `valid_pct` of the rows at random, drawn with `seed` (`None` means fastai's 0.2). With
    `columns`, a `valid_col` that is not one of them is refused by name.

    Examples:
        >>> pick_splitter(valid_idx=[1, 3])(range(5))
        ([0, 2, 4], [1, 3])
        >>> pick_splitter(valid_col="is_valid", columns=["x", "label"], caller="from_df")
        Traceback (most recent call last):
        ...
        KeyError: "from_df: no column 'is_valid' (valid_col) in the data frame; it has ['x', 'label']"
    """
    if valid_col is not None and valid_idx is not None:
        raise ValueError(f"{caller}: give valid_col or valid_idx, not both")
    if valid_col is not None:
        if columns is not None and valid_col not in list(columns):
            raise KeyError(
                f"{caller}: no column {valid_col!r} (valid_col) in the data frame; it has {list(columns)}"
            )
        return ColSplitter(valid_col)
    if valid_idx is not None:
        return IndexSplitter(valid_idx)
    return RandomSplitter(0.2 if valid_pct is None else valid_pct, seed)


def read_csv(
    file: str | Path, caller: str, header: Any = "infer", delimiter: str | None = None, **kwargs: Any
) -> Any:
    """The pandas `DataFrame` of the CSV `file`; a missing file is named with the factory that wanted it.

    Examples:
        >>> read_csv("absent.csv", "TextDataLoaders.from_csv")
        Traceback (most recent call last):
        ...
        FileNotFoundError: TextDataLoaders.from_csv: no CSV file at absent.csv
    """
    file = Path(file)
    if not file.is_file():
        raise FileNotFoundError(f"{caller}: no CSV file at {file}")
    try:
        import pandas as pd
    except ImportError as e:
        raise ImportError(f"{caller} reads the table with pandas: pip install pandas") from e
    options = {"delimiter": delimiter} if delimiter is not None else {}
    return pd.read_csv(file, header=header, **options, **kwargs)
