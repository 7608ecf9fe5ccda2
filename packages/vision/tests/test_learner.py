import pytest
import torch

import lamella.samples
from lamella.data.augment import aug_transforms
from lamella.learner import accuracy
from lamella.vision import ImageDataLoaders, Resize, resnet18, vision_learner


def test_mnist_tiny_reaches_97_percent_in_5_epochs(seed, threshold):
    torch.manual_seed(seed)
    dls = ImageDataLoaders.from_folder(
        lamella.samples.path("mnist_tiny"),
        valid="valid",
        item_tfms=Resize(28),
        batch_tfms=aug_transforms(do_flip=False),
        seed=0,
        device="cpu",
    )
    learn = vision_learner(dls, resnet18, metrics=accuracy, pretrained=False)
    learn.progress.show_bars = learn.progress.show_table = False
    learn.fit_one_cycle(5, 1e-2)
    threshold(learn.recorder.values[-1][2], above=0.97, name="accuracy")
    label, idx, probs = learn.predict(lamella.samples.path("mnist_tiny") / "valid" / "7" / "9294.png")
    assert label == "7" and int(idx) == 1 and probs[1] > 0.5


def test_n_out_normalize_and_freeze():
    dls = ImageDataLoaders.from_folder(lamella.samples.path("mnist_tiny"), item_tfms=Resize(28), device="cpu")
    learn = vision_learner(dls, resnet18, pretrained=False, n_out=2)
    assert learn.model[1][-1].out_features == 2 and len(learn.opt.param_groups if learn.opt else []) == 0
    learn.create_opt()
    # fastai's ResNet split: stem to layer2, layer3 and layer4, head (slice(lo, hi) gives three rates)
    assert len(learn.opt.param_groups) == 3
    learn.freeze_to(-2)
    body = learn.model[0]
    assert not any(p.requires_grad for p in body[5].parameters() if p.ndim > 1)  # layer2 frozen
    assert all(p.requires_grad for p in body[6].parameters()) and all(
        p.requires_grad for p in learn.model[1].parameters()
    )
    learn.fit_one_cycle(1, slice(1e-4, 1e-2))
    lrs = [g["lr"] for g in learn.opt.param_groups]
    assert lrs[0] < lrs[1] < lrs[2]


@pytest.mark.slow
def test_key_points_on_bccd_error_falls(seed, threshold):
    import pandas as pd

    from lamella.data import ColReader, DataBlock, RandomSplitter
    from lamella.vision import ImageBlock, PointBlock

    path = lamella.samples.path("bccd")
    df = pd.read_csv(path / "wbc_centers.csv")
    dblock = DataBlock(
        blocks=(ImageBlock, PointBlock),
        get_x=ColReader("fname", pref=path),
        get_y=lambda r: [r["x"], r["y"]],
        splitter=RandomSplitter(seed=0),
        item_tfms=Resize((64, 80), method="squish"),
        batch_tfms=aug_transforms(max_rotate=10, max_warp=0),
    )
    dls = dblock.dataloaders(df, bs=32, device="cpu", seed=0)
    torch.manual_seed(seed)
    learn = vision_learner(dls, resnet18, pretrained=False, y_range=(-1, 1))
    assert type(learn.loss_func).__name__ == "MSELossFlat" and learn.model[1][-2].out_features == 2
    before = learn.validate()[0]
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(8, 1e-2)
    after = learn.validate()[0]
    # the head starts from fastai's kaiming init (apply_init), as fastai's does
    threshold(after / before, below=1 / 2.5, name="loss after / before")
    points, _, _ = learn.predict(df.iloc[0])  # the DataBlock reads rows of the frame
    x, y = points.as_plain().reshape(-1).tolist()
    assert 0 <= x <= 80 and 0 <= y <= 64  # pixels of the resized image


@pytest.mark.slow
def test_one_box_per_image_regression_on_bccd(seed, threshold):
    import pandas as pd

    from lamella.data import DataBlock, RandomSplitter
    from lamella.typedtensor import TensorBBox
    from lamella.vision import BBoxBlock, ImageBlock

    path = lamella.samples.path("bccd")
    boxes = pd.read_csv(path / "all_boxes.csv")
    wbc = boxes[boxes["cell_type"] == "WBC"].groupby("filename").filter(lambda g: len(g) == 1)
    dblock = DataBlock(
        blocks=(ImageBlock, BBoxBlock),
        get_x=lambda r: path / "JPEGImages" / r["filename"],
        get_y=lambda r: [[r["xmin"], r["ymin"], r["xmax"], r["ymax"]]],
        splitter=RandomSplitter(seed=0),
        item_tfms=Resize((64, 80), method="squish"),
    )
    dls = dblock.dataloaders(wbc.reset_index(drop=True), bs=32, device="cpu", seed=0)
    torch.manual_seed(seed)
    learn = vision_learner(dls, resnet18, pretrained=False, y_range=(-1, 1))
    assert type(learn.loss_func).__name__ == "L1LossFlat" and learn.model[1][-2].out_features == 4
    before = learn.validate()[0]
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(8, 1e-2)
    after = learn.validate()[0]
    threshold(after / before, below=1 / 2, name="loss after / before")
    box, _, _ = learn.predict(wbc.iloc[0])
    assert isinstance(box, TensorBBox) and box.shape[-1] == 4
    x0, y0, x1, y1 = box.as_plain().reshape(-1).tolist()
    assert -8 <= x0 < x1 <= 88 and -8 <= y0 < y1 <= 72  # pixels of the resized image


def test_show_results_draws_a_random_batch(mpl):
    # the first validation items of mnist_tiny are all 3s: fastai shuffles (issue 15)
    dls = ImageDataLoaders.from_folder(lamella.samples.path("mnist_tiny"), item_tfms=Resize(28), device="cpu")
    learn = vision_learner(dls, resnet18, pretrained=False)
    torch.manual_seed(0)
    axs = learn.show_results(max_n=9)
    targets = {ax.get_title().split("/")[0].strip() for ax in axs if ax.get_title()}
    assert targets == {"3", "7"}


def test_cnn_learner_is_the_old_name_and_warns():
    import pytest

    from lamella.vision import cnn_learner

    dls = ImageDataLoaders.from_folder(lamella.samples.path("mnist_tiny"), item_tfms=Resize(28), device="cpu")
    with pytest.warns(DeprecationWarning, match="renamed vision_learner"):
        learn = cnn_learner(dls, resnet18, pretrained=False)
    assert len(learn.splitter(learn.model)) == 3


def test_fastai_head_options_init_and_splitter():
    from torch import nn

    from lamella.vision import cnn_splitter

    dls = ImageDataLoaders.from_folder(lamella.samples.path("mnist_tiny"), item_tfms=Resize(28), device="cpu")
    seen = []
    learn = vision_learner(
        dls, resnet18, pretrained=False, first_bn=False, bn_final=True, splitter=cnn_splitter,
        init=lambda w: seen.append(tuple(w.shape)) or nn.init.zeros_(w),
    )  # fmt: skip
    head = learn.model[1]
    assert isinstance(head[-1], nn.BatchNorm1d) and not isinstance(head[2], nn.BatchNorm1d)
    assert seen and all(not m.weight.detach().any() for m in head.modules() if isinstance(m, nn.Linear))
    assert len(learn.splitter(learn.model)) == 2
