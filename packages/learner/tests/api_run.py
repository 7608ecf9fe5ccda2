"""The learner's API inside `distrib_ctx`, for test_distributed: `torchrun ... api_run.py OUT ddp|fsdp`.

Run without torchrun (`python api_run.py OUT single`) it is the reference. Every process writes
`rank<r>.json`: the gathered predictions of a validation set whose size does not divide by the
number of processes, the validation metrics, the learning-rate finder's suggestion, the predictions
after `load` and after training on from the loaded optimizer state, and those of the exported learner.
"""

import json
import os
import sys
from pathlib import Path

import torch
from torch import nn


def n_correct(preds: torch.Tensor, targs: torch.Tensor) -> torch.Tensor:
    return (preds == targs).float().sum()


def main() -> None:
    from lamella.data import DataLoader, DataLoaders
    from lamella.learner import (
        AccumMetric,
        AvgMetric,
        CrossEntropyLossFlat,
        Learner,
        SaveModelCallback,
        accuracy,
        load_learner,
        rank_distrib,
    )

    out, strategy = Path(sys.argv[1]), sys.argv[2]
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(0)
    xs = torch.randn(640 + 61, 4, generator=g)  # 61 validation items: 2 processes pad one
    items = list(zip(xs, (xs[:, 0] * xs[:, 1] > 0).long()))
    bs = 32 if strategy == "single" else 16
    dls = DataLoaders(DataLoader(items[:640], bs=bs), DataLoader(items[640:], bs=bs), device="cpu")
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 2))
    learn = Learner(dls, model, loss_func=CrossEntropyLossFlat(), lr=1e-2, path=out,
                    metrics=[AvgMetric(accuracy), AccumMetric(n_correct, dim_argmax=-1)])  # fmt: skip
    learn.progress.show_bars = learn.progress.show_table = False
    res: dict = {}
    with learn.distrib_ctx(strategy="ddp" if strategy == "single" else strategy):
        res["lr_min"] = learn.lr_find(num_it=30, show_plot=False).valley
        learn.fit(2, cbs=SaveModelCallback(monitor="valid_loss", fname="best"))
        res["recorded"] = learn.recorder.values[-1]
        res["validate"] = learn.validate()
        preds, targs = learn.get_preds()
        res["preds"], res["targs"] = preds.tolist(), targs.tolist()
        learn.save("again")
        learn.fit(1)  # the weights move on
        learn.load("again")  # and come back, with the optimizer's state
        res["reloaded"] = learn.get_preds()[0].tolist()
        learn.fit(1)
        res["continued"] = learn.get_preds()[0].tolist()
        learn.export("export.pkl")
    if rank_distrib() == 0:
        os.environ["LAMELLA_TRUST_PICKLE"] = "1"
        res["exported"] = load_learner(out / "export.pkl").get_preds(dl=dls.valid)[0].tolist()
    (out / f"rank{rank_distrib()}.json").write_text(json.dumps(res))


if __name__ == "__main__":
    main()
