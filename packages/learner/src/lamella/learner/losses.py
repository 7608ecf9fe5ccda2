"""Loss functions that flatten their inputs, know their activation and decode predictions.

`CrossEntropyLossFlat()(pred, targ)` takes predictions of any shape with classes on `axis` and
targets of the matching shape; `activation` turns outputs into probabilities and `decodes` into
the prediction a target pipeline can decode (`argmax`, a threshold).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

__all__ = [
    "BCELossFlat",
    "BCEWithLogitsLossFlat",
    "BaseLoss",
    "CrossEntropyLossFlat",
    "DiceLoss",
    "FocalLoss",
    "FocalLossFlat",
    "L1LossFlat",
    "LabelSmoothingCrossEntropy",
    "LabelSmoothingCrossEntropyFlat",
    "MSELossFlat",
]


class BaseLoss:
    """Wrap a torch loss: move `axis` last, flatten, and compare shapes with a clear error.

    Args:
        loss: the loss module (built with `reduction`).
        axis: where the classes are in the prediction.
        flatten: flatten predictions and targets to one row per element.
        floatify: make the target float (regression, BCE).
        is_2d: keep the class dimension when flattening.

    Examples:
        >>> loss = BaseLoss(nn.MSELoss(), floatify=True, is_2d=False)
        >>> loss(torch.zeros(2, 3), torch.ones(2, 3)).item()
        1.0
    """

    def __init__(self, loss: nn.Module, axis: int = -1, flatten: bool = True, floatify: bool = False,
                 is_2d: bool = True) -> None:  # fmt: skip
        self.func, self.axis, self.flatten, self.floatify, self.is_2d = loss, axis, flatten, floatify, is_2d

    @property
    def reduction(self) -> str:
        """The torch reduction (`mean`, `sum`, `none`); `get_preds` sets `none` for per-item losses.

        Examples:
            >>> CrossEntropyLossFlat().reduction
            'mean'
        """
        return str(self.func.reduction)

    @reduction.setter
    def reduction(self, value: str) -> None:
        self.func.reduction = value  # type: ignore[assignment]  # torch types module attributes loosely

    def __call__(self, inp: Tensor, targ: Tensor, **kwargs: Any) -> Tensor:
        """The loss of predictions `inp` against targets `targ`."""
        n_pred = inp.numel() // (inp.shape[self.axis] if self.is_2d and inp.ndim > 1 else 1)
        if self.flatten and n_pred != targ.numel():
            raise ValueError(
                f"{type(self).__name__}: predictions of shape {tuple(inp.shape)} cannot meet targets of "
                f"shape {tuple(targ.shape)}: {n_pred} predictions for {targ.numel()} targets. "
                "Check the model's number of outputs against the targets."
            )
        try:
            if self.axis != -1 and inp.ndim > 1:
                inp = inp.movedim(self.axis, -1).contiguous()
            if self.floatify and targ.dtype != inp.dtype:
                targ = targ.to(inp.dtype)
            if self.flatten:
                inp = inp.reshape(-1, inp.shape[-1]) if self.is_2d else inp.reshape(-1)
                targ = targ.reshape(-1) if self.is_2d else targ.reshape(-1)
            return self.func(inp, targ, **kwargs)
        except (RuntimeError, ValueError, IndexError) as e:
            raise ValueError(
                f"{type(self).__name__}: predictions of shape {tuple(inp.shape)} cannot meet targets of "
                f"shape {tuple(targ.shape)} ({e}). Check the model's number of outputs against the targets."
            ) from e

    def activation(self, x: Tensor) -> Tensor:
        """Turn model outputs into what `decodes` and metrics expect (identity here).

        Examples:
            >>> MSELossFlat().activation(torch.tensor([2.0]))
            tensor([2.])
        """
        return x

    def decodes(self, x: Tensor) -> Tensor:
        """Turn activated outputs into predictions (identity here).

        Examples:
            >>> MSELossFlat().decodes(torch.tensor([2.0]))
            tensor([2.])
        """
        return x

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.func!r})"


class CrossEntropyLossFlat(BaseLoss):
    """Cross entropy over classes on `axis`; activation softmax, decodes `argmax`.

    Examples:
        >>> loss = CrossEntropyLossFlat()
        >>> round(loss(torch.tensor([[2.0, 0.0]]), torch.tensor([0])).item(), 4)
        0.1269
        >>> loss.decodes(loss.activation(torch.tensor([[0.1, 3.0]])))
        tensor([1])
    """

    def __init__(self, *args: Any, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(nn.CrossEntropyLoss(*args, **kwargs), axis=axis)

    def activation(self, x: Tensor) -> Tensor:  # noqa: D102
        return F.softmax(x, dim=self.axis)

    def decodes(self, x: Tensor) -> Tensor:  # noqa: D102
        return x.argmax(dim=self.axis)


class BCEWithLogitsLossFlat(BaseLoss):
    """Binary cross entropy on logits (multi-label); activation sigmoid, decodes `> thresh`.

    Examples:
        >>> loss = BCEWithLogitsLossFlat()
        >>> loss.decodes(loss.activation(torch.tensor([[3.0, -3.0]])))
        tensor([[ True, False]])
    """

    def __init__(self, *args: Any, axis: int = -1, thresh: float = 0.5, **kwargs: Any) -> None:
        super().__init__(nn.BCEWithLogitsLoss(*args, **kwargs), axis=axis, floatify=True, is_2d=False)
        self.thresh = thresh

    def activation(self, x: Tensor) -> Tensor:  # noqa: D102
        return torch.sigmoid(x)

    def decodes(self, x: Tensor) -> Tensor:  # noqa: D102
        return x > self.thresh


class MSELossFlat(BaseLoss):
    """Mean squared error, flattened, float targets.

    Examples:
        >>> MSELossFlat()(torch.tensor([[1.0], [3.0]]), torch.tensor([1.0, 1.0])).item()
        2.0
    """

    def __init__(self, *args: Any, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(nn.MSELoss(*args, **kwargs), axis=axis, floatify=True, is_2d=False)


class BCELossFlat(BaseLoss):
    """Binary cross entropy on probabilities (the model ends in a sigmoid), flattened, float targets.

    Examples:
        >>> round(BCELossFlat()(torch.tensor([[0.9, 0.2]]), torch.tensor([[1, 0]])).item(), 4)
        0.1643
    """

    def __init__(self, *args: Any, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(nn.BCELoss(*args, **kwargs), axis=axis, floatify=True, is_2d=False)


class L1LossFlat(BaseLoss):
    """Mean absolute error, flattened, float targets.

    Examples:
        >>> L1LossFlat()(torch.tensor([1.0, 3.0]), torch.tensor([1.0, 1.0])).item()
        1.0
    """

    def __init__(self, *args: Any, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(nn.L1Loss(*args, **kwargs), axis=axis, floatify=True, is_2d=False)


class LabelSmoothingCrossEntropy(nn.Module):
    """Cross entropy with label smoothing (Szegedy et al. 2016): `(1 - eps) * CE + eps * mean(-log p)`.

    Examples:
        >>> loss = LabelSmoothingCrossEntropy(eps=0.0)
        >>> round(loss(torch.tensor([[2.0, 0.0]]), torch.tensor([0])).item(), 4)
        0.1269
    """

    def __init__(self, eps: float = 0.1, weight: Tensor | None = None, reduction: str = "mean") -> None:
        super().__init__()
        self.eps, self.weight, self.reduction = eps, weight, reduction

    def forward(self, output: Tensor, target: Tensor) -> Tensor:
        """The smoothed loss of logits `output` (n, c) against class indices `target` (n,)."""
        log_preds = F.log_softmax(output, dim=-1)
        smooth = -log_preds.sum(dim=-1) / output.shape[-1]
        smooth = (
            smooth.mean() if self.reduction == "mean" else smooth.sum() if self.reduction == "sum" else smooth
        )
        nll = F.nll_loss(log_preds, target.long(), weight=self.weight, reduction=self.reduction)
        return self.eps * smooth + (1 - self.eps) * nll


class LabelSmoothingCrossEntropyFlat(BaseLoss):
    """`LabelSmoothingCrossEntropy`, flattened, with softmax activation and `argmax` decodes.

    Examples:
        >>> LabelSmoothingCrossEntropyFlat().decodes(torch.tensor([[0.2, 0.8]]))
        tensor([1])
    """

    def __init__(self, *args: Any, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(LabelSmoothingCrossEntropy(*args, **kwargs), axis=axis)

    def activation(self, x: Tensor) -> Tensor:  # noqa: D102
        return F.softmax(x, dim=self.axis)

    def decodes(self, x: Tensor) -> Tensor:  # noqa: D102
        return x.argmax(dim=self.axis)


class FocalLoss(nn.Module):
    """Focal loss on class logits (Lin et al. 2017) as a module, fastai's `FocalLoss` (see `FocalLossFlat`).

    Examples:
        >>> x, y = torch.tensor([[4.0, 0.0]]), torch.tensor([0])
        >>> FocalLoss(gamma=0.0)(x, y).item() == F.cross_entropy(x, y).item()
        True
    """

    def __init__(self, gamma: float = 2.0, weight: Tensor | None = None, reduction: str = "mean") -> None:
        super().__init__()
        self.gamma, self.weight, self.reduction = gamma, weight, reduction

    def forward(self, inp: Tensor, targ: Tensor) -> Tensor:  # noqa: D102  (the class documents it)
        ce = F.cross_entropy(inp, targ, weight=self.weight, reduction="none")
        loss = (1 - torch.exp(-ce)) ** self.gamma * ce
        return loss.mean() if self.reduction == "mean" else loss.sum() if self.reduction == "sum" else loss


class FocalLossFlat(BaseLoss):
    """Focal loss (Lin et al. 2017): cross entropy down-weighting easy examples by `(1 - p)^gamma`.

    Examples:
        >>> x, y = torch.tensor([[4.0, 0.0]]), torch.tensor([0])
        >>> FocalLossFlat(gamma=2.0)(x, y).item() < CrossEntropyLossFlat()(x, y).item()
        True
    """

    def __init__(
        self, gamma: float = 2.0, weight: Tensor | None = None, axis: int = -1, reduction: str = "mean"
    ) -> None:
        super().__init__(FocalLoss(gamma, weight, reduction), axis=axis)

    def activation(self, x: Tensor) -> Tensor:  # noqa: D102
        return F.softmax(x, dim=self.axis)

    def decodes(self, x: Tensor) -> Tensor:  # noqa: D102
        return x.argmax(dim=self.axis)


class DiceLoss:
    """Soft Dice loss for segmentation: `1 - 2|P∩T| / (|P| + |T|)` per class, on softmax outputs.

    Examples:
        >>> perfect = torch.tensor([[[[9.0, -9.0]], [[-9.0, 9.0]]]])  # (bs, classes, h, w)
        >>> round(DiceLoss()(perfect, torch.tensor([[[0, 1]]])).item(), 3)
        0.0
    """

    def __init__(
        self, axis: int = 1, smooth: float = 1e-6, reduction: str = "sum", square_in_union: bool = False
    ) -> None:
        self.axis, self.smooth, self.reduction, self.square_in_union = (
            axis,
            smooth,
            reduction,
            square_in_union,
        )

    def __call__(self, pred: Tensor, targ: Tensor) -> Tensor:
        """The Dice loss of logits `pred` (bs, c, ...) against class codes `targ` (bs, ...)."""
        probs = F.softmax(pred, dim=self.axis)
        onehot = F.one_hot(targ.long(), pred.shape[self.axis]).movedim(-1, self.axis).to(probs.dtype)
        dims = tuple(d for d in range(pred.ndim) if d not in (0, self.axis))
        inter = (probs * onehot).sum(dims)
        union = (probs**2 + onehot**2).sum(dims) if self.square_in_union else (probs + onehot).sum(dims)
        loss = 1 - (2 * inter + self.smooth) / (union + self.smooth)
        return loss.sum() if self.reduction == "sum" else loss.mean() if self.reduction == "mean" else loss

    def activation(self, x: Tensor) -> Tensor:
        """Softmax over classes.

        Examples:
            >>> DiceLoss().activation(torch.zeros(1, 2, 1, 1)).flatten().tolist()
            [0.5, 0.5]
        """
        return F.softmax(x, dim=self.axis)

    def decodes(self, x: Tensor) -> Tensor:
        """Class codes.

        Examples:
            >>> DiceLoss().decodes(torch.tensor([[[[0.2]], [[0.8]]]])).tolist()
            [[[1]]]
        """
        return x.argmax(dim=self.axis)
