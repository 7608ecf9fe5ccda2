"""`audio_learner`: a vision learner whose first layer takes the spectrogram's channels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from torch import nn

from lamella.learner import Learner
from lamella.vision import vision_learner
from lamella.vision.models import resnet18

__all__ = ["audio_learner"]


def audio_learner(
    dls: Any,
    arch: Callable[..., nn.Module] = resnet18,
    n_in: int | None = None,
    pretrained: bool = False,
    **kwargs: Any,
) -> Learner:
    r"""`vision_learner` for spectrogram batches: `n_in` read from a batch, no pretrained weights by default.

    Spectrograms are not photos and usually have one channel, so the network starts from scratch
    unless `pretrained=True` (ImageNet weights, the first layer summed to `n_in` channels).

    Examples:
        >>> import lamella.samples
        >>> from lamella.data import CategoryBlock, DataBlock, RegexLabeller
        >>> from lamella.audio import AudioBlock, AudioToSpec, get_audio_files
        >>> dls = DataBlock(blocks=(AudioBlock(crop_signal_to=1000), CategoryBlock),
        ...                 get_items=get_audio_files, get_y=RegexLabeller(r"(\d)_\w+_\d+\.wav$"),
        ...                 batch_tfms=AudioToSpec(n_fft=256, hop_length=64, n_mels=32),
        ...                 ).dataloaders(lamella.samples.path("fsdd_subset"), bs=8, device="cpu")
        >>> audio_learner(dls).model[0][0].in_channels
        1
    """
    if n_in is None:
        x = dls.one_batch()[0]
        if x.ndim != 4:
            raise ValueError(
                f"audio_learner expects batches of spectrograms (bs x channels x freq x time), got shape "
                f"{tuple(x.shape)}: add AudioToSpec (or AudioToMFCC) to batch_tfms"
            )
        n_in = x.shape[1]
    return vision_learner(dls, arch, n_in=n_in, pretrained=pretrained, **kwargs)
