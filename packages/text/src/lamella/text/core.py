"""Tokenizing many texts: in parallel, from data frames and folders, and the `Tokenizer` transform.

`parallel_tokenize` is a work queue over worker processes that each build their tokenizer once;
results come back in input order. The rules are in `rules.py`, the tokenizers in `tokenizers.py`.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from lamella.data import get_files
from lamella.transforms import Transform

from .rules import FLD, text_proc_rules
from .tokenizers import BaseTokenizer, TokenizeWithRules, WordTokenizer  # noqa: F401  (BaseTokenizer: the examples)

__all__ = [
    "TitledStr",
    "Tokenizer",
    "fn_counter_pkl",
    "fn_lengths_pkl",
    "parallel_tokenize",
    "tokenize_df",
    "tokenize_folder",
    "tokenize_texts",
]

# -- parallel tokenization --------------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _init_worker(payload: bytes) -> None:
    tok, rules, post_rules = pickle.loads(payload)
    _WORKER["run"] = TokenizeWithRules(tok, rules, post_rules)  # built once per worker


def _work(chunk: tuple[int, list[Any]]) -> tuple[int, list[list[str]]]:
    start, texts = chunk
    return start, list(_WORKER["run"](texts))


def _default_workers() -> int:
    return min(8, multiprocessing.cpu_count())


def parallel_tokenize(
    items: Sequence[Any],
    tok: Any = None,
    rules: Sequence[Callable] | None = None,
    n_workers: int | None = None,
    post_rules: Sequence[Callable] | None = None,
    chunksize: int = 256,
) -> Iterator[tuple[int, list[str]]]:
    """`(index, tokens)` for each item, in input order, tokenized by `n_workers` processes (0: here).

    Each worker builds its tokenizer once; chunks of `chunksize` texts go through a work queue. A
    tokenizer with a `setup(items, rules)` method (SentencePiece) is set up first, here.

    Examples:
        >>> [t for _, t in parallel_tokenize(["a b", "c"], BaseTokenizer(), rules=[], n_workers=0)]
        [['a', 'b'], ['c']]
    """
    tok = tok if tok is not None else WordTokenizer()
    if hasattr(tok, "setup"):
        tok.setup(items, rules)
    n_workers = _default_workers() if n_workers is None else n_workers
    if not isinstance(items, Sequence):
        items = list(items)
    if n_workers <= 1 or len(items) <= chunksize:
        run = TokenizeWithRules(tok, rules, post_rules)
        yield from enumerate(run(items))
        return
    payload = pickle.dumps((tok, rules, post_rules))
    # fork where there is one (as fastai): the workers tokenize with spaCy and never touch torch, and
    # a script without an `if __name__ == "__main__"` guard keeps working
    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    starts = iter(range(0, len(items), chunksize))
    with ctx.Pool(n_workers, initializer=_init_worker, initargs=(payload,)) as pool:
        # a bounded queue of chunks in flight: texts are read (files: from disk) only a few chunks ahead
        pending: list[Any] = []
        for start in starts:
            pending.append(pool.apply_async(_work, ((start, list(items[start : start + chunksize])),)))
            if len(pending) >= 2 * n_workers:
                break
        while pending:
            first, toks = pending.pop(0).get()
            nxt = next(starts, None)
            if nxt is not None:
                pending.append(pool.apply_async(_work, ((nxt, list(items[nxt : nxt + chunksize])),)))
            yield from enumerate(toks, first)


def tokenize_texts(
    texts: Sequence[str],
    n_workers: int | None = None,
    rules: Sequence[Callable] | None = None,
    tok: Any = None,
) -> list[list[str]]:
    """Tokenize `texts` with the rules, in parallel; a list of token lists in input order.

    Examples:
        >>> tokenize_texts(["Hello World", "again"], n_workers=0)
        [['xxbos', 'xxmaj', 'hello', 'xxmaj', 'world'], ['xxbos', 'again']]
    """
    return [t for _, t in parallel_tokenize(texts, tok, rules, n_workers)]


def df_columns(df: pd.DataFrame, cols: Any, arg: str) -> list[Any]:
    """The column names `cols` (names or positions, one or several) stands for; a missing one is named."""
    cols = [cols] if isinstance(cols, (str, int)) else list(cols)
    cols = [df.columns[c] if isinstance(c, int) else c for c in cols]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise KeyError(f"{arg}: no column {missing[0]!r} in the data frame; it has {list(df.columns)}")
    return cols


def _join_texts(df: pd.DataFrame, mark_fields: bool = False) -> list[str]:
    """The text of each row, its columns joined (each marked `xxfld i` with `mark_fields`)."""
    for c in df.columns:
        bad = df[c].isna() | ~df[c].map(lambda v: isinstance(v, str))
        if bad.any():
            row = df.index[bad.to_numpy().argmax()]
            raise ValueError(
                f"text column {c!r}: row {row} holds {df[c][row]!r} ({type(df[c][row]).__name__}), not text; "
                "fill or drop the rows without text"
            )
    blank = ~df.apply(lambda col: col.str.strip().str.len() > 0).any(axis=1)
    if blank.any():
        row = df.index[blank.to_numpy().argmax()]
        raise ValueError(
            f"text columns {list(df.columns)}: row {row} is empty; drop the rows without text or fill them"
        )
    col = (f"{FLD} 1 " if mark_fields else "") + df.iloc[:, 0].astype(str)
    for i in range(1, len(df.columns)):
        col += (f" {FLD} {i + 1} " if mark_fields else " ") + df.iloc[:, i].astype(str)
    return list(col.values)


def tokenize_df(
    df: pd.DataFrame,
    text_cols: Any,
    n_workers: int | None = None,
    rules: Sequence[Callable] | None = None,
    mark_fields: bool | None = None,
    tok: Any = None,
    tok_text_col: str = "text",
) -> tuple[pd.DataFrame, Counter]:
    """Tokenize `df[text_cols]` into `df[tok_text_col]` (and its `_length`); returns the frame and the counts.

    Several text columns are joined, each marked `xxfld i` (`mark_fields`, on by default then).

    Examples:
        >>> df = pd.DataFrame({"text": ["Good film", "bad"], "label": [1, 0]})
        >>> out, counts = tokenize_df(df, "text", n_workers=0)
        >>> out.text.tolist(), out.text_length.tolist(), counts["xxbos"]
        ([['xxbos', 'xxmaj', 'good', 'film'], ['xxbos', 'bad']], [4, 2], 2)
    """
    cols = df_columns(df, text_cols, "tokenize_df")
    if mark_fields is None:
        mark_fields = len(cols) > 1
    texts = _join_texts(df[cols], mark_fields)
    outputs = tokenize_texts(texts, n_workers=n_workers, rules=rules, tok=tok)
    res = df[[c for c in df.columns if c not in cols]].copy()
    res[tok_text_col] = outputs
    res[f"{tok_text_col}_length"] = [len(o) for o in outputs]
    counts: Counter = Counter()
    for o in outputs:
        counts.update(o)
    return res, counts


fn_counter_pkl = "counter.pkl"
fn_lengths_pkl = "lengths.pkl"


def _read(fn: Path, encoding: str) -> str:
    try:
        return fn.read_text(encoding=encoding)
    except UnicodeDecodeError as e:
        raise ValueError(f"{fn} is not {encoding} text ({e}); pass encoding= or convert the file") from e


def tokenize_folder(
    path: str | Path,
    extensions: Sequence[str] | None = None,
    folders: Sequence[str] | None = None,
    output_dir: str | Path | None = None,
    skip_if_exists: bool = True,
    n_workers: int | None = None,
    rules: Sequence[Callable] | None = None,
    tok: Any = None,
    encoding: str = "utf8",
) -> Path:
    """Tokenized copies of the text files under `path` (space-separated tokens), with counts and lengths.

    Tokens stream to disk file by file, so memory stays flat as the corpus grows. A second call
    finds the output folder complete and reuses it. Returns the output folder (`path_tok` beside `path`).

    Examples:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp()); (root / "docs").mkdir()
        >>> _ = (root / "docs" / "a.txt").write_text("Hello there")
        >>> out = tokenize_folder(root / "docs", n_workers=0)
        >>> (out / "a.txt").read_text(), out.name
        ('xxbos xxmaj hello there', 'docs_tok')
    """
    path = Path(path)
    files = get_files(path, extensions=extensions if extensions is not None else [".txt"], folders=folders)
    if not files:
        raise FileNotFoundError(
            f"tokenize_folder: no text files ({', '.join(extensions or ['.txt'])}) under {path}"
        )
    out = Path(output_dir) if output_dir is not None else path.parent / f"{path.name}_tok"
    done = out / fn_counter_pkl
    if skip_if_exists and done.exists() and (out / fn_lengths_pkl).exists():
        return out
    texts = _LazyItems(files, lambda f: _read(f, encoding))
    lengths: dict[str, int] = {}
    counts: Counter = Counter()
    for i, toks in parallel_tokenize(texts, tok, rules, n_workers):
        rel = files[i].relative_to(path)
        dest = out / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(" ".join(toks), encoding=encoding)
        lengths[str(rel)] = len(toks)
        counts.update(toks)
    with open(out / fn_lengths_pkl, "wb") as f:
        pickle.dump(lengths, f)
    tmp = out / (fn_counter_pkl + ".partial")
    with open(tmp, "wb") as f:
        pickle.dump(counts, f)
    tmp.replace(done)  # written last: its presence says the folder is complete
    return out


class TitledStr(str):
    """A string that shows itself as a title (decoded texts in `show_batch`).

    Examples:
        >>> TitledStr("xxbos hello").show().get_title()
        'xxbos hello'
    """

    def show(self, ctx: Any = None, **kwargs: Any) -> Any:
        """Write the text as the title of the axes `ctx`.

        Examples:
            >>> TitledStr("hi").show().get_title()
            'hi'
        """
        from lamella.typedtensor import show_title

        return show_title(str(self), ctx=ctx, **kwargs)


class Tokenizer(Transform):
    """The tokenizer of a pipeline: texts (strings, files or data frame rows) to token lists; decodes to text.

    Set up on every item of a dataset (training and validation, as fastai's), it tokenizes them all
    at once with `parallel_tokenize` and keeps the tokens, so reading an item later costs a lookup.

    Examples:
        >>> Tokenizer(BaseTokenizer())("The end")
        ['xxbos', 'xxmaj', 'the', 'end']
    """

    train_setup = False  # tokenize the validation texts too, in parallel, when set up
    path: Path  # the corpus folder (`from_folder` only)
    output_dir: Path  # where `from_folder` wrote the tokens

    def __init__(
        self,
        tok: Any = None,
        rules: Sequence[Callable] | None = None,
        counter: Counter | None = None,
        lengths: Any = None,
        mode: str | None = None,
        sep: str = " ",
        n_workers: int | None = None,
    ) -> None:
        super().__init__()
        tok = tok if tok is not None else WordTokenizer
        self.tok = tok() if isinstance(tok, type) else tok
        self.rules = list(text_proc_rules if rules is None else rules)
        self.counter, self.lengths, self.mode, self.sep = counter, lengths, mode, sep
        self.n_workers = n_workers
        self.text_cols: list[Any] = []
        self.mark_fields = False
        self._run = TokenizeWithRules(self.tok, self.rules)
        self._cache: dict[Any, str] = {}

    @classmethod
    def from_df(
        cls,
        text_cols: Any,
        tok: Any = None,
        rules: Sequence[Callable] | None = None,
        sep: str = " ",
        mark_fields: bool | None = None,
        n_workers: int | None = None,
    ) -> Tokenizer:
        """A tokenizer of data frame rows: the `text_cols` joined (marked `xxfld i` when several).

        Examples:
            >>> row = pd.Series({"title": "Great", "body": "Loved it"})
            >>> Tokenizer.from_df(["title", "body"], tok=BaseTokenizer())(row)
            ['xxbos', 'xxfld', '1', 'xxmaj', 'great', 'xxfld', '2', 'xxmaj', 'loved', 'it']
        """
        res = cls(tok, rules=rules, mode="df", sep=sep, n_workers=n_workers)
        res.text_cols = [text_cols] if isinstance(text_cols, (str, int)) else list(text_cols)
        res.mark_fields = len(res.text_cols) > 1 if mark_fields is None else mark_fields
        return res

    @classmethod
    def from_folder(
        cls, path: str | Path, tok: Any = None, rules: Sequence[Callable] | None = None, **kwargs: Any
    ) -> Tokenizer:
        """A tokenizer over a folder tokenized once on disk (`tokenize_folder`), reading the copies.

        Examples:
            >>> import tempfile
            >>> root = Path(tempfile.mkdtemp()); _ = (root / "a.txt").write_text("Hi there")
            >>> Tokenizer.from_folder(root, n_workers=0)(root / "a.txt")
            ['xxbos', 'xxmaj', 'hi', 'there']
        """
        path = Path(path)
        tok = tok if tok is not None else WordTokenizer()
        out = tokenize_folder(path, tok=tok, rules=rules, **kwargs)
        with open(out / fn_counter_pkl, "rb") as f:
            counter = pickle.load(f)
        with open(out / fn_lengths_pkl, "rb") as f:
            lengths = pickle.load(f)
        res = cls(tok, rules=rules, counter=counter, lengths=lengths, mode="folder")
        res.path, res.output_dir = path, out
        return res

    def _text(self, o: Any) -> str:
        """The raw text of an item: a string, a file's contents, or a row's text columns joined."""
        if isinstance(o, str):
            return o
        if isinstance(o, Path):
            return _read(o, "utf8")
        if isinstance(o, pd.Series):
            if not self.text_cols:
                raise TypeError("Tokenizer got a data frame row: make it with Tokenizer.from_df(text_cols)")
            return _join_texts(o[self.text_cols].to_frame().T, self.mark_fields)[0]
        raise TypeError(f"Tokenizer reads strings, files and data frame rows, not {type(o).__name__}")

    def _in_folder(self, o: Any) -> bool:
        return self.mode == "folder" and isinstance(o, Path) and str(o).startswith(str(self.path))

    def setups(self, items):  # noqa: D102  (the class documents it; no annotation: it takes any items)
        todo = []
        for i, o in enumerate(items):
            if isinstance(o, str) and not o.strip():
                raise ValueError(f"text {i} is empty; drop the items without text or fill them")
            if not isinstance(o, (str, Path, pd.Series)):
                raise TypeError(f"text {i} is {o!r} ({type(o).__name__}), not text; fill or drop it")
            if not self._in_folder(o):
                todo.append(o)
        if not todo:
            return
        keys = [self._key(o) for o in todo]
        texts = _LazyItems(todo, self._text)
        for i, toks in parallel_tokenize(texts, self.tok, self.rules, self.n_workers):
            joined = _SEP.join(toks)
            if len(toks) == joined.count(_SEP) + 1:  # a token holding the separator is not kept
                self._cache[keys[i]] = joined

    def _key(self, o: Any) -> Any:
        return o if not isinstance(o, pd.Series) else (o.name, *o[self.text_cols].tolist())

    def encodes(self, o: Path):  # noqa: D102
        if self._in_folder(o):
            return (self.output_dir / Path(o).relative_to(self.path)).read_text(encoding="utf8").split(" ")
        return self._tokenize1(o)

    def encodes(self, o: str):  # noqa: D102, F811
        if not o.strip():
            raise ValueError(f"Tokenizer: the text {o!r} is empty; nothing to tokenize or predict from")
        return self._tokenize1(o)

    def encodes(self, o: pd.Series):  # noqa: D102, F811
        return self._tokenize1(o)

    def _tokenize1(self, o: Any) -> list[str]:
        found = self._cache.get(self._key(o)) if self._cache else None
        if found is not None:
            return found.split(_SEP)
        return next(iter(self._run([self._text(o)])))

    def get_lengths(self, items: Any) -> Any:
        """The token counts of `items` when a folder was tokenized ahead (sorted batches use them).

        Examples:
            >>> Tokenizer(BaseTokenizer()).get_lengths(["a"]) is None
            True
        """
        if self.lengths is None or self.mode != "folder":
            return None
        try:
            return [self.lengths[str(Path(i).relative_to(self.path))] for i in items]
        except (KeyError, ValueError):
            return None

    def decodes(self, o: Any) -> TitledStr:  # noqa: D102
        return TitledStr(self.sep.join(o))

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_cache": {}}  # an exported learner keeps no corpus


_SEP = "\x1f"  # joins a cached text's tokens: one string per text, not a list of them


class _LazyItems(Sequence[str]):
    """`f` of each item, computed when read (texts reach the tokenizer's workers a chunk at a time)."""

    def __init__(self, items: list[Any], f: Callable[[Any], str]) -> None:
        self.items, self.f = items, f

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self.f(o) for o in self.items[i]]
        return self.f(self.items[i])
