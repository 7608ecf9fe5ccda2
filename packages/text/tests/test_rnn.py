"""The recurrent models' callbacks: resets at the right events, logits unpacked, AR and TAR in training."""

import torch
from torch import nn

from lamella.text import ModelResetter, RNNCallback, RNNRegularizer, rnn_cbs
from lamella.text.rnn import reset_model


class _Carried(nn.Module):
    def __init__(self):
        super().__init__()
        self.resets = 0

    def reset(self):
        self.resets += 1


class _Learn:  # the attributes the callbacks read
    def __init__(self, model=None):
        self.model, self.training = model, True


def test_model_resetter_resets_before_train_and_validate_and_after_fit():
    learn = _Learn(_Carried())
    cb = ModelResetter()
    cb.learn = learn
    cb.before_train(), cb.before_validate(), cb.after_fit()
    assert learn.model.resets == 3


def test_reset_model_reaches_through_torch_compile_and_skips_stateless_models():
    inner = _Carried()
    wrapper = nn.Module()
    wrapper._orig_mod = inner  # what torch.compile's OptimizedModule holds
    reset_model(wrapper)
    reset_model(nn.Linear(2, 2))
    assert inner.resets == 1


def test_rnn_callback_keeps_the_logits_and_sets_the_outputs_aside():
    learn = _Learn()
    logits, raw, out = torch.randn(2, 3), torch.randn(2, 4, 5), torch.randn(2, 4, 5)
    learn.pred = (logits, raw, out)
    cb = RNNCallback()
    cb.learn = learn
    cb.after_pred()
    assert learn.pred is logits and cb.raw_out is raw and cb.out is out
    learn.pred = logits  # a model without the triple passes through
    cb.after_pred()
    assert learn.pred is logits


def test_ar_and_tar_are_the_activations_and_their_changes_squared():
    learn = _Learn()
    rnn = RNNCallback()
    rnn.raw_out = torch.tensor([[[0.0], [1.0], [3.0]]])  # steps differ by 1 and 2
    rnn.out = torch.tensor([[[2.0], [2.0], [2.0]]])
    learn.rnn, learn.loss_grad = rnn, torch.tensor(1.0)
    reg = RNNRegularizer(alpha=2.0, beta=1.0)
    reg.learn = learn
    reg.after_loss()
    assert learn.loss_grad.item() == 1.0 + 2.0 * 4.0 + 1.0 * (1 + 4) / 2
    learn.training, learn.loss_grad = False, torch.tensor(1.0)
    reg.after_loss()
    assert learn.loss_grad.item() == 1.0


def test_rnn_cbs_add_the_regulariser_only_when_asked():
    assert [type(c).__name__ for c in rnn_cbs()] == ["ModelResetter", "RNNCallback"]
    assert isinstance(rnn_cbs(beta=1.0)[-1], RNNRegularizer)
