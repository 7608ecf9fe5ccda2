"""`CheckpointCallback`: save everything needed to resume a run exactly, and resume from it.

Every `every` training batches and at each epoch's end it writes (atomically, so a crash
mid-write keeps the previous checkpoint) the model, the optimizer, the position in training
(epoch, batch, schedule position), the random states of Python, numpy and torch, and the
training DataLoader's epoch order. A new `fit` with the same callback picks up from the file
and, on the CPU, ends with weights bit-identical to an uninterrupted run (worker processes seed
each batch from its position in the epoch, so they resume exactly too).

Under `distrib_ctx` (DDP) rank 0 alone writes, the model's keys without DDP's `module.` prefix,
and the random states of every rank; each rank resumes with its own. A checkpoint resumes with
another number of processes as well: from an epoch's end exactly as far as the data go (the same
seeded order, shared differently), mid-epoch at the same share of the epoch's items (not
bit-identical: the batches are cut differently).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, cast

import numpy as np
import torch
import torch.distributed as dist
from torch import nn

from ..callback import Callback

__all__ = ["CheckpointCallback"]


def _rng_state() -> dict[str, Any]:
    kind, keys, pos, has_gauss, gauss = cast(tuple, np.random.get_state())
    state = {
        "python": random.getstate(),
        "numpy": [kind, torch.from_numpy(keys.astype(np.int64)), pos, has_gauss, gauss],
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(state: dict[str, Any]) -> None:
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    kind, keys, pos, has_gauss, gauss_np = state["numpy"]
    np.random.set_state((kind, keys.numpy().astype(np.uint32), pos, has_gauss, gauss_np))
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def _rank_world() -> tuple[int, int]:
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def _unwrapped(model: nn.Module) -> nn.Module:
    """The model DDP wraps (its state dict has no `module.` prefix), else the model."""
    return model.module if isinstance(model, nn.parallel.DistributedDataParallel) else model


class CheckpointCallback(Callback):
    """Checkpoint every `every` training batches and at epoch ends; resume from the checkpoint on `fit`.

    Args:
        fname: the file, `path/model_dir/<fname>.pth`.
        every: batches between checkpoints.
        resume: load the checkpoint (when it exists) at the start of `fit`.

    Examples:
        >>> CheckpointCallback(every=50).every
        50
    """

    order = -8  # after TrainEvalCallback, which resets the counters this restores

    def __init__(self, fname: str = "checkpoint", every: int = 100, resume: bool = True) -> None:
        self.fname, self.every, self.resume = fname, every, resume
        self._pending: dict[str, Any] | None = None

    @property
    def file(self) -> Path:
        """Where the checkpoint is written.

        Examples:
            >>> learn.add_cb(CheckpointCallback()).checkpoint.file.name
            'checkpoint.pth'
        """
        return self.learn.path / self.learn.model_dir / f"{self.fname}.pth"

    def _save(self, epoch: int, batches_done: int) -> None:
        from ..persist import save_atomic

        learn, dl = self.learn, self.learn.dls.train
        rank, world = _rank_world()
        rngs: list[Any] = [_rng_state()]
        if world > 1:  # every rank's random states, gathered to rank 0, which alone writes
            rngs = [None] * world
            dist.all_gather_object(rngs, _rng_state())
            if rank != 0:
                return
        state = {
            "model": _unwrapped(learn.model).state_dict(),
            "opt": learn.opt.state_dict(),
            "epoch": epoch,
            "batches_done": batches_done,
            "train_iter": learn.train_iter,
            "pct_train": learn.pct_train,
            "dl_epoch": dl.epoch - (1 if batches_done else 0),
            "epoch_seed": getattr(dl, "epoch_seed", None),
            "rng": rngs[0],
            "rng_ranks": rngs,
            "world_size": world,
        }
        save_atomic(lambda tmp: torch.save(state, tmp), self.file)

    def before_fit(self) -> None:  # noqa: D102  (the class documents its events)
        self._pending = None
        if not (self.resume and self.file.exists()):
            return
        state = torch.load(self.file, weights_only=True)
        learn = self.learn
        _unwrapped(learn.model).load_state_dict(state["model"])
        learn.opt.load_state_dict(state["opt"])
        rank, world = _rank_world()
        rngs, saved_world = state.get("rng_ranks", [state["rng"]]), state.get("world_size", 1)
        state["rng"] = rngs[rank % len(rngs)]  # this rank's own when the world is the same
        if saved_world != world:  # the same share of the epoch's items, in this world's batches
            state["batches_done"] = state["batches_done"] * saved_world // world
            state["train_iter"] = state["train_iter"] * saved_world // world
        learn._start_epoch, learn._batch_offset = state["epoch"], state["batches_done"]
        learn.train_iter = state["train_iter"]
        self._pending = state
        if not state["batches_done"]:
            learn.dls.train.epoch = state["dl_epoch"]
            _set_rng_state(state["rng"])

    def before_train(self) -> None:  # noqa: D102
        state, self._pending = self._pending, None
        if state is None or not state["batches_done"]:
            return
        learn, dl = self.learn, self.learn.dls.train
        learn.pct_train = state["pct_train"]
        dl.epoch = state["dl_epoch"]
        dl.resume(state["epoch_seed"], state["batches_done"], on_start=lambda: _set_rng_state(state["rng"]))

    def after_batch(self) -> None:  # noqa: D102
        learn = self.learn
        if learn.training and learn.train_iter % self.every == 0:
            self._save(learn.epoch, learn.iter + 1)

    def after_epoch(self) -> None:  # noqa: D102
        self._save(self.learn.epoch + 1, 0)
