"""The fit variants: one-cycle, flat then cosine, one rate per group from a slice."""

import pytest

from .conftest import two_group_learner


def test_fit_one_cycle_schedules_lr_and_mom(learn):
    learn.fit_one_cycle(2, 1e-2)
    lrs, moms = learn.recorder.lrs, learn.recorder.moms
    peak = max(lrs)
    assert peak == pytest.approx(1e-2, rel=0.05) and lrs[0] == pytest.approx(1e-2 / 25, rel=0.05)
    assert lrs[-1] < 1e-3 and min(moms) == pytest.approx(0.85, abs=0.01) and moms[0] == pytest.approx(0.95)


def test_fit_flat_cos(learn):
    learn.fit_flat_cos(2, 1e-2)
    lrs = learn.recorder.lrs
    assert lrs[0] == pytest.approx(1e-2) and lrs[len(lrs) // 2] == pytest.approx(1e-2) and lrs[-1] < 5e-3


@pytest.mark.parametrize("schedule", ["fit_one_cycle", "fit_flat_cos", "fit_sgdr"])
def test_schedules_take_one_rate_per_group_from_a_slice(schedule):
    # every schedule reaches its cosine phase with a slice: one schedule per parameter group
    learn = two_group_learner()
    args = (2, 1, slice(1e-3, 1e-1)) if schedule == "fit_sgdr" else (3, slice(1e-3, 1e-1))
    getattr(learn, schedule)(*args)
    first, last = learn.opt.hypers
    assert first["lr"] < last["lr"] and last["lr"] < 1e-1  # annealed, each group from its own rate
