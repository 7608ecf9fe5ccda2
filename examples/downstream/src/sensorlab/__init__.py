"""sensorlab: sensor signals on lamella's data and learner layers (a downstream-library example).

Examples:
    >>> from sensorlab import TensorSignal
    >>> TensorSignal.create([[0.0, 1.0]], sr=50).sr
    50
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from lamella.data import TransformBlock
from lamella.learner import CrossEntropyLossFlat, Learner, accuracy
from lamella.transforms import Transform
from lamella.typedtensor import TensorBase

__all__ = ["SignalBlock", "Standardize", "TensorSignal", "make_waves", "signal_learner"]


class TensorSignal(TensorBase):
    """A signal, `channels x time` (`bs x channels x time` in a batch), with its sample rate `sr`.

    Examples:
        >>> s = TensorSignal.create(np.zeros(8), sr=4)
        >>> tuple(s.shape), (s * 2).sr
        ((1, 8), 4)
    """

    @classmethod
    def create(cls, x: Any, sr: int = 1) -> TensorSignal:
        """A signal from an array or a list (one channel when 1-D).

        Examples:
            >>> TensorSignal.create([1.0, 2.0], sr=2).shape
            torch.Size([1, 2])
        """
        t = torch.as_tensor(np.asarray(x, dtype=np.float32))
        return cls(t[None] if t.ndim == 1 else t, sr=sr)


class Standardize(Transform):
    """Batch transform: signals to zero mean, unit variance per channel (statistics of the batch's items).

    `decodes` gives the signals back in their units.

    Examples:
        >>> t = Standardize(mean=1.0, std=2.0)
        >>> x = TensorSignal(torch.tensor([[3.0, 5.0]]), sr=1)
        >>> t(x).tolist(), t.decode(t(x)).tolist()
        ([[1.0, 2.0]], [[3.0, 5.0]])
    """

    order = 50

    def __init__(self, mean: float = 0.0, std: float = 1.0) -> None:
        super().__init__()
        self.mean, self.std = mean, std

    def encodes(self, x: TensorSignal):  # noqa: D102  (the class documents it)
        return (x - self.mean) / self.std

    def decodes(self, x: TensorSignal):  # noqa: D102
        return x * self.std + self.mean


class _Create:
    """Picklable type transform: arrays to `TensorSignal` at a sample rate."""

    def __init__(self, sr: int) -> None:
        self.sr = sr

    def __call__(self, x: Any) -> TensorSignal:
        return TensorSignal.create(x, sr=self.sr)


def SignalBlock(sr: int = 1, mean: float = 0.0, std: float = 1.0) -> TransformBlock:  # noqa: N802
    """Arrays as `TensorSignal` items, standardised in batches.

    Examples:
        >>> [type(t).__name__ for t in SignalBlock().batch_tfms]
        ['Standardize']
    """
    return TransformBlock(type_tfms=_Create(sr), batch_tfms=Standardize(mean, std))


def make_waves(n: int, length: int = 64, seed: int = 0) -> list[tuple[np.ndarray, str]]:
    """`n` noisy waves of random frequency and phase, labelled `sine`, `square` or `saw`.

    Examples:
        >>> x, y = make_waves(3)[0]
        >>> x.shape, y in ("sine", "square", "saw")
        ((64,), True)
    """
    rng = np.random.default_rng(seed)
    t = np.arange(length) / length
    out = []
    for i in range(n):
        kind = ("sine", "square", "saw")[i % 3]
        f, ph = rng.uniform(1.5, 4.0), rng.uniform(0, 2 * np.pi)
        phase = 2 * np.pi * f * t + ph
        wave = {"sine": np.sin(phase), "square": np.sign(np.sin(phase)),
                "saw": 2 * ((phase / (2 * np.pi)) % 1) - 1}[kind]  # fmt: skip
        out.append(((wave + rng.normal(0, 0.3, length)).astype(np.float32), kind))
    return out


def signal_learner(dls: Any, n_channels: int = 1, **kwargs: Any) -> Learner:
    """A small 1-D CNN for `dls`'s classes, trained by lamella's `Learner`.

    Examples:
        >>> signal_learner.__name__
        'signal_learner'
    """
    n_out = len(dls.vocab)
    model = nn.Sequential(
        nn.Conv1d(n_channels, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
        nn.Conv1d(16, 32, 5, padding=2, stride=2), nn.BatchNorm1d(32), nn.ReLU(),
        nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, n_out),
    )  # fmt: skip
    kwargs.setdefault("metrics", accuracy)
    return Learner(dls, model, loss_func=CrossEntropyLossFlat(), **kwargs)
