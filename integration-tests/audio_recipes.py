"""Loaders the audio quality tests share: fsdd_subset, FSDD's official split, cropped to 1 s."""

from typing import Any

from e2e_getters import fsdd_is_test

import lamella.samples
from lamella.audio import AudioBlock, get_audio_files
from lamella.data import CategoryBlock, DataBlock, FuncSplitter, RegexLabeller

DIGIT, SPEAKER = r"(\d)_\w+_\d+\.wav$", r"\d_([a-z]+)_\d+\.wav$"


def fsdd_loaders(label: str, batch_tfms: Any, bs: int, seed: int) -> Any:
    """`DataLoaders` of the 300 training and 300 test recordings at 8 kHz, labelled by the regex `label`."""
    return DataBlock(
        blocks=(AudioBlock(sample_rate=8000, crop_signal_to=1000), CategoryBlock),
        get_items=get_audio_files,
        get_y=RegexLabeller(label),
        splitter=FuncSplitter(fsdd_is_test),
        batch_tfms=batch_tfms,
    ).dataloaders(lamella.samples.path("fsdd_subset"), bs=bs, device="cpu", seed=seed)
