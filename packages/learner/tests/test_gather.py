import torch

from lamella.learner import GatherPredsCallback


def test_gathers_a_whole_validation_pass(learn):
    gather = GatherPredsCallback(with_input=True, with_loss=True)
    learn.fit(1, cbs=gather)
    n = len(learn.dls.valid_ds)
    assert gather.preds.shape == (n, 2) and gather.targets.shape == (n,) and gather.inputs.shape == (n, 2)
    assert gather.losses.shape == (n,) and learn.loss_func.reduction == "mean"
    assert torch.allclose(gather.losses.mean(), torch.tensor(learn.recorder.values[-1][1]), atol=1e-5)
