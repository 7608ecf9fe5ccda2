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
