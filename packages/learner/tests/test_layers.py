import pickle

import pytest
import torch
from torch import nn

from lamella.learner import Flatten, Module, SigmoidRange, params


class _Twice(Module):
    def __init__(self, k):  # fastai style: no super().__init__()
        self.lin = nn.Linear(k, k)

    def forward(self, x):
        return 2 * self.lin(x)


def test_module_needs_no_super_init_and_pickles():
    m = _Twice(3)
    assert len(params(m)) == 2 and m(torch.zeros(1, 3)).shape == (1, 3)
    again = pickle.loads(pickle.dumps(m))
    assert torch.equal(again.lin.weight, m.lin.weight)


def test_flatten_and_sigmoid_range():
    assert Flatten()(torch.zeros(2, 3, 4)).shape == (2, 12) and Flatten(True)(torch.zeros(2, 3)).shape == (6,)
    out = SigmoidRange(1, 5)(torch.tensor([-100.0, 0.0, 100.0]))
    assert out.tolist() == [1.0, 3.0, 5.0]


def test_lin_bn_drop_orders_its_layers_as_fastai():
    from torch import nn

    from lamella.learner.layers import LinBnDrop

    layers = [type(m) for m in LinBnDrop(4, 2, p=0.5, act=nn.ReLU())]
    assert layers == [nn.BatchNorm1d, nn.Dropout, nn.Linear, nn.ReLU]
    assert LinBnDrop(4, 2, bn=False)[0].bias is not None and LinBnDrop(4, 2)[1].bias is None


def test_sequential_wraps_functions_and_keeps_named_layers():
    from collections import OrderedDict

    from lamella.learner import Identity, Lambda, sequential

    model = sequential(nn.Linear(4, 3), lambda x: x * 0, Identity())
    assert isinstance(model[1], Lambda) and isinstance(model[2], nn.Identity)
    assert torch.equal(model(torch.ones(2, 4)), torch.zeros(2, 3))
    named = sequential(OrderedDict(lin=nn.Linear(2, 2), act=nn.ReLU()))
    assert list(dict(named.named_children())) == ["lin", "act"]
    assert "flatten" in repr(sequential(torch.flatten))
    with pytest.raises(TypeError, match="argument 1 is a int, not a layer or a function"):
        sequential(nn.ReLU(), 3)


def test_time_distributed_matches_a_loop_over_steps():
    from lamella.learner import Mish, Swish, TimeDistributed

    torch.manual_seed(0)
    conv = nn.Sequential(nn.Conv2d(3, 4, 3), Mish(), nn.Flatten())
    clips = torch.randn(2, 5, 3, 6, 6)
    looped = torch.stack([conv(clips[:, t]) for t in range(5)], dim=1)
    assert torch.allclose(TimeDistributed(conv)(clips), looped, atol=1e-6)
    assert torch.allclose(TimeDistributed(conv, low_mem=True)(clips), looped, atol=1e-6)
    steps_last = clips.movedim(1, 2)  # batch x channels x steps x ...: tdim=2
    assert torch.allclose(TimeDistributed(conv, tdim=2)(steps_last), looped.movedim(1, 2), atol=1e-6)
    from lamella.learner import Lambda

    pair = TimeDistributed(Lambda(lambda x: (x.sum(-1), x.amax(-1))))  # a module returning a tuple
    total, top = pair(torch.ones(2, 5, 7, 4))
    assert total.shape == top.shape == (2, 5, 7) and total[0, 0, 0] == 4
    assert isinstance(Swish(), nn.SiLU)


def test_apply_init_skips_norms_and_frozen_layers():
    from lamella.learner import apply_init

    model = nn.Sequential(
        nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Embedding(5, 2), nn.Linear(2, 2), nn.LayerNorm(2)
    )
    model[3].requires_grad_(False)
    frozen = model[3].weight.clone()
    apply_init(model, lambda w: nn.init.constant_(w, 0.5))
    assert model[0].weight.eq(0.5).all() and not model[0].bias.any() and model[2].weight.eq(0.5).all()
    assert torch.equal(model[3].weight, frozen)
    assert model[1].weight.eq(1).all() and model[4].weight.eq(1).all()  # the norms keep their own values
    before = model[0].weight.clone()
    apply_init(model, None)
    assert torch.equal(model[0].weight, before)
