import pytest
import torch
from torch import nn

from lamella.vision import (
    AdaptiveConcatPool2d,
    cnn_splitter,
    create_body,
    create_cnn_model,
    create_head,
    num_features_model,
    resnet18,
)


def test_body_head_and_model():
    body = create_body(resnet18())
    assert num_features_model(body) == 512
    head = create_head(512, 3, lin_ftrs=[64], ps=0.1)
    assert head(torch.zeros(2, 512, 1, 1)).shape == (2, 3)
    model = create_cnn_model(resnet18, 5, pretrained=False, n_in=1)
    assert model(torch.zeros(2, 1, 32, 32)).shape == (2, 5)
    body_params, head_params = cnn_splitter(model)
    assert len(body_params) + len(head_params) == len(list(model.parameters()))
    assert AdaptiveConcatPool2d()(torch.zeros(1, 4, 3, 3)).shape == (1, 8, 1, 1)


def test_y_range_and_custom_head():
    model = create_cnn_model(resnet18, 1, pretrained=False, y_range=(0.0, 5.0))
    out = model.eval()(torch.randn(4, 3, 32, 32) * 10)
    assert (out >= 0).all() and (out <= 5).all()
    custom = create_cnn_model(
        resnet18,
        2,
        pretrained=False,
        custom_head=nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 7)),
    )
    assert custom.eval()(torch.zeros(1, 3, 32, 32)).shape == (1, 7)


def test_pretrained_offline_suggests_pretrained_false(monkeypatch, tmp_path):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))  # an empty cache: the weights must be downloaded
    import torch.hub

    def offline(*args, **kwargs):
        raise OSError("network is unreachable")

    monkeypatch.setattr(torch.hub, "load_state_dict_from_url", offline)
    with pytest.raises(RuntimeError, match="pass pretrained=False"):
        create_cnn_model(resnet18, 2, pretrained=True)


def test_cut_errors():
    with pytest.raises(ValueError, match="cannot find where to cut"):
        create_body(nn.Sequential(nn.Conv2d(3, 4, 3)))


@pytest.mark.parametrize("arch, n_groups", [("resnet18", 3), ("xresnet18", 3), ("efficientnet_b0", 2)])
def test_fastais_parameter_groups_partition_the_model(arch, n_groups):
    import lamella.vision as lv
    from lamella.vision import DynamicUnet, create_body, splitter_for

    fn = getattr(lv, arch)
    model = create_cnn_model(fn, 2, pretrained=False)
    groups = splitter_for(fn)(model)
    assert len(groups) == n_groups and all(groups)
    ids = [id(p) for g in groups for p in g]
    assert sorted(ids) == sorted(id(p) for p in model.parameters())  # every parameter once
    if arch == "resnet18":  # a U-Net on the same body: the encoder split the same way, the decoder last
        unet = DynamicUnet(create_body(fn()), 2, (32, 32))
        enc_groups = splitter_for(fn)(unet)
        assert len(enc_groups) == 3 and len(enc_groups[0]) == len(groups[0])
        assert sum(map(len, enc_groups)) == len(list(unet.parameters()))


def test_head_without_pooling_and_linear_first():
    head = create_head(64, 3, lin_ftrs=[16], pool=False, lin_first=True)
    assert head(torch.zeros(4, 64)).shape == (4, 3)
    kinds = [type(m).__name__ for m in head]
    assert kinds[0] == "Dropout" and kinds[1] == "Linear" and "AdaptiveConcatPool2d" not in kinds


def test_add_head_cut_model_default_split_as_fastais_transfer_learning_tutorial():
    from lamella.vision import add_head, create_body, cut_model, default_split, resnet18

    torch.manual_seed(0)
    body = cut_model(resnet18(), -2)
    assert isinstance(body[-1], nn.Sequential) and len(body) == 8  # up to layer4, pool and fc cut
    model = add_head(body, 512, 3)
    assert model(torch.zeros(2, 3, 64, 64)).shape == (2, 3)
    lin = [m for m in model[1].modules() if isinstance(m, nn.Linear)]
    assert all(m.weight.std() > 0 and (m.bias is None or not m.bias.any()) for m in lin)
    bn = [m for m in model[1].modules() if isinstance(m, nn.BatchNorm1d)]
    assert all(torch.equal(m.weight, torch.ones_like(m.weight)) for m in bn)  # norms keep their values
    groups = default_split(model)
    assert [len(g) for g in groups] == [len(list(model[0].parameters())), len(list(model[1].parameters()))]
    r = resnet18()
    assert cut_model(r, lambda m: m.layer1) is r.layer1
    with pytest.raises(TypeError, match="cut must be a number of children or a function"):
        cut_model(resnet18(), "layer4")
    assert create_body(resnet18(), cut=-2)[0].out_channels == 64


def test_a_registered_arch_gives_vision_learner_its_cut_split_and_stats():
    import lamella.samples
    from lamella.data import Normalize
    from lamella.vision import ImageDataLoaders, model_meta, register_arch, vision_learner

    def tiny(pretrained=False, **kwargs):
        return nn.Sequential(
            nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Conv2d(8, 16, 3), nn.AdaptiveAvgPool2d(1), nn.Linear(1, 1)
        )

    groups = []

    def split(m):
        groups.append(True)
        return [list(m[0].parameters()), list(m[1].parameters())]

    register_arch(tiny, cut=-2, split=split, stats=([0.1] * 3, [0.2] * 3))
    try:
        dls = ImageDataLoaders.from_folder(lamella.samples.path("mnist_tiny"), bs=16, device="cpu")
        learn = vision_learner(dls, tiny, pretrained=True)  # tiny "pretrained": normalised by its own stats
        assert len(learn.model[0]) == 3  # cut before the pooling, as registered
        assert groups and len(learn.splitter(learn.model)) == 2
        (norm,) = [t for t in dls.train.after_batch.fs if isinstance(t, Normalize)]
        assert torch.allclose(norm.mean.flatten(), torch.tensor([0.1] * 3))
    finally:
        del model_meta[tiny]
