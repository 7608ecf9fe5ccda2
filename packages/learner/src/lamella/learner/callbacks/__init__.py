"""The callbacks that make training features, one per module.

Examples:
    >>> from lamella.learner.callbacks import Recorder
    >>> Recorder().name
    'recorder'
"""

from .bn_freeze import BnFreeze as BnFreeze
from .channels_last import ChannelsLast as ChannelsLast
from .checkpoint import CheckpointCallback as CheckpointCallback
from .gather import GatherPredsCallback as GatherPredsCallback
from .gradient_accumulation import GradientAccumulation as GradientAccumulation
from .gradient_clip import GradientClip as GradientClip
from .loggers import CSVLogger as CSVLogger
from .loggers import TensorBoardCallback as TensorBoardCallback
from .lr_finder import LRFinder as LRFinder
from .mixed_precision import MixedPrecision as MixedPrecision
from .mixup import CutMix as CutMix
from .mixup import MixUp as MixUp
from .nan import TerminateOnNaNCallback as TerminateOnNaNCallback
from .progress import ProgressCallback as ProgressCallback
from .recorder import Recorder as Recorder
from .schedule import ParamScheduler as ParamScheduler
from .short_epoch import ShortEpochCallback as ShortEpochCallback
from .show_graph import ShowGraphCallback as ShowGraphCallback
from .tracker import EarlyStoppingCallback as EarlyStoppingCallback
from .tracker import ReduceLROnPlateau as ReduceLROnPlateau
from .tracker import SaveModelCallback as SaveModelCallback
from .tracker import TrackerCallback as TrackerCallback
from .train_eval import TrainEvalCallback as TrainEvalCallback

__all__ = [
    "BnFreeze",
    "CSVLogger",
    "ChannelsLast",
    "CheckpointCallback",
    "CutMix",
    "EarlyStoppingCallback",
    "GatherPredsCallback",
    "GradientAccumulation",
    "GradientClip",
    "LRFinder",
    "MixUp",
    "MixedPrecision",
    "ParamScheduler",
    "ProgressCallback",
    "Recorder",
    "ReduceLROnPlateau",
    "SaveModelCallback",
    "ShortEpochCallback",
    "ShowGraphCallback",
    "TensorBoardCallback",
    "TerminateOnNaNCallback",
    "TrackerCallback",
    "TrainEvalCallback",
]
