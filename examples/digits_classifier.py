"""Train a small convolutional classifier on the bundled 8x8 digits and print its metrics.

The layers that exist, end to end: a DataBlock (typed images and categories, a split, batch
normalisation), lamella's Adam with a one-cycle schedule, and a training loop written out here
in about 25 lines (nanoGPT style) until the learner layer lands.

Run: tools/demo   (or .venv/bin/python examples/digits_classifier.py --epochs 5)
"""

import argparse
import gzip
import time

import numpy as np
import torch
from torch import nn

import lamella.samples
from lamella.data import CategoryBlock, DataBlock, Normalize, RandomSplitter, TransformBlock
from lamella.optim import Adam
from lamella.optim.schedule import one_cycle_scheds
from lamella.transforms import Transform
from lamella.typedtensor import TensorImageBW, as_plain


class ToImage(Transform):
    """A row of 64 pixel values (0-16) and a label becomes a 1x8x8 float image."""

    def encodes(self, row: np.ndarray) -> TensorImageBW:
        return torch.as_tensor(row[:64], dtype=torch.float32).view(1, 8, 8) / 16


def label(row: np.ndarray) -> str:
    return str(int(row[64]))


def dataloaders(bs: int):
    with gzip.open(lamella.samples.path("sklearn_digits") / "digits.csv.gz") as f:
        rows = np.loadtxt(f, delimiter=",")
    dblock = DataBlock(
        blocks=(TransformBlock(type_tfms=ToImage()), CategoryBlock),
        get_y=label,
        splitter=RandomSplitter(0.2, seed=42),
        batch_tfms=Normalize(),  # statistics from one training batch
    )
    return dblock.dataloaders(rows, bs=bs, device="cpu", seed=0)


def model() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1, stride=2), nn.BatchNorm2d(32), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10),
    )  # fmt: skip


def main(epochs: int, bs: int, lr: float) -> dict:
    torch.manual_seed(0)
    dls = dataloaders(bs)
    net, loss_func = model(), nn.CrossEntropyLoss()
    opt = Adam(net.parameters(), lr=lr)
    scheds, total, it = one_cycle_scheds(lr), epochs * len(dls.train), 0
    x, _ = dls.one_batch()
    sizes = f"{len(dls.train_ds)} train, {len(dls.valid_ds)} valid items"
    print(f"digits: {sizes}; batches of {type(x).__name__} {tuple(x.shape)}")
    print(f"vocab {dls.train_ds.vocab}; after_batch {dls.train.after_batch.fs}")
    for epoch in range(epochs):
        start, net = time.perf_counter(), net.train()
        for xb, yb in dls.train:
            for name, sched in scheds.items():
                opt.set_hyper(name, sched(it / total))
            loss = loss_func(net(as_plain(xb)), as_plain(yb))  # types off at the model
            loss.backward()
            opt.step()
            opt.zero_grad()
            it += 1
        net.eval()
        with torch.no_grad():
            outs = [(net(as_plain(xb)), as_plain(yb)) for xb, yb in dls.valid]
        preds, targs = torch.cat([o for o, _ in outs]), torch.cat([t for _, t in outs])
        metrics = {
            "epoch": epoch,
            "train_loss": loss.item(),
            "valid_loss": loss_func(preds, targs).item(),
            "accuracy": (preds.argmax(1) == targs).float().mean().item(),
            "time": time.perf_counter() - start,
        }
        print("  ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in metrics.items()))
    return metrics


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--bs", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-2)
    args = parser.parse_args()
    final = main(args.epochs, args.bs, args.lr)
    print(f"final accuracy {final['accuracy']:.4f}")
