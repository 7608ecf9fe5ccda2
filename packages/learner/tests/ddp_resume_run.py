"""A DDP run for the distributed checkpoint test, under torchrun (2 processes) or alone (1).

`torchrun --nproc_per_node 2 ddp_resume_run.py OUT_DIR [KILL_EPOCH KILL_BATCH]`: random augmentation
made in two worker processes, dropout in the model, an unseeded shuffle. With a kill point every
rank SIGKILLs itself in the middle of that batch; rank 0 writes the final weights. `STRATEGY=fsdp`
in the environment shards the model (FSDP2) instead of replicating it (DDP).
"""

import os
import sys
from pathlib import Path

import torch
from torch import nn

from lamella.learner import CheckpointCallback, Learner, rank_distrib


def main() -> None:
    # the same data and kill switch as the one-process run (beside this script, on sys.path when run)
    from resume_run import Kill, make_dls

    out = Path(sys.argv[1])
    kill = tuple(int(v) for v in sys.argv[2:4]) if len(sys.argv) > 3 else None
    torch.manual_seed(int(os.environ.get("RANK", 0)))  # ranks' random states differ, as in real runs
    torch.set_num_threads(1)
    dls = make_dls(bs=8, num_workers=2, seed=3)
    torch.manual_seed(0)  # the same initial weights on every rank
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 2))
    torch.manual_seed(100 + int(os.environ.get("RANK", 0)))
    learn = Learner(dls, model, path=out)
    learn.progress.show_bars = learn.progress.show_table = False

    with learn.distrib_ctx(strategy=os.environ.get("STRATEGY", "ddp")):
        learn.fit_one_cycle(3, 1e-2, cbs=[CheckpointCallback(every=3), Kill(kill)])
    if rank_distrib() == 0:
        torch.save(learn.model.state_dict(), out / "final.pt")
        (out / "epochs.txt").write_text(str(len(learn.recorder.values)))


if __name__ == "__main__":
    main()
