"""lamella.audio: audio classification, spectrograms computed on the batch's device.

Signals are `TensorAudio` (channels x samples, with their sample rate `sr`), read by soundfile
(WAV, FLAC, OGG, MP3...), resampled by soxr. `AudioBlock` feeds them to a `DataBlock`;
`AudioToSpec` / `AudioToMFCC` turn batches into `TensorSpec` spectrograms on their device (the
same numbers as librosa); signal and SpecAugment transforms augment each item of a batch; and
`audio_learner` trains a vision model on them. Names follow fastaudio, the community package.

Examples:
    >>> import lamella.samples
    >>> from lamella.audio import AudioToSpec, TensorAudio
    >>> sig = TensorAudio.create(lamella.samples.path("fsdd_subset") / "recordings/7_theo_3.wav")
    >>> sg = AudioToSpec(n_fft=256, n_mels=32)(sig)
    >>> type(sg).__name__, sg.shape[:2]
    ('TensorSpec', torch.Size([1, 32]))
"""

from .augment import AddNoise as AddNoise
from .augment import ChangeVolume as ChangeVolume
from .augment import DownmixMono as DownmixMono
from .augment import NoiseColor as NoiseColor
from .augment import RemoveSilence as RemoveSilence
from .augment import RemoveType as RemoveType
from .augment import Resample as Resample
from .augment import ResizeSignal as ResizeSignal
from .augment import SignalCutout as SignalCutout
from .augment import SignalLoss as SignalLoss
from .augment import SignalShifter as SignalShifter
from .batching import AudioPadType as AudioPadType
from .core import AudioGetter as AudioGetter
from .core import AudioReadError as AudioReadError
from .core import AudioSpectrogram as AudioSpectrogram
from .core import AudioTensor as AudioTensor
from .core import TensorAudio as TensorAudio
from .core import TensorSpec as TensorSpec
from .core import audio_extensions as audio_extensions
from .core import get_audio_files as get_audio_files
from .core import load_audio as load_audio
from .data import AudioBlock as AudioBlock
from .data import pad_audio as pad_audio
from .learner import audio_learner as audio_learner
from .spec_augment import CropTime as CropTime
from .spec_augment import Delta as Delta
from .spec_augment import MaskFreq as MaskFreq
from .spec_augment import MaskTime as MaskTime
from .spec_augment import SGRoll as SGRoll
from .spec_augment import TfmResize as TfmResize
from .spectrogram import AudioConfig as AudioConfig
from .spectrogram import AudioToMFCC as AudioToMFCC
from .spectrogram import AudioToSpec as AudioToSpec
from .spectrogram import SpectrogramWarning as SpectrogramWarning

__all__ = [
    "AddNoise",
    "AudioBlock",
    "AudioConfig",
    "AudioGetter",
    "AudioPadType",
    "AudioSpectrogram",
    "AudioTensor",
    "AudioReadError",
    "AudioToMFCC",
    "AudioToSpec",
    "ChangeVolume",
    "CropTime",
    "Delta",
    "DownmixMono",
    "MaskFreq",
    "MaskTime",
    "NoiseColor",
    "RemoveSilence",
    "RemoveType",
    "Resample",
    "ResizeSignal",
    "SGRoll",
    "SignalCutout",
    "SignalLoss",
    "SignalShifter",
    "SpectrogramWarning",
    "TensorAudio",
    "TensorSpec",
    "TfmResize",
    "audio_extensions",
    "audio_learner",
    "get_audio_files",
    "load_audio",
    "pad_audio",
]
