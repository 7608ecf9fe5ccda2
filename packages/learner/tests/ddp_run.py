"""Run by test_distributed under torchrun: `torchrun --nproc_per_node 2 ddp_run.py OUT_DIR`."""

import sys
from pathlib import Path

import torch
from torch import nn


def main() -> None:
    from lamella.data import DataLoader, DataLoaders
    from lamella.learner import AvgMetric, CrossEntropyLossFlat, Learner, accuracy, rank_distrib

    out = Path(sys.argv[1])
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    xs = torch.randn(512, 2, generator=g)
    items = list(zip(xs, (xs.sum(1) > 0).long()))
    dls = DataLoaders(
        DataLoader(items[:384], bs=32, shuffle=True), DataLoader(items[384:], bs=32), device="cpu"
    )
    learn = Learner(dls, nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2)),
                    loss_func=CrossEntropyLossFlat(), metrics=AvgMetric(accuracy), path=out)  # fmt: skip
    learn.progress.show_bars = False
    with learn.distrib_ctx():
        learn.fit_one_cycle(3, 1e-2)
        learn.save("final")
        n_batches = len(learn.dls.train)
    rank = rank_distrib()
    (out / f"rank{rank}.txt").write_text(
        f"{n_batches} {' '.join(str(round(r[1], 6)) for r in learn.recorder.values)} "
        f"{learn.recorder.values[-1][2]}"
    )


if __name__ == "__main__":
    main()
