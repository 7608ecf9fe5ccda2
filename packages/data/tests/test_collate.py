"""Collation: types and metadata kept, tuples field by field, mismatched items named."""

import pytest
import torch

from lamella.data import DataLoader, Datasets, collate
from lamella.data.collate import CollateError
from lamella.typedtensor import TensorCategory, TensorPoint


def test_collate_keeps_types_and_metadata():
    pts = [TensorPoint([[float(i), 0.0]], img_size=(8, 8)) for i in range(3)]
    b = collate([(p, TensorCategory(i), f"name{i}", {"k": i}) for i, p in enumerate(pts)])
    assert type(b[0]) is TensorPoint and b[0].img_size == (8, 8) and b[0].shape == (3, 1, 2)
    assert (
        type(b[1]) is TensorCategory
        and b[2] == ["name0", "name1", "name2"]
        and b[3]["k"].tolist() == [0, 1, 2]
    )


def test_mixed_shapes_name_the_items():
    items = ["a.png", "b.png", "c.png"]
    ds = Datasets(items, [[lambda o: torch.zeros(3 if o != "c.png" else 4)]])
    dl = DataLoader(ds, bs=3)
    with pytest.raises(
        CollateError,
        match=r"item 0 of the batch has shape \(3,\) but item 2 has shape \(4,\).*"
        r"dataset items 0 \(str 'a.png'\), 1 \(str 'b.png'\), 2 \(str 'c.png'\)",
    ):
        dl.one_batch()


def test_tuple_subclasses_survive_collation():
    class Pair(tuple):
        pass

    b = collate([Pair((torch.zeros(2), torch.ones(2))), Pair((torch.ones(2), torch.zeros(2)))])
    assert type(b) is Pair and b[0].shape == (2, 2)
