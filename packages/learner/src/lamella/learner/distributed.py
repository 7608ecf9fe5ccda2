"""Distributed training with torch.distributed, started with `torchrun`: DDP, or FSDP2's sharded models.

`with learn.distrib_ctx(): learn.fit(...)` on every process: it joins the process group torchrun
describes (gloo on CPU, NCCL on CUDA), wraps the model in `DistributedDataParallel`, gives each
process its own shard of every batch order (one shared seed), reduces losses and metrics across
processes before they are recorded, and lets only rank 0 print and save.

`distrib_ctx(strategy="fsdp")` shards the model instead (`torch.distributed.fsdp.fully_shard`):
each rank holds its part of every parameter and of the optimizer state, gathered layer by layer
for the forward and backward passes. The blocks sharded on their own are the model's direct
children that hold parameters, or those a `shard_policy(module)` picks; `mp_policy` (a
`MixedPrecisionPolicy`) and `offload` (parameters on the CPU between uses) are FSDP2's. Leaving
the context gathers the weights back into a plain model on every rank.
"""

from __future__ import annotations

import copy
import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import torch
import torch.distributed as dist
from torch import nn

from lamella.typedtensor import to_cpu

from .callback import Callback
from .events import CancelBatchException
from .metrics import AccumMetric, AvgLoss, AvgMetric, AvgSmoothLoss

__all__ = [
    "DistributedTrainer", "distrib_barrier", "distrib_ctx", "gather_shards", "load_sharded", "meta_copy",
    "rank_distrib", "setup_distrib", "shard_model", "teardown_distrib", "unshard_model",
]  # fmt: skip


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


