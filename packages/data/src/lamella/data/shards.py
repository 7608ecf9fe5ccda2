"""Streamed data: items stored in WebDataset tar shards, read by position through `wids`.

`write_shards(items, folder)` writes samples (dicts of a `__key__` and one value per extension,
as WebDataset stores them) into tar files of at most `maxcount` samples or `maxsize` bytes, then
an index, `shards.json`, last: a folder without its index is an unfinished write and is refused.
`ShardedItems(index)` reads them through `wids` (webdataset's indexed reader; local paths or
URLs, each shard downloaded once into a cache holding at most `cache_shards` of them) and is a
sequence of samples, so it is the items of a `DataBlock` or `Datasets` with the usual getters,
item and batch transforms.

Why `wids` and not webdataset's streaming pipeline: `DataLoader` draws an order of positions
from one seed per epoch, shards it across processes and resumes it mid-epoch; positions need
random access, which `wids` gives (it indexes each tar once). To keep reads local, a shuffled
epoch is shuffled in windows: the shards' order is permuted, then the items of each run of
`window` shards are permuted among themselves (`epoch_order`), so at most `window` shards are
read at a time. Splits (`take`) and the order keep this locality. The order is a pure function of
the epoch's generator, so every rank draws the same one and a resumed epoch repeats it.

Examples:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> samples = ({"__key__": f"{i:03d}", "txt": f"item {i}"} for i in range(10))
    >>> index = write_shards(samples, folder, maxcount=4)
    >>> items = ShardedItems(index)
    >>> len(items), items.n_shards, items[5]["txt"]
    (10, 3, 'item 5')
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import torch

__all__ = ["ShardError", "ShardedItems", "basic_decode", "hf_samples", "write_shards"]

INDEX = "shards.json"


class ShardError(ValueError):
    """A sample that cannot be written to a shard, or a shard folder that cannot be read.

    Examples:
        >>> issubclass(ShardError, ValueError)
        True
    """


_IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "tif": "TIFF", "tiff": "TIFF"}


def _encoded(value: Any, key: str, ext: str) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, Path):
        return value.read_bytes()
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        if ext == "json":
            return json.dumps(value).encode()
        if ext == "npy" and hasattr(value, "__array__"):
            buf = io.BytesIO()
            np.save(buf, np.asarray(value), allow_pickle=False)
            return buf.getvalue()
        if ext in _IMAGE_FORMATS and hasattr(value, "save"):  # a PIL image (Hugging Face's Image feature)
            buf = io.BytesIO()
            value.save(buf, format=_IMAGE_FORMATS[ext])
            return buf.getvalue()
        raise ShardError(
            f"sample {key!r}: the value of {ext!r} is a {type(value).__name__}; give bytes, a str, a "
            "number, a Path to read, a PIL image under an image extension, an array under 'npy' or "
            "JSON data under 'json'"
        )
    return str(value).encode()


def hf_samples(
    rows: Iterable[dict[str, Any]], columns: dict[str, str], key: str | None = None, prefix: str = "",
) -> Iterator[dict[str, Any]]:  # fmt: skip
    """Samples for `write_shards` from the rows of a Hugging Face dataset (streamed or not), or any dicts.

    `columns` maps a column to the extension it is stored under (`{"image": "jpg", "label": "cls"}`:
    images as JPEG, a class number as text; `"npy"` for arrays, `"json"` for anything JSON holds).
    A sample's key is its `key` column, else `prefix` and the row's position. Rows are read once,
    in the stream's order: streaming a dataset into shards turns it into data with an exact order
    and resume (a live stream has neither: its resume is approximate, see the docs).

    Examples:
        >>> rows = [{"text": "a good film", "label": 1}, {"text": "dull", "label": 0}]
        >>> [s["__key__"] for s in hf_samples(rows, {"text": "txt", "label": "cls"}, prefix="imdb_")]
        ['imdb_00000000', 'imdb_00000001']
    """
    for i, row in enumerate(rows):
        missing = [c for c in (*columns, *([key] if key else [])) if c not in row]
        if missing:
            raise ShardError(f"row {i} has no column {missing[0]!r}; it has {sorted(row)}")
        sample: dict[str, Any] = {"__key__": str(row[key]) if key else f"{prefix}{i:08d}"}
        sample.update({ext: row[col] for col, ext in columns.items()})
        yield sample


def write_shards(
    items: Iterable[dict[str, Any]], folder: str | Path, maxcount: int = 10_000, maxsize: float = 1e9,
    name: str = "shard",
) -> Path:  # fmt: skip
    """Write samples into WebDataset tar shards in `folder`, then their index; returns the index's path.

    Each sample is a dict with a unique `__key__` and one value per extension (`"jpg"`, `"cls"`,
    `"txt"`...): bytes as they are, a `Path`'s bytes, a str or number as text.

    Examples:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> write_shards([{"__key__": "a", "cls": 1}, {"__key__": "b", "cls": 0}], folder).name
        'shards.json'
        >>> sorted(p.name for p in folder.iterdir())
        ['shard-000000.tar', 'shards.json']
    """
    import webdataset as wds

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / INDEX).unlink(missing_ok=True)  # rewritten last: a crash leaves no index
    counts: dict[str, int] = {}
    seen: set[str] = set()
    pattern = str(folder / f"{name}-%06d.tar")
    with (
        contextlib.redirect_stdout(io.StringIO()),
        wds.ShardWriter(pattern, maxcount=maxcount, maxsize=maxsize, verbose=0) as sink,
    ):
        for i, sample in enumerate(items):
            if not isinstance(sample, dict) or "__key__" not in sample:
                raise ShardError(f"item {i} is not a dict with a '__key__' (got {type(sample).__name__})")
            key = str(sample["__key__"])
            if "." in key.rsplit("/", 1)[-1]:
                raise ShardError(
                    f"item {i}: the key {key!r} holds a '.'; WebDataset cuts a member's name at its first "
                    "dot into key and extension, so the sample would not read back (use '_')"
                )
            if key in seen:
                raise ShardError(
                    f"item {i}: the key {key!r} is used twice; keys name samples and must be unique"
                )
            seen.add(key)
            sink.write(
                {"__key__": key, **{e: _encoded(v, key, e) for e, v in sample.items() if e != "__key__"}}
            )
            counts[Path(sink.fname).name] = counts.get(Path(sink.fname).name, 0) + 1
    if not counts:
        raise ShardError("no items to write")
    shardlist = [
        {"url": f, "nsamples": n, "filesize": (folder / f).stat().st_size} for f, n in counts.items()
    ]
    index = {"__kind__": "wids-shard-index-v1", "wids_version": 1, "name": name, "shardlist": shardlist}
    tmp = folder / f".{INDEX}.tmp"
    tmp.write_text(json.dumps(index, indent=1))
    os.replace(tmp, folder / INDEX)
    return folder / INDEX


_INTS = {"cls", "cls2", "index", "inx", "id"}
_TEXTS = {"txt", "text", "transcript"}


def basic_decode(sample: dict[str, Any]) -> dict[str, Any]:
    """Decode what needs no library: class numbers to int, text to str, JSON, `.npy`; the rest stays bytes.

    Images stay bytes for an `ImageBlock` (or `PILImage.create`) to decode, so the data layer needs
    no Pillow. Keys are wids' (`".cls"`); values may be bytes or streams.

    Examples:
        >>> basic_decode({"__key__": "a", ".cls": b"3", ".txt": b"seven", ".jpg": b"JFIF"})
        {'__key__': 'a', '.cls': 3, '.txt': 'seven', '.jpg': b'JFIF'}
    """
    out: dict[str, Any] = {}
    for k, v in sample.items():
        ext = k.rsplit(".", 1)[-1] if k.startswith(".") else None
        raw = v.getvalue() if isinstance(v, io.BytesIO) else v
        if ext is None or not isinstance(raw, bytes):
            out[k] = raw
        elif ext in _INTS:
            out[k] = int(raw)
        elif ext in _TEXTS:
            out[k] = raw.decode()
        elif ext == "json":
            out[k] = json.loads(raw)
        elif ext == "npy":
            out[k] = np.load(io.BytesIO(raw), allow_pickle=False)
        else:
            out[k] = raw
    return out


class ShardedItems(Sequence):
    """The samples of WebDataset shards (an index written by `write_shards`, or any wids index), by position.

    Args:
        index: the index file (`shards.json`), its folder, or its URL.
        cache_dir: where downloaded shards are kept (None: wids' default, `$WIDS_CACHE`).
        cache_shards: shards kept open at once (an epoch reads `window` at a time).
        window: shards whose items a shuffled epoch mixes together.
        decode: decoding of values by extension. `"basic"` (the default, `basic_decode`): class
            numbers as ints, text as str, JSON, `.npy` arrays; images stay bytes, which an
            `ImageBlock` decodes (an epoch at 0.99x the speed of loose files, against 0.92x when
            wids' `"PIL"` decoder opens them first). Also `"PIL"` and `"numpy"` (wids' decoders,
            which need Pillow), a function of the sample, or None (bytes throughout).

    Examples:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = write_shards(({"__key__": str(i), "cls": i} for i in range(6)), folder, maxcount=2)
        >>> items = ShardedItems(folder, window=1)
        >>> order = items.epoch_order(torch.Generator().manual_seed(0))
        >>> sorted(order) == list(range(6)), [sorted(order[i:i + 2]) for i in (0, 2, 4)]  # shard by shard
        (True, [[4, 5], [0, 1], [2, 3]])
    """

    def __init__(
        self, index: str | Path, cache_dir: str | Path | None = None, cache_shards: int = 4, window: int = 2,
        decode: Any = "basic", positions: Sequence[int] | None = None,
    ) -> None:  # fmt: skip
        import wids

        self.index_file = _index_file(index)
        self.cache_dir, self.cache_shards, self.window, self.decode = cache_dir, cache_shards, window, decode
        if decode == "basic":
            decode = basic_decode
        elif decode in ("PIL", "numpy"):
            decode = partial(wids.wids.default_decoder, format=decode)
        cache = None if cache_dir is None else str(cache_dir)
        with contextlib.redirect_stderr(io.StringIO()):  # wids prints a summary of every dataset it opens
            self.source = wids.ShardListDataset(
                str(self.index_file),
                cache_dir=cache,
                lru_size=cache_shards,
                transformations=[decode] if decode else [],
            )
        self.bounds = np.concatenate([[0], np.cumsum(self.source.lengths)])
        total = int(self.bounds[-1])
        self.positions = np.arange(total) if positions is None else np.asarray(positions, dtype=np.int64)

    @property
    def n_shards(self) -> int:
        """How many shards the index lists.

        Examples:
            >>> import tempfile
            >>> folder = Path(tempfile.mkdtemp())
            >>> ShardedItems(write_shards([{"__key__": "a", "txt": "x"}], folder)).n_shards
            1
        """
        return len(self.bounds) - 1

    def __len__(self) -> int:
        return len(self.positions)

    def __getitem__(self, i: int) -> Any:  # type: ignore[override]
        if not -len(self) <= i < len(self):
            raise IndexError(f"item {i} of {len(self)} in the shards of {self.index_file}")
        sample = self.source[int(self.positions[i])]
        out = {"__key__": sample["__key__"]}
        for k, v in sample.items():  # wids names values by ".ext" and gives undecoded ones as streams
            if k.startswith("."):
                out[k[1:]] = v.getvalue() if isinstance(v, io.BytesIO) else v
        return out

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))

    def take(self, idx: Sequence[int]) -> ShardedItems:
        """The items at positions `idx` (a split), in shard order, still read from the shards lazily.

        Sorted so that reading a split in order (setting up a vocabulary, validating) goes shard by
        shard rather than back and forth.

        Examples:
            >>> import tempfile
            >>> folder = Path(tempfile.mkdtemp())
            >>> items = ShardedItems(write_shards(({"__key__": str(i), "cls": i} for i in range(5)), folder))
            >>> [s["cls"] for s in items.take([4, 1])]
            [1, 4]
        """
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.positions = np.sort(self.positions[np.asarray(list(idx), dtype=np.int64)])
        return new

    def epoch_order(self, gen: torch.Generator) -> list[int]:
        """A shuffled order of these items, shard windows at a time (see the module's docstring).

        Examples:
            >>> import tempfile
            >>> folder = Path(tempfile.mkdtemp())
            >>> samples = ({"__key__": str(i), "cls": i} for i in range(8))
            >>> items = ShardedItems(write_shards(samples, folder, maxcount=4))
            >>> o = items.epoch_order(torch.Generator().manual_seed(1)); sorted(o) == list(range(8))
            True
        """
        shard = np.searchsorted(self.bounds, self.positions, side="right") - 1
        shards = np.unique(shard)
        perm = shards[torch.randperm(len(shards), generator=gen).numpy()]
        order: list[int] = []
        for w in range(0, len(perm), self.window):
            mine = np.flatnonzero(np.isin(shard, perm[w : w + self.window]))
            order += mine[torch.randperm(len(mine), generator=gen).numpy()].tolist()
        return order

    def __repr__(self) -> str:
        return f"ShardedItems({len(self)} items in {self.n_shards} shards of {self.index_file})"


def _index_file(index: str | Path) -> str | Path:
    if isinstance(index, str) and "://" in index:
        return index
    path = Path(index)
    if path.is_dir():
        path = path / INDEX
    if not path.exists():
        raise ShardError(
            f"no shard index at {path}: write_shards writes it last, so its folder holds an unfinished "
            "write or no shards"
        )
    return path
