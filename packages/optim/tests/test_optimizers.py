import copy
import math

import pytest
import torch

from lamella.optim import SGD, Adam, Lamb, Larc, Lion, QHAdam, RAdam, RMSProp

from .conftest import make_model, train

PARITY = [
    (
        lambda ps: SGD(ps, lr=0.05, mom=0.9, wd=1e-2, decouple_wd=False),
        lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, weight_decay=1e-2, foreach=True),
    ),
    (lambda ps: SGD(ps, lr=0.05), lambda ps: torch.optim.SGD(ps, lr=0.05, foreach=True)),
    (
        lambda ps: Adam(ps, lr=1e-2, mom=0.9, sqr_mom=0.999, eps=1e-8, wd=1e-2),
        lambda ps: torch.optim.AdamW(
            ps, lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, foreach=True
        ),
    ),
    (
        lambda ps: RMSProp(ps, lr=1e-3, sqr_mom=0.99, eps=1e-8),
        lambda ps: torch.optim.RMSprop(ps, lr=1e-3, alpha=0.99, eps=1e-8, foreach=True),
    ),
    (
        lambda ps: RAdam(ps, lr=1e-2, mom=0.9, sqr_mom=0.999, eps=1e-8, wd=1e-2),
        lambda ps: torch.optim.RAdam(
            ps,
            lr=1e-2,
            betas=(0.9, 0.999),
            eps=1e-8,
            weight_decay=1e-2,
            decoupled_weight_decay=True,
            foreach=True,
        ),
    ),
]


@pytest.mark.parametrize("ours,theirs", PARITY, ids=["sgd-mom-l2", "sgd", "adamw", "rmsprop", "radam"])
def test_parity_with_torch_over_100_steps(ours, theirs):
    a, b = make_model(), make_model()
    train(a, ours(a.parameters()))
    train(b, theirs(b.parameters()))
    for pa, pb in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(pa, pb, rtol=1e-5, atol=1e-7)


class PaperRule:
    """Apply an update rule written straight from a paper, one parameter at a time."""

    def __init__(self, params, rule):
        self.params, self.rule, self.state, self.t = list(params), rule, {}, 0

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        self.t += 1
        for p in self.params:
            self.rule(p, p.grad, self.state.setdefault(p, {}), self.t)


def lamb_rule(lr=1e-2, b1=0.9, b2=0.99, eps=1e-6, wd=1e-2):
    def rule(p, g, s, t):
        m = s["m"] = b1 * s.get("m", torch.zeros_like(p)) + (1 - b1) * g
        v = s["v"] = b2 * s.get("v", torch.zeros_like(p)) + (1 - b2) * g * g
        p.mul_(1 - lr * wd)
        r = (m / (1 - b1**t)) / ((v / (1 - b2**t)).sqrt() + eps)
        r1, r2 = p.pow(2).mean().sqrt(), r.pow(2).mean().sqrt()
        q = 1.0 if r1 == 0 or r2 == 0 else min(float(r1 / r2), 10.0)
        p.sub_(lr * q * r)

    return rule


def lion_rule(lr=1e-3, b1=0.9, b2=0.99, wd=0.1):
    def rule(p, g, s, t):
        m = s.get("m", torch.zeros_like(p))
        c = b1 * m + (1 - b1) * g
        p.sub_(lr * (torch.sign(c) + wd * p))
        s["m"] = b2 * m + (1 - b2) * g

    return rule


def qhadam_rule(lr=1e-2, b1=0.999, b2=0.999, nu1=0.7, nu2=1.0, eps=1e-8):
    def rule(p, g, s, t):
        m = s["m"] = b1 * s.get("m", torch.zeros_like(p)) + (1 - b1) * g
        v = s["v"] = b2 * s.get("v", torch.zeros_like(p)) + (1 - b2) * g * g
        num = (1 - nu1) * g + nu1 * m / (1 - b1**t)
        den = ((1 - nu2) * g * g + nu2 * v / (1 - b2**t)).sqrt() + eps
        p.sub_(lr * num / den)

    return rule


def larc_rule(lr=0.1, mom=0.9, trust=0.02, eps=1e-8, clip=True):
    def rule(p, g, s, t):
        local = lr * trust * p.norm() / (g.norm() + eps)
        local = min(lr, float(local)) if clip else float(local)
        avg = s["avg"] = mom * s.get("avg", torch.zeros_like(p)) + g
        p.sub_(local * avg)

    return rule


PAPERS = [
    (lambda ps: Lamb(ps, lr=1e-2, sqr_mom=0.99, eps=1e-6, wd=1e-2), lamb_rule()),
    (lambda ps: Lion(ps, lr=1e-3, wd=0.1), lion_rule()),
    (lambda ps: QHAdam(ps, lr=1e-2), qhadam_rule()),
    (lambda ps: Larc(ps, lr=0.1), larc_rule()),
    (lambda ps: Larc(ps, lr=0.1, clip=False), larc_rule(clip=False)),
]


@pytest.mark.parametrize("ours,rule", PAPERS, ids=["lamb", "lion", "qhadam", "larc", "lars"])
def test_against_a_transcription_of_the_paper(ours, rule):
    a, b = make_model(), make_model()
    train(a, ours(a.parameters()), steps=50)
    train(b, PaperRule(b.parameters(), rule), steps=50)
    for pa, pb in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(pa, pb, rtol=1e-4, atol=1e-6)


def test_adam_defaults_are_fastais(model):
    h = Adam(model.parameters(), lr=1e-3).hypers[0]
    assert (h["mom"], h["sqr_mom"], h["eps"], h["wd"]) == (0.9, 0.99, 1e-5, 0.01)


def test_adam_l2_mode_matches_torch_adam(model):
    other = copy.deepcopy(model)
    train(
        model,
        Adam(model.parameters(), lr=1e-2, sqr_mom=0.999, eps=1e-8, wd=1e-2, decouple_wd=False),
        steps=30,
    )
    train(other, torch.optim.Adam(other.parameters(), lr=1e-2, eps=1e-8, weight_decay=1e-2), steps=30)
    for pa, pb in zip(model.parameters(), other.parameters()):
        torch.testing.assert_close(pa, pb, rtol=1e-5, atol=1e-7)


def test_radam_rectification_switches_on_after_a_few_steps():
    from lamella.optim.steppers import _radam_rect

    assert _radam_rect(1, 0.999) == 0 and _radam_rect(5, 0.999) == 0
    assert 0 < _radam_rect(10, 0.999) < 1 and math.isclose(_radam_rect(10**6, 0.999), 1, rel_tol=1e-3)


def test_the_docs_lion_written_from_parts_is_lamellas_lion():
    from lamella.optim import Optimizer, weight_decay

    def lion(b, lr, mom, mom2, **_):
        m = b.buf("exp_avg")
        c = torch._foreach_lerp(m, b.grads, 1 - mom)
        torch._foreach_sign_(c)
        torch._foreach_add_(b.params, c, alpha=-lr)
        torch._foreach_lerp_(m, b.grads, 1 - mom2)

    lion.defaults = {"mom": 0.9, "mom2": 0.99}

    def DocsLion(params, lr=1e-4, wd=0.0):
        return Optimizer(params, [weight_decay, lion], lr=lr, wd=wd)

    a, b = make_model(), make_model()
    train(a, DocsLion(a.parameters(), lr=1e-3, wd=0.1), steps=20)
    train(b, Lion(b.parameters(), lr=1e-3, wd=0.1), steps=20)
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert torch.equal(pa, pb)
