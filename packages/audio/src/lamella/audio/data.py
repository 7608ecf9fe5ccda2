"""`AudioBlock` for `DataBlock`: files read, resampled, mixed down, cropped, and batched."""

from __future__ import annotations

from typing import Any

import torch

from lamella.data import CollateError, TransformBlock

from .augment import DownmixMono, Resample, ResizeSignal
from .batching import AudioPadType
from .core import TensorAudio

__all__ = ["AudioBlock", "pad_audio"]


def pad_audio(samples: list[Any]) -> list[Any]:
    """`before_batch`: pad a batch's signals with zeros to its longest, keeping the true `lengths`.

    Every signal of the batch gets the same metadata `lengths` (a tensor, one per item), which the
    collated batch carries. Sample rates and channel counts must agree across the batch.

    Examples:
        >>> a, b = TensorAudio(torch.ones(1, 3), sr=8), TensorAudio(torch.ones(1, 5), sr=8)
        >>> out = pad_audio([(a, 0), (b, 1)])
        >>> out[0][0].tolist(), out[0][0].lengths.tolist()
        ([[1.0, 1.0, 1.0, 0.0, 0.0]], [3, 5])
    """
    if not samples:
        return samples
    tupled = isinstance(samples[0], tuple)
    rows = [list(s) if tupled else [s] for s in samples]
    for j, first in enumerate(rows[0]):
        if not isinstance(first, TensorAudio):
            continue
        sigs = [r[j] for r in rows]
        plain = [s.as_subclass(torch.Tensor) for s in sigs]  # shapes of plain tensors cost no dispatch
        _check_alike(sigs, plain)
        lengths = torch.tensor([p.shape[-1] for p in plain])
        n = int(lengths.max())
        for r, s, p in zip(rows, sigs, plain):
            padded = p if p.shape[-1] == n else torch.nn.functional.pad(p, (0, n - p.shape[-1]))
            out = padded.as_subclass(TensorAudio)
            out.__dict__.update(s.__dict__)
            out.lengths = lengths
            r[j] = out
    return [type(samples[0])(r) if tupled else r[0] for r in rows]


def _check_alike(sigs: list[TensorAudio], plain: list[torch.Tensor]) -> None:
    for what, values in (
        ("sample rates", [getattr(s, "sr", None) for s in sigs]),
        ("channel counts", [p.shape[-2] for p in plain]),
    ):
        if any(v != values[0] for v in values):
            j = next(j for j, v in enumerate(values) if v != values[0])
            fix = (
                "AudioBlock(sample_rate=...) resamples them"
                if what == "sample rates"
                else "AudioBlock(force_mono=True) mixes them down to one"
            )
            raise CollateError(
                f"item 0 of the batch has {what[:-1]} {values[0]} but item {j} has {values[j]}; "
                f"a batch needs one: {fix}"
            )


def AudioBlock(  # noqa: N802  (fastaudio's name: a block reads like a class)
    sample_rate: int | None = None,
    force_mono: bool = True,
    crop_signal_to: float | None = None,
    pad_mode: AudioPadType | str = AudioPadType.Zeros,
) -> TransformBlock:
    """Sound files as `TensorAudio`: resampled, mixed to mono, cropped to `crop_signal_to` ms.

    Without `crop_signal_to`, each batch is padded to its longest signal (`pad_audio`), the true
    lengths kept as the batch's `lengths`. Spectrograms come from batch transforms (`AudioToSpec`).

    Args:
        sample_rate: resample every file to this rate (soxr); None keeps the files' rates, which
            must then agree.
        force_mono: average the channels into one.
        crop_signal_to: crop or pad every signal to this many milliseconds (random placement while
            training, centred otherwise).
        pad_mode: how `crop_signal_to` pads (`AudioPadType`).

    Examples:
        >>> [type(t).__name__ for t in AudioBlock(sample_rate=16000, crop_signal_to=1000).item_tfms]
        ['Resample', 'DownmixMono', 'ResizeSignal']
    """
    item_tfms: list[Any] = []
    if sample_rate is not None:
        item_tfms.append(Resample(sample_rate))
    if force_mono:
        item_tfms.append(DownmixMono())
    if crop_signal_to is not None:
        item_tfms.append(ResizeSignal(crop_signal_to, pad_mode))
    return TransformBlock(
        type_tfms=TensorAudio.create, item_tfms=item_tfms, dls_kwargs={"before_batch": pad_audio}
    )
