import torch

from lamella.optim import ParamBatch, average_grad, average_sqr_grad, step_stat


def batch(grads):
    return ParamBatch([torch.zeros_like(g) for g in grads], grads, [{} for _ in grads])


def test_average_grad_with_and_without_dampening():
    b = batch([torch.ones(2), torch.full((1,), 2.0)])
    average_grad(b, mom=0.5)
    average_grad(b, mom=0.5)
    assert b.state[0]["grad_avg"].tolist() == [1.5, 1.5] and b.state[1]["grad_avg"].tolist() == [3.0]
    d = batch([torch.ones(1)])
    average_grad(d, mom=0.5, dampening=True)
    average_grad(d, mom=0.5, dampening=True)
    assert d.state[0]["grad_avg"].tolist() == [0.75]


def test_average_sqr_grad():
    b = batch([torch.full((1,), 2.0)])
    average_sqr_grad(b, sqr_mom=0.5)
    assert b.state[0]["sqr_avg"].tolist() == [2.0]
    average_sqr_grad(b, sqr_mom=0.5, dampening=False)
    assert b.state[0]["sqr_avg"].tolist() == [5.0]


def test_step_stat_counts_per_param():
    b = batch([torch.ones(1), torch.ones(1)])
    b.state[1]["step"] = 7
    step_stat(b)
    assert b.steps() == [1, 8]
