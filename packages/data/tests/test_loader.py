import pytest
import torch

from lamella.data import DataLoader, Datasets
from lamella.transforms import Transform
from lamella.typedtensor import TensorCategory, TensorImage

from .conftest import make_dls


class Noise(Transform):
    """A random item transform: adds torch noise, so worker seeding shows."""

    def encodes(self, x: TensorImage):
        return x + torch.rand(1)


def _items(n=24):
    return Datasets(list(range(n)), [[lambda i: TensorImage(torch.full((2,), float(i)))], [TensorCategory]])


@pytest.mark.parametrize("num_workers", [0, 2])
def test_workers_reproduce_exactly_with_a_seed(num_workers):
    def run():
        torch.manual_seed(0)  # in this process, item transforms draw from torch's global RNG
        dl = DataLoader(_items(), bs=4, shuffle=True, seed=7, num_workers=num_workers, after_item=[Noise()])
        return [(x.clone(), y.clone()) for x, y in dl]

    one, two = run(), run()
    assert all(torch.equal(a[0], b[0]) and torch.equal(a[1], b[1]) for a, b in zip(one, two))
    x, y = one[0]
    assert type(x) is TensorImage and type(y) is TensorCategory and x.shape == (4, 2)


def test_a_resumed_epoch_in_workers_repeats_each_batchs_augmentation():
    # each batch a worker makes is seeded by its position in the epoch, not by what the worker made before
    dl = DataLoader(_items(), bs=4, shuffle=True, seed=7, num_workers=2, after_item=[Noise()])
    first = [x.clone() for x, _ in dl]
    dl.resume(dl.epoch_seed, skip=3)
    rest = [x.clone() for x, _ in dl]
    assert len(rest) == len(first) - 3 and all(torch.equal(a, b) for a, b in zip(first[3:], rest))
    assert not torch.equal(first[0], [x for x, _ in dl][0])  # the next epoch draws anew


def test_workers_keep_the_order_of_one_process():
    ds = _items()
    serial = [y.tolist() for _, y in DataLoader(ds, bs=5, shuffle=True, seed=1)]
    parallel = [y.tolist() for _, y in DataLoader(ds, bs=5, shuffle=True, seed=1, num_workers=2)]
    assert serial == parallel


def test_hooks_run_in_order():
    calls = []
    dl = DataLoader(
        list(range(4)),
        bs=2,
        after_item=[lambda x: calls.append("item") or x * 2],
        before_batch=[lambda xs: calls.append("before") or xs[::-1]],
        after_batch=[lambda b: calls.append("after") or b + 1],
    )
    assert dl.one_batch().tolist() == [3, 1]
    assert calls == ["item", "item", "before", "after"]


def test_iterable_dataset():
    def gen():
        yield from range(7)

    class Stream:
        def __iter__(self):
            return gen()

    assert [b.tolist() for b in DataLoader(Stream(), bs=3)] == [[0, 1, 2], [3, 4, 5], [6]]
    assert DataLoader(Stream(), bs=3).one_batch().tolist() == [0, 1, 2]
    with pytest.raises(ValueError, match="worker processes need an indexable dataset"):
        DataLoader(Stream(), num_workers=2)


class Table:
    """Fetches whole batches at once: no per-item work, no collation."""

    def __init__(self, n):
        self.x = torch.arange(n * 2.0).view(n, 2)
        self.calls = 0

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        raise AssertionError("per-item access should not happen")

    def __getitems__(self, idxs):
        self.calls += 1
        return (self.x[idxs],)


def test_batch_level_indexing():
    table = Table(10)
    batches = list(DataLoader(table, bs=4))
    assert table.calls == 3 and batches[0][0].shape == (4, 2) and batches[2][0].shape == (2, 2)


def test_device_and_after_batch_on_device():
    seen = []
    dl = DataLoader(
        list(range(4)), bs=2, device="cpu", after_batch=[lambda b: seen.append(b.device.type) or b]
    )
    list(dl)
    assert seen == ["cpu", "cpu"] and dl.to("cpu").device.type == "cpu"


def test_decode_batch_and_test_dl():
    dls = make_dls()
    b = dls.valid.one_batch()
    assert b[1].tolist() == [0, 1]
    assert dls.valid.decode_batch(b) == [(5, "cat"), (6, "dog")]
    test = dls.test_dl(["bird.7", "cat.8"])
    assert test.one_batch()[0].tolist() == [7, 8] and len(test.one_batch()) == 1
    labelled = dls.test_dl(["dog.9"], with_labels=True)
    assert labelled.one_batch()[1].tolist() == [1]


def test_new_overrides_settings():
    dl = DataLoader(list(range(6)), bs=2, after_batch=[lambda b: b * 10])
    new = dl.new(bs=3)
    assert new.bs == 3 and new.one_batch().tolist() == [0, 10, 20]


def test_one_batch_of_an_empty_dataset():
    with pytest.raises(ValueError, match="dataset is empty"):
        DataLoader([], bs=2).one_batch()


class _Double(Transform):
    def encodes(self, x: int):
        return x * 2


class _Add(Transform):
    def __init__(self, n):
        super().__init__()
        self.n = n

    def encodes(self, x: int):
        return x + self.n


class _Negate(Transform):
    def encodes(self, x: torch.Tensor):
        return -x


def test_transform_classes_are_instantiated_as_in_fastai():
    # `after_item=[Resize(64), ToTensor]`: fastai builds a class given where an instance is expected
    dl = DataLoader(list(range(4)), bs=4, after_item=[_Double], after_batch=_Negate)
    assert dl.one_batch().tolist() == [0, -2, -4, -6]


def test_a_class_that_needs_arguments_says_so():
    with pytest.raises(
        TypeError, match=r"passed the class _Add where an instance is expected.*_Add\(\.\.\.\)"
    ):
        DataLoader(list(range(4)), bs=4, after_item=[_Add])


def test_factories_refuse_unknown_keywords_naming_the_accepted():
    from lamella.data import check_loader_kwargs

    with pytest.raises(TypeError, match=r"from_df\(\) got an unexpected keyword argument 'valid_pctt'.*bs"):
        check_loader_kwargs("from_df", {"valid_pctt": 0.2}, accepted=["bs"])


def test_tfmdlists_and_datasets_make_dataloaders():
    from lamella.data import Datasets, TfmdDL, TfmdLists, range_of

    tl = TfmdLists(list(range(10)), [lambda x: x * 2], splits=(list(range(8)), [8, 9]))
    dls = tl.dataloaders(bs=4, device="cpu", after_batch=[Transform(lambda b: b + 1)])
    assert dls.valid.one_batch().tolist() == [17, 19] and len(dls.train) == 2
    dsets = Datasets(list(range(6)), [[], [lambda x: x % 2]], splits=([0, 1, 2, 3], [4, 5]))
    assert dsets.dataloaders(bs=2, device="cpu").valid.one_batch()[1].tolist() == [0, 1]
    assert TfmdDL is DataLoader and range_of([7, 8, 9]) == [0, 1, 2]
