"""`GatherPredsCallback`: collect the predictions, targets, inputs and per-item losses of a pass."""

from __future__ import annotations

from typing import Any

import torch

from lamella.typedtensor import to_cpu

from ..callback import Callback

__all__ = ["GatherPredsCallback"]


def _cat(parts: list[Any]) -> Any:
    if not parts:
        return None
    if isinstance(parts[0], tuple):
        return tuple(_cat([p[i] for p in parts]) for i in range(len(parts[0])))
    if not isinstance(parts[0], torch.Tensor):
        return parts
    if len({p.shape[1:] for p in parts}) > 1:  # batches of different widths (padded texts): one per item
        return [item for p in parts for item in p]
    return torch.cat(parts)


def _per_item(loss: torch.Tensor, pred: Any) -> torch.Tensor:
    """One loss per item: an unreduced loss per label or per pixel is averaged over each item (as fastai)."""
    bs = (pred[0] if isinstance(pred, (tuple, list)) else pred).shape[0]
    return loss if loss.numel() == bs else loss.reshape(bs, -1).mean(1)


class GatherPredsCallback(Callback):
    """Keep every batch's predictions and targets (on the CPU) during validation; `get_preds` uses it.

    Args:
        with_input: keep the inputs too.
        with_loss: keep the per-item losses (the loss computed with `reduction='none'`, averaged
            over each item's labels or pixels so there is one loss per item).

    Examples:
        >>> GatherPredsCallback(with_input=True).with_input
        True
    """

    order = 50
    run_train = False

    def __init__(self, with_input: bool = False, with_loss: bool = False) -> None:
        self.with_input, self.with_loss = with_input, with_loss
        # nothing gathered yet
        self._preds: list[Any] = []
        self._targs: list[Any] = []
        self._inps: list[Any] = []
        self._losses: list[Any] = []
        self.target_type: type | None = None

    def before_validate(self) -> None:  # noqa: D102  (the class documents its events)
        self._preds, self._targs, self._inps, self._losses = [], [], [], []
        self.target_type = None

    def after_batch(self) -> None:  # noqa: D102
        self._preds.append(to_cpu(self.pred.detach()))
        if self.yb:
            self.target_type = type(self.yb[0])
            self._targs.append(to_cpu(self.yb_plain[0] if len(self.yb) == 1 else self.yb_plain))
        if self.with_input:
            self._inps.append(to_cpu(self.xb[0] if len(self.xb) == 1 else tuple(self.xb)))
        if self.with_loss and self.yb:
            func = self.loss_func
            old = getattr(func, "reduction", None)
            if old is not None:
                func.reduction = "none"
            try:
                self._losses.append(to_cpu(_per_item(func(self.pred, *self.yb_plain).detach(), self.pred)))
            finally:
                if old is not None:
                    func.reduction = old

    @property
    def preds(self) -> Any:
        """The predictions of the pass, concatenated.

        Examples:
            >>> GatherPredsCallback().preds is None  # before a pass
            True
        """
        return _cat(self._preds)

    @property
    def targets(self) -> Any:
        """The targets of the pass, concatenated (None without targets).

        Examples:
            >>> gather = GatherPredsCallback(); learn.fit(1, cbs=gather); gather.targets.shape
            torch.Size([30])
        """
        return _cat(self._targs)

    @property
    def inputs(self) -> Any:
        """The inputs of the pass, concatenated.

        Examples:
            >>> gather = GatherPredsCallback(with_input=True); learn.fit(1, cbs=gather); gather.inputs.shape
            torch.Size([30, 2])
        """
        return _cat(self._inps)

    @property
    def losses(self) -> Any:
        """The per-item losses of the pass.

        Examples:
            >>> gather = GatherPredsCallback(with_loss=True); learn.fit(1, cbs=gather); gather.losses.shape
            torch.Size([30])
        """
        return _cat(self._losses)
