"""Interpretation of a trained learner: the worst predictions and, for classifiers, the confusions."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from lamella.typedtensor import as_plain

__all__ = ["ClassificationInterpretation", "Interpretation", "SegmentationInterpretation"]


class Interpretation:
    """The inputs, predictions, targets, decoded predictions and per-item losses of a dataset.

    Args:
        learn: the learner.
        dl: the DataLoader the predictions come from.
        inputs: the inputs.
        preds: the activated predictions.
        targs: the targets.
        decoded: the decoded predictions.
        losses: the per-item losses.

    Examples:
        >>> interp = Interpretation.from_learner(learn)
        >>> losses, idx = interp.top_losses(5); bool((losses[:-1] >= losses[1:]).all())
        True
    """

    def __init__(self, learn: Any, dl: Any, inputs: Any, preds: Tensor, targs: Tensor, decoded: Tensor,
                 losses: Tensor) -> None:  # fmt: skip
        self.learn, self.dl, self.inputs, self.preds = learn, dl, inputs, preds
        self.targs, self.decoded, self.losses = targs, decoded, losses

    @classmethod
    def from_learner(cls, learn: Any, ds_idx: int = 1, dl: Any = None) -> Interpretation:
        """Run the learner over `dls[ds_idx]` (or `dl`) and keep everything needed to interpret it.

        Examples:
            >>> len(Interpretation.from_learner(learn, ds_idx=1).losses)
            30
        """
        which = "the given DataLoader" if dl is not None else f"dls[{ds_idx}]"
        dl = learn.dls[ds_idx] if dl is None else dl
        if getattr(dl, "dataset", None) is not None and len(dl.dataset) == 0:
            raise ValueError(
                f"{cls.__name__}.from_learner: {which} holds no items, so there is nothing to interpret; "
                "give the data a validation set (valid_pct, a splitter) or pass "
                "dl=learn.dls.test_dl(items, with_labels=True)"
            )
        inputs, preds, targs, decoded, losses = learn.get_preds(dl=dl, with_input=True, with_decoded=True,
                                                                with_loss=True)  # fmt: skip
        return cls(learn, dl, inputs, preds, targs, decoded, losses)

    def top_losses(self, k: int | None = None, largest: bool = True) -> tuple[Tensor, Tensor]:
        """The `k` largest (or smallest) losses and the indices of their items.

        Examples:
            >>> Interpretation.from_learner(learn).top_losses(3).indices.shape
            torch.Size([3])
        """
        k = len(self.losses) if k is None else min(k, len(self.losses))
        return self.losses.topk(k, largest=largest)

    def plot_top_losses(self, k: int = 9, largest: bool = True, **kwargs: Any) -> Any:
        """Show the `k` items with the largest losses, titled `prediction / target / loss / probability`.

        Examples:
            >>> interp = ClassificationInterpretation.from_learner(learn)
            >>> _ = interp.plot_top_losses(9)  # doctest: +NEEDS_MATPLOTLIB
        """
        from lamella.data import get_grid

        losses, idx = self.top_losses(k, largest)
        inputs = self.inputs if isinstance(self.inputs, tuple) else (self.inputs,)
        xs = tuple(x[idx] for x in inputs)
        with_preds = self.dl.decode_batch((*xs, self.decoded[idx]), max_n=len(idx))
        with_targs = self.dl.decode_batch((*xs, _typed_like(self.targs[idx], self.decoded)), max_n=len(idx))
        ctxs = get_grid(len(idx), **kwargs)
        n_inp = len(inputs)
        for pred, targ, loss, i, ctx in zip(with_preds, with_targs, losses.tolist(), idx.tolist(), ctxs):
            x = pred[0]
            if callable(getattr(x, "show", None)):
                x.show(ctx=ctx)
            prob = self.preds[i].max().item() if self.preds.ndim > 1 else float(self.preds[i])
            ctx.set_title(f"{pred[n_inp]} / {targ[n_inp]} / {loss:.2f} / {prob:.2f}")
        return ctxs

    def show_results(self, idxs: Any, **kwargs: Any) -> Any:
        """Show the items at `idxs` (positions in the dataset) with their targets and predictions.

        Examples:
            >>> interp = ClassificationInterpretation.from_learner(learn)
            >>> _ = interp.show_results([0, 1, 2])  # doctest: +NEEDS_MATPLOTLIB
        """
        idx = torch.as_tensor(list(idxs) if not isinstance(idxs, int) else [idxs], dtype=torch.long)
        inputs = self.inputs if isinstance(self.inputs, tuple) else (self.inputs,)
        xs = tuple(x[idx] for x in inputs)
        targs = self.targs if isinstance(self.targs, tuple) else (self.targs,)
        b = (*xs, *(_typed_like(t[idx], self.decoded) for t in targs))
        return self.dl.show_results(b, self.decoded[idx], max_n=len(idx), **kwargs)


def _typed_like(t: Tensor, like: Tensor) -> Tensor:
    return t.as_subclass(type(like)) if isinstance(like, Tensor) and type(like) is not Tensor else t


class ClassificationInterpretation(Interpretation):
    """Interpretation of a single-label classifier: confusion matrix, most confused pairs, report.

    Examples:
        >>> interp = ClassificationInterpretation.from_learner(learn)
        >>> [(actual, predicted) for actual, predicted, n in interp.most_confused(min_val=2)]
        [('pos', 'neg'), ('neg', 'pos')]
    """

    @property
    def vocab(self) -> list[Any]:
        """The class names (the dataset's vocabulary, else the class indices).

        Examples:
            >>> ClassificationInterpretation.from_learner(learn).vocab
            ['neg', 'pos']
        """
        vocab = getattr(self.dl, "target_vocab", None)  # a text classifier's dls has two vocabularies
        return list(vocab) if vocab is not None else list(range(self.preds.shape[-1]))

    def confusion_matrix(self) -> Tensor:
        """Counts of (actual, predicted) pairs, actual classes as rows.

        Examples:
            >>> int(ClassificationInterpretation.from_learner(learn).confusion_matrix().sum())  # 30 items
            30
        """
        n = len(self.vocab)
        targs, decoded = as_plain(self.targs), as_plain(torch.as_tensor(self.decoded))
        pairs = targs.long().flatten() * n + decoded.long().flatten()
        return torch.bincount(pairs, minlength=n * n).view(n, n)

    def most_confused(self, min_val: int = 1) -> list[tuple[Any, Any, int]]:
        """`(actual, predicted, count)` for mistakes seen at least `min_val` times, most frequent first.

        Examples:
            >>> ClassificationInterpretation.from_learner(learn).most_confused()[0]
            ('pos', 'neg', 16)
        """
        cm, vocab = self.confusion_matrix(), self.vocab
        res = [(vocab[i], vocab[j], int(cm[i, j])) for i in range(len(vocab)) for j in range(len(vocab))
               if i != j and cm[i, j] >= min_val]  # fmt: skip
        return sorted(res, key=lambda r: -r[2])

    def plot_confusion_matrix(self, normalize: bool = False, cmap: str = "Blues", **kwargs: Any) -> Any:
        """Draw the confusion matrix (rows: actual, columns: predicted), counts in each cell.

        Examples:
            >>> interp = ClassificationInterpretation.from_learner(learn)
            >>> _ = interp.plot_confusion_matrix()  # doctest: +NEEDS_MATPLOTLIB
        """
        from .callbacks.recorder import _plt

        cm = self.confusion_matrix().double()
        if normalize:
            cm = cm / cm.sum(1, keepdim=True).clamp(min=1)
        _, ax = _plt().subplots(**kwargs)
        ax.imshow(cm.numpy(), cmap=cmap)
        ticks = range(len(self.vocab))
        ax.set_xticks(list(ticks), [str(v) for v in self.vocab], rotation=90)
        ax.set_yticks(list(ticks), [str(v) for v in self.vocab])
        ax.set_xlabel("predicted")
        ax.set_ylabel("actual")
        for i in ticks:
            for j in ticks:
                ax.text(j, i, f"{cm[i, j]:.2f}" if normalize else int(cm[i, j]), ha="center", va="center")
        return ax

    def print_classification_report(self) -> None:
        """Print precision, recall, F1 and support per class, and their macro averages.

        Examples:
            >>> interp = ClassificationInterpretation.from_learner(learn)
            >>> interp.print_classification_report()  # doctest: +ELLIPSIS
                       precision     recall   f1-score    support
            neg ...
            accuracy                            0.1000         30
        """
        cm = self.confusion_matrix().double()
        tp, support = cm.diag(), cm.sum(1)
        prec = torch.where(cm.sum(0) > 0, tp / cm.sum(0), torch.zeros_like(tp))
        rec = torch.where(support > 0, tp / support, torch.zeros_like(tp))
        f1 = torch.where(prec + rec > 0, 2 * prec * rec / (prec + rec), torch.zeros_like(tp))
        width = max(max(len(str(v)) for v in self.vocab), 9)
        print(f"{'':<{width}}  precision     recall   f1-score    support")
        for v, p, r, f, s in zip(self.vocab, prec, rec, f1, support):
            print(f"{v!s:<{width}}  {p:9.4f}  {r:9.4f}  {f:9.4f}  {int(s):9d}")
        print(
            f"{'macro avg':<{width}}  {prec.mean():9.4f}  {rec.mean():9.4f}  {f1.mean():9.4f}  "
            f"{int(support.sum()):9d}"
        )
        print(
            f"{'accuracy':<{width}}  {'':9}  {'':9}  {tp.sum() / support.sum():9.4f}  {int(support.sum()):9d}"
        )


class SegmentationInterpretation(Interpretation):
    """Interpretation of a segmentation model: images ranked by their mean per-pixel loss.

    fastai's name; `top_losses`, `plot_top_losses` and `show_results` are `Interpretation`'s.

    Examples:
        >>> interp = SegmentationInterpretation.from_learner(learn)  # here a classifier's: one loss per item
        >>> interp.top_losses(3).indices.shape
        torch.Size([3])
    """
