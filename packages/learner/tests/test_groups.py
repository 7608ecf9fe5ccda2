"""Parameter groups: freezing, fine-tuning, discriminative learning rates."""

import torch

from .conftest import two_group_learner


def test_freeze_fine_tune_and_discriminative_lrs():
    learn = two_group_learner()
    learn.freeze()
    assert not learn.model[0].weight.requires_grad and learn.model[1].weight.requires_grad  # train_bn
    body = learn.model[0].weight.detach().clone()
    learn.fit(1)
    assert torch.equal(learn.model[0].weight, body)
    learn.fine_tune(1, base_lr=1e-2, freeze_epochs=1)
    assert learn.model[0].weight.requires_grad and not torch.equal(learn.model[0].weight, body)
    lrs = [h["lr"] for h in learn.opt.hypers]
    assert lrs[0] < lrs[1]
    assert learn.opt.state[learn.model[1].weight]["do_wd"] is False
