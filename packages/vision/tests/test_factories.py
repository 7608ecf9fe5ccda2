import pytest
import torch

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
    seen = []

    def is_even(name):  # the book's first cell: `def is_cat(x): return x[0].isupper()` takes the name
        seen.append(name)
        return int(name.split(".")[0]) % 2 == 0

    by_name = ImageDataLoaders.from_name_func(
        MNIST, files, is_even, seed=0, item_tfms=Resize(28), device="cpu"
    )
    assert by_name.train_ds.vocab == [False, True] and all(type(n) is str and "/" not in n for n in seen)
    by_func = ImageDataLoaders.from_path_func(
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


def test_a_folder_with_one_class_is_refused(tmp_path):
    import pytest
    from PIL import Image

    for split in ("train", "valid"):
        (tmp_path / split / "cat").mkdir(parents=True)
        Image.new("RGB", (8, 8)).save(tmp_path / split / "cat" / "a.png")
    with pytest.raises(ValueError, match="holds only the class 'cat': a classifier needs a folder per class"):
        ImageDataLoaders.from_folder(tmp_path, device="cpu")


def test_multi_label_from_df_trains_and_predicts():
    import pandas as pd
    import torch

    import lamella.samples
    from lamella.learner import accuracy_multi
    from lamella.vision import resnet18, vision_learner

    path = lamella.samples.path("mnist_tiny")
    files = sorted((path / "train").glob("*/*.png"))[::2] + sorted((path / "valid").glob("*/*.png"))[::4]
    names = {"3": "three curved", "7": "seven straight"}
    df = pd.DataFrame({"name": [str(f.relative_to(path)) for f in files],
                       "label": [names[f.parent.name] for f in files]})  # fmt: skip
    dls = ImageDataLoaders.from_df(
        df, path, label_delim=" ", item_tfms=Resize(28), seed=0, device="cpu", bs=32
    )
    assert list(dls.train_ds.vocab) == ["curved", "seven", "straight", "three"]
    torch.manual_seed(0)
    learn = vision_learner(dls, resnet18, pretrained=False, metrics=accuracy_multi)
    assert type(learn.loss_func).__name__ == "BCEWithLogitsLossFlat"
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(5, 1e-2)
    assert learn.validate()[1] > 0.9
    labels, hot, probs = learn.predict(path / "valid" / "7" / "9294.png")
    assert sorted(labels) == ["seven", "straight"] and hot.shape == probs.shape == (4,)


def test_from_df_with_a_regression_block():
    import pandas as pd

    from lamella.data import RegressionBlock

    df = pd.read_csv(MNIST / "labels.csv").iloc[::40].reset_index(drop=True)
    df["label"] = df["label"].astype(float)
    dls = ImageDataLoaders.from_df(
        df, MNIST, y_block=RegressionBlock, item_tfms=Resize(28), bs=8, device="cpu"
    )
    assert dls.one_batch()[1].dtype == torch.float32


def test_from_lists_refuses_labels_that_do_not_match_the_files():
    files = get_image_files(lamella.samples.path("mnist_tiny") / "train")[:24]
    with pytest.raises(ValueError, match="24 file names but 5 labels"):
        ImageDataLoaders.from_lists(".", files, ["3"] * 5, item_tfms=Resize(28))
