"""TextBlock and TextDataLoaders on real reviews (imdb_sample) and on the data as users have it."""

import pickle

import numpy as np
import pandas as pd
import pytest
import torch

from lamella.data import CategoryBlock, ColReader, ColSplitter, DataBlock
from lamella.text import (
    LMDataLoader,
    LMTensorText,
    SortedDL,
    TensorText,
    TextBlock,
    TextDataLoaders,
    Tokenizer,
    tokenize1,
    tokenize_df,
)

from .conftest import small_loaders


def test_classifier_loaders_tokenize_like_tokenize_df_and_batch_longest_first(reviews):
    dls = TextDataLoaders.from_df(
        reviews, text_col="text", label_col="label", valid_col="is_valid", bs=16, device="cpu", n_workers=2
    )
    text_vocab, labels = dls.vocab
    assert labels == ["negative", "positive"] and dls.c == 2 and isinstance(dls.train, SortedDL)
    ref, _ = tokenize_df(reviews.iloc[[130]], "text", n_workers=0)
    ids = dls.valid_ds[10][0]
    o2i = {w: i for i, w in enumerate(text_vocab)}
    assert ids.tolist() == [o2i.get(t, 0) for t in ref.text.iloc[0]]
    x, y = dls.valid.one_batch()
    assert type(x) is TensorText and x.shape[0] == 16 and y.shape == (16,)
    lengths = [len(dls.valid_ds[i][0]) for i in range(len(dls.valid_ds))]
    assert x.shape[1] == max(lengths)  # the validation loader starts with the longest texts
    assert (x[-1, 0] == 1).item() or x.shape[1] == min(lengths)  # shorter texts padded at the start


def test_language_model_loaders_keep_the_vocab_and_decode_windows(reviews):
    dls = TextDataLoaders.from_df(
        reviews,
        text_col="text",
        is_lm=True,
        valid_col="is_valid",
        bs=8,
        seq_len=20,
        device="cpu",
        n_workers=0,
    )
    assert isinstance(dls.train, LMDataLoader) and dls.vocab[:2] == ["xxunk", "xxpad"]
    x, y = dls.train.one_batch()
    assert type(x) is LMTensorText and x.shape == (8, 20) and torch.equal(x[:, 1:], y[:, :-1])
    (text, text_), *_ = dls.train.decode_batch((x, y), max_n=1)
    assert text.split(" ")[1:] == text_.split(" ")[:-1]
    shown = dls.show_batch(max_n=2, trunc_at=10)
    assert list(shown.columns) == ["text", "text_"] and len(shown) == 2


def test_a_classifier_reuses_the_language_models_vocab(reviews):
    lm = TextDataLoaders.from_df(reviews, text_col="text", is_lm=True, bs=8, device="cpu", n_workers=0)
    clas = TextDataLoaders.from_df(
        reviews, text_col="text", label_col="label", text_vocab=lm.vocab, bs=8, device="cpu", n_workers=0
    )
    assert clas.vocab[0] == lm.vocab


def test_several_text_columns_are_marked_fields():
    df = pd.DataFrame(
        {
            "title": ["Great", "Awful", "Fine"] * 4,
            "body": ["loved it", "hated it", "ok"] * 4,
            "y": ["p", "n", "p"] * 4,
        }
    )
    dls = small_loaders(df, text_col=["title", "body"], label_col="y")
    tokens = dls.train_ds.decode(dls.train_ds[0])[0].split(" ")
    assert tokens[:3] == ["xxbos", "xxfld", "1"] and "xxfld" in tokens[3:]


def test_a_datablock_with_colreader_as_fastais(reviews):
    dblock = DataBlock(
        blocks=(TextBlock.from_df("text", seq_len=36, n_workers=0), CategoryBlock),
        get_x=ColReader("text"),
        get_y=ColReader("label"),
        splitter=ColSplitter(),
    )
    dls = dblock.dataloaders(reviews, bs=8, device="cpu")
    x, _ = dls.one_batch()
    for row in x:  # padding comes in whole chunks of seq_len before the text, the rest after it
        assert int((row != 1).nonzero()[0]) % 36 == 0


def test_backwards_reverses_each_text(reviews):
    kw = dict(text_col="text", label_col="label", valid_col="is_valid", bs=8, device="cpu", n_workers=0)
    fwd = TextDataLoaders.from_df(reviews, **kw)
    bwd = TextDataLoaders.from_df(reviews, backwards=True, **kw)
    assert bwd.vocab == fwd.vocab
    assert torch.equal(bwd.valid_ds[0][0], fwd.valid_ds[0][0].flip(0))


def test_the_tokenizer_keeps_no_corpus_when_pickled(reviews):
    tok = Tokenizer.from_df("text", n_workers=0)
    tok.setup(list(reviews.text[:10]))
    assert len(tok._cache) == 10 and tok(reviews.text[3]) == tokenize1(reviews.text[3])
    assert pickle.loads(pickle.dumps(tok))._cache == {}


@pytest.mark.parametrize("bad", [np.nan, 3.5])
def test_a_text_column_of_numbers_or_nan_names_the_row(bad):
    df = pd.DataFrame({"text": ["good film", "bad film", bad, "fine"], "label": ["p", "n", "p", "n"]})
    with pytest.raises(Exception, match="row 2") as e:
        TextDataLoaders.from_df(df, text_col="text", label_col="label", device="cpu", n_workers=0)
    assert "not text" in str(e.value)


def test_an_empty_text_is_named():
    df = pd.DataFrame({"text": ["good film", "", "bad film", "fine"] * 3, "label": ["p", "n"] * 6})
    with pytest.raises(Exception, match="row 1 is empty"):
        TextDataLoaders.from_df(df, text_col="text", label_col="label", device="cpu", n_workers=0)


def test_sentencepiece_tokenizes_a_classifiers_texts_into_pieces(reviews, tmp_path):
    from lamella.text import SentencePieceTokenizer

    sp = SentencePieceTokenizer(vocab_sz=400, cache_dir=tmp_path / "spm")
    tok = Tokenizer.from_df("text", tok=sp, n_workers=2)
    dls = TextDataLoaders.from_df(
        reviews,
        text_col="text",
        label_col="label",
        valid_col="is_valid",
        bs=8,
        tok_tfm=tok,
        device="cpu",
        min_freq=1,
    )
    pieces = dls.train_ds.decode(dls.train_ds[0])[0].split(" ")
    assert pieces[:2] == ["▁xxbos", "▁xxmaj"] and (tmp_path / "spm" / "spm.model").exists()
    assert 100 < len(dls.vocab[0]) <= 500  # about the pieces the model has, not the words
    assert pickle.loads(pickle.dumps(tok))(reviews.text[0]) == tok(reviews.text[0])
