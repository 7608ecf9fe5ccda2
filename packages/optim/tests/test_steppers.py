import pytest
import torch

from lamella.optim import (
    ParamBatch,
    adam_step,
    l2_reg,
    lamb_step,
    larc_layer_lr,
    larc_step,
    lion_step,
    momentum_step,
    qhadam_step,
    radam_step,
    rms_prop_step,
    sgd_step,
    weight_decay,
)


def one(p=1.0, g=1.0, **state):
    return ParamBatch([torch.tensor([p])], [torch.tensor([g])], [dict(state)])


def test_weight_decay_and_l2():
    b = one()
    weight_decay(b, lr=0.1, wd=0.5)
    assert b.params[0].item() == pytest.approx(0.95)
    b = one(p=2.0, g=1.0)
    l2_reg(b, wd=0.5)
    assert b.grads[0].item() == 2.0
    flagged = one(p=2.0, g=1.0, do_wd=False)
    l2_reg(flagged, wd=0.5)
    weight_decay(flagged, lr=0.1, wd=0.5)
    assert flagged.grads[0].item() == 1.0 and flagged.params[0].item() == 2.0


def test_sgd_and_momentum_steps():
    b = one()
    sgd_step(b, lr=0.1)
    assert b.params[0].item() == pytest.approx(0.9)
    b = one(grad_avg=torch.tensor([3.0]))
    momentum_step(b, lr=0.1)
    assert b.params[0].item() == pytest.approx(0.7)


def test_rms_prop_uses_the_averaged_grad_when_kept():
    b = one(sqr_avg=torch.tensor([4.0]), grad_avg=torch.tensor([2.0]))
    rms_prop_step(b, lr=0.1, eps=0.0)
    assert b.params[0].item() == pytest.approx(0.9)


def test_adam_bias_corrections_per_param_when_steps_differ():
    state = dict(grad_avg=torch.tensor([0.1]), sqr_avg=torch.tensor([0.001]))
    b = ParamBatch(
        [torch.ones(1), torch.ones(1)], [torch.ones(1)] * 2, [dict(state, step=1), dict(state, step=2)]
    )
    adam_step(b, lr=0.1, mom=0.9, sqr_mom=0.999, eps=0.0)
    bc1, bc2 = 1 - 0.9**2, 1 - 0.999**2
    expected = 1 - 0.1 * (0.1 / bc1) / ((0.001 / bc2) ** 0.5)
    assert b.params[0].item() == pytest.approx(0.9)
    assert b.params[1].item() == pytest.approx(expected, rel=1e-5)


def test_radam_before_and_after_rectification():
    b = one(grad_avg=torch.tensor([0.1]), sqr_avg=torch.tensor([0.001]), step=1)
    radam_step(b, lr=0.1, mom=0.9, sqr_mom=0.999, eps=0.0)
    assert b.params[0].item() == pytest.approx(0.9)  # momentum only: lr * m / (1 - mom)
    late = one(grad_avg=torch.tensor([0.1]), sqr_avg=torch.tensor([0.01]), step=1000)
    radam_step(late, lr=0.1, mom=0.9, sqr_mom=0.999, eps=0.0)
    assert late.params[0].item() < 1.0


def test_qhadam_reduces_to_adam_with_nu_one():
    state = dict(grad_avg=torch.tensor([0.1]), sqr_avg=torch.tensor([0.001]), step=1)
    a, q = one(**state), one(**state)
    adam_step(a, lr=0.1, mom=0.9, sqr_mom=0.999, eps=1e-8)
    qhadam_step(q, lr=0.1, mom=0.9, sqr_mom=0.999, eps=1e-8, nu_1=1.0, nu_2=1.0)
    assert a.params[0].item() == pytest.approx(q.params[0].item())


