import numpy as np
import pytest
import torch

from lamella.data import (
    CategoryBlock,
    DataBlock,
    DataLoader,
    IndexSplitter,
    MultiCategoryBlock,
    Normalize,
    RandomSplitter,
    RegressionBlock,
    TransformBlock,
)
from lamella.transforms import Transform, TransformError
from lamella.typedtensor import TensorCategory, TensorImageBW, TensorMultiCategory


class ToImage(Transform):
    def encodes(self, row: np.ndarray) -> TensorImageBW:
        return torch.as_tensor(row[:64], dtype=torch.float32).view(1, 8, 8) / 16


def digits_block(**kwargs):
    return DataBlock(
        blocks=(TransformBlock(type_tfms=ToImage()), CategoryBlock),
        get_y=lambda row: str(int(row[64])),
        splitter=RandomSplitter(0.2, seed=42),
        **kwargs,
    )


@pytest.fixture
def rows(digits):
    x, y = digits
    return np.concatenate([x, y[:, None]], axis=1)


def test_digits_end_to_end(rows):
    dls = digits_block(batch_tfms=Normalize.from_stats([0.3], [0.4])).dataloaders(
        rows, bs=64, device="cpu", seed=0
    )
    assert len(dls.train_ds) == 1438 and len(dls.valid_ds) == 359
    assert dls.train_ds.vocab == [str(i) for i in range(10)]
    x, y = dls.one_batch()
    assert type(x) is TensorImageBW and x.shape == (64, 1, 8, 8) and type(y) is TensorCategory
    assert abs(x.mean().item()) < 1.5  # normalised on the batch
    assert len(dls.train) == 1438 // 64 and len(dls.valid) == -(-359 // 64)
    decoded = dls.valid.decode_batch(dls.valid.one_batch(), max_n=3)
    assert [d[1] for d in decoded] == [str(int(r[64])) for r in dls.valid_ds.items[:3]]
    assert [type(d[0]).__name__ for d in decoded] == ["TensorImageBW"] * 3


def test_getters_per_block_and_n_inp():
    dblock = DataBlock(
        blocks=(TransformBlock, TransformBlock, CategoryBlock),
        get_x=[lambda o: o * 2, lambda o: o * 3],
        get_y=lambda o: "big" if o > 4 else "small",
        splitter=IndexSplitter([0]),
    )
    dsets = dblock.datasets(list(range(10)))
    assert dsets.n_inp == 2 and dsets.train[0] == (2, 3, TensorCategory(1))


def test_default_splitter_and_source_as_items():
    dsets = DataBlock().datasets(list(range(10)))
    assert len(dsets.train) == 8 and len(dsets.valid) == 2 and dsets[3] == (3, 3)


def test_multi_category_and_regression_blocks():
    dblock = DataBlock(
        blocks=(TransformBlock, MultiCategoryBlock, RegressionBlock),
        get_y=[lambda o: o["tags"].split(), lambda o: o["score"]],
        get_x=lambda o: o["score"] * 0,
        n_inp=1,
        splitter=IndexSplitter([2]),
    )
    items = [{"tags": "a b", "score": 1.0}, {"tags": "b", "score": 2.0}, {"tags": "a", "score": 3.0}]
    dls = dblock.dataloaders(items, bs=2, device="cpu")
    x, tags, score = dls.valid.one_batch()
    assert (
        type(tags) is TensorMultiCategory and tags.tolist() == [[1.0, 0.0]] and score.dtype == torch.float32
    )
    assert dls.valid.decode_batch((x, tags, score))[0][1] == ["a"]


def test_encoded_multi_category_needs_vocab():
    with pytest.raises(ValueError, match="needs the vocab"):
        MultiCategoryBlock(encoded=True)


