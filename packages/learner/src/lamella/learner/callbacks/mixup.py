"""`MixUp` (Zhang et al. 2018) and `CutMix` (Yun et al. 2019): train on blends of pairs of items.

Each batch is mixed with a shuffled copy of itself, with a per-item weight `lam` drawn from
Beta(alpha, alpha); the loss is the same blend of the losses against both targets. Validation
batches are left alone.
"""

from __future__ import annotations

import torch

from ..callback import Callback

__all__ = ["CutMix", "MixUp"]


class _MixHandler(Callback):
    run_valid = False
    order = 30

    def __init__(self, alpha: float = 0.4) -> None:
        self.distrib = torch.distributions.Beta(torch.tensor(alpha), torch.tensor(alpha))

    def before_train(self) -> None:  # noqa: D102  (the subclass documents it)
        self.old_loss = self.learn.loss_func
        self.learn.loss_func = self._mixed_loss

    def after_train(self) -> None:  # noqa: D102
        self.learn.loss_func = self.old_loss

    def after_cancel_train(self) -> None:  # noqa: D102
        self.after_train()

    def _mixed_loss(self, pred: torch.Tensor, *yb: torch.Tensor) -> torch.Tensor:
        func = self.old_loss
        old = getattr(func, "reduction", None)
        if old is not None:
            func.reduction = "none"
        try:
            a, b = func(pred, *yb), func(pred, *self.yb1)
        finally:
            if old is not None:
                func.reduction = old
        lam = self.lam.to(a.device)
        loss = (
            torch.lerp(b, a, lam.view(-1, *[1] * (a.ndim - 1)))
            if a.ndim
            else lam.mean() * a + (1 - lam.mean()) * b
        )
        return loss.mean() if old in (None, "mean") else loss.sum() if old == "sum" else loss

    def _draw(self, bs: int) -> None:
        lam = self.distrib.sample((bs,))
        self.lam = torch.maximum(lam, 1 - lam)  # the original item keeps the larger share
        self.shuffle = torch.randperm(bs)
        self.yb1 = tuple(y[self.shuffle] for y in self.learn.yb_plain)


class MixUp(_MixHandler):
    """Blend each input with another of the batch: `x = lam * x + (1 - lam) * x[perm]`.

    Args:
        alpha: the Beta distribution's parameter (small: mostly one item; 1: uniform).

    Examples:
        >>> MixUp(alpha=0.4).distrib.concentration1.item()
        0.4000000059604645
    """

    def before_batch(self) -> None:  # noqa: D102  (the class documents its event)
        x = self.learn.xb[0]
        self._draw(x.shape[0])
        lam = self.lam.to(x.device).view(-1, *[1] * (x.ndim - 1)).to(x.dtype)
        mixed = torch.lerp(x[self.shuffle.to(x.device)], x, lam)
        self.learn.xb = (mixed, *self.learn.xb[1:])


class CutMix(_MixHandler):
    """Paste a random box of another image of the batch into each image; `lam` is the kept area.

    Args:
        alpha: the Beta distribution's parameter.

    Examples:
        >>> CutMix(alpha=1.0).distrib.concentration0.item()
        1.0
    """

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__(alpha)

    def before_batch(self) -> None:  # noqa: D102
        x = self.learn.xb[0]
        bs, h, w = x.shape[0], x.shape[-2], x.shape[-1]
        self._draw(bs)
        cut = (1 - self.lam).sqrt()
        ch, cw = (cut * h).long(), (cut * w).long()
        cy, cx = torch.randint(0, h, (bs,)), torch.randint(0, w, (bs,))
        y1, y2 = (cy - ch // 2).clamp(0, h), (cy + ch // 2).clamp(0, h)
        x1, x2 = (cx - cw // 2).clamp(0, w), (cx + cw // 2).clamp(0, w)
        ys, xs = torch.arange(h).view(1, h, 1), torch.arange(w).view(1, 1, w)
        inside = (
            (ys >= y1.view(-1, 1, 1))
            & (ys < y2.view(-1, 1, 1))
            & (xs >= x1.view(-1, 1, 1))
            & (xs < x2.view(-1, 1, 1))
        )
        self.lam = 1 - inside.float().mean(dim=(1, 2))  # the exact share kept after clipping
        inside = inside.to(x.device).unsqueeze(1)
        mixed = torch.where(inside, x[self.shuffle.to(x.device)], x)
        self.learn.xb = (mixed, *self.learn.xb[1:])
