"""`TextDataLoaders`: text loaders from folders, frames, CSV files or a `DataBlock`, as fastai's factories.

Examples:
    >>> TextDataLoaders.from_df.__name__
    'from_df'
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from lamella.data import (
    CategoryBlock,
    ColReader,
    ColSplitter,  # noqa: F401  (the examples use it)
    DataBlock,
    DataLoaders,
    GrandparentSplitter,
    MultiCategoryBlock,
    RandomSplitter,
    check_loader_kwargs,
    parent_label,
    pick_splitter,
    read_csv,
)

from .block import TextBlock, get_text_files
from .core import Tokenizer, df_columns

__all__ = [
    "TextDataLoaders",
]


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
