"""Getters and labellers: find the items (`get_files`) and read inputs and labels from each one.

Each labeller says which item it failed on and what it expected.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from lamella.transforms import ItemTransform
from lamella.typedtensor import is_listy

__all__ = [
    "AttrGetter",
    "ColReader",
    "FileGetter",
    "FileList",
    "FuncGetter",
    "ItemGetter",
    "RegexLabeller",
    "get_files",
    "parent_label",
]


class FileList(list):
    """The list `get_files` returns: also indexed by an array of positions or a boolean mask, as fastai's `L`.

    fastai code such as `files[idxs[:cut]]` (a permutation from numpy or torch) works unchanged;
    a single position or a slice behaves as a list's.

    Examples:
        >>> import numpy as np
        >>> files = FileList(["a.png", "b.png", "c.png"])
        >>> files[np.array([2, 0])], files[[True, False, True]], files[1:]
        (['c.png', 'a.png'], ['a.png', 'c.png'], ['b.png', 'c.png'])
    """

    def __getitem__(self, i: Any) -> Any:  # noqa: D105
        if isinstance(i, slice):
            return FileList(super().__getitem__(i))
        if hasattr(i, "__index__") and not getattr(i, "ndim", 0):  # int, numpy or torch scalar
            return super().__getitem__(i.__index__())
        picks = list(i.tolist() if hasattr(i, "tolist") else i)
        if picks and all(isinstance(b, bool) for b in picks):
            if len(picks) != len(self):
                raise IndexError(f"a boolean mask of {len(picks)} values for {len(self)} files")
            return FileList(o for o, keep in zip(self, picks) if keep)
        return FileList(super(FileList, self).__getitem__(int(j)) for j in picks)


def _exts(extensions: Iterable[str] | None) -> set[str] | None:
    if extensions is None:
        return None
    if isinstance(extensions, str):
        extensions = [extensions]
    return {e.lower() if e.startswith(".") else f".{e.lower()}" for e in extensions}


def get_files(
    path: str | Path,
    extensions: Iterable[str] | None = None,
    recurse: bool = True,
    folders: Sequence[str] | None = None,
    followlinks: bool = True,
) -> list[Path]:
    """The files under `path`, sorted, optionally only those with `extensions` or in `folders`.

    Args:
        path: the folder to search.
        extensions: suffixes to keep (`".png"` or `"png"`, any case); None keeps all.
        recurse: search sub-folders too.
        folders: only these immediate sub-folders of `path` (e.g. `["train"]`).
        followlinks: follow symbolic links to folders.

    Examples:
        >>> import lamella.samples
        >>> files = get_files(lamella.samples.path("mnist_tiny"), extensions=".png", folders=["train"])
        >>> len(files), files[0].parent.name
        (709, '3')
    """
    path = Path(path)
    if not path.is_dir():
        raise FileNotFoundError(f"get_files: {path} is not a folder")
    exts = _exts(extensions)
    roots = [path / f for f in folders] if folders else [path]
    found = FileList()
    for root in roots:
        for folder, dirs, files in os.walk(root, followlinks=followlinks):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if recurse else []
            found += [
                Path(folder) / f for f in sorted(files) if exts is None or Path(f).suffix.lower() in exts
            ]
    return found


def FileGetter(  # noqa: N802  (fastai's name: a factory that reads like a class)
    suf: str = "",
    extensions: Iterable[str] | None = None,
    recurse: bool = True,
    folders: Sequence[str] | None = None,
) -> Callable[[Any], list[Path]]:
    """A `get_items` for DataBlock: `get_files(path / suf, ...)`; picklable, so learners export with it.

    Examples:
        >>> import lamella.samples
        >>> len(FileGetter("valid", extensions=".png")(lamella.samples.path("mnist_tiny")))
        699
    """
    return _FileGetter(suf, extensions, recurse, folders)


class _FileGetter:
    def __init__(self, suf: str, extensions: Any, recurse: bool, folders: Any) -> None:
        self.suf, self.extensions, self.recurse, self.folders = suf, extensions, recurse, folders

    def __call__(self, o: Any) -> list[Path]:
        return get_files(Path(o) / self.suf, self.extensions, self.recurse, self.folders)


class FuncGetter(ItemTransform):
    """A user's getter (`get_x`, `get_y`) in a DataBlock: given the whole item, marked as a getter.

    `DataBlock` wraps plain functions in it, so a tuple item is not split element by element and
    `test_dl` knows which leading steps to skip for a raw item (a path instead of a row).

    Examples:
        >>> FuncGetter(lambda o: o[0])(("a", "b"))
        'a'
    """


class ItemGetter(ItemTransform):
    """Take element `i` of each item (`o[i]`): a column of a row, a field of a tuple.

    Examples:
        >>> ItemGetter(1)((10, 20, 30))
        20
    """

    def __init__(self, i: Any) -> None:
        super().__init__()
        self.i = i

    def encodes(self, o):  # noqa: D102  (the class documents its case)
        try:
            return o[self.i]
        except (KeyError, IndexError, TypeError) as e:
            raise type(e)(f"ItemGetter({self.i!r}) cannot index {type(o).__name__} {_short(o)}: {e}") from e


class AttrGetter(ItemTransform):
    """Take attribute `nm` of each item (`default` when it has none).

    Examples:
        >>> AttrGetter("name")(Path("a/b.png"))
        'b.png'
    """

    def __init__(self, nm: str, default: Any = None) -> None:
        super().__init__()
        self.nm, self.default = nm, default

    def encodes(self, o):  # noqa: D102
        return getattr(o, self.nm, self.default)


def _short(o: Any) -> str:
    text = repr(o)
    return text if len(text) <= 80 else text[:77] + "..."


class ColReader(ItemTransform):
    """Read column(s) `cols` of a row (a pandas row or a dict), with a prefix, suffix or label split.

    Args:
        cols: a column name or position, or several (then a list comes back).
        pref: prepended to the value (a folder for file names).
        suff: appended to the value (a file extension).
        label_delim: split the value on this into several labels.

    Examples:
        >>> ColReader("name", pref="images/", suff=".png")({"name": "a", "label": "3"})
        'images/a.png'
        >>> ColReader("tags", label_delim=" ")({"tags": "cat dog"})
        ['cat', 'dog']
        >>> ColReader("lable")({"name": "a", "label": "3"})
        Traceback (most recent call last):
        ...
        lamella.transforms.transform.TransformError: ColReader failed ... is not in the row; ...
    """

    def __init__(
        self, cols: Any, pref: str | Path = "", suff: str = "", label_delim: str | None = None
    ) -> None:
        super().__init__()
        self.cols = list(cols) if is_listy(cols) else [cols]
        self.pref = str(pref) + os.path.sep if isinstance(pref, Path) else pref
        self.suff, self.label_delim = suff, label_delim

    def _read(self, row: Any, col: Any) -> Any:
        try:
            value = row.iloc[col] if isinstance(col, int) and hasattr(row, "iloc") else row[col]
        except (KeyError, IndexError):
            cols = list(row.keys()) if hasattr(row, "keys") else "?"
            raise KeyError(f"column {col!r} is not in the row; it has: {cols}") from None
        if self.pref or self.suff:
            value = f"{self.pref}{value}{self.suff}"
        if self.label_delim is not None:
            value = (
                [] if value != value or value == "" else str(value).split(self.label_delim)
            )  # NaN: no labels
        return value

    def encodes(self, o):  # noqa: D102
        values = [self._read(o, c) for c in self.cols]
        return values[0] if len(values) == 1 else values


def parent_label(o: str | Path) -> str:
    """The name of the folder a file is in: the label of an ImageNet-style folder tree.

    Examples:
        >>> parent_label("mnist_tiny/train/3/7463.png")
        '3'
    """
    return Path(o).parent.name


class RegexLabeller:
    r"""Label an item by the first group of the regular expression `pat` matched on its path.

    Args:
        pat: a pattern with one group.
        match: anchor at the start (`re.match`) instead of searching (`re.search`).

    Examples:
        >>> RegexLabeller(r"/([^/]+)_\d+\.jpg$")("images/great_pyrenees_17.jpg")
        'great_pyrenees'
        >>> RegexLabeller(r"/([^/]+)_\d+\.jpg$")("images/notes.txt")
        Traceback (most recent call last):
        ...
        ValueError: RegexLabeller: '/([^/]+)_\\d+\\.jpg$' does not match 'images/notes.txt'
    """

    def __init__(self, pat: str, match: bool = False) -> None:
        self.pat, self.match = re.compile(pat), match
        if self.pat.groups < 1:
            raise ValueError(
                f"RegexLabeller: {pat!r} has no group; put the label's part in parentheses, "
                "e.g. r'/(\\w+)_\\d+.jpg$'"
            )

    def __call__(self, o: Any) -> str:
        """The label of item `o` (a path or a string)."""
        text = str(o)
        found = (self.pat.match if self.match else self.pat.search)(text)
        if found is None:
            raise ValueError(f"RegexLabeller: {self.pat.pattern!r} does not match {text!r}")
        return found.group(1)
