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


def test_handlers_as_keywords_and_one_removed_callback(learn):
    from lamella.learner import Callback

    seen = []
    learn.fit(
        1, cbs=Callback(before_fit=lambda: seen.append("fit"), after_epoch=lambda: seen.append("epoch"))
    )
    assert seen == ["fit", "epoch"]
    with pytest.raises(TypeError, match="unknown event 'after_epoc'"):
        Callback(after_epoc=print)
    progress = learn.progress
    with learn.removed_cbs(progress):  # one callback, as fastai allows
        assert progress not in learn.cbs
    assert progress in learn.cbs


def test_keyword_handlers_written_with_self_are_bound_as_in_fastai(learn):
    from lamella.learner import Callback

    seen = []

    def after_epoch(self):  # fastai's form: the handler reads the learner through the callback
        seen.append((self.epoch, self.n_epoch, type(self.learn).__name__))

    learn.fit(2, cbs=Callback(after_epoch=after_epoch))
    assert seen == [(0, 2, "Learner"), (1, 2, "Learner")]
