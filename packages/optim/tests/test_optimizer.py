import io

import pytest
import torch

from lamella.optim import SGD, Adam, Optimizer, ParamBatch, average_grad, even_mults, momentum_step, sgd_step
from lamella.optim.optimizer import part_defaults, spread

from .conftest import make_model, train


def test_parts_receive_every_grad_carrying_param_at_once():
    seen = []

    def spy(b, lr, **_):
        seen.append((len(b.params), lr))

    a, b, c = (torch.nn.Parameter(torch.ones(2)) for _ in range(3))
    opt = Optimizer([a, b, c], [spy], lr=0.1)
    a.grad, c.grad = torch.ones(2), torch.ones(2)
    opt.step()
    assert seen == [(2, 0.1)]  # b has no gradient: skipped


def test_groups_from_lists_of_lists_and_dicts():
    a, b = torch.nn.Parameter(torch.ones(1)), torch.nn.Parameter(torch.ones(1))
    assert len(SGD([[a], [b]], lr=0.1).param_groups) == 2
    opt = SGD([{"params": [a], "lr": 1.0}, {"params": [b]}], lr=0.1)
    assert [g["lr"] for g in opt.param_groups] == [1.0, 0.1]
    with pytest.raises(ValueError, match="empty list of parameters"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match="needs a learning rate"):
        Optimizer([a], [sgd_step])


def test_part_defaults_become_hypers():
    assert part_defaults(average_grad) == {"mom": 0.9}
    opt = Optimizer([torch.nn.Parameter(torch.ones(1))], [average_grad, momentum_step], lr=0.1)
    assert opt.hypers == [
        {"mom": 0.9, "lr": 0.1, **{k: v for k, v in opt.defaults.items() if k not in ("mom", "lr")}}
    ]


def test_set_hyper_spreads_slices_over_groups():
    ps = [[torch.nn.Parameter(torch.ones(1))] for _ in range(3)]
    opt = SGD(ps, lr=0.1)
    opt.set_hyper("lr", slice(1e-3, 1e-1))
    assert [round(h["lr"], 8) for h in opt.hypers] == [1e-3, 1e-2, 1e-1]
    opt.set_hyper("lr", slice(1e-1))
    assert [h["lr"] for h in opt.hypers] == [1e-2, 1e-2, 1e-1]
    opt.set_hyper("wd", [0.0, 0.1, 0.2])
    assert [h["wd"] for h in opt.hypers] == [0.0, 0.1, 0.2]
    with pytest.raises(ValueError, match="got 2 values for 3 parameter groups"):
        opt.set_hyper("wd", [0.0, 0.1])
    assert even_mults(1, 100, 3) == [1, 10.0, 100]
    assert spread("lr", 0.5, 2) == [0.5, 0.5]


def _two_groups():
    model = make_model()
    body = list(model[0].parameters())
    bn = list(model[2].parameters())
    head = list(model[3].parameters())
    return model, body, bn, head


def test_frozen_groups_get_no_update_and_keep_no_state():
    model, body, bn, head = _two_groups()
    opt = Adam([body + bn, head], lr=1e-2)
    train(model, opt, steps=3)
    assert all(len(opt.state[p]) > 0 for p in body)
    opt.freeze()
    assert all(not p.requires_grad for p in body + bn)
    assert all(not opt.state[p] for p in body + bn)
    before = [p.detach().clone() for p in body]
    train(model, opt, steps=3)
    assert all(torch.equal(p, q) for p, q in zip(body, before))
    assert all(not opt.state[p] for p in body)
    opt.unfreeze()
    assert all(p.requires_grad for p in body + bn + head)


def test_train_bn_keeps_flagged_norm_params_trainable():
    model, body, bn, head = _two_groups()
    opt = Adam([body + bn, head], lr=1e-2)
    for p in bn:
        opt.state[p]["force_train"] = True
    opt.freeze()
    assert all(p.requires_grad for p in bn) and not any(p.requires_grad for p in body)
    opt.clear_state()
    assert all(opt.state[p] == {"force_train": True} for p in bn)
    off = Adam([body + bn, head], lr=1e-2)
    off.train_bn = False
    for p in bn:
        off.state[p]["force_train"] = True
    off.freeze()
    assert not any(p.requires_grad for p in bn)


