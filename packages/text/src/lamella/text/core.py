"""Tokenization: fastai's special tokens and rules, spaCy and plain tokenizers, in parallel, frames, folders.

The rules give the same tokens as fastai's on the same text. `parallel_tokenize` is a work queue
over worker processes that each build their tokenizer once; results come back in input order.
"""

from __future__ import annotations

import html
import multiprocessing
import pickle
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from lamella.data import get_files
from lamella.transforms import Transform

__all__ = [
    "SentencePieceTokenizer",
    "SubwordTokenizer",
    "BOS",
    "EOS",
    "FLD",
    "PAD",
    "TK_MAJ",
    "TK_REP",
    "TK_UP",
    "TK_WREP",
    "UNK",
    "BaseTokenizer",
    "SpacyTokenizer",
    "TitledStr",
    "TokenizeWithRules",
    "Tokenizer",
    "WordTokenizer",
    "fix_html",
    "fn_counter_pkl",
    "fn_lengths_pkl",
    "lowercase",
    "parallel_tokenize",
    "replace_all_caps",
    "replace_maj",
    "replace_rep",
    "replace_space",
    "replace_wrep",
    "rm_useless_spaces",
    "spec_add_spaces",
    "text_postproc_rules",
    "text_proc_rules",
    "text_spec_tok",
    "tokenize1",
    "tokenize_df",
    "tokenize_folder",
    "tokenize_texts",
]

UNK, PAD, BOS, EOS, FLD, TK_REP, TK_WREP, TK_UP, TK_MAJ = (
    "xxunk xxpad xxbos xxeos xxfld xxrep xxwrep xxup xxmaj".split()
)
#: fastai's special tokens, in fastai's order (they open every vocabulary).
text_spec_tok = [UNK, PAD, BOS, EOS, FLD, TK_REP, TK_WREP, TK_UP, TK_MAJ]

_re_spec = re.compile(r"([/#\\])")
_re_space = re.compile(" {2,}")
_re_rep = re.compile(r"(\S)(\1{2,})")
_re_wrep = re.compile(r"(?:\s|^)(\w+)\s+((?:\1\s+)+)\1(\s|\W|$)")
_re_all_caps = re.compile(r"(\s|^)([A-Z]+[^a-z\s]*)(?=(\s|$))")
_re_maj = re.compile(r"(\s|^)([A-Z][^A-Z\s]*)(?=(\s|$))")


def spec_add_spaces(t: str) -> str:
    r"""Put spaces around `/`, `#` and `\\`.

    Examples:
        >>> spec_add_spaces("#fastai/lamella")
        ' # fastai / lamella'
    """
    return _re_spec.sub(r" \1 ", t)


def rm_useless_spaces(t: str) -> str:
    """Collapse runs of spaces into one.

    Examples:
        >>> rm_useless_spaces("a  b   c")
        'a b c'
    """
    return _re_space.sub(" ", t)


def replace_rep(t: str) -> str:
    """Character repetitions: `cccc` becomes `xxrep 4 c`.

    Examples:
        >>> replace_rep("I'm so excited!!!!!!!!")
        "I'm so excited xxrep 8 ! "
    """

    def _sub(m: re.Match) -> str:
        c, cc = m.groups()
        return f" {TK_REP} {len(cc) + 1} {c} "

    return _re_rep.sub(_sub, t)


def replace_wrep(t: str) -> str:
    """Word repetitions: `word word word word` becomes `xxwrep 4 word`.

    Examples:
        >>> replace_wrep("I'm so so so so so excited")
        "I'm xxwrep 5 so  excited"
    """

    def _sub(m: re.Match) -> str:
        c, cc, e = m.groups()
        return f" {TK_WREP} {len(cc.split()) + 2} {c} {e}"

    return _re_wrep.sub(_sub, t)


_HTML = [
    ("#39;", "'"),
    ("amp;", "&"),
    ("#146;", "'"),
    ("nbsp;", " "),
    ("#36;", "$"),
    ("\\n", "\n"),
    ("quot;", "'"),
    ("<br />", "\n"),
    ('\\"', '"'),
    ("<unk>", UNK),
    (" @.@ ", "."),
    (" @-@ ", "-"),
    ("...", " …"),
]


