import copy

import torch

from lamella.optim import SGD, Lookahead, ranger

from .conftest import make_model, train


def test_slow_weights_follow_every_k_steps():
    p = torch.nn.Parameter(torch.zeros(1))
    look = Lookahead(SGD([p], lr=1.0), k=3, alpha=0.5)
    values = []
    for _ in range(6):
        p.grad = torch.ones(1)
        look.step()
        values.append(float(p.detach()))
    # fast: -1, -2, -3 -> slow 0 + 0.5 * (-3) = -1.5; then -2.5, -3.5, -4.5 -> -1.5 + 0.5 * (-3) = -3
    assert values == [-1.0, -2.0, -1.5, -2.5, -3.5, -3.0]


def test_hypers_and_freezing_are_the_inner_optimizers():
    a, b = torch.nn.Parameter(torch.ones(1)), torch.nn.Parameter(torch.ones(1))
    look = Lookahead(SGD([[a], [b]], lr=0.1))
    look.set_hyper("lr", slice(0.01, 0.1))
    assert [round(g["lr"], 6) for g in look.opt.param_groups] == [0.01, 0.1]
    look.freeze()
    assert not a.requires_grad and b.requires_grad


def test_state_dict_round_trip():
    m1 = make_model()
    look = ranger(m1.parameters(), lr=1e-2)
    train(m1, look, steps=8)
    sd = copy.deepcopy(look.state_dict())  # torch shares state tensors with a loaded optimizer
    m2 = make_model()
    m2.load_state_dict(m1.state_dict())
    look2 = ranger(m2.parameters(), lr=1e-2)
    look2.load_state_dict(sd)
    train(m1, look, steps=7, seed=3)
    train(m2, look2, steps=7, seed=3)
    assert look2.count == 15
    for pa, pb in zip(m1.parameters(), m2.parameters()):
        assert torch.equal(pa, pb)


def test_clear_state_drops_slow_weights():
    m = make_model()
    look = ranger(m.parameters(), lr=1e-2)
    train(m, look, steps=2)
    look.clear_state()
    assert not look.slow and all(not s for s in look.opt.state.values())
