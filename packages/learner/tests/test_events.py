from lamella.learner import EVENTS, CancelBatchException, CancelFitException


def test_events_are_a_closed_ordered_set():
    assert EVENTS[1] == "before_fit" and EVENTS[-1] == "after_fit" and len(set(EVENTS)) == len(EVENTS)
    for step in ("fit", "epoch", "train", "validate", "batch", "backward", "step"):
        assert f"after_cancel_{step}" in EVENTS
    assert EVENTS.index("before_batch") < EVENTS.index("after_pred") < EVENTS.index("after_loss")


def test_cancel_exceptions_are_distinct():
    assert not issubclass(CancelBatchException, CancelFitException)
