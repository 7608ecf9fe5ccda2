"""Tokenization: fastai's tokens on the same texts, parallel results in order, frames, folders, bad input."""

import hashlib
import json
import os
import pickle
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest

import lamella.samples
from lamella.text.core import (
    Tokenizer,
    fn_counter_pkl,
    fn_lengths_pkl,
    parallel_tokenize,
    tokenize_df,
    tokenize_folder,
    tokenize_texts,
)
from lamella.text.tokenizers import BaseTokenizer, SpacyTokenizer, tokenize1

GOLDEN = json.loads((Path(__file__).parent / "fastai_tokens.json").read_text(encoding="utf8"))


@pytest.fixture(scope="module")
def tok():
    return SpacyTokenizer()


def test_crafted_texts_give_fastais_tokens(tok):
    for text, expected in GOLDEN["crafted"]:
        assert tokenize1(text, tok) == expected, text


def test_wikitext_lines_give_fastais_tokens(tok):
    lines = [
        line
        for line in (lamella.samples.path("wikitext2_raw_small") / "valid.txt")
        .read_text(encoding="utf8")
        .splitlines()
        if line.strip()
    ]
    expected = GOLDEN["wikitext_valid_first_lines"]
    assert tokenize_texts(lines[: len(expected)], n_workers=0, tok=tok) == expected


def test_imdb_reviews_give_fastais_tokens(tok, shared_sample):
    path = shared_sample("imdb_sample")
    texts = pd.read_csv(path / "texts.csv").text.tolist()[: len(GOLDEN["imdb_md5"])]
    ours = [
        hashlib.md5(" ".join(t).encode()).hexdigest() for t in tokenize_texts(texts, n_workers=0, tok=tok)
    ]
    mismatched = [i for i, (a, b) in enumerate(zip(ours, GOLDEN["imdb_md5"])) if a != b]
    assert not mismatched, f"reviews {mismatched[:5]} tokenize differently from fastai"


def test_parallel_results_come_in_input_order(tok):
    texts = [f"Text number {i} says {'hello ' * (i % 5)}" for i in range(700)]
    alone = tokenize_texts(texts, n_workers=0, tok=tok)
    pairs = list(parallel_tokenize(texts, tok, n_workers=2, chunksize=64))
    assert [i for i, _ in pairs] == list(range(700)) and [t for _, t in pairs] == alone


def test_tokenize_df_joins_and_marks_fields():
    df = pd.DataFrame({"title": ["Great"], "body": ["A fine FILM"], "label": ["pos"]})
    out, counts = tokenize_df(df, ["title", "body"], n_workers=0)
    assert out.columns.tolist() == ["label", "text", "text_length"]
    assert out.text[0] == ["xxbos", "xxfld", "1", "xxmaj", "great", "xxfld", "2", "a", "fine", "xxup", "film"]
    assert counts["xxfld"] == 2 and out.text_length[0] == 11


@pytest.mark.parametrize("bad", [float("nan"), 3.5, None])
def test_a_text_column_without_text_names_the_row(bad):
    df = pd.DataFrame({"text": ["fine", bad, "ok"]}, index=[10, 11, 12])
    with pytest.raises(ValueError, match=r"text column 'text': row 11 holds"):
        tokenize_df(df, "text", n_workers=0)
    with pytest.raises(KeyError, match="no column 'txt'"):
        tokenize_df(df, "txt", n_workers=0)


def test_tokenize_folder_writes_counts_lengths_and_reuses_them(tmp_path):
    src = tmp_path / "corpus"
    (src / "pos").mkdir(parents=True)
    (src / "pos" / "a.txt").write_text("Good film", encoding="utf8")
    (src / "b.txt").write_text("BAD bad bad bad", encoding="utf8")
    out = tokenize_folder(src, n_workers=0)
    assert (out / "pos" / "a.txt").read_text() == "xxbos xxmaj good film"
    lengths = pickle.loads((out / fn_lengths_pkl).read_bytes())
    counts = pickle.loads((out / fn_counter_pkl).read_bytes())
    assert lengths == {"b.txt": 6, "pos/a.txt": 4} and counts["xxbos"] == 2  # xxbos xxup bad xxwrep 3 bad
    stamp = os.stat(out / "b.txt").st_mtime_ns
    assert tokenize_folder(src, n_workers=0) == out and os.stat(out / "b.txt").st_mtime_ns == stamp


def test_tokenize_folder_bad_input(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no text files"):
        tokenize_folder(tmp_path / "empty", n_workers=0)
    (tmp_path / "latin").mkdir()
    (tmp_path / "latin" / "x.txt").write_bytes("café".encode("latin-1"))
    with pytest.raises(ValueError, match=r"x\.txt is not utf8 text"):
        tokenize_folder(tmp_path / "latin", n_workers=0)


def test_tokenize_folder_memory_stays_flat(tmp_path):
    def peak(n_files):
        d = tmp_path / f"c{n_files}"
        d.mkdir()
        for i in range(n_files):
            (d / f"{i}.txt").write_text("Some text of a review, repeated. " * 200, encoding="utf8")
        tracemalloc.start()
        tokenize_folder(d, n_workers=0, tok=BaseTokenizer())
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, big = peak(20), peak(200)
    assert big < 2 * small, (small, big)  # ten times the files, not ten times the memory


def test_tokenizer_transform_and_its_decode(tmp_path):
    t = Tokenizer(BaseTokenizer())
    toks = t("The END")
    assert toks == ["xxbos", "xxmaj", "the", "xxup", "end"] and t.decode(toks) == "xxbos xxmaj the xxup end"
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.txt").write_text("Hi there", encoding="utf8")
    folder = Tokenizer.from_folder(tmp_path / "d", n_workers=0)
    assert folder(tmp_path / "d" / "x.txt") == ["xxbos", "xxmaj", "hi", "there"]
    assert folder.get_lengths([tmp_path / "d" / "x.txt"]) == [4]
