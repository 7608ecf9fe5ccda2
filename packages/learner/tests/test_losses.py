import pytest
import torch
import torch.nn.functional as F

from lamella.learner import (
    BCEWithLogitsLossFlat,
    CrossEntropyLossFlat,
    DiceLoss,
    FocalLossFlat,
    L1LossFlat,
    LabelSmoothingCrossEntropy,
    LabelSmoothingCrossEntropyFlat,
    MSELossFlat,
)


def test_cross_entropy_flattens_any_shape_with_classes_on_axis():
    pred, targ = torch.randn(2, 5, 4, 3), torch.randint(0, 5, (2, 4, 3))
    expected = F.cross_entropy(pred, targ)
    torch.testing.assert_close(CrossEntropyLossFlat(axis=1)(pred, targ), expected)


def test_bce_and_regression_losses():
    pred, targ = torch.randn(4, 3), torch.randint(0, 2, (4, 3))
    torch.testing.assert_close(
        BCEWithLogitsLossFlat()(pred, targ), F.binary_cross_entropy_with_logits(pred, targ.float())
    )
    torch.testing.assert_close(
        MSELossFlat()(pred[:, :1], targ[:, 0]), F.mse_loss(pred[:, 0], targ[:, 0].float())
    )
    torch.testing.assert_close(L1LossFlat()(pred, targ), F.l1_loss(pred, targ.float()))


def test_reduction_none_for_per_item_losses():
    loss = CrossEntropyLossFlat()
    loss.reduction = "none"
    assert loss(torch.randn(3, 2), torch.tensor([0, 1, 0])).shape == (3,)


def test_label_smoothing_matches_torch():
    pred, targ = torch.randn(6, 4), torch.randint(0, 4, (6,))
    torch.testing.assert_close(
        LabelSmoothingCrossEntropy(eps=0.1)(pred, targ), F.cross_entropy(pred, targ, label_smoothing=0.1)
    )
    assert LabelSmoothingCrossEntropyFlat()(pred, targ).ndim == 0


def test_focal_loss_reduces_to_cross_entropy_at_gamma_zero():
    pred, targ = torch.randn(6, 4), torch.randint(0, 4, (6,))
    torch.testing.assert_close(FocalLossFlat(gamma=0.0)(pred, targ), F.cross_entropy(pred, targ))


def test_dice_loss():
    targ = torch.randint(0, 3, (2, 4, 4))
    perfect = F.one_hot(targ, 3).permute(0, 3, 1, 2).float() * 20 - 10
    assert DiceLoss(reduction="mean")(perfect, targ).item() < 1e-3
    assert DiceLoss()(torch.zeros(2, 3, 4, 4), targ).item() > 0.5
    assert DiceLoss().decodes(perfect).tolist() == targ.tolist()


def test_shape_mismatch_is_explained():
    with pytest.raises(
        ValueError, match=r"predictions of shape \(4, 3\) cannot meet targets of shape \(5,\)"
    ):
        CrossEntropyLossFlat()(torch.randn(4, 3), torch.zeros(5, dtype=torch.long))
    with pytest.raises(ValueError, match="Check the model's number of outputs"):
        CrossEntropyLossFlat()(torch.randn(4, 3), torch.full((4,), 7))


def test_focal_loss_and_bce_on_probabilities_as_fastais():
    from lamella.learner import BCELossFlat, FocalLoss

    x, y = torch.randn(6, 3), torch.tensor([0, 1, 2, 0, 1, 2])
    assert torch.allclose(FocalLoss(gamma=0.0)(x, y), F.cross_entropy(x, y))
    ce = F.cross_entropy(x, y, reduction="none")
    want = ((1 - torch.exp(-ce)) ** 2 * ce).sum()
    assert torch.allclose(FocalLoss(reduction="sum")(x, y), want)
    p, t = torch.rand(4, 2).clamp(0.05, 0.95), torch.tensor([[1, 0], [0, 1], [1, 1], [0, 0]])
    assert torch.allclose(BCELossFlat()(p, t), F.binary_cross_entropy(p, t.float()))
    with pytest.raises(ValueError, match="cannot meet targets"):
        BCELossFlat()(p, torch.zeros(3))
