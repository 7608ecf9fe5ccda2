import pickle

import pytest
import torch

from lamella.data import (
    Categorize,
    Category,
    CategoryMap,
    EncodedMultiCategorize,
    MultiCategorize,
    MultiCategory,
    OneHotEncode,
    RegressionSetup,
    TitledFloat,
)
from lamella.transforms import Pipeline, TransformError
from lamella.typedtensor import TensorCategory, TensorMultiCategory


def test_category_map_sorting_and_na():
    assert list(CategoryMap(["b", "a", "b"])) == ["a", "b"]
    assert list(CategoryMap(["b", "a"], sort=False)) == ["b", "a"]
    vocab = CategoryMap(["b", "a"], add_na=True)
    assert list(vocab) == ["#na#", "a", "b"] and vocab.o2i["zzz"] == 0 and vocab.o2i["b"] == 2
    assert list(CategoryMap([torch.tensor(3), torch.tensor(1)])) == [1, 3]
    back = pickle.loads(pickle.dumps(vocab))
    assert list(back) == list(vocab) and back.o2i["new"] == 0


def test_categorize_round_trip_and_vocab_from_setup():
    tfm = Categorize()
    tfm.setup(["dog", "cat", "dog"])
    assert tfm.vocab == ["cat", "dog"] and tfm.c == 2
    enc = tfm("dog")
    assert type(enc) is TensorCategory and int(enc) == 1
    dec = tfm.decode(enc)
    assert isinstance(dec, Category) and dec == "dog"
    assert tfm.decode(TensorCategory([1, 0])) == ["dog", "cat"]


def test_unknown_label_at_validation_names_the_label():
    tfm = Categorize()
    tfm.setup(["cat", "dog"])
    with pytest.raises(
        TransformError, match=r"label 'bird' is not in the vocabulary .*\['cat', 'dog'\].*add_na=True"
    ):
        tfm("bird")
    na = Categorize(add_na=True)
    na.setup(["cat", "dog"])
    assert int(na("bird")) == 0 and na.decode(na("bird")) == "#na#"


def test_categorize_without_setup_says_so():
    with pytest.raises(TransformError, match="has no vocabulary"):
        Categorize()("a")


def test_fixed_vocab_is_kept():
    tfm = Categorize(vocab=["z", "a"])
    tfm.setup(["a"])
    assert tfm.vocab == ["z", "a"] and int(tfm("a")) == 1


def test_multi_label_pipeline():
    pipe = Pipeline([MultiCategorize(), OneHotEncode()])
    pipe.setup([["cat"], ["dog", "cat"], []])
    enc = pipe(["dog"])
    assert type(enc) is TensorMultiCategory and enc.tolist() == [0.0, 1.0]
    dec = pipe.decode(enc)
    assert isinstance(dec, MultiCategory) and dec == ["dog"]
    with pytest.raises(TransformError, match=r"labels \['bird'\] are not in the vocabulary"):
        pipe(["bird"])


def test_one_hot_needs_a_vocab_or_c():
    with pytest.raises(TransformError, match="OneHotEncode needs c="):
        OneHotEncode().setup([1, 2])


def test_encoded_multi_categorize():
    tfm = EncodedMultiCategorize(vocab=["a", "b", "c"])
    enc = tfm([0, 1, 1])
    assert enc.dtype == torch.float32 and tfm.decode(enc) == ["b", "c"] and tfm.c == 3


def test_regression_setup():
    tfm = RegressionSetup()
    tfm.setup([[1.0, 2.0], [3.0, 4.0]])
    assert tfm.c == 2 and tfm([1, 2]).dtype == torch.float32
    assert tfm.decode(torch.tensor([1.5, 2.0])) == [1.5, 2.0]
    one = RegressionSetup()
    one.setup([1.0, 2.0])
    assert one.c == 1 and isinstance(one.decode(torch.tensor(2.5)), TitledFloat)


def test_decoded_labels_show_as_titles(mpl):
    assert Category("dog").show().get_title() == "dog"
    assert MultiCategory(["a", "b"]).show().get_title() == "a;b"
    assert TitledFloat(1.23456).show().get_title() == "1.235"


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_a_missing_label_is_refused_with_its_position(missing):
    with pytest.raises(TransformError, match="1 of 4 labels are missing .* at position 2"):
        Categorize().setup([3.0, 7.0, missing, 3.0])
    with pytest.raises(TransformError, match="labels are missing"):
        MultiCategorize().setup([["a"], ["b", missing]])
    assert list(CategoryMap(["b", None], sort=False, add_na=True)) == ["#na#", "b", None]  # add_na: allowed


def test_labels_of_mixed_types_say_so():
    with pytest.raises(TransformError, match=r"the labels mix types \['int', 'str'\]"):
        Categorize().setup([1, "cat", 2])
    tfm = Categorize(sort=False)
    tfm.setup([1, "cat"])
    assert list(tfm.vocab) == [1, "cat"]  # unsorted: any hashable labels


def test_one_hot_and_its_decode_as_fastais():
    from lamella.data import one_hot, one_hot_decode

    assert one_hot([1, 3], 5).tolist() == [0, 1, 0, 1, 0] and one_hot([1, 3], 5).dtype == torch.uint8
    assert one_hot(torch.tensor([2]), 3).tolist() == [0, 0, 1]
    assert one_hot(2, 3).tolist() == [0, 0, 1] and one_hot([], 2).tolist() == [0, 0]
    assert one_hot_decode(one_hot([0, 2], 3), vocab=["a", "b", "c"]) == ["a", "c"]
    for bad in ([3], [-1]):
        with pytest.raises(ValueError, match=r"class indices must lie in \[0, 3\)"):
            one_hot(bad, 3)
