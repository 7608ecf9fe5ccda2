"""`CheckpointCallback`: save everything needed to resume a run exactly, and resume from it.

Every `every` training batches and at each epoch's end it writes (atomically, so a crash
mid-write keeps the previous checkpoint) the model, the optimizer, the position in training
(epoch, batch, schedule position), the random states of Python, numpy and torch, and the
training DataLoader's epoch order. A new `fit` with the same callback picks up from the file
and, on the CPU, ends with weights bit-identical to an uninterrupted run (worker processes seed
each batch from its position in the epoch, so they resume exactly too).

Under `distrib_ctx` (DDP) rank 0 alone writes, the model's keys without DDP's `module.` prefix,
and the random states of every rank; each rank resumes with its own. A model sharded by FSDP2
(`strategy="fsdp"`) is saved through `torch.distributed.checkpoint` into a folder
(`<fname>.dcp`), each rank writing its part; it loads into any number of processes, sharded or
not, and the folder is swapped in whole, so a crash while saving keeps the previous one.
A checkpoint resumes with another number of processes as well: from an epoch's end exactly as
far as the data go (the same seeded order, shared differently), mid-epoch at the same share of
the epoch's items (not bit-identical: the batches are cut differently).
"""

from __future__ import annotations

import io
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


def _is_sharded(model: nn.Module) -> bool:
    """Whether FSDP2 sharded the model (its parameters are DTensors)."""
    return any(hasattr(p, "device_mesh") for p in model.parameters())


def _sharded_folder(folder: Path) -> Path | None:
    """The last complete sharded checkpoint: `folder`, or the previous one a crash mid-swap left behind."""
    for f in (folder, folder.with_name(folder.name + ".old")):
        if (f / ".metadata").exists():
            return f
    return None


def _save_sharded(folder: Path, model: nn.Module, opt: Any, position: dict[str, Any], rank: int) -> None:
    """Every rank writes its part through `torch.distributed.checkpoint`; rank 0 swaps the folder in last."""
    import shutil

    import torch.distributed.checkpoint as dcp
    from torch.distributed.checkpoint.state_dict import get_state_dict

    tmp, old = folder.with_name(folder.name + ".tmp"), folder.with_name(folder.name + ".old")
    if rank == 0:
        shutil.rmtree(tmp, ignore_errors=True)
    if dist.is_initialized():
        dist.barrier()
    model_sd, opt_sd = get_state_dict(model, opt)
    buf = io.BytesIO()
    torch.save(position, buf)  # the position and random states, as one object rank 0 writes
    dcp.save({"model": model_sd, "optim": opt_sd, "position": buf.getvalue()}, checkpoint_id=str(tmp))
    if rank == 0:  # a crash now leaves the previous checkpoint (or `.old`) whole
        if folder.exists():
            shutil.rmtree(old, ignore_errors=True)
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    if dist.is_initialized():
        dist.barrier()


@torch.no_grad()
def _init_opt_state(opt: Any) -> None:
    """Give every trainable parameter its optimizer state (a step of zero gradients at lr 0), to load into.

    torch's `get_state_dict` does this only for an optimizer with no state at all; ours holds
    per-parameter flags (`do_wd`) from the start.
    """
    params = [p for g in opt.param_groups for p in g["params"] if p.requires_grad]
    if all(any(isinstance(v, torch.Tensor) for v in opt.state[p].values()) for p in params):
        return
    lrs = [g["lr"] for g in opt.param_groups]
    for g in opt.param_groups:
        g["lr"] = 0.0
    grads = [p.grad for p in params]
    for p in params:
        p.grad = torch.zeros_like(p)
    opt.step()
    for p, grad in zip(params, grads):
        p.grad = grad
    for g, lr in zip(opt.param_groups, lrs):
        g["lr"] = lr


def _dcp_load(state: dict[str, Any], folder: Path | None) -> None:
    import warnings

    import torch.distributed.checkpoint as dcp

    with warnings.catch_warnings():  # one process reading alone is what we mean: torch warns of it
        warnings.filterwarnings("ignore", message="torch.distributed is disabled, unavailable or uninit")
        dcp.load(state, checkpoint_id=str(folder), no_dist=not dist.is_initialized())


def _load_sharded(folder: Path | None, model: nn.Module, opt: Any) -> dict[str, Any]:
    """Load a sharded checkpoint into `model` and `opt` (None: weights alone), sharded or not, any world."""
    from torch.distributed.checkpoint.state_dict import get_model_state_dict, get_state_dict, set_state_dict

    if opt is None:
        state: dict[str, Any] = {"model": get_model_state_dict(model), "position": b""}
        _dcp_load(state, folder)
        model.load_state_dict(state["model"])
    else:
        _init_opt_state(opt)
        model_sd, opt_sd = get_state_dict(model, opt)  # shapes and shards to read into
        state = {"model": model_sd, "optim": opt_sd, "position": b""}
        _dcp_load(state, folder)
        set_state_dict(model, opt, model_state_dict=state["model"], optim_state_dict=state["optim"])
    return torch.load(io.BytesIO(state["position"]), weights_only=True)


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
        """Where the checkpoint is written (a folder `<fname>.dcp` for a sharded model, see `sharded_dir`).

        Examples:
            >>> learn.add_cb(CheckpointCallback()).checkpoint.file.name
            'checkpoint.pth'
        """
        return self.learn.path / self.learn.model_dir / f"{self.fname}.pth"

    @property
    def sharded_dir(self) -> Path:
        """The folder of a sharded (FSDP2) model's checkpoint (`torch.distributed.checkpoint`, a file a rank).

        Examples:
            >>> learn.add_cb(CheckpointCallback()).checkpoint.sharded_dir.name
            'checkpoint.dcp'
        """
        return self.file.with_suffix(".dcp")

    def _position(self, epoch: int, batches_done: int, rngs: list[Any], world: int) -> dict[str, Any]:
        learn, dl = self.learn, self.learn.dls.train
        return {
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

    def _save(self, epoch: int, batches_done: int) -> None:
        from ..persist import save_atomic

        learn = self.learn
        rank, world = _rank_world()
        rngs: list[Any] = [_rng_state()]
        if world > 1:  # every rank's random states, gathered to every rank
            rngs = [None] * world
            dist.all_gather_object(rngs, _rng_state())
        position = self._position(epoch, batches_done, rngs, world)
        if _is_sharded(learn.model):
            _save_sharded(self.sharded_dir, learn.model, learn.opt, position, rank)
            return
        if rank != 0:  # a replicated (DDP) model: rank 0 alone writes
            return
        state = {"model": _unwrapped(learn.model).state_dict(), "opt": learn.opt.state_dict(), **position}
        save_atomic(lambda tmp: torch.save(state, tmp), self.file)

    def _latest(self) -> str | None:
        """'pth' or 'dcp': the newer of the checkpoints there are (a run may change strategy)."""
        found = {}
        if self.file.exists():
            found["pth"] = self.file.stat().st_mtime
        sharded = _sharded_folder(self.sharded_dir)
        if sharded is not None:
            found["dcp"] = (sharded / ".metadata").stat().st_mtime
        return max(found, key=lambda k: found[k]) if found else None

    def before_fit(self) -> None:  # noqa: D102  (the class documents its events)
        self._pending = None
        kind = self._latest() if self.resume else None
        if kind is None:
            return
        learn = self.learn
        if kind == "dcp":
            if learn.opt is None:
                learn.create_opt()
            state = _load_sharded(_sharded_folder(self.sharded_dir), learn.model, learn.opt)
        else:
            state = torch.load(self.file, weights_only=True)
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
