"""Files that training writes: atomic writes, the one-file checkpoint behind `Learner.save`/`load`, exports.

A checkpoint is one safetensors file: the model's tensors under their own names, the optimizer's
tensors under `opt/...`, and in its metadata a JSON skeleton of the optimizer state (hyper-parameters,
step counts) plus the model's and optimizer's class names. One file written through a temporary
name and a rename is one atomic unit: a crash leaves the old checkpoint whole, never new weights
beside old optimizer state. Loading checks the whole file against the learner (names, shapes,
optimizer type, hyper-parameter names) before it changes anything, so a failed load leaves the
model and optimizer as they were. No pickle: safetensors and JSON only.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from torch import Tensor, nn

from .base import LearnerBase

if TYPE_CHECKING:
    from .learner import Learner

if sys.version_info >= (3, 11):
    from typing import Self
else:  # typing_extensions comes with torch
    from typing_extensions import Self

__all__ = [
    "CheckpointError", "Persist", "check_fits", "load_checkpoint", "load_learner", "save_atomic",
    "save_checkpoint",
]  # fmt: skip

_FORMAT = "lamella-checkpoint-1"


class CheckpointError(ValueError):
    """A checkpoint file that cannot be read, or does not fit the learner it is loaded into.

    Examples:
        >>> issubclass(CheckpointError, ValueError)
        True
    """


def save_atomic(write: Callable[[str], None], path: str | Path) -> None:
    """Write `path` through a temporary file in the same folder, renamed at the end.

    A crash or an error while writing leaves the old file whole (and no temporary file behind).

    Args:
        write: called with the temporary file's name; writes the content there.
        path: the file to write.

    Examples:
        >>> import tempfile
        >>> f = Path(tempfile.mkdtemp()) / "notes.txt"
        >>> save_atomic(lambda tmp: Path(tmp).write_text("done"), f); f.read_text()
        'done'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _pack(obj: Any, tensors: dict[str, Tensor], key: str) -> Any:
    """`obj` as JSON, its tensors moved into `tensors` (tuples and non-string keys marked)."""
    if isinstance(obj, Tensor):
        if hasattr(obj, "full_tensor"):  # an FSDP-sharded state (DTensor): gathered, every rank calls this
            obj = obj.full_tensor()
        tensors[key] = obj.detach().contiguous()
        return {"__tensor__": key}
    if isinstance(obj, dict):
        return {
            "__dict__": [[_pack(k, tensors, key), _pack(v, tensors, f"{key}/{k}")] for k, v in obj.items()]
        }
    if isinstance(obj, (list, tuple)):
        items = [_pack(v, tensors, f"{key}/{i}") for i, v in enumerate(obj)]
        return {"__tuple__": items} if isinstance(obj, tuple) else items
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    raise CheckpointError(
        f"optimizer state holds a {type(obj).__name__} at {key!r}, which a checkpoint cannot store"
    )


def _unpack(obj: Any, tensors: dict[str, Tensor]) -> Any:
    if isinstance(obj, list):
        return [_unpack(v, tensors) for v in obj]
    if isinstance(obj, dict):
        if "__tensor__" in obj:
            return tensors[obj["__tensor__"]]
        if "__tuple__" in obj:
            return tuple(_unpack(v, tensors) for v in obj["__tuple__"])
        return {_unpack(k, tensors): _unpack(v, tensors) for k, v in obj["__dict__"]}
    return obj


def _ties(state: dict[str, Tensor]) -> dict[str, str]:
    """Names that are another name's very tensor (tied weights): alias -> the first name."""
    first: dict[tuple, str] = {}
    ties = {}
    for k, v in state.items():
        key = (v.data_ptr(), v.storage_offset(), tuple(v.shape), tuple(v.stride()), v.dtype)
        if v.numel() and key in first:
            ties[k] = first[key]
        else:
            first.setdefault(key, k)
    return ties