def test_freeze_needs_two_groups():
    with pytest.raises(ValueError, match="at least two parameter groups"):
        SGD([torch.nn.Parameter(torch.ones(1))], lr=0.1).freeze()


def test_do_wd_flag_skips_weight_decay():
    a, b = torch.nn.Parameter(torch.ones(1)), torch.nn.Parameter(torch.ones(1))
    opt = SGD([a, b], lr=0.1, wd=1.0)
    opt.state[b]["do_wd"] = False
    a.grad, b.grad = torch.zeros(1), torch.zeros(1)
    opt.step()
    assert a.item() == pytest.approx(0.9) and b.item() == 1.0


def test_state_dict_round_trip_resumes_bit_for_bit():
    model = make_model()
    opt = Adam(model.parameters(), lr=1e-2)
    train(model, opt, steps=10, seed=1)
    buf = io.BytesIO()
    torch.save({"model": model.state_dict(), "opt": opt.state_dict()}, buf)
    train(model, opt, steps=10, seed=2)

    buf.seek(0)
    saved = torch.load(buf, weights_only=True)
    resumed = make_model(seed=5)
    resumed.load_state_dict(saved["model"])
    opt2 = Adam(resumed.parameters(), lr=1e-2)
    opt2.load_state_dict(saved["opt"])
    train(resumed, opt2, steps=10, seed=2)
    for pa, pb in zip(model.parameters(), resumed.parameters()):
        assert torch.equal(pa, pb)


def test_torch_lr_scheduler_drives_it():
    model = make_model()
    opt = SGD(model.parameters(), lr=1.0)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    for _ in range(3):
        train(model, opt, steps=1)
        sched.step()
    assert opt.hypers[0]["lr"] == 0.125


def test_grad_scaler_steps_it():
    model = make_model()
    opt = Adam(model.parameters(), lr=1e-2)
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0**10)
    before = [p.detach().clone() for p in model.parameters()]
    loss = model(torch.randn(4, 5)).pow(2).mean()
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
    assert any(not torch.equal(p, q) for p, q in zip(model.parameters(), before))
    # An inf gradient makes the scaler skip the step.
    opt.zero_grad()
    next(model.parameters()).grad = torch.full_like(next(model.parameters()), float("inf"))
    frozen = [p.detach().clone() for p in model.parameters()]
    scaler.step(opt)
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), frozen))


def test_closure_is_called_with_grad_enabled():
    p = torch.nn.Parameter(torch.ones(1))
    opt = SGD([p], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (p * 2).sum()
        loss.backward()
        return loss

    assert float(opt.step(closure).detach()) == 2.0 and p.item() == pytest.approx(0.8)


def test_param_batch_buffers_and_repr():
    b = ParamBatch([torch.ones(2)], [torch.ones(2)], [{"step": 4}])
    assert b.buf("x")[0].tolist() == [0.0, 0.0] and b.steps() == [4]
    assert repr(SGD([torch.nn.Parameter(torch.ones(1))], lr=0.1, mom=0.9)).endswith(
        "parts: weight_decay, average_grad, momentum_step)"
    )


@pytest.mark.parametrize("lr", [float("nan"), -1e-3])
def test_a_nan_or_negative_learning_rate_is_refused(lr):
    with pytest.raises(ValueError, match="learning rate must be 0 or more"):
        Adam([torch.nn.Parameter(torch.zeros(2))], lr=lr)


def test_with_defaults_declares_a_parts_hyper_parameters_and_fastais_attribute_still_works():
    from lamella.optim import Optimizer, with_defaults
    from lamella.optim.optimizer import part_defaults

    @with_defaults(scale=0.5)
    def scaled_sgd(b, lr, scale, **_):
        for p, g in zip(b.params, b.grads):
            p.sub_(lr * scale * g)

    def fastai_style(b, lr, tilt, **_):
        pass

    fastai_style.defaults = {"tilt": 2.0}
    assert part_defaults(scaled_sgd) == {"scale": 0.5} and part_defaults(fastai_style) == {"tilt": 2.0}
    w = torch.nn.Parameter(torch.ones(1))
    opt = Optimizer([w], [scaled_sgd, fastai_style], lr=0.1)
    w.grad = torch.ones(1)
    opt.step()
    assert opt.hypers[0]["scale"] == 0.5 and opt.hypers[0]["tilt"] == 2.0
    assert torch.allclose(w.detach(), torch.tensor([0.95]))
