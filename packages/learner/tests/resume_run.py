"""A small training run for the checkpoint tests: `python resume_run.py OUT_DIR [KILL_EPOCH KILL_BATCH]`.

Random augmentation in the item pipeline, dropout in the model and an unseeded shuffle make every
random state matter. With a kill point the process SIGKILLs itself in the middle of that batch.
`NUM_WORKERS=2` in the environment makes the batches in two worker processes.
"""

import os
import signal
import sys
from pathlib import Path

import torch
from torch import nn

from lamella.data import CategoryBlock, DataBlock, IndexSplitter, TransformBlock
from lamella.learner import Callback, CheckpointCallback, Learner


def noisy(row):
    return torch.tensor(row) + 0.1 * torch.randn(2)  # augmentation drawn from torch's global RNG


def label(row):
    return "pos" if row[0] + row[1] > 0 else "neg"


def make_dls(**kwargs):
    """160 random 2-d points labelled by the sign of their sum, the last 32 for validation."""
    g = torch.Generator().manual_seed(1)
    rows = [r.tolist() for r in torch.randn(160, 2, generator=g)]
    dblock = DataBlock(blocks=(TransformBlock, CategoryBlock), get_x=noisy, get_y=label,
                       splitter=IndexSplitter(list(range(128, 160))))  # fmt: skip
    return dblock.dataloaders(rows, device="cpu", **kwargs)


class Kill(Callback):
    """SIGKILL this process in the middle of training batch `point` = (epoch, iter), if given."""

    order = 70

    def __init__(self, point=None):
        self.point = point

    def after_pred(self):
        if self.point and self.training and (self.epoch, self.iter) == self.point:
            os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    out = Path(sys.argv[1])
    kill = tuple(int(v) for v in sys.argv[2:4]) if len(sys.argv) > 3 else None
    torch.manual_seed(0)
    torch.set_num_threads(1)

    dls = make_dls(bs=16, num_workers=int(os.environ.get("NUM_WORKERS", 0)))
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 2))
    learn = Learner(dls, model, path=out)
    learn.progress.show_bars = learn.progress.show_table = False

    learn.fit_one_cycle(3, 1e-2, cbs=[CheckpointCallback(every=3), Kill(kill)])
    torch.save(learn.model.state_dict(), out / "final.pt")


if __name__ == "__main__":
    main()