def _kind(opt: Any) -> str:
    """What an optimizer is: a composed one by its parts (Adam and SGD are both `Optimizer`)."""
    parts = getattr(opt, "cbs", None)
    if isinstance(parts, list):
        return f"{type(opt).__name__}({', '.join(getattr(p, '__name__', type(p).__name__) for p in parts)})"
    inner = getattr(opt, "opt", None)  # a wrapped torch optimizer
    return f"{type(opt).__name__}({type(inner).__name__})" if inner is not None else type(opt).__name__


def save_checkpoint(file: str | Path, model: nn.Module, opt: Any = None, write: bool = True) -> Path:
    """Write `model`'s weights and `opt`'s state (if given) to `file` as one atomic safetensors file.

    Tied weights are written once; `load_checkpoint` users get them back through the model's own ties.
    An optimizer state sharded by FSDP is gathered (a collective: every rank calls this, and only
    the one with `write` writes).

    Examples:
        >>> import tempfile
        >>> f = save_checkpoint(Path(tempfile.mkdtemp()) / "m.safetensors", nn.Linear(2, 1))
        >>> sorted(load_checkpoint(f)["model"])
        ['bias', 'weight']
    """
    from safetensors.torch import save_file

    state = model.state_dict()
    ties = _ties(state)
    # a clone where storage is shared but the tensor differs (a view): safetensors refuses shared memory
    ptrs = [v.untyped_storage().data_ptr() for k, v in state.items() if k not in ties]
    shared = {p for p in ptrs if ptrs.count(p) > 1}
    tensors = {
        k: (v.detach().clone() if v.untyped_storage().data_ptr() in shared else v.detach()).contiguous()
        for k, v in state.items()
        if k not in ties
    }
    meta = {"format": _FORMAT, "model": type(model).__name__}
    if opt is not None:
        opt_tensors: dict[str, Tensor] = {}
        meta["opt"] = json.dumps(_pack(opt.state_dict(), opt_tensors, "opt"))
        meta["opt_type"] = _kind(opt)
        tensors.update({k: v.clone() for k, v in opt_tensors.items()})
    if write:
        save_atomic(lambda tmp: save_file(tensors, tmp, metadata=meta), Path(file))
    return Path(file)


def load_checkpoint(file: str | Path) -> dict[str, Any]:
    """Read a checkpoint: `{"model": state_dict, "opt": state or None, "opt_type": name or None}`.

    Raises:
        CheckpointError: the file is not a checkpoint, or is truncated or corrupt (the message names it).

    Examples:
        >>> import tempfile
        >>> f = Path(tempfile.mkdtemp()) / "bad.safetensors"; _ = f.write_bytes(b"not a checkpoint")
        >>> load_checkpoint(f)
        Traceback (most recent call last):
        ...
        lamella.learner.persist.CheckpointError: ...bad.safetensors is not a readable checkpoint...
    """
    from safetensors import safe_open

    file = Path(file)
    try:
        with safe_open(str(file), framework="pt") as f:
            meta = f.metadata() or {}
            tensors = {k: f.get_tensor(k) for k in f.keys()}  # noqa: SIM118  (safe_open is not a dict)
    except Exception as e:  # safetensors raises its own error type (or OSError) for a bad file
        raise CheckpointError(
            f"{file} is not a readable checkpoint (truncated, corrupt or another format: {e}); "
            "save it again with learn.save"
        ) from e
    model = {k: v for k, v in tensors.items() if not k.startswith("opt/")}
    opt = _unpack(json.loads(meta["opt"]), tensors) if "opt" in meta else None
    return {"model": model, "opt": opt, "opt_type": meta.get("opt_type"), "file": file}


