"""Numericalization and the language-model loader: `make_vocab`, `Numericalize`, `TensorText`, `LMDataLoader`.

`LMDataLoader` keeps the corpus's token ids once (int32) and, each epoch, only a new order of the
texts and its running offsets: every batch is gathered from that order with index arithmetic, so no
concatenated copy of the corpus is built per epoch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import torch
from torch import Tensor

from lamella.data import DataLoader
from lamella.transforms import Transform
from lamella.typedtensor import TensorBase

from .core import PAD, UNK, TitledStr, text_spec_tok

__all__ = [
    "LMDataLoader",
    "LMTensorText",
    "Numericalize",
    "SortedDL",
    "TensorText",
    "make_vocab",
    "pad_chunk",
    "pad_input_chunk",
]


class TensorText(TensorBase):
    """Token ids of a text (or a batch of them); shown as the decoded text.

    Examples:
        >>> TensorText([2, 7, 8]).tolist()
        [2, 7, 8]
    """

    def show(self, ctx: Any = None, **kwargs: Any) -> Any:
        """Write the ids (decode them first for words) as the title of `ctx`.

        Examples:
            >>> TensorText([2, 7]).show().get_title()
            '2 7'
        """
        return TitledStr(" ".join(str(int(i)) for i in self.reshape(-1))).show(ctx=ctx, **kwargs)


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


class LMDataLoader(DataLoader):
    """Batches of `(x, x shifted by one)` windows of `seq_len` tokens from one stream cut into `bs` rows.

    The texts (`dataset`: token id tensors, or a Datasets whose items are) come in a new order each
    shuffled epoch, joined into one stream; row `r` of every batch continues row `r` of the last,
    so a recurrent model can carry its state across batches. The token ids live once, as int32.

    Examples:
        >>> texts = [torch.arange(10), torch.arange(100, 110)]
        >>> dl = LMDataLoader(texts, bs=2, seq_len=3)
        >>> x, y = dl.one_batch()
        >>> x.tolist(), y.tolist()
        ([[0, 1, 2], [9, 100, 101]], [[1, 2, 3], [100, 101, 102]])
    """

    def __init__(
        self,
        dataset: Any,
        lens: Sequence[int] | None = None,
        cache: int = 2,
        bs: int = 64,
        seq_len: int = 72,
        shuffle: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(dataset, bs=bs, shuffle=shuffle, **kwargs)
        if seq_len < 1:
            raise ValueError(f"seq_len must be at least 1, got {seq_len}")
        self.seq_len = seq_len
        ids = [self._ids(dataset[i]) for i in range(len(dataset))]
        lengths = torch.tensor([len(t) for t in ids], dtype=torch.long)
        if len(ids) == 0 or int(lengths.sum()) < bs + 1:
            raise ValueError(
                f"LMDataLoader: {int(lengths.sum()) if len(ids) else 0} tokens cannot fill {bs} rows of a "
                "language-model stream; give more text or a smaller bs"
            )
        empty = (lengths == 0).nonzero().flatten()
        if len(empty):
            raise ValueError(f"LMDataLoader: text {int(empty[0])} of the dataset has no tokens")
        self.corpus = torch.cat([t.to(torch.int32) for t in ids])  # the token ids, once
        self.starts = torch.cat([torch.zeros(1, dtype=torch.long), lengths.cumsum(0)[:-1]])
        self.lengths = lengths
        self.total = int(lengths.sum())
        self.bl = (self.total - 1) // bs  # tokens of each row
        self._set_order(torch.arange(len(ids)))

    @staticmethod
    def _ids(item: Any) -> torch.Tensor:
        x = item[0] if isinstance(item, tuple) else item
        return torch.as_tensor(x).reshape(-1).as_subclass(torch.Tensor)

    def _set_order(self, order: torch.Tensor) -> None:
        self.order = order
        self.cum = torch.cat([torch.zeros(1, dtype=torch.long), self.lengths[order].cumsum(0)])

    @property
    def n(self) -> int:
        """Windows a row has (the items of this loader are batches of windows).

        Examples:
            >>> LMDataLoader([torch.arange(21)], bs=2, seq_len=3).n
            4
        """
        return -(-self.bl // self.seq_len) if self.bl > 0 else 0

    @property
    def n_batches(self) -> int:  # noqa: D102  (one batch a window)
        if self.drop_last and self.bl % self.seq_len:
            return self.bl // self.seq_len
        return self.n

    def _index_batches(self, gen: torch.Generator) -> list[list[int]]:
        if self.shuffle:
            self._set_order(torch.randperm(len(self.lengths), generator=gen))
        return [[i] for i in range(self.n_batches)]

    def make_batch(self, idxs: list[int]) -> Any:
        """Window `idxs[0]` of every row: `(LMTensorText x, TensorText y)`, `bs x seq_len` (shorter last).

        Examples:
            >>> LMDataLoader([torch.arange(13)], bs=2, seq_len=4).make_batch([1])[0].tolist()
            [[4, 5], [10, 11]]
        """
        (i,) = idxs
        start = i * self.seq_len
        sl = min(self.seq_len, self.bl - start)
        rows = torch.arange(self.bs).unsqueeze(1) * self.bl + start
        pos = rows + torch.arange(sl + 1)  # positions in this epoch's stream, (bs, sl + 1)
        k = torch.searchsorted(self.cum, pos, right=True) - 1  # which text of the order
        tok = self.corpus[self.starts[self.order[k]] + (pos - self.cum[k])].long()
        return LMTensorText(tok[:, :-1]), TensorText(tok[:, 1:])

    def new(self, dataset: Any = None, **kwargs: Any) -> LMDataLoader:
        """A loader like this one (same `seq_len`) over `dataset` or with other settings.

        Examples:
            >>> LMDataLoader([torch.arange(20)], bs=2, seq_len=4).new(bs=1).bs
            1
        """
        settings = {
            "bs": self.bs,
            "seq_len": self.seq_len,
            "shuffle": self.shuffle,
            "drop_last": self.drop_last,
            "num_workers": self.num_workers,
            "device": self.device,
            "seed": self.seed,
            "after_batch": self.after_batch,
        }
        settings.update(kwargs)
        return type(self)(self.dataset if dataset is None else dataset, **settings)


def pad_chunk(
    x: Tensor, pad_idx: int = 1, pad_first: bool = True, seq_len: int = 72, pad_len: int = 10
) -> Tensor:
    """Pad `x` to `pad_len`: whole `seq_len` chunks of padding before it (`pad_first`), the rest after.

    A classifier reads texts `seq_len` tokens at a time: this way each chunk it reads is all text
    or all padding, except the last (fastai's layout).

    Examples:
        >>> pad_chunk(torch.tensor([5, 6, 7]), pad_idx=0, seq_len=2, pad_len=8).tolist()
        [0, 0, 0, 0, 5, 6, 7, 0]
    """
    n = pad_len - x.shape[0]
    before = x.new_full(((n // seq_len) * seq_len,), pad_idx)
    after = x.new_full((n % seq_len,), pad_idx)
    return torch.cat([before, x, after]) if pad_first else torch.cat([x, before, after])


def pad_input_chunk(
    samples: list[tuple], n_inp: int = 1, pad_idx: int = 1, pad_first: bool = True, seq_len: int = 72
) -> list[tuple]:
    """`before_batch` for classification: pad the first `n_inp` elements of each item to the batch's longest.

    Examples:
        >>> out = pad_input_chunk([(TensorText([4, 5, 6]), 0), (TensorText([7]), 1)], seq_len=2)
        >>> [o[0].tolist() for o in out], type(out[1][0]).__name__
        ([[4, 5, 6], [1, 1, 7]], 'TensorText')
    """
    if not samples:
        return samples
    max_len = max(len(s[n]) for s in samples for n in range(n_inp))
    out = []
    for s in samples:
        padded = []
        for n, o in enumerate(s):
            if n < n_inp:
                p = TensorText(pad_chunk(o.as_subclass(Tensor), pad_idx, pad_first, seq_len, max_len))
                p.__dict__.update(o.__dict__)
                padded.append(p)
            else:
                padded.append(o)
        out.append(tuple(padded))
    return out


class SortedDL(DataLoader):
    """A loader whose batches hold texts of similar lengths (less padding), the longest batch first.

    Unshuffled: all items longest first. Shuffled (fastai's scheme): a random order sorted within
    windows of 50 batches, the batches shuffled except the first (holding the longest text, so
    memory runs out on the first batch if it does) and the last.

    Examples:
        >>> texts = [(TensorText(torch.ones(n)), 0) for n in (3, 9, 1, 5)]
        >>> dl = SortedDL(texts, bs=2, before_batch=pad_input_chunk)
        >>> [b[0].shape[1] for b in dl]
        [9, 3]
    """

    def __init__(
        self, dataset: Any, sort_func: Any = None, res: Sequence[int] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(dataset, **kwargs)
        self.sort_func = sort_func
        if res is None:
            get = sort_func if sort_func is not None else _length
            res = [get(dataset[i]) for i in range(len(dataset))]
        self.res = list(res)
        self.idx_max = int(max(range(len(self.res)), key=self.res.__getitem__)) if self.res else 0

    def _index_batches(self, gen: torch.Generator) -> list[list[int]]:
        n, bs, res = len(self.res), self.bs, self.res
        if not self.shuffle:
            order = sorted(range(n), key=lambda i: res[i], reverse=True)
        else:
            perm = torch.randperm(n, generator=gen).tolist()
            j = perm.index(self.idx_max)
            perm[0], perm[j] = perm[j], perm[0]
            win = bs * 50
            order = [
                i
                for k in range(0, n, win)
                for i in sorted(perm[k : k + win], key=lambda i: res[i], reverse=True)
            ]
        batches = [order[i : i + bs] for i in range(0, len(order), bs)]
        if self.shuffle and len(batches) > 2:
            middle = batches[1:-1]
            middle = [middle[i] for i in torch.randperm(len(middle), generator=gen).tolist()]
            batches = [batches[0], *middle, batches[-1]]
        if self.drop_last and batches and len(batches[-1]) < bs:
            batches.pop()
        return batches


def _length(item: Any) -> int:
    x = item[0] if isinstance(item, tuple) else item
    return len(x)
