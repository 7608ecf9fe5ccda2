import pytest
import torch

from lamella.optim import OptimWrapper

from .conftest import make_model, train


@pytest.mark.parametrize(
    "make,mom_key",
    [
        (lambda ps: torch.optim.AdamW(ps, lr=1e-3), "betas"),
        (lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9), "momentum"),
        (lambda ps: torch.optim.RMSprop(ps, lr=0.1), None),
    ],
    ids=["adamw", "sgd", "rmsprop"],
)
def test_hypers_under_fastai_names(make, mom_key):
    m = make_model()
    opt = OptimWrapper(make(m.parameters()))
    h = opt.hypers[0]
    assert "lr" in h and "wd" in h and "params" not in h
    if mom_key:
        opt.set_hyper("mom", 0.7)
        assert opt.hypers[0]["mom"] == 0.7
    opt.set_hyper("wd", 0.3)
    assert opt.opt.param_groups[0]["weight_decay"] == 0.3
    train(m, opt, steps=2)


def test_slices_freezing_and_clear_state():
    m = make_model()
    body, head = list(m[0].parameters()), list(m[3].parameters())
    bn = list(m[2].parameters())
    opt = OptimWrapper(torch.optim.AdamW([{"params": body + bn}, {"params": head}], lr=1e-3))
    opt.set_hyper("lr", slice(1e-4, 1e-2))
    assert [round(g["lr"], 8) for g in opt.param_groups] == [1e-4, 1e-2]
    train(m, opt, steps=2)
    opt.mark_force_train(bn)
    opt.freeze()
    assert not any(p.requires_grad for p in body) and all(p.requires_grad for p in bn)
    assert all(p not in opt.opt.state for p in body)
    train(m, opt, steps=2)  # the torch optimizer still steps fine with frozen groups
    opt.clear_state()
    assert len(opt.opt.state) == 0
    opt.load_state_dict(opt.state_dict())
