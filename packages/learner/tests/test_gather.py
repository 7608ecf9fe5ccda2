import torch

from lamella.learner import GatherPredsCallback


def test_gathers_a_whole_validation_pass(learn):
    gather = GatherPredsCallback(with_input=True, with_loss=True)
    learn.fit(1, cbs=gather)
    n = len(learn.dls.valid_ds)
    assert gather.preds.shape == (n, 2) and gather.targets.shape == (n,) and gather.inputs.shape == (n, 2)
    assert gather.losses.shape == (n,) and learn.loss_func.reduction == "mean"
    assert torch.allclose(gather.losses.mean(), torch.tensor(learn.recorder.values[-1][1]), atol=1e-5)


def test_multi_label_losses_are_one_per_item():
    # BCE without reduction gives a loss per label: fastai averages each item's (issue 15)
    from torch import nn

    from lamella.data import DataLoader, DataLoaders
    from lamella.learner import BCEWithLogitsLossFlat, Learner

    g = torch.Generator().manual_seed(0)
    items = [(torch.randn(4, generator=g), (torch.rand(3, generator=g) > 0.5).float()) for _ in range(40)]
    dls = DataLoaders(DataLoader(items[:30], bs=8), DataLoader(items[30:], bs=4), device="cpu")
    learn = Learner(dls, nn.Linear(4, 3), loss_func=BCEWithLogitsLossFlat())
    preds, targs, losses = learn.get_preds(with_loss=True)
    assert preds.shape == (10, 3) and losses.shape == (10,)
    manual = nn.functional.binary_cross_entropy_with_logits(
        learn.model(torch.stack([x for x, _ in items[30:]])), targs, reduction="none"
    ).mean(1)
    assert torch.allclose(losses, manual.detach(), atol=1e-6)