def test_a_failing_get_y_names_the_item():
    def get_y(o):
        return {"a": "x", "b": "y"}[o]

    dblock = DataBlock(blocks=(TransformBlock, CategoryBlock), get_y=get_y, splitter=IndexSplitter([0]))
    with pytest.raises(
        TransformError, match=r"setting up on item 1 \(str 'c'\): get_y failed .*KeyError: 'c'"
    ):
        dblock.datasets(["a", "b", "c"])
    dsets = DataBlock(
        blocks=(TransformBlock, CategoryBlock), get_y=get_y, splitter=IndexSplitter([2])
    ).datasets(["a", "b", "c"])
    with pytest.raises(TransformError, match=r"item 0 \(str 'c'\): get_y failed .*KeyError: 'c'"):
        dsets.valid[0]


def test_no_items_is_an_error():
    with pytest.raises(ValueError, match="found no items"):
        DataBlock(get_items=lambda src: []).datasets("somewhere")


def test_getters_must_match_blocks():
    with pytest.raises(ValueError, match="3 getters for 2 blocks"):
        DataBlock(getters=[None, None, None])


def test_user_transform_replaces_a_block_transform_of_its_class():
    norm_a, norm_b = Normalize.from_stats([0.0], [1.0]), Normalize.from_stats([0.5], [2.0])
    dblock = DataBlock(blocks=(TransformBlock(batch_tfms=norm_a), TransformBlock), batch_tfms=norm_b)
    assert dblock.batch_tfms == [norm_b]
    assert dblock.dl_type is DataLoader


def test_summary_on_success(rows, capsys):
    digits_block().summary(rows[:50], bs=4)
    out = capsys.readouterr().out
    assert "Found 50 items" in out and "2 datasets of sizes 40, 10" in out
    assert "ToImage                  -> TensorImageBW of shape (1, 8, 8), dtype torch.float32" in out
    assert "Categorize               -> TensorCategory of shape (), dtype torch.int64" in out
    assert (
        "Collated batch: (TensorImageBW of shape (4, 1, 8, 8), dtype torch.float32, "
        "TensorCategory of shape (4,)" in out
    )


def test_summary_on_failure_says_which_step_and_item(capsys):
    def get_y(o):
        return {1: "one"}[o]

    dblock = DataBlock(blocks=(TransformBlock, CategoryBlock), get_y=get_y, splitter=IndexSplitter([0]))
    with pytest.raises(TransformError):
        dblock.summary([1, 2, 3])
    out = capsys.readouterr().out
    assert "Failed while setting up the type transforms" in out and "get_y failed" in out


def test_summary_on_a_collation_failure(capsys):
    dblock = DataBlock(get_x=lambda o: torch.zeros(o), splitter=IndexSplitter([]))
    with pytest.raises(Exception, match="cannot collate"):
        dblock.summary([1, 2, 3, 4], bs=4)
    out = capsys.readouterr().out
    assert "Failed while collating the items into a batch" in out and "dataset items 0 (int 1)" in out


def test_getters_receive_the_whole_tuple_item():
    # fastai: `get_x=lambda o: o[0], get_y=lambda o: o[1]` on (x, label) tuples (labels stayed words)
    items = [(float(i), "odd" if i % 2 else "even") for i in range(8)]
    dls = DataBlock(
        blocks=(TransformBlock, CategoryBlock), get_x=lambda o: o[0], get_y=lambda o: o[1],
        splitter=lambda its: (list(range(6)), [6, 7]),
    ).dataloaders(items, bs=2, device="cpu")  # fmt: skip
    assert dls.train_ds.vocab == ["even", "odd"]
    assert dls.valid_ds[0] == (6.0, TensorCategory(0))


