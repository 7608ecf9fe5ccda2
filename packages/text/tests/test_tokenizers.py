"""The tokenizers alone: split, spaCy (special tokens whole), SentencePiece trained at setup, the rules."""

import pickle

import pytest

from lamella.text.rules import text_spec_tok
from lamella.text.tokenizers import (
    BaseTokenizer,
    SentencePieceTokenizer,
    SpacyTokenizer,
    SubwordTokenizer,
    TokenizeWithRules,
    WordTokenizer,
    tokenize1,
)


def test_spacy_keeps_every_special_token_whole():
    text = " ".join(text_spec_tok) + " it's done."
    toks = next(iter(SpacyTokenizer()([text])))
    assert toks[: len(text_spec_tok)] == text_spec_tok and toks[-4:] == ["it", "'s", "done", "."]
    assert WordTokenizer is SpacyTokenizer and SubwordTokenizer is SentencePieceTokenizer


def test_base_tokenizer_splits_on_its_character_and_the_rules_wrap_any_tokenizer():
    assert list(BaseTokenizer("|")(["a|b c"])) == [["a", "b c"]]
    rules = TokenizeWithRules(BaseTokenizer(), rules=[str.upper], post_rules=[lambda t: t + "!"])
    assert list(rules(["ab cd"])) == [["AB!", "CD!"]]
    again = pickle.loads(pickle.dumps(TokenizeWithRules(SpacyTokenizer())))  # it travels to worker processes
    assert list(again(["The CAT"])) == [["xxbos", "xxmaj", "the", "xxup", "cat"]]
    assert tokenize1("new york", tok=BaseTokenizer(), post_rules=None) == ["xxbos", "new", "york"]


def test_sentencepiece_trains_at_setup_and_cuts_unseen_words_into_pieces(tmp_path):
    pytest.importorskip("sentencepiece")
    texts = [f"the quick brown fox number {i} jumps over the lazy dog" for i in range(200)]
    sp = SentencePieceTokenizer(vocab_sz=60, cache_dir=tmp_path)
    files = sp.setup(texts)
    assert files["sp_model"].exists()
    pieces = next(iter(sp(["the foxes jumped"])))
    assert "".join(pieces).replace("▁", " ").strip() == "the foxes jumped" and len(pieces) > 3
