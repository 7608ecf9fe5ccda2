"""The vocabulary (fastai's rules) and numericalization, both ways."""

from collections import Counter

import pytest

from lamella.text import Numericalize, TensorText, make_vocab
from lamella.transforms import TransformError


def test_vocab_puts_special_tokens_first_and_pads_to_eight():
    count = Counter({"the": 10, "xxmaj": 9, "cat": 3, "rare": 2})
    vocab = make_vocab(count, min_freq=3)
    assert vocab[:9] == ["xxunk", "xxpad", "xxbos", "xxeos", "xxfld", "xxrep", "xxwrep", "xxup", "xxmaj"]
    assert vocab[9:11] == ["the", "cat"] and "rare" not in vocab and len(vocab) % 8 == 0
    assert len(make_vocab(Counter({f"w{i}": 5 for i in range(100)}), max_vocab=20)) == 24  # 20, then padding


def test_numericalize_sets_up_from_counts_and_decodes():
    num = Numericalize(min_freq=2)
    num.setup([["a", "a", "b"], ["a", "c", "c"]])
    assert num.vocab[9:11] == ["a", "c"] and num(["a", "b", "c"]).tolist() == [9, 0, 10]
    assert type(num(["a"])) is TensorText and num.decode(num(["xxpad", "a"])) == ["a"]
    with pytest.raises(TransformError, match="no vocabulary"):
        Numericalize()(["a"])
