import math

import pytest

from lamella.optim.schedule import (
    SchedCos,
    SchedExp,
    SchedLin,
    SchedNo,
    SchedPoly,
    combine_scheds,
    combined_cos,
    one_cycle_scheds,
)


@pytest.mark.parametrize(
    "sched,expected",
    [
        (SchedLin(1, 3), [1, 2, 3]),
        (SchedCos(1, 3), [1, 2, 3]),
        (SchedNo(1, 3), [1, 1, 1]),
        (SchedExp(1, 100), [1, 10, 100]),
        (SchedPoly(1, 3, 0.5), [1, 1 + 2 * (1 - math.sqrt(0.5)), 3]),
    ],
)
def test_schedules_at_start_middle_end(sched, expected):
    assert [sched(p) for p in (0.0, 0.5, 1.0)] == pytest.approx(expected)


def test_cosine_is_smooth():
    s = SchedCos(0, 1)
    assert s(0.25) == pytest.approx((1 - math.cos(math.pi / 4)) / 2)


def test_combine_scheds_is_continuous_and_checks_fractions():
    f = combine_scheds([0.3, 0.7], [SchedLin(0, 1), SchedCos(1, 0)])
    assert f(0.0) == 0 and f(0.3) == pytest.approx(1) and f(1.0) == pytest.approx(0)
    assert f(0.15) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="sum to 1"):
        combine_scheds([0.3, 0.3], [SchedNo(0, 0), SchedNo(0, 0)])
    with pytest.raises(ValueError, match="2 fractions for 1 schedules"):
        combine_scheds([0.5, 0.5], [SchedNo(0, 0)])


def test_zero_width_phase():
    f = combine_scheds([0.0, 1.0], [SchedNo(5, 5), SchedLin(0, 1)])
    assert f(0.0) == 0 and f(0.5) == 0.5


def test_one_cycle_shapes():
    s = one_cycle_scheds(1e-2, pct_start=0.25)
    assert s["lr"](0) == pytest.approx(4e-4) and s["lr"](0.25) == pytest.approx(1e-2)
    assert s["lr"](1.0) == pytest.approx(1e-7)
    assert (
        s["mom"](0) == 0.95 and s["mom"](0.25) == pytest.approx(0.85) and s["mom"](1.0) == pytest.approx(0.95)
    )
    assert combined_cos(0.5, 0, 1, 0)(0.5) == pytest.approx(1)
