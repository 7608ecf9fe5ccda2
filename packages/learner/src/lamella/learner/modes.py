"""`Modes`: how a learner runs: mixed precision, `torch.compile`, data-parallel training; and `summary`.

Examples:
    >>> learn.to_bf16().to_fp32() is learn
    True
"""

from __future__ import annotations

import sys
from typing import Any

import torch

from .base import LearnerBase

if sys.version_info >= (3, 11):
    from typing import Self
else:  # typing_extensions comes with torch
    from typing_extensions import Self

__all__ = ["Modes"]


class Modes(LearnerBase):
    """Precision, compilation and distribution switches, and the model summary.

    Examples:
        >>> learn.summary().splitlines()[0]
        'Linear (input: (30, 2))'
    """

    def to_fp16(self) -> Self:
        """Train in float16 mixed precision with loss scaling on CUDA; on a CPU, warn and stay in float32.

        Examples:
            >>> learn.to_fp16().cbs[-1]
            MixedPrecision
        """
        from .callbacks.mixed_precision import MixedPrecision

        self.remove_cb(MixedPrecision)
        return self.add_cb(MixedPrecision("fp16"))

    def to_bf16(self) -> Self:
        """Train in bfloat16 mixed precision (CPU and CUDA; no loss scaling needed).

        Examples:
            >>> learn.to_bf16().cbs[-1]
            MixedPrecision
        """
        from .callbacks.mixed_precision import MixedPrecision

        self.remove_cb(MixedPrecision)
        return self.add_cb(MixedPrecision("bf16"))

    def to_fp32(self) -> Self:
        """Back to full precision.

        Examples:
            >>> any(type(c).__name__ == "MixedPrecision" for c in learn.to_bf16().to_fp32().cbs)
            False
        """
        from .callbacks.mixed_precision import MixedPrecision

        return self.remove_cb(MixedPrecision)

    def compile(self, **kwargs: Any) -> Self:
        """Train and predict through `torch.compile(model, **kwargs)`; `save` still writes the plain model.

        Examples:
            >>> learn.compile(mode="reduce-overhead")  # compiling takes minutes on a CPU  # doctest: +SKIP
        """
        base = getattr(self.model, "_orig_mod", self.model)
        self.model = torch.compile(base, **kwargs)  # type: ignore[assignment]  # an nn.Module at run time
        return self

    def distrib_ctx(
        self, sync_bn: bool = True, backend: str | None = None, strategy: str = "ddp",
        shard_policy: Any = None, mp_policy: Any = None, offload: bool = False,
    ) -> Any:  # fmt: skip
        """Train across the processes `torchrun` started: DDP, or FSDP2 (`strategy="fsdp"`).

        See `lamella.learner.distributed` for the arguments.

        Examples:
            >>> with learn.distrib_ctx(): learn.fit(1)  # needs torchrun  # doctest: +SKIP
        """
        from .distributed import distrib_ctx

        return distrib_ctx(self, sync_bn, backend, strategy, shard_policy, mp_policy, offload)

    def summary(self) -> str:
        """Describe the model layer by layer for one batch (output shapes, parameters) and the setup.

        Examples:
            >>> print(learn.summary())  # doctest: +ELLIPSIS
            Linear (input: (30, 2))
            ...
            Total params: 6
            ...
        """
        from .hooks import model_sizes

        self._split(self.dls.train.one_batch())
        rows = model_sizes(self.model, *self.xb_plain)
        self.model.train()
        width = max(len(f"{name} ({kind})") for name, kind, *_ in rows) if rows else 10
        lines = [
            f"{type(self.model).__name__} (input: {', '.join(str(tuple(x.shape)) for x in self.xb_plain)})"
        ]
        lines.append(f"{'Layer (type)':<{width}}  {'Output shape':<20}  {'Param #':>10}  Trainable")
        for name, kind, shape, n, trainable in rows:
            lines.append(f"{f'{name} ({kind})':<{width}}  {str(shape):<20}  {n:>10,}  {trainable}")
        total = sum(p.numel() for p in self.model.parameters())
        n_trainable = sum(p.numel() for p in self.model.parameters() if p.requires_grad)
        cbs = ", ".join(type(c).__name__ for c in sorted(self.cbs, key=lambda c: c.order))
        lines += [
            f"Total params: {total:,}", f"Trainable params: {n_trainable:,}",
            f"Optimizer: {getattr(self.opt_func, '__name__', self.opt_func)}",
            f"Loss function: {self.loss_func!r}",
            f"Callbacks: {cbs}",
        ]  # fmt: skip
        return "\n".join(lines)