def fix_html(x: str) -> str:
    r"""Repair the HTML debris of scraped text (`<br />`, `&amp;`...), as fastai's list.

    Examples:
        >>> fix_html("#39;bad#39; <br />movie")
        "'bad' \nmovie"
    """
    for a, b in _HTML:
        x = x.replace(a, b)
    return html.unescape(x)


def _lowered_behind(tok: str) -> Callable[[re.Match], str]:
    """A substitution lowercasing the matched word behind `tok` (a one-letter word only lowercased)."""

    def _sub(m: re.Match) -> str:
        space, word = m.group(1), m.group(2)
        return f"{space}{tok + ' ' if len(word) > 1 else ''}{word.lower()}"

    return _sub


def replace_all_caps(t: str) -> str:
    """Words in capitals are lowercased behind `xxup`.

    Examples:
        >>> replace_all_caps("I AM SHOUTING")  # one letter alone is only lowercased
        'i xxup am xxup shouting'
    """
    return _re_all_caps.sub(_lowered_behind(TK_UP), t)


def replace_maj(t: str) -> str:
    """Capitalised words are lowercased behind `xxmaj`.

    Examples:
        >>> replace_maj("Jeremy Howard")
        'xxmaj jeremy xxmaj howard'
    """
    return _re_maj.sub(_lowered_behind(TK_MAJ), t)


def lowercase(t: str, add_bos: bool = True, add_eos: bool = False) -> str:
    """Lowercase and strip, opening with `xxbos` (and closing with `xxeos` on request).

    Examples:
        >>> lowercase("The END ")
        'xxbos the end'
    """
    return (f"{BOS} " if add_bos else "") + t.lower().strip() + (f" {EOS}" if add_eos else "")


def replace_space(t: str) -> str:
    """A token's inner spaces as `▁`, so tokens join and split on spaces.

    Examples:
        >>> replace_space("new york")
        'new▁york'
    """
    return t.replace(" ", "▁")


#: The rules applied to text before tokenizing, fastai's defaults in fastai's order.
text_proc_rules: list[Callable[[str], str]] = [
    fix_html,
    replace_rep,
    replace_wrep,
    spec_add_spaces,
    rm_useless_spaces,
    replace_all_caps,
    replace_maj,
    lowercase,
]
#: The rules applied to each token after tokenizing.
text_postproc_rules: list[Callable[[str], str]] = [replace_space]


class BaseTokenizer:
    """Split on one character (a space by default): for text already tokenized.

    Examples:
        >>> list(BaseTokenizer()(["a b", "c"]))
        [['a', 'b'], ['c']]
    """

    def __init__(self, split_char: str = " ", **kwargs: Any) -> None:
        self.split_char = split_char

    def __call__(self, items: Iterable[str]) -> Iterator[list[str]]:
        """The tokens of each text, lazily."""
        return (t.split(self.split_char) for t in items)


class SpacyTokenizer:
    """spaCy's rule-based tokenizer for `lang` (`spacy.blank`, nothing to download); special tokens whole.

    Examples:
        >>> list(SpacyTokenizer()(["xxbos it's xxmaj lamella!"]))
        [['xxbos', 'it', "'s", 'xxmaj', 'lamella', '!']]
    """

    def __init__(
        self, lang: str = "en", special_toks: Sequence[str] | None = None, buf_sz: int = 5000
    ) -> None:
        import spacy
        from spacy.symbols import ORTH

        self.lang, self.buf_sz = lang, buf_sz
        self.special_toks = list(text_spec_tok if special_toks is None else special_toks)
        nlp = spacy.blank(lang)
        tokenizer: Any = nlp.tokenizer  # spaCy's Tokenizer (its stubs call it a function)
        for w in self.special_toks:
            # Only tokens spaCy would split need a special case: any special case makes spaCy match
            # them in every text, three times slower on texts full of `xxbos`/`xxmaj` (6.0 s against
            # 2.1 s here on 4,000 reviews). fastai's `xx...` tokens are words spaCy keeps whole.
            if [t.text for t in tokenizer(w)] != [w]:
                tokenizer.add_special_case(w, [{ORTH: w}])
        self._tokenizer = tokenizer

    def __call__(self, items: Iterable[str]) -> Iterator[list[str]]:
        """The tokens of each text, lazily, in batches of `buf_sz` texts."""
        for doc in self._tokenizer.pipe(map(str, items), batch_size=self.buf_sz):
            yield [t.text for t in doc]

    def __getstate__(self) -> dict:  # rebuilt in each worker from its settings, not pickled whole
        return {"lang": self.lang, "special_toks": self.special_toks, "buf_sz": self.buf_sz}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state)  # type: ignore[misc]


