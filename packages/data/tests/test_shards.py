"""Streamed items: shards written and read back, a DataBlock over them, small caches, ranks, bad input."""

import tarfile

import numpy as np
import pytest
import torch

import lamella.samples
from lamella.data import CategoryBlock, DataBlock, DataLoader, Datasets, RandomSplitter, TransformBlock
from lamella.data.shards import ShardedItems, ShardError, hf_samples, write_shards


@pytest.fixture(scope="module")
def digits(tmp_path_factory):
    """mnist_tiny's training images (PNG bytes) and labels in shards of 60 samples."""
    root = lamella.samples.path("mnist_tiny") / "train"
    files = sorted(root.glob("*/*.png"))
    folder = tmp_path_factory.mktemp("shards")
    write_shards(({"__key__": f"{f.parent.name}_{f.stem}", "png": f, "cls": f.parent.name} for f in files),
                 folder, maxcount=60)  # fmt: skip
    return folder, files


def _pixels(sample):
    return torch.from_numpy(np.asarray(sample["png"], dtype=np.float32) / 255)


def test_shards_hold_every_sample_and_the_index_comes_last(digits):
    pytest.importorskip("PIL", reason="decoding PNGs needs Pillow, which the foundation layers alone lack")
    folder, files = digits
    items = ShardedItems(folder, decode="PIL")  # wids' decoder: PIL images
    assert len(items) == len(files) and items.n_shards == -(-len(files) // 60)
    with tarfile.open(folder / "shard-000000.tar") as tar:  # plain WebDataset tars: key.ext members
        assert tar.getnames()[:2] == [f"{files[0].parent.name}_{files[0].stem}.cls",
                                      f"{files[0].parent.name}_{files[0].stem}.png"]  # fmt: skip
    s = items[0]
    assert s["__key__"] == f"{files[0].parent.name}_{files[0].stem}" and s["png"].size == (28, 28)
    assert np.array_equal(np.asarray(s["png"]), np.asarray(__import__("PIL.Image").Image.open(files[0])))


def test_a_datablock_over_shards_trains_like_files(digits):
    pytest.importorskip("PIL", reason="decoding PNGs needs Pillow, which the foundation layers alone lack")
    folder, files = digits
    dblock = DataBlock(blocks=(TransformBlock, CategoryBlock),
                       get_items=lambda f: ShardedItems(f, decode="PIL"), get_x=_pixels,
                       get_y=lambda s: s["cls"],
                       splitter=RandomSplitter(0.2, seed=0))  # fmt: skip
    dls = dblock.dataloaders(folder, bs=16, device="cpu")
    assert isinstance(dls.train_ds.items, ShardedItems)  # the splits stay lazy views of the shards
    assert dls.vocab == [3, 7] and len(dls.train_ds) + len(dls.valid_ds) == len(files)
    x, y = dls.one_batch()
    assert x.shape == (16, 28, 28) and y.shape == (16,)


@pytest.mark.parametrize("window", [1, 2])
def test_a_shuffled_epoch_reads_a_window_of_shards_at_a_time(digits, window):
    folder, _ = digits
    items = ShardedItems(folder, window=window, cache_shards=window)  # a cache smaller than the shards
    order = items.epoch_order(torch.Generator().manual_seed(3))
    shard_of = np.searchsorted(items.bounds, order, side="right") - 1
    assert sorted(order) == list(range(len(items)))
    for shard in range(items.n_shards):  # a shard's items all fall within its window's stretch
        where = np.flatnonzero(shard_of == shard)
        assert where[-1] - where[0] < 60 * window
    if window == 1:
        assert (np.diff(shard_of) != 0).sum() == items.n_shards - 1
    assert items.source.get_stats()[1] == 0  # drawing the order reads nothing


def test_ranks_read_disjoint_items_whose_union_is_the_epoch_and_resume_repeats(digits):
    folder, files = digits
    dsets = Datasets(ShardedItems(folder, cache_shards=1, window=1, decode=None), [[lambda s: s["__key__"]]])
    keys = []
    for rank in range(2):
        dl = DataLoader(dsets, bs=8, shuffle=True, seed=11).shard(rank, 2)
        keys.append([k for (b,) in dl for k in b])
    # equal shares: the odd item out is repeated on the other rank, as DistributedSampler pads
    assert len(keys[0]) == len(keys[1]) == -(-len(files) // 2)
    assert len(set(keys[0]) & set(keys[1])) == len(files) % 2
    assert set(keys[0]) | set(keys[1]) == {f"{f.parent.name}_{f.stem}" for f in files}
    dl = DataLoader(dsets, bs=8, shuffle=True, seed=11)
    first = [list(b) for (b,) in dl]
    dl.resume(dl.epoch_seed, skip=5)
    assert [list(b) for (b,) in dl] == first[5:]


def test_the_basic_decoding_needs_no_pillow_and_leaves_images_as_bytes(digits):
    folder, files = digits
    s = ShardedItems(folder)[0]
    assert s["cls"] == int(files[0].parent.name) and s["png"] == files[0].read_bytes()


def test_bad_samples_and_unfinished_folders_are_named(tmp_path):
    with pytest.raises(ShardError, match="no shard index at .*unfinished write"):
        ShardedItems(tmp_path)
    with pytest.raises(ShardError, match="item 1 is not a dict with a '__key__'"):
        write_shards([{"__key__": "a", "txt": "x"}, ("b", "y")], tmp_path / "a")
    with pytest.raises(ShardError, match=r"item 0: the key 'img.0' holds a '\.'"):
        write_shards([{"__key__": "img.0", "txt": "x"}], tmp_path / "e")
    with pytest.raises(ShardError, match="item 1: the key 'a' is used twice"):
        write_shards([{"__key__": "a", "txt": "x"}, {"__key__": "a", "txt": "y"}], tmp_path / "b")
    with pytest.raises(ShardError, match="sample 'a': the value of 'png' is a ndarray"):
        write_shards([{"__key__": "a", "png": np.zeros(2)}], tmp_path / "c")
    assert not (tmp_path / "c" / "shards.json").exists()  # no index for a write that failed
    arrays = ShardedItems(
        write_shards([{"__key__": "a", "npy": np.arange(3.0), "json": {"k": [1]}}], tmp_path / "f")
    )
    assert arrays[0]["npy"].tolist() == [0.0, 1.0, 2.0] and arrays[0]["json"] == {"k": [1]}
    with pytest.raises(IndexError, match="item 3 of 1"):
        ShardedItems(write_shards([{"__key__": "a", "txt": "x"}], tmp_path / "d"))[3]


def test_a_streamed_hugging_face_dataset_becomes_shards_with_an_exact_order(tmp_path):
    datasets = pytest.importorskip("datasets", reason="the Hugging Face adapter is tested where datasets is")
    pytest.importorskip("PIL", reason="Hugging Face's Image feature needs Pillow")
    root = lamella.samples.path("mnist_tiny") / "train"
    files = sorted(root.glob("*/*.png"))[:50]
    table = datasets.Dataset.from_dict(
        {"image": [str(f) for f in files], "label": [int(f.parent.name) for f in files],
         "name": [f"{f.parent.name}_{f.stem}" for f in files], "box": [[1.5, 2, 3, 4]] * len(files)}
    ).cast_column("image", datasets.Image())  # fmt: skip
    stream = table.to_iterable_dataset(num_shards=5)  # what load_dataset(..., streaming=True) returns
    assert isinstance(stream, datasets.IterableDataset)
    samples = hf_samples(stream, {"image": "png", "label": "cls", "box": "json"}, key="name")
    write_shards(samples, tmp_path, maxcount=20)
    items = ShardedItems(tmp_path, decode="PIL")
    assert len(items) == 50 and items.n_shards == 3
    for i in (0, 17, 49):
        s = items[i]
        assert s["__key__"] == f"{files[i].parent.name}_{files[i].stem}" and s["cls"] == int(
            files[i].parent.name
        )
        assert np.array_equal(np.asarray(s["png"]), np.asarray(__import__("PIL.Image").Image.open(files[i])))
        assert s["json"] == [1.5, 2, 3, 4]
    with pytest.raises(ShardError, match="row 0 has no column 'labels'"):
        next(hf_samples(stream, {"labels": "cls"}))
    with pytest.raises(ShardError, match="a PIL image under an image extension"):
        write_shards(hf_samples(stream, {"image": "cls"}), tmp_path / "bad")
