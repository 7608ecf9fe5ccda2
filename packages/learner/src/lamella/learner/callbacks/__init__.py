"""The callbacks that make training features, one per module.

Examples:
    >>> from lamella.learner.callbacks import Recorder
    >>> Recorder().name
    'recorder'
"""

from .gather import GatherPredsCallback as GatherPredsCallback
from .nan import TerminateOnNaNCallback as TerminateOnNaNCallback
from .progress import ProgressCallback as ProgressCallback
from .recorder import Recorder as Recorder
from .schedule import ParamScheduler as ParamScheduler
from .train_eval import TrainEvalCallback as TrainEvalCallback

__all__ = [
    "GatherPredsCallback",
    "ParamScheduler",
    "ProgressCallback",
    "Recorder",
    "TerminateOnNaNCallback",
    "TrainEvalCallback",
]
