"""Tokenizers: split on a character, spaCy (`spacy.blank`), SentencePiece; and tokenizing between the rules.

Examples:
    >>> list(BaseTokenizer()(["a b"]))
    [['a', 'b']]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .rules import replace_space, text_postproc_rules, text_proc_rules, text_spec_tok

__all__ = [
    "BaseTokenizer",
    "SentencePieceTokenizer",
    "SpacyTokenizer",
    "SubwordTokenizer",
    "TokenizeWithRules",
    "WordTokenizer",
    "tokenize1",
]


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
