"""TextDataLoaders' factories: folders, frames, multi-label columns, a given tokenizer, bad input named."""

import pandas as pd
import pytest

from lamella.text import (
    TextDataLoaders,
    Tokenizer,
    get_text_files,
)

from .conftest import small_loaders


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


def test_a_missing_column_is_named():
    df = pd.DataFrame({"text": ["a b"] * 4, "label": [0, 1] * 2})
    with pytest.raises(KeyError, match="label_col: no column 'sentiment'.*'text', 'label'"):
        TextDataLoaders.from_df(df, text_col="text", label_col="sentiment", device="cpu")
    with pytest.raises(KeyError, match="text_col: no column 'review'"):
        TextDataLoaders.from_df(df, text_col="review", label_col="label", device="cpu")


def test_a_folder_without_text_files_and_a_non_utf8_file_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no text files"):
        TextDataLoaders.from_folder(tmp_path, device="cpu", n_workers=0)
    (tmp_path / "train" / "pos").mkdir(parents=True)
    (tmp_path / "train" / "pos" / "latin1.txt").write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    with pytest.raises(ValueError, match="latin1.txt is not utf8 text"):
        TextDataLoaders.from_folder(tmp_path, device="cpu", n_workers=0)


def test_multi_label_texts_from_a_delimited_column():
    df = pd.DataFrame(
        {
            "text": ["funny and sad", "only funny", "sad story", "scary and funny"] * 3,
            "tags": ["comedy;drama", "comedy", "drama", "horror;comedy"] * 3,
        }
    )
    dls = small_loaders(df, text_col="text", label_col="tags", label_delim=";")
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
