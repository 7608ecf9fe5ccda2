"""Splitters: functions from the items to `(train_indices, valid_indices)`.

Each `XSplitter(...)` returns the function, as fastai's do, so a DataBlock takes
`splitter=RandomSplitter(0.2, seed=42)`.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "ColSplitter",
    "EndSplitter",
    "FileSplitter",
    "FuncSplitter",
    "GrandparentSplitter",
    "IndexSplitter",
    "MaskSplitter",
    "RandomSplitter",
    "RandomSubsetSplitter",
    "TrainTestSplitter",
]

Splits = tuple[list[int], list[int]]


def _from_mask(mask: Any) -> Splits:
    mask = np.asarray(mask, dtype=bool)
    return np.flatnonzero(~mask).tolist(), np.flatnonzero(mask).tolist()


def RandomSplitter(valid_pct: float = 0.2, seed: int | None = None) -> Callable[[Sequence], Splits]:  # noqa: N802
    """Split at random, `valid_pct` of the items to validation; `seed` makes it repeatable.

    Examples:
        >>> train, valid = RandomSplitter(0.25, seed=42)(range(8))
        >>> len(train), len(valid), sorted(train + valid) == list(range(8))
        (6, 2, True)
    """
    if isinstance(valid_pct, bool) or not isinstance(valid_pct, numbers.Real) or not 0 <= valid_pct <= 1:
        raise ValueError(f"RandomSplitter: valid_pct must be a number in [0, 1], got {valid_pct!r}")

    def _split(items: Sequence) -> Splits:
        idx = np.random.default_rng(seed).permutation(len(items))
        cut = int(valid_pct * len(items))
        return idx[cut:].tolist(), idx[:cut].tolist()

    return _split


def RandomSubsetSplitter(  # noqa: N802
    train_sz: float, valid_sz: float, seed: int | None = None
) -> Callable[[Sequence], Splits]:
    """Random subsets of the items: `train_sz` of them for training, `valid_sz` for validation (fractions).

    The rest is left out (fastai's `RandomSubsetSplitter`: a quick run on part of a big dataset).

    Examples:
        >>> train, valid = RandomSubsetSplitter(0.5, 0.2, seed=0)(range(10))
        >>> len(train), len(valid), set(train) & set(valid)
        (5, 2, set())
    """
    for name, v in (("train_sz", train_sz), ("valid_sz", valid_sz)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not 0 < v < 1:
            raise ValueError(f"RandomSubsetSplitter: {name} must be a fraction in (0, 1), got {v!r}")
    if train_sz + valid_sz > 1:
        raise ValueError(
            f"RandomSubsetSplitter: train_sz + valid_sz is {train_sz + valid_sz}, more than all the items"
        )

    def _split(items: Sequence) -> Splits:
        idx = np.random.default_rng(seed).permutation(len(items))
        n_train, n_valid = int(len(items) * train_sz), int(len(items) * valid_sz)
        return idx[:n_train].tolist(), idx[n_train : n_train + n_valid].tolist()

    return _split


def TrainTestSplitter(  # noqa: N802
    test_size: float = 0.2,
    random_state: int | None = None,
    stratify: Sequence | None = None,
    shuffle: bool = True,
) -> Callable[[Sequence], Splits]:
    """Split keeping each class's share in both parts when `stratify` gives the labels (numpy only).

    Examples:
        >>> labels = ["a"] * 8 + ["b"] * 4
        >>> train, valid = TrainTestSplitter(0.25, random_state=0, stratify=labels)(range(12))
        >>> sorted(labels[i] for i in valid)
        ['a', 'a', 'b']
    """

    def _split(items: Sequence) -> Splits:
        n = len(items)
        rng = np.random.default_rng(random_state)
        if stratify is None:
            idx = rng.permutation(n) if shuffle else np.arange(n)
            cut = int(round(test_size * n))
            return sorted(idx[cut:].tolist()), sorted(idx[:cut].tolist())
        labels = np.asarray(stratify)
        if len(labels) != n:
            raise ValueError(f"TrainTestSplitter: stratify has {len(labels)} labels for {n} items")
        valid: list[int] = []
        for value in np.unique(labels):
            members = np.flatnonzero(labels == value)
            if shuffle:
                members = rng.permutation(members)
            valid += members[: int(round(test_size * len(members)))].tolist()
        chosen = set(valid)
        return [i for i in range(n) if i not in chosen], sorted(valid)

    return _split


def IndexSplitter(valid_idx: Sequence[int]) -> Callable[[Sequence], Splits]:  # noqa: N802
    """The items at `valid_idx` go to validation.

    Examples:
        >>> IndexSplitter([1, 3])(range(5))
        ([0, 2, 4], [1, 3])
    """

    def _split(items: Sequence) -> Splits:
        mask = np.zeros(len(items), dtype=bool)
        idx = list(valid_idx)
        bad = [i for i in idx if not -len(items) <= int(i) < len(items)]
        if bad:
            raise IndexError(
                f"IndexSplitter: validation indices {bad[:5]} are out of range for {len(items)} items"
            )
        mask[idx] = True
        return _from_mask(mask)

    return _split


def EndSplitter(valid_pct: float = 0.2, valid_last: bool = True) -> Callable[[Sequence], Splits]:  # noqa: N802
    """The last (or first) `valid_pct` of the items go to validation, unshuffled.

    Examples:
        >>> EndSplitter(0.4)(range(5))
        ([0, 1, 2], [3, 4])
    """

    def _split(items: Sequence) -> Splits:
        n, cut = len(items), int(round(valid_pct * len(items)))
        idx = list(range(n))
        return (idx[: n - cut], idx[n - cut :]) if valid_last else (idx[cut:], idx[:cut])

    return _split


def _grandparent_mask(items: Sequence, name: str) -> np.ndarray:
    return np.array([Path(o).parent.parent.name == name for o in items], dtype=bool)


def GrandparentSplitter(train_name: str = "train", valid_name: str = "valid") -> Callable[[Sequence], Splits]:  # noqa: N802
    """Split by the folder two levels up: `train/3/a.png` to training, `valid/7/b.png` to validation.

    Items under neither folder are in neither split.

    Examples:
        >>> GrandparentSplitter()(["train/3/a.png", "valid/7/b.png", "test/c.png"])
        ([0], [1])
    """

    def _split(items: Sequence) -> Splits:
        train, valid = _grandparent_mask(items, train_name), _grandparent_mask(items, valid_name)
        if not train.any() or not valid.any():
            raise ValueError(
                f"GrandparentSplitter found {int(train.sum())} items under '{train_name}' "
                f"and {int(valid.sum())} "
                f"under '{valid_name}'; expected paths like .../{train_name}/<label>/<file>"
            )
        return np.flatnonzero(train).tolist(), np.flatnonzero(valid).tolist()

    return _split


def FuncSplitter(func: Callable[[Any], bool]) -> Callable[[Sequence], Splits]:  # noqa: N802
    """Items for which `func(item)` is true go to validation.

    Examples:
        >>> FuncSplitter(lambda o: o % 3 == 0)(range(6))
        ([1, 2, 4, 5], [0, 3])
    """

    def _split(items: Sequence) -> Splits:
        return _from_mask([bool(func(o)) for o in items])

    return _split


def MaskSplitter(mask: Sequence[bool]) -> Callable[[Sequence], Splits]:  # noqa: N802
    """Items where `mask` is true go to validation.

    Examples:
        >>> MaskSplitter([False, True, False])(["a", "b", "c"])
        ([0, 2], [1])
    """

    def _split(items: Sequence) -> Splits:
        if len(mask) != len(items):
            raise ValueError(f"MaskSplitter: the mask has {len(mask)} values for {len(items)} items")
        return _from_mask(mask)

    return _split


def FileSplitter(fname: str | Path) -> Callable[[Sequence], Splits]:  # noqa: N802
    r"""Items whose file name is listed (one per line) in `fname` go to validation.

    Examples:
        >>> import tempfile
        >>> listing = Path(tempfile.mkdtemp()) / "valid.txt"; _ = listing.write_text("b.png\n")
        >>> FileSplitter(listing)(["x/a.png", "x/b.png"])
        ([0], [1])
    """

    def _split(items: Sequence) -> Splits:
        names = set(Path(fname).read_text().split())
        return _from_mask([Path(o).name in names for o in items])

    return _split


def ColSplitter(col: Any = "is_valid", on: Any = None) -> Callable[[Any], Splits]:  # noqa: N802
    """Split a data frame by column `col`: rows where it is true (or equals `on`) go to validation.

    Examples:
        >>> class Frame(dict):  # anything indexable by column works; pandas does
        ...     def __len__(self): return len(next(iter(self.values())))
        >>> ColSplitter()(Frame(is_valid=[True, False, False]))
        ([1, 2], [0])
    """

    def _split(df: Any) -> Splits:
        try:
            values = np.asarray(df[col])
        except KeyError:
            raise KeyError(f"ColSplitter: column {col!r} is not in the data frame") from None
        return _from_mask(values.astype(bool) if on is None else values == on)

    return _split
