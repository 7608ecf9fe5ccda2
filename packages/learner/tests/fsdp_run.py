"""One epoch of 20 steps under a strategy, for the FSDP test: `torchrun ... fsdp_run.py OUT ddp|fsdp|single`.

The same data, initial weights and global batches of 32 in every case (2 ranks x 16, or 1 x 32):
rank 0 writes the loss of each step (averaged over ranks), the validation loss and the final weights.
"""

import json
import sys
from pathlib import Path

import torch
import torch.distributed as dist
from torch import nn

from lamella.data import DataLoader, DataLoaders
from lamella.learner import Callback, CrossEntropyLossFlat, Learner, rank_distrib
from lamella.optim import Adam


class StepLosses(Callback):
    def before_fit(self):
        self.losses = []

    def after_batch(self):
        if self.training:
            t = self.learn.loss.detach().clone()
            if dist.is_initialized():
                dist.all_reduce(t)
                t /= dist.get_world_size()
            self.losses.append(t.item())


def main() -> None:
    out, strategy = Path(sys.argv[1]), sys.argv[2]
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(0)
    xs = torch.randn(704, 4, generator=g)
    items = list(zip(xs, (xs[:, 0] * xs[:, 1] > 0).long()))
    bs = 32 if strategy == "single" else 16
    dls = DataLoaders(DataLoader(items[:640], bs=bs), DataLoader(items[640:], bs=bs), device="cpu")
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 2))
    learn = Learner(dls, model, loss_func=CrossEntropyLossFlat(), opt_func=Adam, lr=1e-2, path=out)
    learn.progress.show_bars = learn.progress.show_table = False
    steps = StepLosses()
    with learn.distrib_ctx(strategy="ddp" if strategy == "single" else strategy):
        learn.fit(1, cbs=steps)
        valid_loss = learn.validate()[0]
        kind = type(getattr(learn.model, "module", learn.model)[0].weight).__name__
        local = [getattr(t, "_local_tensor", t) for t in learn.model.parameters()]  # this rank's part
        local += [getattr(v, "_local_tensor", v) for st in learn.opt.state.values() for v in st.values()
                  if isinstance(v, torch.Tensor) and v.ndim]  # fmt: skip
        held = sum(t.numel() * t.element_size() for t in local)
    if rank_distrib() == 0:
        out.mkdir(parents=True, exist_ok=True)
        torch.save(learn.model.state_dict(), out / "final.pt")
        (out / "run.json").write_text(
            json.dumps({"losses": steps.losses, "valid": valid_loss, "kind": kind, "bytes": held})
        )


if __name__ == "__main__":
    main()
