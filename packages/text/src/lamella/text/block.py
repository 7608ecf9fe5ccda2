"""`TextBlock`: texts in a `DataBlock`, tokenized at setup, then numericalized; `get_text_files`.

Examples:
    >>> reverse_text(TensorText([1, 2, 3])).tolist()
    [3, 2, 1]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, cast

import pandas as pd  # noqa: F401  (the examples use it)

from lamella.data import (  # noqa: F401  (CategoryBlock, ColReader, ColSplitter, DataBlock: the examples)
    CategoryBlock,
    ColReader,
    ColSplitter,
    DataBlock,
    TransformBlock,
    get_files,
)
from lamella.transforms import Transform
from lamella.typedtensor import TensorText

from .core import Tokenizer
from .loaders import LMDataLoader, SortedDL, pad_input_chunk
from .numericalize import Numericalize

__all__ = [
    "TextBlock",
    "get_text_files",
    "reverse_text",
]


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
