"""Train a small convolutional classifier on the bundled 8x8 digits and print its metrics.

The layers that exist, end to end: a DataBlock (typed images and categories, a split, batch
normalisation) and a Learner trained with the one-cycle policy (lamella's Adam), printing its
table of losses and accuracy.

Run: tools/demo   (or .venv/bin/python examples/digits_classifier.py --epochs 5)
"""

import argparse
import gzip

import numpy as np
import torch
from torch import nn

import lamella.samples
from lamella.data import CategoryBlock, DataBlock, Normalize, RandomSplitter, TransformBlock
from lamella.learner import Learner, accuracy
from lamella.transforms import Transform
from lamella.typedtensor import TensorImageBW


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


def main(epochs: int, bs: int, lr: float, seed: int = 0) -> dict:
    torch.manual_seed(seed)
    dls = dataloaders(bs)
    x, _ = dls.one_batch()
    sizes = f"{len(dls.train_ds)} train, {len(dls.valid_ds)} valid items"
    print(f"digits: {sizes}; batches of {type(x).__name__} {tuple(x.shape)}")
    print(f"vocab {dls.train_ds.vocab}; after_batch {dls.train.after_batch.fs}")
    learn = Learner(dls, model(), metrics=accuracy)  # the loss comes from the CategoryBlock
    learn.progress.show_bars = False
    learn.fit_one_cycle(epochs, lr)
    names, last = learn.recorder.metric_names[1:-1], learn.recorder.values[-1]
    return dict(zip(names, last))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--bs", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-2)
    args = parser.parse_args()
    final = main(args.epochs, args.bs, args.lr)
    print(f"final accuracy {final['accuracy']:.4f}")