#: fastai's name for the default word tokenizer.
WordTokenizer = SpacyTokenizer


class SentencePieceTokenizer:
    """Subword pieces from a SentencePiece model (the `sentencepiece` extra): given, or trained at setup.

    With no `sp_model`, `setup(texts, rules)` trains one on the texts (after the rules) in
    `cache_dir`, with fastai's settings: the special tokens kept whole, a vocabulary of a quarter of
    the distinct words (at most `max_vocab_sz`, a multiple of 8) unless `vocab_sz` says.

    Examples:
        >>> import tempfile
        >>> sp = SentencePieceTokenizer(vocab_sz=40, cache_dir=tempfile.mkdtemp())
        >>> _ = sp.setup(["the cat sat on the mat", "the dog ate the bone"] * 20)
        >>> pieces = next(iter(sp(["the cat"])))
        >>> pieces[0].startswith("▁"), "".join(pieces).replace("▁", " ").strip()
        (True, 'the cat')
    """

    def __init__(
        self,
        lang: str = "en",
        special_toks: Sequence[str] | None = None,
        sp_model: str | Path | None = None,
        vocab_sz: int | None = None,
        max_vocab_sz: int = 30000,
        model_type: str = "unigram",
        char_coverage: float | None = None,
        cache_dir: str | Path = "tmp",
    ) -> None:
        try:
            import sentencepiece  # noqa: F401
        except ImportError as e:
            raise ImportError(
                "SentencePieceTokenizer needs sentencepiece: pip install 'lamella-text[sentencepiece]'"
            ) from e
        self.lang, self.vocab_sz, self.max_vocab_sz, self.model_type = (
            lang,
            vocab_sz,
            max_vocab_sz,
            model_type,
        )
        self.special_toks = list(text_spec_tok if special_toks is None else special_toks)
        eu = {"de", "en", "es", "fr", "it", "nl", "pt", "sv", "da", "fi", "pl", "cs", "ro", "hu", "el"}
        self.char_coverage = (
            char_coverage if char_coverage is not None else (0.99999 if lang in eu else 0.9998)
        )
        self.cache_dir = Path(cache_dir)
        self.sp_model = None if sp_model is None else Path(sp_model)
        self._proc: Any = None
        if self.sp_model is not None:
            self._load(self.sp_model.read_bytes())

    def _load(self, proto: bytes) -> None:
        import sentencepiece as spm

        self._proto = proto
        self._proc = spm.SentencePieceProcessor(model_proto=proto)

    def _vocab_sz(self, texts: list[str]) -> int:
        words: set[str] = set()
        for t in texts:
            words.update(t.split())
        if len(words) // 4 > self.max_vocab_sz:
            return self.max_vocab_sz
        res = len(words) // 4
        return max(res + (-res) % 8, 29)

    def setup(self, items: Sequence[str], rules: Sequence[Callable] | None = None) -> dict[str, Path]:
        """Train the model on `items` after `rules` (nothing to do when it has one); returns its file.

        Examples:
            >>> import tempfile
            >>> sp = SentencePieceTokenizer(vocab_sz=40, cache_dir=tempfile.mkdtemp())
            >>> sp.setup(["the cat sat on the mat", "the dog ate the bone"] * 20)["sp_model"].name
            'spm.model'
        """
        if self._proc is not None:
            return {"sp_model": self.sp_model}  # type: ignore[dict-item]
        import sentencepiece as spm

        run = _Compose(text_proc_rules if rules is None else rules)
        texts = [run(str(t)) for t in items]
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        raw = self.cache_dir / "texts.out"
        raw.write_text("".join(t.replace("\n", " ") + "\n" for t in texts), encoding="utf8")
        vocab_sz = self.vocab_sz if self.vocab_sz is not None else self._vocab_sz(texts)
        spm.SentencePieceTrainer.train(
            input=str(raw), vocab_size=vocab_sz, model_prefix=str(self.cache_dir / "spm"),
            character_coverage=self.char_coverage, model_type=self.model_type,
            unk_id=len(self.special_toks), pad_id=-1, bos_id=-1, eos_id=-1, minloglevel=2,
            user_defined_symbols=["▁" + s for s in self.special_toks], hard_vocab_limit=False,
        )  # fmt: skip
        raw.unlink()
        self.sp_model = self.cache_dir / "spm.model"
        self._load(self.sp_model.read_bytes())
        return {"sp_model": self.sp_model}

    def __call__(self, items: Iterable[str]) -> Iterator[list[str]]:
        """The pieces of each text, lazily."""
        if self._proc is None:
            raise ValueError("SentencePieceTokenizer has no model: pass sp_model= or call setup(texts) first")
        for t in items:
            yield self._proc.encode_as_pieces(str(t))

    def __getstate__(self) -> dict:  # the model travels as its bytes (workers, exports)
        return {k: v for k, v in self.__dict__.items() if k != "_proc"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._proc = None
        if state.get("_proto") is not None:
            self._load(state["_proto"])


#: fastai's name for the subword tokenizer.
SubwordTokenizer = SentencePieceTokenizer


class _Compose:
    """The functions applied in order (picklable, so a tokenizer travels to workers and into exports)."""

    def __init__(self, fs: Sequence[Callable[[str], str]]) -> None:
        self.fs = list(fs)

    def __call__(self, x: str) -> str:
        for f in self.fs:
            x = f(x)
        return x


class TokenizeWithRules:
    """`tok` between the text rules (before) and the token rules (after).

    Examples:
        >>> list(TokenizeWithRules(BaseTokenizer())(["The CAT sat"]))
        [['xxbos', 'xxmaj', 'the', 'xxup', 'cat', 'sat']]
    """

    def __init__(
        self, tok: Any, rules: Sequence[Callable] | None = None, post_rules: Sequence[Callable] | None = None
    ) -> None:
        self.tok = tok
        self.rules = list(text_proc_rules if rules is None else rules)
        self.post_rules = list(text_postproc_rules if post_rules is None else post_rules)
        self._pre, self._post = _Compose(self.rules), _Compose(self.post_rules)

    def __call__(self, batch: Iterable[Any]) -> Iterator[list[str]]:
        """The tokens of each text of `batch`, lazily."""
        post, only_space = self._post, self.post_rules == [replace_space]
        for toks in self.tok(self._pre(t) for t in batch):
            if only_space:  # the default: most tokens hold no space, skip the call for them
                yield [t.replace(" ", "▁") if " " in t else t for t in toks]
            else:
                yield [post(t) for t in toks]


def tokenize1(
    text: str,
    tok: Any = None,
    rules: Sequence[Callable] | None = None,
    post_rules: Sequence[Callable] | None = None,
) -> list[str]:
    """Tokenize one text with the rules (spaCy by default).

    Examples:
        >>> tokenize1("This movie is GREAT!!!")
        ['xxbos', 'xxmaj', 'this', 'movie', 'is', 'xxup', 'great', 'xxrep', '3', '!']
    """
    return next(
        iter(TokenizeWithRules(tok if tok is not None else WordTokenizer(), rules, post_rules)([text]))
    )


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
