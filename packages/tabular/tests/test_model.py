import copy

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


def _per_module(model, x_cat, x_cont):
    """The model's output computed the plain way: each embedding module called, then concatenated."""
    emb = model.emb_drop(torch.cat([e(x_cat[:, i].long()) for i, e in enumerate(model.embeds)], 1))
    cont = model.bn_cont(x_cont) if x_cont is not None else None
    return model.layers(emb if cont is None else torch.cat([emb, cont], 1))


@pytest.mark.parametrize("n_cont", [0, 3])
def test_fused_embeddings_give_the_same_outputs_and_gradients(n_cont):
    torch.manual_seed(0)
    model = TabularModel([(6, 4), (500, 52), (3, 3)], n_cont=n_cont, out_sz=2, layers=[16])
    twin = copy.deepcopy(model)
    x_cat = torch.stack([torch.randint(0, n, (64,)) for n in (6, 500, 3)], 1).to(torch.int16)
    x_cont = torch.randn(64, n_cont) if n_cont else None
    out, ref = model(x_cat, x_cont), _per_module(twin, x_cat, x_cont)
    assert torch.equal(out, ref)
    out.square().sum().backward()
    ref.square().sum().backward()
    for (name, p), q in zip(model.named_parameters(), twin.parameters()):
        assert torch.equal(p.grad, q.grad), name
    assert model.embeds[1].weight.grad[x_cat[:, 1].long()].abs().sum() > 0


def test_fused_embeddings_respect_dropout_frozen_tables_and_hooks():
    torch.manual_seed(0)
    model = TabularModel([(6, 4), (5, 3)], n_cont=2, out_sz=1, layers=[8], embed_p=0.5)
    x_cat, x_cont = torch.tensor([[1, 2], [3, 4]] * 8), torch.randn(16, 2)
    emb = model._embed(x_cat, None)
    assert (emb == 0).float().mean() > 0.2  # embedding dropout still applies in training
    model.embeds[0].weight.requires_grad_(False)
    model(x_cat, x_cont).sum().backward()
    assert model.embeds[0].weight.grad is None and model.embeds[1].weight.grad is not None
    seen = []
    model.embeds[1].register_forward_hook(lambda m, i, o: seen.append(o.shape))
    model.eval()(x_cat, x_cont)
    assert seen == [torch.Size([16, 3])]  # a hooked table is called as a module
