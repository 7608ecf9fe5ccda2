from lamella.learner import ParamScheduler
from lamella.optim.schedule import SchedLin


def test_param_scheduler_sets_hypers_by_position(learn):
    sched = ParamScheduler({"lr": SchedLin(1e-3, 1e-1), "wd": SchedLin(0.0, 0.5)})
    learn.fit(2, cbs=sched)
    lrs = sched.hps["lr"]
    n = 2 * len(learn.dls.train)
    assert len(lrs) == n and lrs[0] == 1e-3 and lrs == sorted(lrs) and lrs[-1] < 1e-1
    assert learn.recorder.lrs == lrs
