"""ImageClassifierCleaner: ranking by loss within a category, the decisions, the widget, bad input."""

import io
import shutil

import pytest
import torch
from PIL import Image
from torch import nn

import lamella.samples
from lamella.data import DataBlock, GrandparentSplitter, RegressionBlock, parent_label
from lamella.learner import Learner
from lamella.vision import (
    DELETE,
    KEEP,
    ImageBlock,
    ImageClassifierCleaner,
    ImageDataLoaders,
    Resize,
    get_image_files,
)


@pytest.fixture(scope="module")
def learn():
    torch.manual_seed(0)
    dls = ImageDataLoaders.from_folder(lamella.samples.path("mnist_tiny"), valid="valid", bs=64, seed=0)
    return Learner(dls, nn.Sequential(nn.Flatten(), nn.Linear(3 * 28 * 28, 2)))


def test_shows_one_category_highest_loss_first(learn):
    cleaner = ImageClassifierCleaner(learn)
    assert (cleaner.category, cleaner.split) == ("3", "Train")
    assert cleaner.fns and all(f.parent.name == "3" and f.parent.parent.name == "train" for f in cleaner.fns)
    assert cleaner.losses == sorted(cleaner.losses, reverse=True)
    # every training "3" is there (files_max 200 > 346 would cut): the count is the label's
    n_threes = sum(f.parent.name == "3" for f in learn.dls.train_ds.items)
    assert len(cleaner) == min(n_threes, 200)
    # the losses are the learner's own per-item losses for those files
    dl = learn.dls.train.new(shuffle=False, drop_last=False)
    _, _, losses = learn.get_preds(dl=dl, with_loss=True)
    by_file = dict(zip(dl.dataset.items, losses.tolist()))
    assert cleaner.losses == pytest.approx([by_file[f] for f in cleaner.fns])
    cleaner.select("7", "Valid")
    assert all(f.parent.name == "7" and f.parent.parent.name == "valid" for f in cleaner.fns)
    assert cleaner.losses == sorted(cleaner.losses, reverse=True)


def test_decisions_give_fastais_delete_and_change_lists(learn):
    cleaner = ImageClassifierCleaner(learn, files_max=4)
    assert len(cleaner) == 4 and cleaner.values == [KEEP] * 4
    cleaner.choose(0, DELETE)
    cleaner.choose(1, "7")
    cleaner.choose(2, "3")  # its own category: no change
    cleaner.choose(-1, DELETE)
    assert cleaner.delete() == [0, 3]
    assert cleaner.change() == [(1, "7")]
    assert "2 to delete, 1 to relabel" in repr(cleaner)
    cleaner.select("3", 1)  # another view: choices start over
    assert cleaner.delete() == [] and cleaner.change() == []


def test_applying_the_lists_as_fastais_book_does(learn, tmp_path):
    root = tmp_path / "mnist"
    shutil.copytree(lamella.samples.path("mnist_tiny") / "train", root / "train")
    shutil.copytree(lamella.samples.path("mnist_tiny") / "valid", root / "valid")
    dls = ImageDataLoaders.from_folder(root, valid="valid", bs=64, seed=0)
    cleaner = ImageClassifierCleaner(Learner(dls, learn.model), files_max=3)
    cleaner.choose(0, DELETE)
    cleaner.choose(1, "7")
    gone, moved = cleaner.fns[0], cleaner.fns[1]
    for idx in cleaner.delete():
        cleaner.fns[idx].unlink()
    for idx, cat in cleaner.change():
        shutil.move(str(cleaner.fns[idx]), root / "train" / cat)
    assert not gone.exists() and not moved.exists()
    assert (root / "train" / "7" / moved.name).exists()
    assert (
        len(get_image_files(root / "train"))
        == len(get_image_files(lamella.samples.path("mnist_tiny") / "train")) - 1
    )


def test_bad_choices_and_selections_are_named(learn):
    cleaner = ImageClassifierCleaner(learn, files_max=2)
    with pytest.raises(ValueError, match="'8' is not '<Keep>', '<Delete>' or a category"):
        cleaner.choose(0, "8")
    with pytest.raises(IndexError, match="position 2 is outside the 2 images"):
        cleaner.choose(2, DELETE)
    with pytest.raises(ValueError, match="'9' is not a category"):
        cleaner.select("9")
    with pytest.raises(ValueError, match="split 'Test' is not one of"):
        cleaner.select("3", "Test")


def test_a_regression_learner_is_refused():
    path = lamella.samples.path("mnist_tiny")
    dls = DataBlock(
        blocks=(ImageBlock, RegressionBlock),
        get_items=get_image_files,
        get_y=lambda f: float(parent_label(f)),
        splitter=GrandparentSplitter(valid_name="valid"),
        item_tfms=Resize(28),
    ).dataloaders(path, bs=64)
    with pytest.raises(ValueError, match="needs a single-label classifier"):
        ImageClassifierCleaner(Learner(dls, nn.Sequential(nn.Flatten(), nn.Linear(3 * 28 * 28, 1))))


def test_the_widget_follows_the_menus(learn):
    pytest.importorskip("ipywidgets")
    cleaner = ImageClassifierCleaner(learn, files_max=5)
    box = cleaner.widget
    header, grid = box.children
    cat_menu, split_menu = header.children
    assert len(grid.children) == 5
    image, menu = grid.children[2].children
    with Image.open(io.BytesIO(image.value)) as im:
        assert max(im.size) <= 256 and im.size[1] <= 128
    menu.value = DELETE  # as a click in the notebook
    assert cleaner.delete() == [2]
    grid.children[0].children[1].value = "7"
    assert cleaner.change() == [(0, "7")]
    split_menu.value = "Valid"
    assert cleaner.split == "Valid" and cleaner.delete() == []
    assert all(f.parent.parent.name == "valid" for f in cleaner.fns)
    cat_menu.value = "7"
    assert [b.children[1].value for b in grid.children] == [KEEP] * len(cleaner.fns)
    assert "application/vnd.jupyter.widget-view+json" in cleaner._repr_mimebundle_()


def test_thumbnails_of_odd_sized_photos(tmp_path):
    pytest.importorskip("ipywidgets")
    from lamella.vision.widgets import _thumbnail

    for size in [(224, 197), (197, 224), (5, 3000), (640, 480)]:
        Image.new("RGB", size, (200, 30, 30)).save(tmp_path / "x.jpg")
        with Image.open(io.BytesIO(_thumbnail(tmp_path / "x.jpg", 128, 256))) as im:
            assert im.size[0] <= 256 and im.size[1] <= 128, (size, im.size)


def test_a_multi_label_learner_is_refused_with_its_shape():
    from lamella.data import MultiCategoryBlock

    files = get_image_files(lamella.samples.path("mnist_tiny") / "train")[:40]
    dls = DataBlock(
        blocks=(ImageBlock, MultiCategoryBlock),
        get_y=lambda f: [parent_label(f), "digit"],
        splitter=lambda items: (list(range(30)), list(range(30, 40))),
    ).dataloaders(files, bs=8)
    cleaner_learn = Learner(dls, nn.Sequential(nn.Flatten(), nn.Linear(3 * 28 * 28, len(dls.vocab))))
    with pytest.raises(ValueError, match="multi-label"):
        ImageClassifierCleaner(cleaner_learn)
