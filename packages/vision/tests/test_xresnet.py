import pytest
import torch

import lamella.samples
from lamella.data.augment import aug_transforms
from lamella.learner import accuracy
from lamella.vision import (
    ImageDataLoaders,
    Resize,
    XResNet,
    create_body,
    vision_learner,
    xresnet18,
    xresnet34,
    xresnet50,
)
from lamella.vision.xresnet import ResBlock


def test_shapes_and_identity_start():
    assert xresnet18(n_out=4)(torch.zeros(2, 3, 32, 32)).shape == (2, 4)
    assert xresnet34(c_in=1, n_out=2).eval()(torch.zeros(1, 1, 32, 32)).shape == (1, 2)
    assert xresnet50(n_out=3).eval()(torch.zeros(1, 3, 64, 64)).shape == (1, 3)
    block = ResBlock(1, 8, 8).eval()
    x = torch.rand(1, 8, 4, 4)
    torch.testing.assert_close(
        block(x), torch.relu(x)
    )  # zero-initialised last BN: the block starts as identity


def test_body_cut_and_no_weights():
    assert isinstance(xresnet18(), XResNet)
    body = create_body(xresnet18()).eval()
    assert body(torch.zeros(1, 3, 64, 64)).shape == (1, 512, 2, 2)
    with pytest.raises(ValueError, match="no pretrained weights"):
        xresnet18(weights="DEFAULT")


def test_xresnet18_reaches_97_percent_on_mnist_tiny(seed, threshold):
    torch.manual_seed(seed)
    path = lamella.samples.path("mnist_tiny")
    tfms = aug_transforms(do_flip=False)
    dls = ImageDataLoaders.from_folder(path, item_tfms=Resize(28), batch_tfms=tfms, seed=0, device="cpu")
    learn = vision_learner(dls, xresnet18, metrics=accuracy, pretrained=False)
    learn.progress.show_bars = learn.progress.show_table = False
    learn.fit_one_cycle(5, 1e-2)
    threshold(learn.recorder.values[-1][2], above=0.97, name="accuracy")