def test_larc_clips_the_local_rate():
    b = one(p=100.0, g=1.0)
    larc_layer_lr(b, lr=0.1, trust_coeff=0.02, wd=0.0, eps=0.0)
    assert b.local_lr == [pytest.approx(0.1)]
    larc_layer_lr(b, lr=0.1, trust_coeff=0.02, wd=0.0, eps=0.0, clip=False)
    assert b.local_lr == [pytest.approx(0.2)]
    larc_step(b)
    assert b.params[0].item() == pytest.approx(99.8)


def test_lamb_trust_ratio_is_capped_and_one_for_zero_weights():
    b = one(p=0.0, grad_avg=torch.tensor([0.1]), sqr_avg=torch.tensor([0.001]), step=1)
    lamb_step(b, lr=0.1, mom=0.9, sqr_mom=0.999, eps=0.0)
    assert b.params[0].item() == pytest.approx(-0.1)
    big = one(p=1000.0, grad_avg=torch.tensor([0.1]), sqr_avg=torch.tensor([0.001]), step=1)
    lamb_step(big, lr=0.1, mom=0.9, sqr_mom=0.999, eps=0.0)
    assert big.params[0].item() == pytest.approx(1000.0 - 0.1 * 10)


def test_lion_moves_by_the_sign_only():
    b = ParamBatch([torch.zeros(2)], [torch.tensor([1e-6, -5.0])], [{}])
    lion_step(b, lr=0.1, mom=0.9, mom2=0.99)
    assert b.params[0].tolist() == pytest.approx([-0.1, 0.1])
    assert b.state[0]["exp_avg"].tolist() == pytest.approx([1e-8, -0.05])


def _adam_parts():
    from functools import partial

    from lamella.optim import average_grad, average_sqr_grad, step_stat

    return [weight_decay, partial(average_grad, dampening=True), average_sqr_grad, step_stat, adam_step]


def test_fused_adamw_matches_the_composed_parts_and_shares_their_state():
    import copy

    from lamella.optim import Optimizer, fused_adamw_step

    torch.manual_seed(0)
    ps = [torch.nn.Parameter(torch.randn(4, 3)), torch.nn.Parameter(torch.randn(3))]
    qs = [torch.nn.Parameter(p.detach().clone()) for p in ps]
    grads = [[torch.randn_like(p) for p in ps] for _ in range(20)]
    hyp = dict(lr=1e-2, mom=0.9, sqr_mom=0.99, eps=1e-5, wd=0.1)

    def run(opt, params, steps):
        for gs in steps:
            for p, g in zip(params, gs):
                p.grad = g.clone()
            opt.step()

    fused = Optimizer(ps, [fused_adamw_step], **hyp)
    fused.state[ps[1]]["do_wd"] = False
    run(fused, ps, grads)
    composed = Optimizer(qs, _adam_parts(), **hyp)
    composed.state[qs[1]]["do_wd"] = False
    run(composed, qs, grads[:10])
    switched = Optimizer(qs, [fused_adamw_step], **hyp)
    switched.load_state_dict(copy.deepcopy(composed.state_dict()))  # the composed state, continued fused
    run(switched, qs, grads[10:])
    for p, q in zip(ps, qs):
        torch.testing.assert_close(p, q, rtol=1e-5, atol=1e-6)
    assert switched.state[qs[0]]["step"] == 20


def test_fused_adamw_matches_torch_fused_exactly():
    from lamella.optim import Adam

    torch.manual_seed(0)
    ps = [torch.nn.Parameter(torch.randn(5, 5))]
    qs = [torch.nn.Parameter(ps[0].detach().clone())]
    ours = Adam(ps, lr=1e-2, sqr_mom=0.999, eps=1e-8, wd=1e-2)
    theirs = torch.optim.AdamW(qs, lr=1e-2, eps=1e-8, weight_decay=1e-2, fused=True)
    for _ in range(10):
        g = torch.randn(5, 5)
        ps[0].grad, qs[0].grad = g.clone(), g.clone()
        ours.step(), theirs.step()
    assert torch.equal(ps[0], qs[0])
