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
    get_text_files,
    tokenize1,
    tokenize_df,
)


def _small_loaders(df, **kwargs):
    """Classifier loaders for a dozen-row frame: every word kept, a quarter for validation, one process."""
    settings = dict(bs=4, device="cpu", valid_pct=0.25, seed=0, n_workers=0, min_freq=1)
    return TextDataLoaders.from_df(df, **{**settings, **kwargs})


@pytest.fixture(scope="module")
def reviews(shared_sample):
    df = pd.read_csv(shared_sample("imdb_sample") / "texts.csv")
    return pd.concat([df[~df.is_valid].head(120), df[df.is_valid].head(40)], ignore_index=True)


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
    dls = _small_loaders(df, text_col=["title", "body"], label_col="y")
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


def test_from_folder_labels_by_parent_and_reuses_its_tokens(tmp_path):
    for split in ("train", "valid"):
        for label in ("neg", "pos"):
            (tmp_path / split / label).mkdir(parents=True)
            for i in range(4):
                (tmp_path / split / label / f"{i}.txt").write_text(f"A {label} review, number {i}.")
    dls = TextDataLoaders.from_folder(tmp_path, bs=2, device="cpu", n_workers=0, min_freq=1)
    assert dls.vocab[1] == ["neg", "pos"] and len(dls.train_ds) == 8 and len(dls.valid_ds) == 8
    out = tmp_path.parent / f"{tmp_path.name}_tok"
    assert (out / "counter.pkl").exists() and len(get_text_files(out)) == 16
    lm = TextDataLoaders.from_folder(tmp_path, is_lm=True, bs=2, seq_len=4, device="cpu", n_workers=0)
    assert lm.train.one_batch()[0].shape == (2, 4)


def test_the_tokenizer_keeps_no_corpus_when_pickled(reviews):
    tok = Tokenizer.from_df("text", n_workers=0)
    tok.setup(list(reviews.text[:10]))
    assert len(tok._cache) == 10 and tok(reviews.text[3]) == tokenize1(reviews.text[3])
    assert pickle.loads(pickle.dumps(tok))._cache == {}


# -- bad input --------------------------------------------------------------------------------------------
def test_a_missing_column_is_named():
    df = pd.DataFrame({"text": ["a b"] * 4, "label": [0, 1] * 2})
    with pytest.raises(KeyError, match="label_col: no column 'sentiment'.*'text', 'label'"):
        TextDataLoaders.from_df(df, text_col="text", label_col="sentiment", device="cpu")
    with pytest.raises(KeyError, match="text_col: no column 'review'"):
        TextDataLoaders.from_df(df, text_col="review", label_col="label", device="cpu")


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


def test_a_folder_without_text_files_and_a_non_utf8_file_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no text files"):
        TextDataLoaders.from_folder(tmp_path, device="cpu", n_workers=0)
    (tmp_path / "train" / "pos").mkdir(parents=True)
    (tmp_path / "train" / "pos" / "latin1.txt").write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    with pytest.raises(ValueError, match="latin1.txt is not utf8 text"):
        TextDataLoaders.from_folder(tmp_path, device="cpu", n_workers=0)


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


def test_multi_label_texts_from_a_delimited_column():
    df = pd.DataFrame(
        {
            "text": ["funny and sad", "only funny", "sad story", "scary and funny"] * 3,
            "tags": ["comedy;drama", "comedy", "drama", "horror;comedy"] * 3,
        }
    )
    dls = _small_loaders(df, text_col="text", label_col="tags", label_delim=";")
    assert dls.vocab[1] == ["comedy", "drama", "horror"]
    _, y = dls.one_batch()
    assert y.shape == (4, 3) and set(y.sum(1).tolist()) <= {1.0, 2.0}


def test_a_given_tokenizer_and_n_workers_together():
    df = pd.DataFrame({"text": ["a b", "b c", "c a", "a c"] * 3, "label": ["x", "y"] * 6})
    tok = Tokenizer.from_df("text", n_workers=0)
    dls = TextDataLoaders.from_df(
        df, text_col="text", label_col="label", tok_tfm=tok, n_workers=0, bs=4, device="cpu", min_freq=1
    )
    assert dls.train_ds.tls[0].tfms.fs[0] is tok
