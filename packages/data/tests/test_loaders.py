"""DataLoaders: the parts, pickling an empty copy, fastai's attributes, a missing validation split."""

import pickle

import pytest
import torch

from lamella.data import Categorize, DataLoader, DataLoaders, Datasets
from lamella.transforms import Transform

from .conftest import make_dls


def test_dataloaders_parts_and_new_empty_pickles():
    dls = make_dls()
    assert len(dls.train_ds) == 4 and len(dls.valid_ds) == 2 and dls[1] is dls.valid
    assert len(dls.train) == 2 and dls.train.shuffle and not dls.valid.shuffle
    empty = pickle.loads(pickle.dumps(dls.new_empty()))
    assert len(empty.train.dataset) == 0 and empty.train_ds.vocab == ["cat", "dog"]
    assert empty.test_dl(["dog.1"]).one_batch()[0].tolist() == [1]
    assert repr(dls) == "DataLoaders: [4, 2] items, device=cpu"


def test_dataloaders_hand_fastais_attributes_to_the_training_loader():

    dsets = Datasets(["a", "b", "a", "b"], [[], [Categorize()]], splits=([0, 1, 2], [3]))
    dls = DataLoaders(DataLoader(dsets.subset(0), bs=2), DataLoader(dsets.subset(1), bs=2), device="cpu")
    assert dls.vocab == ["a", "b"] and dls.c == 2 and dls.bs == 2 and dls.n_inp == 1
    assert dls.dataset is dls.train.dataset
    assert dls.decode_batch(dls.valid.one_batch()) == [("b", "b")]
    assert dls.cpu().device == torch.device("cpu") and isinstance(dls.new(dsets.subset(1)), DataLoader)
    dls.add_tfms([Transform(lambda b: b)], "after_batch", loaders=[1])
    assert len(dls.valid.after_batch.fs) == 1 and len(dls.train.after_batch.fs) == 0
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        getattr(dls, "nothing_here")  # noqa: B009


def test_loaders_without_a_validation_split_say_so_and_still_make_test_loaders():
    dls = DataLoaders(DataLoader([1, 2, 3], bs=2), device="cpu")
    with pytest.raises(IndexError, match="a training loader only, no validation one: split the data"):
        _ = dls.valid
    assert dls.test_dl([7, 8]).one_batch().tolist() == [7, 8]