def test_operator_getters_and_transform_classes_in_a_datablock():
    from operator import attrgetter, itemgetter

    class Item:
        def __init__(self, x, y):
            self.x, self.y = x, y

    class Twice(Transform):
        def encodes(self, x: float):
            return x * 2

    items = [Item(float(i), i % 2) for i in range(8)]
    dls = DataBlock(
        blocks=(TransformBlock, CategoryBlock), get_x=attrgetter("x"), get_y=attrgetter("y"),
        splitter=lambda its: (list(range(6)), [6, 7]), item_tfms=[Twice],
    ).dataloaders(items, bs=2, device="cpu")  # fmt: skip
    assert dls.valid.one_batch()[0].tolist() == [12.0, 14.0]
    rows = [(float(i), i % 2) for i in range(8)]
    dls = DataBlock(
        blocks=(TransformBlock, CategoryBlock), get_x=itemgetter(0), get_y=itemgetter(1),
        splitter=lambda its: (list(range(6)), [6, 7]),
    ).dataloaders(rows, bs=2, device="cpu")  # fmt: skip
    assert dls.valid.one_batch()[1].tolist() == [0, 1]


def test_loader_transforms_given_to_dataloaders_add_to_the_blocks_and_settings_override():
    class Twice(Transform):
        order = 5

        def encodes(self, x: float):
            return x * 2

    class PlusOne(Transform):
        order = 10

        def encodes(self, x: float):
            return x + 1

    block = DataBlock(
        blocks=(TransformBlock, CategoryBlock), get_x=lambda o: o[0], get_y=lambda o: o[1],
        splitter=lambda its: (list(range(6)), [6, 7]), item_tfms=Twice,
    )  # fmt: skip
    rows = [(float(i), i % 2) for i in range(8)]
    dls = block.dataloaders(rows, bs=2, device="cpu", after_item=PlusOne, shuffle=False)
    assert dls.valid.one_batch()[0].tolist() == [13.0, 15.0]  # (6 * 2) + 1: both, in order
    assert dls.train.one_batch()[0].tolist() == [1.0, 3.0]  # shuffle=False reaches the training loader


def test_new_and_from_columns():
    from lamella.transforms import Transform

    class Twice(Transform):
        def encodes(self, x: float):
            return x * 2

    dblock = DataBlock.from_columns(
        blocks=(TransformBlock, CategoryBlock), splitter=lambda items: ([0, 1, 2], [3])
    )
    cols = ([1.0, 2.0, 3.0, 4.0], ["a", "b", "a", "b"])
    dls = dblock.dataloaders(cols, bs=2, device="cpu")
    assert dls.vocab == ["a", "b"] and dls.valid.one_batch()[0].tolist() == [4.0]
    doubled = dblock.new(item_tfms=[Twice()]).dataloaders(cols, bs=2, device="cpu")
    assert doubled.valid.one_batch()[0].tolist() == [8.0] and dblock.dataloaders(
        cols, bs=2
    ).valid.one_batch()[0].tolist() == [4.0]


def test_fastcore_lists_and_tuples_are_accepted():
    fastcore = pytest.importorskip("fastcore.all")
    from lamella.transforms import Transform

    class Twice(Transform):
        def encodes(self, x: float):
            return x * 2

    items = [fastcore.fastuple((float(i), "odd" if i % 2 else "even")) for i in range(8)]
    dls = DataBlock(
        blocks=fastcore.L(TransformBlock, CategoryBlock), get_x=fastcore.L(lambda o: o[0]),
        get_y=lambda o: o[1], splitter=lambda its: (list(range(6)), [6, 7]), item_tfms=fastcore.L(Twice()),
    ).dataloaders(fastcore.L(items), bs=2, device="cpu")  # fmt: skip
    assert dls.vocab == ["even", "odd"] and dls.valid.one_batch()[0].tolist() == [12.0, 14.0]


def test_a_none_block_is_a_plain_block_as_in_fastai():
    dsets = DataBlock(blocks=(None, CategoryBlock), get_y=lambda o: "odd" if o % 2 else "even",
                      splitter=IndexSplitter([0])).datasets([1, 2, 3])  # fmt: skip
    assert dsets.train[0][0] == 2 and dsets.vocab == ["even", "odd"]
