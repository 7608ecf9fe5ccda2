"""Numericalization and the language-model loader: `make_vocab`, `Numericalize`, `TensorText`, `LMDataLoader`.

`LMDataLoader` keeps the corpus's token ids once (int32) and, each epoch, only a new order of the
texts and its running offsets: every batch is gathered from that order with index arithmetic, so no
concatenated copy of the corpus is built per epoch.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, cast

import pandas as pd
import torch
from torch import Tensor

from lamella.data import (
    CategoryBlock,
    ColReader,
    ColSplitter,  # noqa: F401  (the examples use it)
    DataBlock,
    DataLoader,
    DataLoaders,
    GrandparentSplitter,
    MultiCategoryBlock,
    RandomSplitter,
    TransformBlock,
    check_loader_kwargs,
    display_df,
    get_files,
    parent_label,
    pick_splitter,
    read_csv,
    show_batch,
    show_results,
)
from lamella.transforms import Transform
from lamella.typedtensor import TensorText

from .core import Tokenizer, df_columns
from .rules import PAD, UNK, text_spec_tok

__all__ = [
    "LMDataLoader",
    "TextBlock",
    "TextDataLoaders",
    "get_text_files",
    "reverse_text",
    "LMTensorText",
    "Numericalize",
    "SortedDL",
    "TensorText",
    "make_vocab",
    "pad_chunk",
    "Pad_Input",
    "pad_input",
    "pad_input_chunk",
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


def reverse_text(x: TensorText) -> TensorText:
    """The text's ids in reverse order (a backwards language model reads texts from the end).

    Examples:
        >>> reverse_text(TensorText([1, 2, 3])).tolist()
        [3, 2, 1]
    """
    return cast(TensorText, x.flip(0))


class _ReverseText(Transform):
    def encodes(self, x: TensorText):  # noqa: D102
        return reverse_text(x)

    def decodes(self, x: TensorText):  # noqa: D102
        return reverse_text(x)


def get_text_files(
    path: str | Path, recurse: bool = True, folders: Sequence[str] | None = None
) -> list[Path]:
    """The `.txt` files under `path` (in `folders` only, when given).

    Examples:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp()); _ = (root / "a.txt").write_text("hi")
        >>> [p.name for p in get_text_files(root)]
        ['a.txt']
    """
    return get_files(path, extensions=[".txt"], recurse=recurse, folders=folders)


class TextBlock(TransformBlock):
    """A text input: tokenized, numericalized, and batched for a language model or a classifier.

    Args:
        tok_tfm: the `Tokenizer` (`TextBlock.from_df` / `from_folder` build it).
        vocab: a vocabulary to keep (a fine-tuned language model's), else made from the training texts.
        is_lm: batches for a language model (`LMDataLoader`), else for a classifier (`SortedDL`).
        seq_len: the window of a language model; the chunk a classifier reads at a time.
        backwards: read texts from the end.
        min_freq: the times a token must appear to join the vocabulary.
        max_vocab: the most tokens the vocabulary holds.
        special_toks: the special tokens (fastai's by default).

    Examples:
        >>> from lamella.text import BaseTokenizer
        >>> block = TextBlock(Tokenizer(BaseTokenizer()), is_lm=True)
        >>> [type(t).__name__ for t in block.type_tfms], block.dl_type.__name__
        (['Tokenizer', 'Numericalize'], 'LMDataLoader')
    """

    def __init__(
        self,
        tok_tfm: Any,
        vocab: Sequence[str] | None = None,
        is_lm: bool = False,
        seq_len: int = 72,
        backwards: bool = False,
        min_freq: int = 3,
        max_vocab: int = 60000,
        special_toks: Sequence[str] | None = None,
    ) -> None:
        type_tfms = [tok_tfm, Numericalize(vocab, min_freq, max_vocab, special_toks=special_toks)]
        if backwards:
            type_tfms.append(_ReverseText())
        if is_lm:
            super().__init__(type_tfms=type_tfms, dl_type=LMDataLoader, dls_kwargs={"seq_len": seq_len})
        else:
            before = partial(pad_input_chunk, seq_len=seq_len)
            super().__init__(type_tfms=type_tfms, dl_type=SortedDL, dls_kwargs={"before_batch": before})
        self.is_lm, self.seq_len, self.backwards = is_lm, seq_len, backwards

    @classmethod
    def from_df(
        cls,
        text_cols: Any,
        vocab: Sequence[str] | None = None,
        is_lm: bool = False,
        seq_len: int = 72,
        backwards: bool = False,
        min_freq: int = 3,
        max_vocab: int = 60000,
        tok: Any = None,
        rules: Sequence[Callable] | None = None,
        sep: str = " ",
        n_workers: int | None = None,
        mark_fields: bool | None = None,
        tok_text_col: str = "text",
        **kwargs: Any,
    ) -> TextBlock:
        """A text block reading the `text_cols` of data frame rows (several are joined, marked `xxfld i`).

        Every text is tokenized once, in parallel, when the DataLoaders are built. `get_x` may be
        left out (the block reads the rows) or be `ColReader(text_col)`.

        Examples:
            >>> df = pd.DataFrame({"text": ["A fine film", "Dull", "Fine acting", "dull"], "y": list("pnpn")})
            >>> dls = DataBlock(blocks=(TextBlock.from_df("text", min_freq=1), CategoryBlock),
            ...                 get_y=ColReader("y"), splitter=lambda items: ([0, 1, 2], [3])
            ...                 ).dataloaders(df, bs=2, device="cpu")
            >>> dls.vocab[0][9:12], dls.vocab[1]
            (['fine', 'a', 'film'], ['n', 'p'])
        """
        tok_tfm = Tokenizer.from_df(
            text_cols, tok=tok, rules=rules, sep=sep, mark_fields=mark_fields, n_workers=n_workers
        )
        return cls(tok_tfm, vocab, is_lm, seq_len, backwards, min_freq, max_vocab, **kwargs)

    @classmethod
    def from_folder(
        cls,
        path: str | Path,
        vocab: Sequence[str] | None = None,
        is_lm: bool = False,
        seq_len: int = 72,
        backwards: bool = False,
        min_freq: int = 3,
        max_vocab: int = 60000,
        tok: Any = None,
        rules: Sequence[Callable] | None = None,
        extensions: Sequence[str] | None = None,
        folders: Sequence[str] | None = None,
        output_dir: str | Path | None = None,
        skip_if_exists: bool = True,
        n_workers: int | None = None,
        encoding: str = "utf8",
        **kwargs: Any,
    ) -> TextBlock:
        """A text block over the text files under `path`, tokenized once to disk (`tokenize_folder`).

        Examples:
            >>> import tempfile
            >>> root = Path(tempfile.mkdtemp())
            >>> for i in range(3): _ = (root / f"{i}.txt").write_text("The same words again " * 5)
            >>> dls = DataBlock(blocks=TextBlock.from_folder(root, is_lm=True, n_workers=0),
            ...                 get_items=get_text_files, splitter=lambda items: ([0, 1], [2])
            ...                 ).dataloaders(root, bs=2, seq_len=4, device="cpu")
            >>> dls.vocab[8:12]
            ['xxmaj', 'the', 'same', 'words']
        """
        tok_tfm = Tokenizer.from_folder(
            path, tok=tok, rules=rules, extensions=extensions, folders=folders, output_dir=output_dir,
            skip_if_exists=skip_if_exists, n_workers=n_workers, encoding=encoding,
        )  # fmt: skip
        return cls(tok_tfm, vocab, is_lm, seq_len, backwards, min_freq, max_vocab, **kwargs)


class TextDataLoaders(DataLoaders):
    """DataLoaders for texts, for a language model (`is_lm=True`) or a classifier, in one call.

    Examples:
        >>> df.head(2)  # reviews, labelled, the last 4 for validation
                text label  is_valid
        0  Good film   pos     False
        1   bad film   neg     False
        >>> dls = TextDataLoaders.from_df(df, text_col="text", label_col="label", valid_col="is_valid",
        ...                               bs=4, device="cpu")
        >>> x, y = dls.one_batch(); x.shape[0], dls.vocab[1]
        (4, ['neg', 'pos'])
    """

    @classmethod
    def from_df(
        cls,
        df: pd.DataFrame,
        path: str | Path = ".",
        valid_pct: float = 0.2,
        seed: int | None = None,
        text_col: Any = 0,
        label_col: Any = 1,
        label_delim: str | None = None,
        y_block: Any = None,
        text_vocab: Sequence[str] | None = None,
        is_lm: bool = False,
        valid_col: Any = None,
        tok_tfm: Any = None,
        tok_text_col: str = "text",
        seq_len: int = 72,
        backwards: bool = False,
        **kwargs: Any,
    ) -> TextDataLoaders:
        """From a data frame: the text in `text_col` (one or several columns), labels in `label_col`.

        Args:
            df: one row per text.
            path: where a learner saves its models.
            valid_pct: the share of rows for validation, drawn at random (`seed`), without `valid_col`.
            seed: the seed of that draw.
            text_col: the text column(s), by name or position.
            label_col: the label column(s); several make a multi-label target.
            label_delim: labels of one row joined by this delimiter (multi-label).
            y_block: the target's block (default: from the labels).
            text_vocab: the vocabulary of a language model the classifier will reuse.
            is_lm: batches for a language model (no labels).
            valid_col: a boolean column: True for the validation rows.
            tok_tfm: a `Tokenizer` (default: spaCy with fastai's rules, over `text_col`).
            tok_text_col: fastai's name of the tokenized column (kept for its signature).
            seq_len: the language model's window, or the classifier's chunk.
            backwards: read texts from the end.
            **kwargs: `bs`, `device`, `num_workers`, `min_freq`, `max_vocab`... (DataLoader and TextBlock).

        Examples:
            >>> dls_lm = TextDataLoaders.from_df(df, text_col="text", is_lm=True, valid_col="is_valid",
            ...                                  bs=2, seq_len=4, device="cpu")
            >>> type(dls_lm.train).__name__, dls_lm.vocab[:3]
            ('LMDataLoader', ['xxunk', 'xxpad', 'xxbos'])
        """
        block_kw, n_workers = _block_kwargs(kwargs)
        cols = df_columns(df, text_col, "text_col")
        if tok_tfm is None:
            tok_tfm = Tokenizer.from_df(cols, n_workers=n_workers)
        blocks: list[Any] = [TextBlock(tok_tfm, text_vocab, is_lm, seq_len, backwards, **block_kw)]
        get_y = None
        if not is_lm:
            labels = df_columns(df, label_col, "label_col")
            if y_block is None:
                y_block = MultiCategoryBlock if len(labels) > 1 or label_delim is not None else CategoryBlock
            blocks += list(y_block) if isinstance(y_block, (list, tuple)) else [y_block]
            get_y = ColReader(labels if len(labels) > 1 else labels[0], label_delim=label_delim)
        valid = df_columns(df, valid_col, "valid_col")[0] if valid_col is not None else None
        splitter = pick_splitter(valid, valid_pct=valid_pct, seed=seed)
        dblock = DataBlock(blocks=blocks, get_y=get_y, splitter=splitter)
        check_loader_kwargs("TextDataLoaders.from_df", kwargs, dblock.dl_type.__init__)
        return cls.from_dblock(dblock, df, path=path, **kwargs)

    @classmethod
    def from_csv(
        cls,
        path: str | Path,
        csv_fname: str = "labels.csv",
        header: Any = "infer",
        delimiter: str | None = None,
        **kwargs: Any,
    ) -> TextDataLoaders:
        """From the CSV file `path/csv_fname` (see `from_df` for the other arguments).

        Examples:
            >>> import tempfile
            >>> root = Path(tempfile.mkdtemp()); df.to_csv(root / "texts.csv", index=False)
            >>> dls = TextDataLoaders.from_csv(root, "texts.csv", text_col="text", label_col="label",
            ...                                valid_col="is_valid", bs=4, device="cpu")
            >>> len(dls.valid_ds)
            4
        """
        df = read_csv(Path(path) / csv_fname, f"{cls.__name__}.from_csv", header, delimiter)
        return cls.from_df(df, path=path, **kwargs)

    @classmethod
    def from_folder(
        cls,
        path: str | Path,
        train: str = "train",
        valid: str = "valid",
        valid_pct: float | None = None,
        seed: int | None = None,
        vocab: Sequence[str] | None = None,
        text_vocab: Sequence[str] | None = None,
        is_lm: bool = False,
        tok_tfm: Any = None,
        seq_len: int = 72,
        backwards: bool = False,
        **kwargs: Any,
    ) -> TextDataLoaders:
        """From folders of `.txt` files, labelled by their parent folder (`train/pos/1.txt`), as fastai's.

        With `valid_pct`, a random share of all files is for validation; else the `train` and
        `valid` folders split them. The files are tokenized once, to `<path>_tok` (reused later).

        Examples:
            >>> import tempfile
            >>> root = Path(tempfile.mkdtemp())
            >>> for split in ("train", "valid"):
            ...     for label in ("neg", "pos"):
            ...         (root / split / label).mkdir(parents=True)
            ...         for i in range(3): _ = (root / split / label / f"{i}.txt").write_text(f"A {label}")
            >>> dls = TextDataLoaders.from_folder(root, bs=2, device="cpu", n_workers=0)
            >>> dls.vocab[1], len(dls.train_ds)
            (['neg', 'pos'], 6)
        """
        block_kw, n_workers = _block_kwargs(kwargs)
        folders = None if valid_pct is not None else [train, valid]
        if tok_tfm is None:
            tok_tfm = Tokenizer.from_folder(path, folders=folders, n_workers=n_workers)
        blocks: list[Any] = [TextBlock(tok_tfm, text_vocab, is_lm, seq_len, backwards, **block_kw)]
        if not is_lm:
            blocks.append(CategoryBlock(vocab=vocab))
        splitter = (
            GrandparentSplitter(train_name=train, valid_name=valid)
            if valid_pct is None
            else RandomSplitter(valid_pct, seed=seed)
        )
        dblock = DataBlock(
            blocks=blocks,
            get_items=partial(get_text_files, folders=folders),
            splitter=splitter,
            get_y=None if is_lm else parent_label,
        )
        check_loader_kwargs("TextDataLoaders.from_folder", kwargs, dblock.dl_type.__init__)
        return cls.from_dblock(dblock, path, path=path, **kwargs)

    @classmethod
    def from_dblock(cls, dblock: DataBlock, source: Any, path: Any = ".", **kwargs: Any) -> TextDataLoaders:
        """The DataLoaders of `dblock` over `source`, as `TextDataLoaders`.

        Examples:
            >>> dblock = DataBlock(blocks=(TextBlock.from_df("text", min_freq=1), CategoryBlock),
            ...                    get_y=ColReader("label"), splitter=ColSplitter("is_valid"))
            >>> TextDataLoaders.from_dblock(dblock, df, bs=4, device="cpu").vocab[1]
            ['neg', 'pos']
        """
        dls = dblock.dataloaders(source, path=path, **kwargs)
        return cls(*dls.loaders, path=dls.path, device=dls.device)


def _block_kwargs(kwargs: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
    """Take the `TextBlock` settings and the tokenizer's `n_workers` out of a factory's keywords."""
    block_kw: dict[str, Any] = {k: kwargs.pop(k) for k in ("min_freq", "max_vocab") if k in kwargs}
    return block_kw, kwargs.pop("n_workers", None)


def _truncate(text: Any, n_words: int | None) -> str:
    words = str(text).split(" ")
    return " ".join(words[:n_words]) + (" ..." if n_words is not None and len(words) > n_words else "")


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def _show_table(df: pd.DataFrame, width: int = 100) -> pd.DataFrame:
    """A notebook shows the table; a terminal gets each row's short columns, then its texts wrapped."""
    if _in_notebook():
        with pd.option_context("display.max_colwidth", None):
            return display_df(df)
    texts = [c for c in df.columns if c.startswith("text")]
    short = [c for c in df.columns if c not in texts]
    for i, row in df.iterrows():
        print(f"[{i}] " + "  ".join(f"{c}: {row[c]}" for c in short))
        for c in texts:
            print(textwrap.fill(str(row[c]), width, initial_indent=f"  {c}: ", subsequent_indent="    "))
    return df


def _text_frame(samples: list, max_n: int, trunc_at: int | None, names: Sequence[str]) -> pd.DataFrame:
    rows = [
        [_truncate(o, trunc_at) if isinstance(o, str) and j < 2 else str(o) for j, o in enumerate(s)]
        for s in samples[:max_n]
    ]
    width = max((len(r) for r in rows), default=0)
    cols = [names[j] if j < len(names) else f"col{j}" for j in range(width)]
    return pd.DataFrame(rows, columns=cols)


@show_batch.register
def _(x: TensorText, y: object, samples: list, ctxs: Any = None, max_n: int = 10,
      trunc_at: int | None = 150, **kwargs: Any) -> pd.DataFrame:  # fmt: skip
    names = ["text", "text_"] if isinstance(x, LMTensorText) else ["text", "category"]
    return _show_table(_text_frame(samples, max_n, trunc_at, names))


@show_results.register
def _(x: TensorText, y: object, samples: list, outs: list, ctxs: Any = None, max_n: int = 10,
      trunc_at: int | None = 150, **kwargs: Any) -> pd.DataFrame:  # fmt: skip
    lm = isinstance(x, LMTensorText)
    names = ["text", "text_", "text_pred"] if lm else ["text", "category", "category_"]
    rows = [(*s, *o) for s, o in zip(samples, outs)]
    return _show_table(_text_frame(rows, max_n, trunc_at, names))
