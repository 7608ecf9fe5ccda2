"""Numericalization: `make_vocab` (fastai's rules) and `Numericalize`, tokens to ids and back; `LMTensorText`.

Examples:
    >>> num = Numericalize(min_freq=1); num.setup([["a", "b", "a"]]); num(["a", "b"]).tolist()
    [9, 10]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import torch

from lamella.data import (
    ColSplitter,  # noqa: F401  (the examples use it)
)
from lamella.transforms import Transform
from lamella.typedtensor import TensorText

from .rules import PAD, UNK, text_spec_tok

__all__ = [
    "LMTensorText",
    "Numericalize",
    "TensorText",
    "make_vocab",
]


class LMTensorText(TensorText):
    """The input of a language model: a window of the token stream.

    Examples:
        >>> type(LMTensorText([1, 2])[:1]).__name__
        'LMTensorText'
    """


def make_vocab(
    count: Counter, min_freq: int = 3, max_vocab: int = 60000, special_toks: Sequence[str] | None = None
) -> list[str]:
    """A vocabulary: special tokens first, then the tokens seen `min_freq` times, most frequent first.

    At most `max_vocab` tokens, then padded with `xxfake` to a multiple of 8 (as fastai, for fast
    embeddings on GPUs).

    Examples:
        >>> vocab = make_vocab(Counter({"the": 5, "cat": 3, "sat": 1}))
        >>> vocab[:11], len(vocab)
        (['xxunk', 'xxpad', 'xxbos', 'xxeos', 'xxfld', 'xxrep', 'xxwrep', 'xxup', 'xxmaj', 'the', 'cat'], 16)
    """
    vocab = [o for o, c in count.most_common(max_vocab) if c >= min_freq]
    special = list(text_spec_tok if special_toks is None else special_toks)
    for o in reversed(special):
        if o in vocab:
            vocab.remove(o)
        vocab.insert(0, o)
    vocab = vocab[:max_vocab]
    return vocab + ["xxfake"] * (8 - len(vocab) % 8)


class Numericalize(Transform):
    """Tokens to ids of a vocabulary (unknown ones to `xxunk`), and back.

    The vocabulary is given, or made at setup from the tokenizer's counts (or the training texts).

    Examples:
        >>> num = Numericalize(vocab=make_vocab(Counter(["a", "a", "a", "b"] * 3)))
        >>> ids = num(["xxbos", "a", "b", "zebra"])
        >>> ids.tolist(), num.decode(ids)
        ([2, 9, 10, 0], ['xxbos', 'a', 'b', 'xxunk'])
    """

    def __init__(
        self,
        vocab: Sequence[str] | None = None,
        min_freq: int = 3,
        max_vocab: int = 60000,
        special_toks: Sequence[str] | None = None,
    ) -> None:
        super().__init__()
        self.min_freq, self.max_vocab, self.special_toks = min_freq, max_vocab, special_toks
        self.vocab = list(vocab) if vocab is not None else None
        self._o2i: dict[str, int] | None = None

    @property
    def o2i(self) -> dict[str, int]:
        """Token -> id (built once from the vocabulary; the first id of a repeated token wins).

        Examples:
            >>> Numericalize(vocab=["xxunk", "a"]).o2i["a"]
            1
        """
        if self._o2i is None:
            if self.vocab is None:
                raise ValueError(
                    "Numericalize has no vocabulary: pass vocab= or set it up on the training texts"
                )
            o2i: dict[str, int] = {}
            for i, o in enumerate(self.vocab):
                if o != "xxfake":
                    o2i.setdefault(o, i)
            self._o2i = o2i
        return self._o2i

    def setups(self, dsets):  # noqa: D102  (the class documents it; no annotation: it takes any items)
        if self.vocab is not None:
            return
        count = getattr(getattr(dsets, "tokenizer", None), "counter", None)
        if count is None:
            count = Counter()
            for toks in dsets:
                count.update(toks if not isinstance(toks, tuple) else toks[0])
        self.vocab = make_vocab(count, self.min_freq, self.max_vocab, self.special_toks)
        self._o2i = None

    def encodes(self, o: list):  # noqa: D102
        o2i = self.o2i
        unk = o2i.get(UNK, 0)
        return TensorText(torch.tensor([o2i.get(t, unk) for t in o], dtype=torch.long))

    def encodes(self, o: tuple):  # noqa: D102, F811
        return self.encodes(list(o))

    def decodes(self, o: TensorText):  # noqa: D102
        vocab = self.vocab or []
        return [vocab[int(i)] for i in o.reshape(-1) if vocab[int(i)] != PAD]

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_o2i": None}
