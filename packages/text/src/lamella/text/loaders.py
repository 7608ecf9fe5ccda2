"""Text loaders: `LMDataLoader` (a language model's stream), `SortedDL` (classifiers), their padding.

`LMDataLoader` keeps the corpus's token ids once (int32) and, each epoch, only a new order of the
texts and its running offsets: every batch is gathered from that order with index arithmetic, so no
concatenated copy of the corpus is built per epoch.

Examples:
    >>> pad_chunk(torch.tensor([5, 6]), pad_idx=1, pad_first=True, seq_len=2, pad_len=5).tolist()
    [1, 1, 5, 6, 1]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import torch
from torch import Tensor

from lamella.data import (
    ColSplitter,  # noqa: F401  (the examples use it)
    DataLoader,
)
from lamella.typedtensor import TensorText

from .numericalize import LMTensorText

__all__ = [
    "LMDataLoader",
    "Pad_Input",
    "SortedDL",
    "pad_chunk",
    "pad_input",
    "pad_input_chunk",
]


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
        if len(ids) and int(lengths.sum()) < bs + 1:
            raise ValueError(
                f"LMDataLoader: {int(lengths.sum()) if len(ids) else 0} tokens cannot fill {bs} rows of a "
                "language-model stream; give more text or a smaller bs"
            )
        empty = (lengths == 0).nonzero().flatten()
        if len(empty):
            raise ValueError(f"LMDataLoader: text {int(empty[0])} of the dataset has no tokens")
        # the token ids, once
        self.corpus = torch.cat([t.to(torch.int32) for t in ids] or [torch.zeros(0, dtype=torch.int32)])
        self.starts = torch.cat([torch.zeros(1, dtype=torch.long), lengths.cumsum(0)[:-1]])
        self.lengths = lengths
        self.total = int(lengths.sum())
        self.bl = max(self.total - 1, 0) // bs  # tokens of each row
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

    def _decode_samples(self, b: Any, max_n: int, full: bool) -> list[Any]:
        # `(x, y)` are both windows of text: each decodes through the dataset's one text pipeline
        fields = b if isinstance(b, tuple) else (b,)
        decode = getattr(self.dataset, "decode", None)
        n = min(len(fields[0]), max_n)
        if decode is None:
            return [tuple(f[i] for f in fields) for i in range(n)]
        return [tuple(decode((f[i],), full=full)[0] for f in fields) for i in range(n)]

    def new(self, dataset: Any = None, **kwargs: Any) -> LMDataLoader:
        """A loader like this one (same `seq_len`) over `dataset` or with other settings.

        Examples:
            >>> LMDataLoader([torch.arange(20)], bs=2, seq_len=4).new(bs=1).bs
            1
        """
        settings: dict[str, Any] = {
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


class Pad_Input:  # noqa: N801  (fastai's name)
    """`before_batch`: pad the fields `pad_fields` of each item to the batch's longest (fastai's `Pad_Input`).

    Padding goes after the text (`pad_first=True`: before it); `backwards=True` pads on the other
    side and flips each padded text. `pad_input` is an instance; `decode` drops the padding again.
    For classifiers, `pad_input_chunk` (whole chunks of `seq_len` before the text) is what
    `TextDataLoaders` uses.

    Examples:
        >>> out = pad_input([(torch.tensor([1, 2, 3]), 1), (torch.tensor([4, 5]), 2)], pad_idx=0)
        >>> [(o[0].tolist(), o[1]) for o in out]
        [([1, 2, 3], 1), ([4, 5, 0], 2)]
        >>> pad_input.decode(TensorText([4, 5, 0])).tolist()
        [4, 5]
    """

    def __init__(self) -> None:
        self.pad_idx = 1

    def __call__(
        self, samples: list[tuple], pad_idx: int = 1, pad_fields: int | Iterable[int] = 0,
        pad_first: bool = False, backwards: bool = False,
    ) -> list[tuple]:  # fmt: skip
        """Pad `samples`' fields `pad_fields` to their longest with `pad_idx`."""
        self.pad_idx = pad_idx
        fields = [pad_fields] if isinstance(pad_fields, int) else list(pad_fields)
        longest = {f: max((len(s[f]) for s in samples), default=0) for f in fields}
        first = pad_first != backwards

        def pad(f: int, x: Any) -> Any:
            if f not in longest:
                return x
            fill = x.new_full((longest[f] - len(x),), pad_idx)
            out = torch.cat([fill, x] if first else [x, fill])
            out = out.flip(0) if backwards else out
            return _like(out, x)

        return [tuple(pad(f, x) for f, x in enumerate(s)) for s in samples]

    def decode(self, o: Tensor) -> Tensor:
        """`o` without its padding."""
        return o[o != self.pad_idx]


def _like(out: Tensor, x: Tensor) -> Tensor:
    """`out` as `x`'s tensor type, with its metadata."""
    if type(x) is Tensor:
        return out
    res = out.as_subclass(Tensor).as_subclass(type(x))
    res.__dict__.update(x.__dict__)
    return res


#: fastai's `pad_input`: an instance of `Pad_Input`.
pad_input = Pad_Input()


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
        # the texts' ids, computed once (tokenizing and numericalizing happen here, not each epoch)
        self._items = [dataset[i] for i in range(len(dataset))]
        if res is None:
            get = sort_func if sort_func is not None else _length
            res = [get(o) for o in self._items]
        self.res = list(res)
        self.idx_max = int(max(range(len(self.res)), key=self.res.__getitem__)) if self.res else 0

    def _samples_at(self, idxs: list[int]) -> list[Any]:
        return [self._items[i] for i in idxs]

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
