"""Distributed data-parallel training (torch.distributed DDP), started with `torchrun`.

`with learn.distrib_ctx(): learn.fit(...)` on every process: it joins the process group torchrun
describes (gloo on CPU, NCCL on CUDA), wraps the model in `DistributedDataParallel`, gives each
process its own shard of every batch order (one shared seed), reduces losses and metrics across
processes before they are recorded, and lets only rank 0 print and save.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import torch
import torch.distributed as dist
from torch import nn

from .callback import Callback
from .metrics import AccumMetric, AvgLoss, AvgMetric, AvgSmoothLoss

__all__ = ["DistributedTrainer", "distrib_ctx", "rank_distrib", "setup_distrib", "teardown_distrib"]


def rank_distrib() -> int:
    """This process's rank (0 when not distributed).

    Examples:
        >>> rank_distrib()
        0
    """
    return (
        dist.get_rank() if dist.is_available() and dist.is_initialized() else int(os.environ.get("RANK", 0))
    )


def setup_distrib(backend: str | None = None) -> bool:
    """Join the process group torchrun set up (`RANK`, `WORLD_SIZE`...); False when not under torchrun.

    Examples:
        >>> setup_distrib() if "WORLD_SIZE" not in os.environ else True
        False
    """
    if int(os.environ.get("WORLD_SIZE", 1)) < 2 or not dist.is_available():
        return False
    if not dist.is_initialized():
        backend = backend or ("nccl" if torch.cuda.is_available() else "gloo")
        if backend == "nccl":
            torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", 0)))
        dist.init_process_group(backend)
    return True


def teardown_distrib() -> None:
    """Leave the process group, once every rank has come this far.

    The barrier keeps a rank from tearing its connections down while another still writes (rank 0
    saving a checkpoint): gloo then aborts the slower process ("terminate called without an
    active exception").

    Examples:
        >>> teardown_distrib()
    """
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


class DistributedTrainer(Callback):
    """Reduce the losses and metrics of every rank before they are recorded; only rank 0 reports.

    Examples:
        >>> DistributedTrainer().order
        45
    """

    order = 45  # before the Recorder (50) reads the values

    def before_fit(self) -> None:  # noqa: D102  (the class documents its events)
        self.world = dist.get_world_size()
        if rank_distrib() != 0:
            self.learn.progress.show_table = self.learn.progress.show_bars = False

    def after_validate(self) -> None:  # noqa: D102
        _reduce(self.learn.recorder.valid_loss)
        for m in self.learn.metrics:
            _reduce(m)

    def after_train(self) -> None:  # noqa: D102
        smooth = self.learn.recorder.smooth_loss
        if isinstance(smooth, AvgSmoothLoss) and smooth.count:
            t = torch.tensor([smooth.val])
            dist.all_reduce(t)
            smooth.val = float(t) / self.world


def _reduce(m: Any) -> None:
    if isinstance(m, (AvgMetric, AvgLoss)):
        t = torch.tensor([m.total, float(m.count)], dtype=torch.float64)
        dist.all_reduce(t)
        m.total, m.count = float(t[0]), int(t[1])
    elif isinstance(m, AccumMetric):
        gathered: list[Any] = [None] * dist.get_world_size()
        dist.all_gather_object(gathered, (m.preds, m.targs))
        m.preds = [p for preds, _ in gathered for p in preds]
        m.targs = [t for _, targs in gathered for t in targs]


@contextmanager
def distrib_ctx(learn: Any, sync_bn: bool = True, backend: str | None = None) -> Iterator[Any]:
    """Train `learn` data-parallel across the processes torchrun started; a no-op in a single process.

    Examples:
        >>> with distrib_ctx(learn): learn.fit(1)  # needs torchrun  # doctest: +SKIP
    """
    if not setup_distrib(backend):
        yield learn
        return
    rank, world = dist.get_rank(), dist.get_world_size()
    model = learn.model
    if sync_bn and any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in model.modules()):
        model = nn.SyncBatchNorm.convert_sync_batchnorm(model)
    device = next(model.parameters()).device
    ddp = nn.parallel.DistributedDataParallel(
        model, device_ids=[device.index] if device.type == "cuda" else None
    )
    seed = torch.tensor([torch.randint(0, 2**31 - 1, ()).item()])
    dist.broadcast(seed, 0)  # one batch order for everyone; each rank takes its shard
    saved = [(dl, dl.seed) for dl in learn.dls.loaders]
    for dl in learn.dls.loaders:
        dl.seed = dl.seed if dl.seed is not None else int(seed)
        dl.shard(rank, world)
    learn.model, learn._distrib_rank = ddp, rank
    trainer = DistributedTrainer()
    learn.add_cb(trainer)
    try:
        yield learn
    finally:
        learn.remove_cb(trainer)
        learn.model = ddp.module
        for dl, dl_seed in saved:
            dl.seed = dl_seed
            dl.shard(0, 1)
        learn._distrib_rank = 0
        dist.barrier()
        teardown_distrib()
