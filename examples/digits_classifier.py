"""Train a small convolutional classifier on the bundled 8x8 digits and print its metrics.

The lowest layers end to end: typed tensors (`TensorImageBW`, `TensorCategory`), a transform
pipeline with set-up state and decoding, lamella's Adam and one-cycle schedule. Until the
data and learner layers land, the loop is written out here (about 30 lines, nanoGPT style).

Run: tools/demo   (or .venv/bin/python examples/digits_classifier.py --epochs 5)
"""

import argparse
import time

import numpy as np
import torch
from torch import nn

import lamella.samples
from lamella.optim import Adam
from lamella.optim.schedule import one_cycle_scheds
from lamella.transforms import DisplayedTransform, Pipeline, Transform
from lamella.typedtensor import TensorCategory, TensorImageBW, as_plain


class ToImage(Transform):
    """A row of 64 pixel values (0-16) becomes a 1x8x8 float image."""

    def encodes(self, x: np.ndarray) -> TensorImageBW:
        return torch.as_tensor(x, dtype=torch.float32).view(1, 8, 8) / 16


class Normalize(DisplayedTransform):
    """Standardise with the training mean and std, learnt in `setups`; `decodes` undoes it."""

    def setups(self, items):
        stacked = torch.stack(list(items))
        self.mean, self.std = stacked.mean().item(), stacked.std().item()

    def encodes(self, x: TensorImageBW):
        return (x - self.mean) / self.std

    def decodes(self, x: TensorImageBW):
        return x * self.std + self.mean


def load(seed: int = 42):
    data = np.loadtxt(lamella.samples.path("sklearn_digits") / "digits.csv.gz", delimiter=",")
    idx = np.random.default_rng(seed).permutation(len(data))
    n_valid = len(data) // 5
    return data[idx[n_valid:]], data[idx[:n_valid]]


def to_tensors(rows, pipe):
    xs = torch.stack([pipe(r[:64]) for r in rows])
    return xs, TensorCategory(torch.as_tensor(rows[:, 64], dtype=torch.long))


def model() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1),
        nn.BatchNorm2d(16),
        nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1, stride=2),
        nn.BatchNorm2d(32),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(32, 10),
    )


def main(epochs: int, bs: int, lr: float) -> dict:
    torch.manual_seed(0)
    train_rows, valid_rows = load()
    pipe = Pipeline([ToImage(), Normalize()])
    pipe.setup([r[:64] for r in train_rows])  # Normalize learns its stats from the training split
    (xt, yt), (xv, yv) = to_tensors(train_rows, pipe), to_tensors(valid_rows, pipe)
    net, loss_func = model(), nn.CrossEntropyLoss()
    opt = Adam(net.parameters(), lr=lr)
    scheds, total, it = one_cycle_scheds(lr), epochs * -(-len(xt) // bs), 0
    print(
        f"digits: {len(xt)} train, {len(xv)} valid items of {type(xt).__name__} {tuple(xt.shape[1:])};",
        repr(pipe.fs[1]),
    )
    for epoch in range(epochs):
        start, net = time.perf_counter(), net.train()
        for idx in torch.randperm(len(xt)).split(bs):
            for name, sched in scheds.items():
                opt.set_hyper(name, sched(it / total))
            loss = loss_func(net(as_plain(xt[idx])), as_plain(yt[idx]))  # types off at the model
            loss.backward()
            opt.step()
            opt.zero_grad()
            it += 1
        with torch.no_grad():
            preds = net.eval()(as_plain(xv))
            metrics = {
                "epoch": epoch,
                "train_loss": loss.item(),
                "valid_loss": loss_func(preds, as_plain(yv)).item(),
                "accuracy": (preds.argmax(1) == as_plain(yv)).float().mean().item(),
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
