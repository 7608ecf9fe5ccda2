import pytest
import torch

from lamella.learner import Callback, CallbackError


def test_infinite_loss_stops_training_and_names_the_batch(learn):
    class Explode(Callback):
        def after_pred(self):
            if self.iter == 0:
                self.learn.pred = torch.full_like(self.pred, float("inf"))

    with pytest.raises(CallbackError, match="is (inf|nan) at epoch 0, batch 0; training stopped"):
        learn.fit(1, cbs=Explode())


def test_finite_losses_pass(learn):
    learn.fit(1)
    assert len(learn.recorder.values) == 1
