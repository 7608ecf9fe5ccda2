import pytest

import lamella.samples
from lamella.vision import ImageDataLoaders, Resize, get_image_files

MNIST = lamella.samples.path("mnist_tiny")


def test_from_folder_uses_the_train_and_valid_folders():
    dls = ImageDataLoaders.from_folder(MNIST, item_tfms=Resize(28), bs=32, device="cpu")
    assert len(dls.train_ds) == 709 and len(dls.valid_ds) == 699 and dls.train_ds.vocab == ["3", "7"]
    x, y = dls.one_batch()
    assert x.shape == (32, 3, 28, 28) and dls.path == MNIST
    random = ImageDataLoaders.from_folder(MNIST, valid_pct=0.25, seed=0, item_tfms=Resize(28), device="cpu")
    assert len(random.valid_ds) == int(0.25 * 1428)


def test_from_name_func_re_and_lists():
    files = get_image_files(MNIST, folders=["train"])[:40] + get_image_files(MNIST, folders=["train"])[-40:]
    by_func = ImageDataLoaders.from_name_func(
        MNIST, files, lambda f: f.parent.name, seed=0, item_tfms=Resize(28), device="cpu"
    )
    assert by_func.train_ds.vocab == ["3", "7"]
    by_re = ImageDataLoaders.from_path_re(MNIST, files, r"/(\d)/", seed=0, item_tfms=Resize(28), device="cpu")
    assert by_re.train_ds.vocab == ["3", "7"]
    by_list = ImageDataLoaders.from_lists(
        MNIST, files, [f.parent.name for f in files], seed=0, item_tfms=Resize(28), device="cpu"
    )
    assert len(by_list.train_ds) + len(by_list.valid_ds) == 80


def test_from_csv():
    pytest.importorskip("pandas")
    dls = ImageDataLoaders.from_csv(
        MNIST, "labels.csv", fn_col="name", label_col="label", seed=0, item_tfms=Resize(28), device="cpu"
    )
    assert dls.train_ds.vocab == [3, 7] and len(dls.train_ds) + len(dls.valid_ds) == 1408
