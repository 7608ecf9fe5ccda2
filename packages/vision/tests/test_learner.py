import torch

import lamella.samples
from lamella.data.augment import aug_transforms
from lamella.learner import accuracy
from lamella.vision import ImageDataLoaders, Resize, resnet18, vision_learner


def test_mnist_tiny_reaches_97_percent_in_5_epochs():
    torch.manual_seed(0)
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
    assert learn.recorder.values[-1][3] >= 0.97
    label, idx, probs = learn.predict(lamella.samples.path("mnist_tiny") / "valid" / "7" / "9294.png")
    assert label == "7" and int(idx) == 1 and probs[1] > 0.5


def test_n_out_normalize_and_freeze():
    dls = ImageDataLoaders.from_folder(lamella.samples.path("mnist_tiny"), item_tfms=Resize(28), device="cpu")
    learn = vision_learner(dls, resnet18, pretrained=False, n_out=2)
    assert learn.model[1][-1].out_features == 2 and len(learn.opt.param_groups if learn.opt else []) == 0
    learn.create_opt()
    assert len(learn.opt.param_groups) == 2