def check_fits(
    ckpt: dict[str, Any], model: nn.Module, opt: Any = None, strict: bool = True
) -> dict[str, Tensor]:
    """The model weights of `ckpt` ready for `model.load_state_dict`; `CheckpointError` if they do not fit.

    Checks names (with `strict`), shapes, and the optimizer's type and hyper-parameter names
    (when `opt` and a saved optimizer state are both there). Changes nothing.

    Examples:
        >>> import tempfile
        >>> f = save_checkpoint(Path(tempfile.mkdtemp()) / "m.safetensors", nn.Linear(2, 1))
        >>> check_fits(load_checkpoint(f), nn.Linear(3, 1))
        Traceback (most recent call last):
        ...
        lamella.learner.persist.CheckpointError: ...weight 'weight' has shape (1, 2), the model's is (1, 3)
    """
    file, own = ckpt["file"], model.state_dict()
    saved = dict(ckpt["model"])
    for alias, name in _ties(own).items():  # tied weights were written once
        if alias not in saved and name in saved:
            saved[alias] = saved[name]
    if strict:
        missing, extra = sorted(set(own) - set(saved)), sorted(set(saved) - set(own))
        if missing or extra:
            raise CheckpointError(
                f"{file} does not fit this model: missing {missing[:5]}, unexpected {extra[:5]} "
                "(another architecture?); pass strict=False to load the weights that match"
            )
    for k, v in saved.items():
        if k in own and own[k].shape != v.shape:
            raise CheckpointError(
                f"{file}: weight {k!r} has shape {tuple(v.shape)}, the model's is {tuple(own[k].shape)}"
            )
    if opt is not None and ckpt["opt"] is not None:
        if ckpt["opt_type"] != _kind(opt):
            raise CheckpointError(
                f"{file} holds the state of the optimizer {ckpt['opt_type']} but this learner's is "
                f"{_kind(opt)}: pass with_opt=False to load the weights alone"
            )
        ours, theirs = opt.state_dict()["param_groups"], ckpt["opt"]["param_groups"]
        if len(ours) != len(theirs) or any(sorted(a) != sorted(b) for a, b in zip(ours, theirs)):
            raise CheckpointError(
                f"{file}: the optimizer's parameter groups differ (saved {[sorted(g) for g in theirs]}, "
                f"this learner's {[sorted(g) for g in ours]}): pass with_opt=False to load the weights alone"
            )
    return saved


