"""Scores: regression errors, classification scores over the epoch, segmentation overlaps.

Each factory returns an accumulator from `lamella.learner.metrics` (an `AccumMetric` unless
the score is a mean), so its value is exact over the whole validation set, as fastai's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import torch
from torch import Tensor

from .metrics import AccumMetric, AvgLoss, Metric

__all__ = [
    "BalancedAccuracy",
    "Dice",
    "DiceMulti",
    "F1ScoreMulti",
    "RocAucBinary",
    "ExplainedVariance",
    "JaccardCoeff",
    "MatthewsCorrCoef",
    "Perplexity",
    "RocAuc",
    "foreground_acc",
    "F1Score",
    "Precision",
    "R2Score",
    "Recall",
    "mae",
    "mse",
    "msle",
    "rmse",
]


# Metric functions live at module level (not in closures or lambdas) so `learn.export()` can pickle them.
def _mse(p: Tensor, t: Tensor) -> Tensor:
    return ((p.float() - t.float()) ** 2).mean()


def _rmse(p: Tensor, t: Tensor) -> Tensor:
    return _mse(p, t).sqrt()


def _mae(p: Tensor, t: Tensor) -> Tensor:
    return (p.float() - t.float()).abs().mean()


def _msle(p: Tensor, t: Tensor) -> Tensor:
    return _mse(torch.log1p(p.float()), torch.log1p(t.float()))


def _r2(p: Tensor, t: Tensor) -> Tensor:
    t = t.float()
    return 1 - ((t - p.float()) ** 2).sum() / ((t - t.mean()) ** 2).sum()


def _explained_variance(p: Tensor, t: Tensor) -> Tensor:
    return 1 - (t.float() - p.float()).var() / t.float().var()


def mse() -> AccumMetric:
    """Mean squared error over the epoch.

    Examples:
        >>> m = mse()
        >>> m.accumulate_batch(torch.tensor([0.0]), torch.tensor([2.0])); m.value
        4.0
    """
    return AccumMetric(_mse, name="mse")


def rmse() -> AccumMetric:
    """Root mean squared error over the epoch.

    Examples:
        >>> m = rmse()
        >>> m.accumulate_batch(torch.tensor([0.0]), torch.tensor([2.0])); m.value
        2.0
    """
    return AccumMetric(_rmse, name="rmse")


def mae() -> AccumMetric:
    """Mean absolute error over the epoch.

    Examples:
        >>> m = mae()
        >>> m.accumulate_batch(torch.tensor([0.0, 1.0]), torch.tensor([2.0, 1.0])); m.value
        1.0
    """
    return AccumMetric(_mae, name="mae")


def msle() -> AccumMetric:
    """Mean squared logarithmic error over the epoch.

    Examples:
        >>> m = msle()
        >>> m.accumulate_batch(torch.tensor([0.0]), torch.tensor([0.0])); m.value
        0.0
    """
    return AccumMetric(_msle, name="msle")


def R2Score() -> AccumMetric:  # noqa: N802  (fastai's name)
    """Coefficient of determination R² over the epoch.

    Examples:
        >>> m = R2Score()
        >>> m.accumulate_batch(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 2.0, 3.0])); m.value
        1.0
    """
    return AccumMetric(_r2, name="r2_score")


def _counts(p: Tensor, t: Tensor, n: int) -> tuple[Tensor, Tensor, Tensor]:
    conf = torch.bincount(t.long() * n + p.long(), minlength=n * n).view(n, n).double()
    tp = conf.diag()
    return tp, conf.sum(0) - tp, conf.sum(1) - tp  # true positives, false positives, false negatives


def _prf_score(kind: str, average: str, pos_label: int, p: Tensor, t: Tensor) -> float:
    n = int(max(p.max(), t.max())) + 1 if len(p) else 1
    tp, fp, fn = _counts(p, t, max(n, 2))
    prec = torch.where(tp + fp > 0, tp / (tp + fp), torch.zeros_like(tp))
    rec = torch.where(tp + fn > 0, tp / (tp + fn), torch.zeros_like(tp))
    f1 = torch.where(prec + rec > 0, 2 * prec * rec / (prec + rec), torch.zeros_like(tp))
    per_class = {"precision": prec, "recall": rec, "f1": f1}[kind]
    if average == "binary":
        return float(per_class[pos_label])
    if average == "macro":
        present = (tp + fn + fp) > 0
        return float(per_class[present].mean())
    raise ValueError(f"average must be 'binary' or 'macro', got {average!r}")


def _prf(kind: str, average: str, pos_label: int) -> Callable[[Tensor, Tensor], float]:
    if average not in ("binary", "macro"):
        raise ValueError(f"average must be 'binary' or 'macro', got {average!r}")
    return partial(_prf_score, kind, average, pos_label)


def F1Score(average: str = "binary", pos_label: int = 1, axis: int = -1) -> AccumMetric:  # noqa: N802
    """F1 score (binary, or macro over classes) of `argmax` predictions, over the epoch.

    Examples:
        >>> m = F1Score()
        >>> m.accumulate_batch(torch.tensor([[0.0, 1.0], [1.0, 0.0]]), torch.tensor([1, 1])); m.value
        0.6666666666666666
    """
    return AccumMetric(_prf("f1", average, pos_label), dim_argmax=axis, name="f1_score")


def Precision(average: str = "binary", pos_label: int = 1, axis: int = -1) -> AccumMetric:  # noqa: N802
    """Precision (binary or macro) of `argmax` predictions, over the epoch.

    Examples:
        >>> m = Precision()
        >>> m.accumulate_batch(torch.tensor([[0.0, 1.0], [0.0, 1.0]]), torch.tensor([1, 0])); m.value
        0.5
    """
    return AccumMetric(_prf("precision", average, pos_label), dim_argmax=axis, name="precision_score")


def Recall(average: str = "binary", pos_label: int = 1, axis: int = -1) -> AccumMetric:  # noqa: N802
    """Recall (binary or macro) of `argmax` predictions, over the epoch.

    Examples:
        >>> m = Recall()
        >>> m.accumulate_batch(torch.tensor([[0.0, 1.0], [1.0, 0.0]]), torch.tensor([1, 1])); m.value
        0.5
    """
    return AccumMetric(_prf("recall", average, pos_label), dim_argmax=axis, name="recall_score")


def _binary_auc(scores: Tensor, labels: Tensor) -> float:
    """Area under the ROC curve from ranks (Mann-Whitney U), ties averaged."""
    pos, neg = int(labels.sum()), int((1 - labels).sum())
    if pos == 0 or neg == 0:
        return float("nan")
    order = scores.argsort()
    ranks = torch.empty_like(scores, dtype=torch.float64)
    ranks[order] = torch.arange(1, len(scores) + 1, dtype=torch.float64)
    for value in scores.unique():  # average the ranks of ties
        tied = scores == value
        if tied.sum() > 1:
            ranks[tied] = ranks[tied].mean()
    return float((ranks[labels.bool()].sum() - pos * (pos + 1) / 2) / (pos * neg))


def _auc(p: Tensor, t: Tensor) -> float:
    probs = p.view(len(t), -1).softmax(-1)
    if probs.shape[1] == 2:
        return _binary_auc(probs[:, 1].double(), (t == 1).double())
    scores = [_binary_auc(probs[:, c].double(), (t == c).double()) for c in range(probs.shape[1])]
    scores = [s for s in scores if s == s]
    return sum(scores) / len(scores)


def RocAuc(multi_class: str = "ovr") -> AccumMetric:  # noqa: N802
    """ROC AUC over the epoch: binary (probability of class 1) or one-vs-rest macro average.

    Examples:
        >>> m = RocAuc()
        >>> preds, targs = torch.tensor([[2.0, 0.0], [0.0, 2.0], [1.0, 0.0]]), torch.tensor([0, 1, 0])
        >>> m.accumulate_batch(preds, targs); m.value
        1.0
    """
    if multi_class != "ovr":
        raise ValueError(f"multi_class must be 'ovr', got {multi_class!r}")
    return AccumMetric(_auc, flatten=False, name="roc_auc_score")


def RocAucBinary() -> AccumMetric:  # noqa: N802
    """ROC AUC of a two-class classifier (the softmax probability of class 1), titled as fastai's.

    Examples:
        >>> m = RocAucBinary()
        >>> m.accumulate_batch(torch.tensor([[2.0, 0.0], [0.0, 2.0]]), torch.tensor([0, 1])); m.value
        1.0
    """
    return AccumMetric(_auc, flatten=False, name="roc_auc_score")


def _f1_multi(thresh: float, p: Tensor, t: Tensor) -> float:
    pred, targ = p >= thresh, t.bool()
    tp = (pred & targ).sum().double()
    return float(2 * tp / (pred.sum() + targ.sum())) if (pred.sum() + targ.sum()) > 0 else 0.0


def F1ScoreMulti(thresh: float = 0.5, sigmoid: bool = True) -> AccumMetric:  # noqa: N802
    """Micro-averaged F1 of multi-label predictions (`sigmoid`, then `thresh`), over the epoch.

    Examples:
        >>> m = F1ScoreMulti()
        >>> preds, targs = torch.tensor([[3.0, -3.0], [3.0, 3.0]]), torch.tensor([[1, 0], [1, 0]])
        >>> m.accumulate_batch(preds, targs); m.value
        0.8
    """
    return AccumMetric(
        partial(_f1_multi, thresh), activation="sigmoid" if sigmoid else None, flatten=False, name="f1_score"
    )


def _confusion(p: Tensor, t: Tensor) -> Tensor:
    n = int(max(p.max(), t.max())) + 1
    return torch.bincount(t.long() * n + p.long(), minlength=n * n).view(n, n).double()


def _balanced(p: Tensor, t: Tensor) -> float:
    cm = _confusion(p, t)
    support = cm.sum(1)
    return float((cm.diag()[support > 0] / support[support > 0]).mean())


def _mcc(p: Tensor, t: Tensor) -> float:
    cm = _confusion(p, t)
    s, c = cm.sum(), cm.diag().sum()
    pk, tk = cm.sum(0), cm.sum(1)
    den = ((s**2 - (pk**2).sum()) * (s**2 - (tk**2).sum())).sqrt()
    return float((c * s - (pk * tk).sum()) / den) if den > 0 else 0.0


def BalancedAccuracy(axis: int = -1) -> AccumMetric:  # noqa: N802
    """Mean recall over classes (robust to imbalance), over the epoch.

    Examples:
        >>> m = BalancedAccuracy()
        >>> preds, targs = torch.tensor([[1.0, 0.0]] * 3 + [[0.0, 1.0]]), torch.tensor([0, 0, 1, 1])
        >>> m.accumulate_batch(preds, targs); m.value
        0.75
    """
    return AccumMetric(_balanced, dim_argmax=axis, name="balanced_accuracy_score")


def MatthewsCorrCoef(axis: int = -1) -> AccumMetric:  # noqa: N802
    """Matthews correlation coefficient (multi-class form), over the epoch.

    Examples:
        >>> m = MatthewsCorrCoef()
        >>> m.accumulate_batch(torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.tensor([0, 1])); m.value
        1.0
    """
    return AccumMetric(_mcc, dim_argmax=axis, name="matthews_corrcoef")


def ExplainedVariance() -> AccumMetric:  # noqa: N802
    """Explained variance `1 - Var(t - p) / Var(t)`, over the epoch.

    Examples:
        >>> m = ExplainedVariance()
        >>> m.accumulate_batch(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0])); m.value
        1.0
    """
    return AccumMetric(_explained_variance, name="explained_variance_score")


def Perplexity() -> AvgLoss:  # noqa: N802
    """`exp` of the validation loss, for language models.

    Examples:
        >>> Perplexity().name
        'perplexity'
    """
    return _Perplexity()


class _Perplexity(AvgLoss):
    @property
    def value(self) -> float | None:
        v = super().value
        return None if v is None else float(torch.tensor(v).exp())

    @property
    def name(self) -> str:
        return "perplexity"


class _SegmentationMetric(Metric):
    def __init__(self, axis: int = 1) -> None:
        self.axis = axis
        self.reset()

    def reset(self) -> None:
        self.inter, self.union = 0.0, 0.0

    def accumulate(self, learn: Any) -> None:
        self.accumulate_batch(learn.pred, learn.yb_plain[0])

    def accumulate_batch(self, pred: Tensor, targ: Tensor) -> None:
        p = pred.argmax(dim=self.axis).flatten()
        t = targ.flatten()
        if p.shape != t.shape:
            raise ValueError(f"{self.name}: {p.shape[0]} predicted pixels for {t.shape[0]} target pixels")
        self.inter += float(((p > 0) & (t > 0)).sum())
        self.union += float((p > 0).sum() + (t > 0).sum())


class DiceMulti(Metric):
    """Dice per class, averaged over the classes present (macro F1 of a segmentation), over the epoch.

    Examples:
        >>> m = DiceMulti()
        >>> pred = torch.tensor([[[[0.0, 1.0]], [[1.0, 0.0]]]])  # predicts class 1 then class 0
        >>> m.accumulate_batch(pred, torch.tensor([[[1, 1]]])); m.value  # class 0: 0, class 1: 2/3
        0.3333333333333333
    """

    def __init__(self, axis: int = 1) -> None:
        self.axis = axis
        self.reset()

    def reset(self) -> None:  # noqa: D102
        self.inter: dict[int, float] = {}
        self.union: dict[int, float] = {}

    def accumulate(self, learn: Any) -> None:  # noqa: D102
        self.accumulate_batch(learn.pred, learn.yb_plain[0])

    def accumulate_batch(self, pred: Tensor, targ: Tensor) -> None:
        """Add one batch's per-class overlaps.

        Examples:
            >>> DiceMulti().accumulate_batch(torch.zeros(1, 2, 1, 2), torch.zeros(1, 1, 2, dtype=torch.long))
        """
        p, t = pred.argmax(dim=self.axis).flatten(), targ.flatten()
        for c in range(pred.shape[self.axis]):
            pc, tc = p == c, t == c
            self.inter[c] = self.inter.get(c, 0.0) + float((pc & tc).sum())
            self.union[c] = self.union.get(c, 0.0) + float(pc.sum() + tc.sum())

    @property
    def value(self) -> float | None:  # noqa: D102
        scores = [2 * self.inter[c] / u for c, u in self.union.items() if u > 0]
        return sum(scores) / len(scores) if scores else None

    @property
    def name(self) -> str:  # noqa: D102
        return "dice_multi"


class Dice(_SegmentationMetric):
    """Dice coefficient of the foreground (classes > 0) over the epoch: `2|P∩T| / (|P| + |T|)`.

    Examples:
        >>> m = Dice()
        >>> pred, targ = torch.tensor([[[[0.0, 1.0]], [[1.0, 0.0]]]]), torch.tensor([[[1, 1]]])
        >>> m.accumulate_batch(pred, targ); m.value
        0.6666666666666666
    """

    @property
    def value(self) -> float | None:  # noqa: D102
        return 2 * self.inter / self.union if self.union else None

    @property
    def name(self) -> str:  # noqa: D102
        return "dice"


class JaccardCoeff(_SegmentationMetric):
    """Jaccard index (IoU) of the foreground over the epoch: `|P∩T| / |P∪T|`.

    Examples:
        >>> m = JaccardCoeff()
        >>> pred, targ = torch.tensor([[[[0.0, 1.0]], [[1.0, 0.0]]]]), torch.tensor([[[1, 1]]])
        >>> m.accumulate_batch(pred, targ); m.value
        0.5
    """

    @property
    def value(self) -> float | None:  # noqa: D102
        return self.inter / (self.union - self.inter) if self.union else None

    @property
    def name(self) -> str:  # noqa: D102
        return "jaccard_coeff"


def foreground_acc(inp: Tensor, targ: Tensor, bkg_idx: int = 0, axis: int = 1) -> Tensor:
    """Pixel accuracy ignoring the background class `bkg_idx` (segmentation).

    Examples:
        >>> foreground_acc(torch.tensor([[[[0.0, 1.0]], [[1.0, 0.0]]]]), torch.tensor([[[1, 0]]]))
        tensor(1.)
    """
    targ = targ.squeeze(1) if targ.ndim == inp.ndim else targ
    mask = targ != bkg_idx
    return (inp.argmax(dim=axis)[mask] == targ[mask]).float().mean()
