import pytest
import torch
from torch import nn

from lamella.tabular import (
    Categorify,
    LinBnDrop,
    SigmoidRange,
    TabularModel,
    TabularPandas,
    emb_sz_rule,
    get_emb_sz,
    tabular_config,
)


@pytest.mark.parametrize("n, width", [(2, 2), (3, 3), (17, 8), (100, 21), (10**7, 600)])
def test_emb_sz_rule_matches_fastai(n, width):
    assert emb_sz_rule(n) == width


def test_get_emb_sz_counts_na(frame):
    to = TabularPandas(frame, [Categorify], cat_names=["color", "label"])
    assert get_emb_sz(to) == [(4, 3), (3, 3)]


def test_tabular_model_layers_follow_fastai():
    model = TabularModel([(4, 3), (10, 6)], n_cont=2, out_sz=3, layers=[20, 10], ps=[0.1, 0.2], embed_p=0.05)
    blocks = list(model.layers)
    assert [type(m) for m in blocks[0]] == [nn.Linear, nn.ReLU, nn.BatchNorm1d, nn.Dropout]
    assert blocks[0][0].in_features == 3 + 6 + 2 and blocks[0][3].p == 0.1
    assert [type(m) for m in blocks[-1]] == [nn.Linear] and blocks[-1][0].out_features == 3
    assert model.emb_drop.p == 0.05 and isinstance(model.bn_cont, nn.BatchNorm1d)


def test_tabular_model_y_range_and_gradients():
    model = TabularModel([(4, 3)], n_cont=1, out_sz=1, layers=[8], y_range=(1.0, 2.0))
    assert isinstance(model.layers[-1], SigmoidRange)
    out = model(torch.tensor([[1], [3]]), torch.randn(2, 1))
    assert ((out > 1) & (out < 2)).all()
    out.sum().backward()
    assert model.embeds[0].weight.grad is not None


def test_tabular_model_without_categories_or_continuous():
    assert TabularModel([], 2, 1, [4])(torch.empty(3, 0, dtype=torch.long), torch.randn(3, 2)).shape == (3, 1)
    assert TabularModel([(5, 2)], 0, 1, [4])(torch.tensor([[1], [2]]), torch.empty(2, 0)).shape == (2, 1)
    with pytest.raises(ValueError, match="2 continuous columns and got none"):
        TabularModel([(5, 2)], 2, 1, [4])(torch.tensor([[1]]))


def test_config_and_dropout_checks():
    assert TabularModel([(4, 2)], 1, 1, [8], **tabular_config(use_bn=False)).layers[0][0].bias is not None
    with pytest.raises(ValueError, match="ps has 1 dropout values for 2 layers"):
        TabularModel([(4, 2)], 1, 1, [8, 4], ps=[0.1])


def test_lin_bn_drop_orders():
    assert [type(m) for m in LinBnDrop(4, 2, p=0.5, act=nn.ReLU())] == [
        nn.BatchNorm1d,
        nn.Dropout,
        nn.Linear,
        nn.ReLU,
    ]