class Persist(LearnerBase):
    """`save` / `load` of weights and optimizer state, and `export` of the whole learner.

    Examples:
        >>> learn.save("stage-1").suffix
        '.safetensors'
    """

    def save(self, name: str, with_opt: bool = True) -> Path:
        """Save the weights and optimizer state in one file, `path/model_dir/name.safetensors`, atomically.

        Examples:
            >>> learn.save("stage-1").name
            'stage-1.safetensors'
        """
        file = self.path / self.model_dir / f"{name}.safetensors"
        rank, sharded = getattr(self, "_distrib_rank", 0), getattr(self, "_skeleton", None) is not None
        if rank != 0 and not sharded:
            return file  # in distributed training only rank 0 writes
        # under FSDP every rank gathers the weights and optimizer state with the others; rank 0 writes
        save_checkpoint(file, self._full_model(), self.opt if with_opt else None, write=rank == 0)
        return file

    def load(self, name: str, with_opt: bool = True, strict: bool = True) -> Self:
        """Load the weights (and the optimizer state when saved) written by `save`.

        `name` may also be a sharded checkpoint (`CheckpointCallback` under FSDP2, the folder
        `name.dcp`): any number of processes read it, one process into a plain model, which
        `save` then writes as one file (and `export` exports).

        The file is checked against the model and optimizer (names, shapes, optimizer type and
        hyper-parameters) before anything changes: on any error both stay as they were.

        Examples:
            >>> _ = learn.save("stage-1"); learn.load("stage-1") is learn
            True
        """
        file = self.path / self.model_dir / f"{name}.safetensors"
        if getattr(self, "_distrib_rank", None) is not None:  # in distrib_ctx: once rank 0 has written it
            from .distributed import distrib_barrier

            distrib_barrier()
        sharded = file.with_suffix(".dcp")  # CheckpointCallback's under FSDP: read into this model as it is
        if not file.exists() and (sharded / ".metadata").exists():
            from .callbacks.checkpoint import _load_sharded

            if with_opt and self.opt is None:
                self.create_opt()
            _load_sharded(sharded, self.model, self.opt if with_opt else None)
            return self
        if not file.exists():
            raise FileNotFoundError(
                f"no saved model {file}; saved: {sorted(p.stem for p in file.parent.glob('*.safetensors'))}"
            )
        ckpt = load_checkpoint(file)
        model = self._plain_model()
        if with_opt and ckpt["opt"] is not None and self.opt is None:
            self.create_opt()
        opt = self.opt if with_opt and ckpt["opt"] is not None else None
        weights = check_fits(ckpt, model, opt, strict)
        if getattr(self, "_skeleton", None) is not None:  # sharded by FSDP: each rank keeps its part
            from .distributed import load_sharded

            load_sharded(model, opt, weights, ckpt["opt"], strict)
            return self
        device = next(model.parameters()).device
        model.load_state_dict({k: v.to(device) for k, v in weights.items()}, strict=strict)
        if opt is not None:
            opt.load_state_dict(ckpt["opt"])
        return self

    def _plain_model(self) -> nn.Module:
        """The model without torch.compile's or DDP's wrapper (whose weights a checkpoint holds)."""
        model = getattr(self.model, "_orig_mod", self.model)
        return getattr(model, "module", model)

    def _full_model(self) -> nn.Module:
        """The plain model with all its weights; under FSDP a copy gathered from every rank (all call it)."""
        skeleton = getattr(self, "_skeleton", None)
        if skeleton is None:
            return self._plain_model()
        from .distributed import meta_copy, unshard_model

        return unshard_model(self.model, meta_copy(skeleton), next(self.model.parameters()).device)

    def export(self, fname: str | Path = "export.pkl") -> Path:
        """Pickle the learner with its data pipelines but no items (for `load_learner` and `predict`).

        Inside `distrib_ctx` rank 0 writes a plain learner: the model without DDP's wrapper (under
        FSDP, gathered from every rank) and without the distributed callback.

        Examples:
            >>> learn.export().name
            'export.pkl'
        """
        file = self.path / fname
        model = self._full_model()
        if getattr(self, "_distrib_rank", 0) != 0:
            return file
        self._target_type()  # kept, so the exported learner decodes predictions without data
        dls, opt, kept_model = self.dls, self.opt, self.model
        distributed = {k: getattr(self, k) for k in ("_distrib_rank", "_skeleton") if hasattr(self, k)}
        from .distributed import DistributedTrainer

        trainers = [cb for cb in self.cbs if isinstance(cb, DistributedTrainer)]
        self.remove_cbs(trainers)
        self.dls, self.opt, self.model = dls.new_empty(), None, model
        for k in distributed:
            delattr(self, k)
        try:
            save_atomic(lambda tmp: torch.save(self, tmp, pickle_protocol=4), file)
        finally:
            self.dls, self.opt, self.model = dls, opt, kept_model
            for k, v in distributed.items():
                setattr(self, k, v)
            self.add_cbs(trainers)
        return file


def load_learner(fname: str | Path, cpu: bool = True, trusted: bool = False) -> Learner:
    """Load a learner saved by `Learner.export`.

    The file is a pickle, which can run code when loaded: only load files you trust, and say so
    with `trusted=True` (or set the environment variable `LAMELLA_TRUST_PICKLE=1`).

    Examples:
        >>> load_learner("export.pkl")
        Traceback (most recent call last):
        ...
        PermissionError: export.pkl is a pickle, which can run code when loaded: ...
    """
    if not trusted and os.environ.get("LAMELLA_TRUST_PICKLE") != "1":
        raise PermissionError(
            f"{fname} is a pickle, which can run code when loaded: pass trusted=True (or set "
            "LAMELLA_TRUST_PICKLE=1) only for a file you made or trust"
        )
    if not Path(fname).is_file():
        raise FileNotFoundError(f"no exported learner at {fname}: make one with learn.export()")
    try:
        learn = torch.load(fname, map_location="cpu" if cpu else None, weights_only=False)
    except (pickle.UnpicklingError, RuntimeError, EOFError, ValueError) as e:
        raise CheckpointError(
            f"{fname} is not a readable exported learner (truncated, corrupt or another format: {e}); "
            "export it again with learn.export()"
        ) from e
    if cpu:
        learn.dls.to("cpu")
        learn.model.to("cpu")
    return learn