def distrib_barrier() -> None:
    """Wait until every process has come this far (nothing when not distributed).

    Examples:
        >>> distrib_barrier()
    """
    if dist.is_available() and dist.is_initialized():
        dist.barrier()


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

    A sharded loader pads its order by repetition so that every rank has as many batches (FSDP's
    and DDP's collectives need that); in validation the repeated items are cut from the
    predictions before the loss and metrics see them, so they count every item once.

    Examples:
        >>> DistributedTrainer().order
        45
    """

    order = 45  # before the Recorder (50) reads the values

    def before_fit(self) -> None:  # noqa: D102  (the class documents its events)
        self.world = dist.get_world_size()
        if rank_distrib() != 0:
            self.learn.progress.show_table = self.learn.progress.show_bars = False

    def after_pred(self) -> None:  # noqa: D102
        learn, dl = self.learn, self.learn.dl
        if learn.training or getattr(dl, "world_size", 1) < 2:
            return
        b = _n_rows(learn.pred)
        # this rank's position j holds the order's item j * world + rank; those past the dataset are repeats
        own = -(-(len(dl.dataset) - dl.rank) // dl.world_size)
        real = min(b, max(0, own - learn.iter * dl.bs))
        if real == b:
            return
        learn.pred, learn.xb = _rows(learn.pred, real), _rows(learn.xb, real)
        if real:
            learn.yb = _rows(learn.yb, real)
        else:  # a batch of repeats only: nothing to count
            learn.yb = ()
            raise CancelBatchException()

    def after_validate(self) -> None:  # noqa: D102
        dl = self.learn.dl
        if getattr(dl, "world_size", 1) < 2:
            return  # every rank saw every item (a loader made inside the context is not sharded)
        _reduce(self.learn.recorder.valid_loss, dl)
        for m in self.learn.metrics:
            _reduce(m, dl)

    def after_train(self) -> None:  # noqa: D102
        smooth = self.learn.recorder.smooth_loss
        if isinstance(smooth, AvgSmoothLoss) and smooth.count:
            t = torch.tensor([smooth.val])
            dist.all_reduce(t)
            smooth.val = float(t) / self.world


def _n_rows(x: Any) -> int:
    if isinstance(x, torch.Tensor):
        return x.shape[0] if x.ndim else 1
    return _n_rows(x[0]) if isinstance(x, (tuple, list)) and x else 0


def _rows(x: Any, k: int) -> Any:
    if isinstance(x, torch.Tensor):
        return x[:k] if x.ndim else x
    if isinstance(x, (tuple, list)):
        return type(x)(_rows(v, k) for v in x)
    return x


def _reduce(m: Any, dl: Any) -> None:
    if isinstance(m, (AvgMetric, AvgLoss)):
        t = torch.tensor([m.total, float(m.count)], dtype=torch.float64)
        dist.all_reduce(t)
        m.total, m.count = float(t[0]), int(t[1])
    elif isinstance(m, AccumMetric) and m.preds:
        preds, targs = gather_shards([torch.cat(m.preds), torch.cat(m.targs)], dl.world_size)
        m.preds, m.targs = [preds], [targs]


def gather_shards(value: Any, world: int) -> Any:
    """Gather every rank's results over its shard of a loader's order, back into the order's sequence.

    `value` holds tensors (or tuples, lists of them, or None) whose rows follow this rank's share
    of an epoch (`DataLoader.shard`: rank `r` has the order's items `r, r + world, ...`); every
    rank gets the whole, rows interleaved back. A collective: every rank calls it.

    Examples:
        >>> gather_shards((torch.arange(3), None), world=1)  # one process: as it is
        (tensor([0, 1, 2]), None)
    """
    if world < 2:
        return value
    parts: list[Any] = [None] * world
    dist.all_gather_object(parts, to_cpu(value))
    return _interleave(parts)


def _interleave(parts: list[Any]) -> Any:
    first = parts[0]
    if isinstance(first, torch.Tensor):
        world = len(parts)
        position = torch.cat([torch.arange(len(p)) * world + r for r, p in enumerate(parts)])
        return torch.cat(parts)[position.argsort()]
    if isinstance(first, (tuple, list)):
        return type(first)(_interleave([p[i] for p in parts]) for i in range(len(first)))
    return first


@contextmanager
def distrib_ctx(
    learn: Any, sync_bn: bool = True, backend: str | None = None, strategy: str = "ddp",
    shard_policy: Callable[[nn.Module], bool] | None = None, mp_policy: Any = None, offload: bool = False,
) -> Iterator[Any]:  # fmt: skip
    """Train `learn` across the processes torchrun started (DDP, or FSDP2: `strategy="fsdp"`); alone, a no-op.

    Examples:
        >>> with distrib_ctx(learn): learn.fit(1)  # needs torchrun  # doctest: +SKIP
    """
    if strategy not in ("ddp", "fsdp"):
        raise ValueError(f"strategy is 'ddp' or 'fsdp', got {strategy!r}")
    if not setup_distrib(backend):
        yield learn
        return
    rank, world = dist.get_rank(), dist.get_world_size()
    model = learn.model
    if sync_bn and any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in model.modules()):
        model = nn.SyncBatchNorm.convert_sync_batchnorm(model)
    device = next(model.parameters()).device
    if strategy == "ddp":
        wrapped: nn.Module = nn.parallel.DistributedDataParallel(
            model, device_ids=[device.index] if device.type == "cuda" else None
        )
        skeleton = None
    else:
        skeleton = meta_copy(model)  # to hold the gathered weights when the context ends
        wrapped = shard_model(model, shard_policy, mp_policy, offload)
        opt_before, learn.opt = learn.opt, None  # the optimizer must see the sharded parameters
    seed = torch.tensor([torch.randint(0, 2**31 - 1, ()).item()])
    dist.broadcast(seed, 0)  # one batch order for everyone; each rank takes its shard
    saved = [(dl, dl.seed) for dl in learn.dls.loaders]
    for dl in learn.dls.loaders:
        dl.seed = dl.seed if dl.seed is not None else int(seed)
        dl.shard(rank, world)
    learn.model, learn._distrib_rank, learn._skeleton = wrapped, rank, skeleton
    trainer = DistributedTrainer()
    learn.add_cb(trainer)
    try:
        yield learn
    finally:
        learn.remove_cb(trainer)
        if skeleton is None:
            learn.model = wrapped.module
        else:
            learn.model, learn.opt = unshard_model(wrapped, skeleton, device), None
            # The sharded model and its optimizer hold the process group: free them while it lives, or
            # their last references go at exit, after it is destroyed (gloo aborts the process then).
            del opt_before, wrapped, model
            gc.collect()
        for dl, dl_seed in saved:
            dl.seed = dl_seed
            dl.shard(0, 1)
        del learn._distrib_rank, learn._skeleton
        dist.barrier()
        teardown_distrib()


def meta_copy(model: nn.Module) -> nn.Module:
    """A copy of `model` whose parameters and buffers are on the meta device (no memory for the weights).

    Examples:
        >>> m = meta_copy(nn.Linear(1000, 1000)); m.weight.device, type(m.weight).__name__
        (device(type='meta'), 'Parameter')
    """
    memo: dict[int, Any] = {}
    for p in model.parameters():
        memo[id(p)] = nn.Parameter(torch.empty_like(p, device="meta"), requires_grad=p.requires_grad)
    for b in model.buffers():
        memo[id(b)] = torch.empty_like(b, device="meta")
    return copy.deepcopy(model, memo)


def shard_model(
    model: nn.Module, shard_policy: Callable[[nn.Module], bool] | None = None, mp_policy: Any = None,
    offload: bool = False,
) -> nn.Module:  # fmt: skip
    """Shard `model` in place with FSDP2 (`fully_shard`): the blocks `shard_policy` picks, then the root.

    Needs an initialised process group (under `torchrun`); `distrib_ctx(strategy="fsdp")` calls it.

    Examples:
        >>> import tempfile
        >>> dist.init_process_group("gloo", store=dist.FileStore(tempfile.mktemp(), 1), rank=0, world_size=1)
        >>> m = shard_model(nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1)))
        >>> type(m[0].weight).__name__, m(torch.zeros(3, 2)).shape
        ('DTensor', torch.Size([3, 1]))
        >>> dist.destroy_process_group()
    """
    from torch.distributed.fsdp import CPUOffloadPolicy, MixedPrecisionPolicy, fully_shard

    kwargs: dict[str, Any] = {"mp_policy": mp_policy or MixedPrecisionPolicy()}
    if offload:
        kwargs["offload_policy"] = CPUOffloadPolicy()
    if shard_policy is None:
        blocks = [m for m in model.children() if any(True for _ in m.parameters())]
    else:  # deepest first: FSDP2 shards children before their parents
        blocks = [m for m in reversed(list(model.modules())) if m is not model and shard_policy(m)]
    for m in blocks:
        fully_shard(m, **kwargs)
    fully_shard(model, **kwargs)
    return model


def unshard_model(model: nn.Module, skeleton: nn.Module, device: torch.device) -> nn.Module:
    """Gather a sharded model's full weights (on every rank) into `skeleton` (a `meta_copy` of it).

    Examples:
        >>> import tempfile
        >>> dist.init_process_group("gloo", store=dist.FileStore(tempfile.mktemp(), 1), rank=0, world_size=1)
        >>> model = nn.Sequential(nn.Linear(2, 4), nn.Linear(4, 1)); before = model(torch.ones(1, 2))
        >>> skeleton = meta_copy(model)
        >>> plain = unshard_model(shard_model(model), skeleton, torch.device("cpu"))
        >>> type(plain[0].weight).__name__, torch.allclose(plain(torch.ones(1, 2)), before)
        ('Parameter', True)
        >>> dist.destroy_process_group()
    """
    from torch.distributed.checkpoint.state_dict import StateDictOptions, get_model_state_dict

    full = get_model_state_dict(model, options=StateDictOptions(full_state_dict=True))
    plain = skeleton.to_empty(device=device)
    plain.load_state_dict({k: getattr(v, "full_tensor", lambda v=v: v)() for k, v in full.items()})
    return plain


def load_sharded(
    model: nn.Module, opt: Any, weights: dict[str, torch.Tensor], opt_state: Any, strict: bool = True
) -> None:
    """Load full (unsharded) weights, and an optimizer state when `opt` is given, into an FSDP-sharded model.

    Every rank holds the full tensors (read from one file) and keeps its own part of each.

    Examples:
        >>> import tempfile
        >>> dist.init_process_group("gloo", store=dist.FileStore(tempfile.mktemp(), 1), rank=0, world_size=1)
        >>> m = shard_model(nn.Sequential(nn.Linear(2, 1)))
        >>> load_sharded(m, None, {"0.weight": torch.ones(1, 2), "0.bias": torch.zeros(1)}, None)
        >>> m(torch.ones(1, 2)).item()
        2.0
        >>> dist.destroy_process_group()
    """
    from torch.distributed.checkpoint.state_dict import StateDictOptions, set_model_state_dict
    from torch.distributed.tensor import DTensor, distribute_tensor

    set_model_state_dict(
        model, dict[str, Any](weights), options=StateDictOptions(full_state_dict=True, strict=strict)
    )
    if opt is None:
        return
    saved = [i for g in opt_state["param_groups"] for i in g["params"]]
    params = dict(zip(saved, [p for g in opt.param_groups for p in g["params"]]))
    state = {}
    for i, st in opt_state["state"].items():
        p = params[i]
        if isinstance(p, DTensor):  # each rank keeps the rows of its shard (it holds the whole: no traffic)
            st = {
                k: distribute_tensor(v.to(p.device), p.device_mesh, p.placements, src_data_rank=None)
                if isinstance(v, torch.Tensor) and v.shape == p.shape else v
                for k, v in st.items()
            }  # fmt: skip
        state[i] = st
    opt.load_state_dict({**opt_state, "state": state})
