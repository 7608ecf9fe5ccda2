import pytest

from lamella.learner import Callback, CallbackError
from lamella.learner.callback import snake_name


def test_names():
    assert snake_name("SaveModelCallback") == "save_model" and snake_name("MixUp") == "mix_up"
    assert Callback().name == "callback" and repr(Callback()) == "Callback"


def test_reads_delegate_to_the_learner(learn):
    cb = Callback()
    learn.add_cb(cb)
    assert cb.model is learn.model and cb.epoch == learn.epoch
    with pytest.raises(AttributeError, match="has no attribute '_private'"):
        _ = cb._private
    with pytest.raises(AttributeError):
        _ = Callback().model  # no learner yet


def test_callback_error_is_a_runtime_error():
    assert issubclass(CallbackError, RuntimeError)
