import pytest
import torch

import lamella.samples
from lamella.vision import ImageDataLoaders, Resize, create_timm_model, vision_learner

timm = pytest.importorskip("timm")


def test_a_timm_model_by_name_and_by_constructor():
    model = create_timm_model("resnet18", 3, pretrained=False, n_in=1)
    assert model(torch.zeros(2, 1, 32, 32)).shape == (2, 3)
    dls = ImageDataLoaders.from_folder(lamella.samples.path("mnist_tiny"), item_tfms=Resize(32), device="cpu")
    for arch in ("resnet18", timm.models.resnet18):
        learn = vision_learner(dls, arch, pretrained=False)
        assert type(learn.model[0]).__name__ == "TimmBody" and len(learn.splitter(learn.model)) == 2
    learn.fit(1)
    label, _, probs = learn.predict(lamella.samples.path("mnist_tiny") / "valid/3/9882.png")
    assert (
        label in ("3", "7")
        and probs.shape == (2,)
        and torch.isfinite(torch.tensor(learn.recorder.values[-1])).all()
    )
