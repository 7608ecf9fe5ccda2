"""lamella.learner: a training loop that callbacks can change.

`Learner` runs the loop (`fit`, `fit_one_cycle`, `fine_tune`, `validate`, `get_preds`,
`predict`) with an event between every step; callbacks (`Recorder`, `ProgressCallback`,
`ParamScheduler`, `TerminateOnNaNCallback`...) read and change the learner at those events.
Also here: losses that flatten and decode, and metrics that are exact across batches.
Depends on lamella-data and lamella-optim.

Examples:
    >>> from lamella.learner import Learner, accuracy, CrossEntropyLossFlat
    >>> CrossEntropyLossFlat().decodes(torch.tensor([[0.2, 0.8]]))
    tensor([1])
"""

import torch  # noqa: F401  (the example uses it)

from .bars import master_bar as master_bar
from .bars import progress_bar as progress_bar
from .callback import Callback as Callback
from .callback import CallbackError as CallbackError
from .callbacks import BnFreeze as BnFreeze
from .callbacks import ChannelsLast as ChannelsLast
from .callbacks import CheckpointCallback as CheckpointCallback
from .callbacks import CSVLogger as CSVLogger
from .callbacks import CutMix as CutMix
from .callbacks import EarlyStoppingCallback as EarlyStoppingCallback
from .callbacks import GatherPredsCallback as GatherPredsCallback
from .callbacks import GradientAccumulation as GradientAccumulation
from .callbacks import GradientClip as GradientClip
from .callbacks import LRFinder as LRFinder
from .callbacks import MixedPrecision as MixedPrecision
from .callbacks import MixUp as MixUp
from .callbacks import ParamScheduler as ParamScheduler
from .callbacks import ProgressCallback as ProgressCallback
from .callbacks import Recorder as Recorder
from .callbacks import ReduceLROnPlateau as ReduceLROnPlateau
from .callbacks import SaveModelCallback as SaveModelCallback
from .callbacks import ShortEpochCallback as ShortEpochCallback
from .callbacks import ShowGraphCallback as ShowGraphCallback
from .callbacks import TensorBoardCallback as TensorBoardCallback
from .callbacks import TerminateOnNaNCallback as TerminateOnNaNCallback
from .callbacks import TrackerCallback as TrackerCallback
from .callbacks import TrainEvalCallback as TrainEvalCallback
from .callbacks.lr_finder import SuggestedLRs as SuggestedLRs
from .callbacks.lr_finder import minimum as minimum
from .callbacks.lr_finder import slide as slide
from .callbacks.lr_finder import steep as steep
from .callbacks.lr_finder import valley as valley
from .distributed import DistributedTrainer as DistributedTrainer
from .distributed import distrib_barrier as distrib_barrier
from .distributed import rank_distrib as rank_distrib
from .events import EVENTS as EVENTS
from .events import CancelBackwardException as CancelBackwardException
from .events import CancelBatchException as CancelBatchException
from .events import CancelEpochException as CancelEpochException
from .events import CancelFitException as CancelFitException
from .events import CancelStepException as CancelStepException
from .events import CancelTrainException as CancelTrainException
from .events import CancelValidException as CancelValidException
from .hooks import ActivationStats as ActivationStats
from .hooks import Hook as Hook
from .hooks import Hooks as Hooks
from .hooks import hook_output as hook_output
from .hooks import hook_outputs as hook_outputs
from .hooks import model_sizes as model_sizes
from .interpret import ClassificationInterpretation as ClassificationInterpretation
from .interpret import Interpretation as Interpretation
from .interpret import SegmentationInterpretation as SegmentationInterpretation
from .layers import Flatten as Flatten
from .layers import Identity as Identity
from .layers import Lambda as Lambda
from .layers import LinBnDrop as LinBnDrop
from .layers import Mish as Mish
from .layers import Module as Module
from .layers import NormType as NormType
from .layers import SigmoidRange as SigmoidRange
from .layers import Swish as Swish
from .layers import TimeDistributed as TimeDistributed
from .layers import apply_init as apply_init
from .layers import params as params
from .layers import sequential as sequential
from .layers import sigmoid_range as sigmoid_range
from .learner import Learner as Learner
from .learner import load_learner as load_learner
from .learner import trainable_params as trainable_params
from .losses import BaseLoss as BaseLoss
from .losses import BaseLoss as FlattenedLoss
from .losses import BCELossFlat as BCELossFlat
from .losses import BCEWithLogitsLossFlat as BCEWithLogitsLossFlat
from .losses import CrossEntropyLossFlat as CrossEntropyLossFlat
from .losses import DiceLoss as DiceLoss
from .losses import FocalLoss as FocalLoss
from .losses import FocalLossFlat as FocalLossFlat
from .losses import L1LossFlat as L1LossFlat
from .losses import LabelSmoothingCrossEntropy as LabelSmoothingCrossEntropy
from .losses import LabelSmoothingCrossEntropyFlat as LabelSmoothingCrossEntropyFlat
from .losses import MSELossFlat as MSELossFlat
from .metrics import AccumMetric as AccumMetric
from .metrics import AvgLoss as AvgLoss
from .metrics import AvgMetric as AvgMetric
from .metrics import AvgSmoothLoss as AvgSmoothLoss
from .metrics import Metric as Metric
from .metrics import MetricError as MetricError
from .metrics import ValueMetric as ValueMetric
from .metrics import accuracy as accuracy
from .metrics import accuracy_multi as accuracy_multi
from .metrics import error_rate as error_rate
from .metrics import skm_to_fastai as skm_to_fastai
from .metrics import top_k_accuracy as top_k_accuracy
from .persist import CheckpointError as CheckpointError
from .persist import check_fits as check_fits
from .persist import load_checkpoint as load_checkpoint
from .persist import save_atomic as save_atomic
from .persist import save_checkpoint as save_checkpoint
from .registry import ArchRegistry as ArchRegistry
from .scores import BalancedAccuracy as BalancedAccuracy
from .scores import Dice as Dice
from .scores import DiceMulti as DiceMulti
from .scores import ExplainedVariance as ExplainedVariance
from .scores import F1Score as F1Score
from .scores import F1ScoreMulti as F1ScoreMulti
from .scores import JaccardCoeff as JaccardCoeff
from .scores import MatthewsCorrCoef as MatthewsCorrCoef
from .scores import Perplexity as Perplexity
from .scores import Precision as Precision
from .scores import R2Score as R2Score
from .scores import Recall as Recall
from .scores import RocAuc as RocAuc
from .scores import RocAucBinary as RocAucBinary
from .scores import foreground_acc as foreground_acc
from .scores import mae as mae
from .scores import mse as mse
from .scores import msle as msle
from .scores import rmse as rmse

__all__ = [
    "AccumMetric",
    "ActivationStats",
    "AvgLoss",
    "AvgMetric",
    "AvgSmoothLoss",
    "BCEWithLogitsLossFlat",
    "BalancedAccuracy",
    "BaseLoss",
    "BnFreeze",
    "CSVLogger",
    "Callback",
    "CallbackError",
    "CancelBackwardException",
    "CancelBatchException",
    "CancelEpochException",
    "CancelFitException",
    "CancelStepException",
    "CancelTrainException",
    "CancelValidException",
    "ChannelsLast",
    "CheckpointCallback",
    "CheckpointError",
    "ClassificationInterpretation",
    "CrossEntropyLossFlat",
    "CutMix",
    "Dice",
    "DiceLoss",
    "DiceMulti",
    "DistributedTrainer",
    "EVENTS",
    "EarlyStoppingCallback",
    "ExplainedVariance",
    "F1Score",
    "F1ScoreMulti",
    "Flatten",
    "Identity",
    "Lambda",
    "FlattenedLoss",
    "FocalLossFlat",
    "GatherPredsCallback",
    "GradientAccumulation",
    "GradientClip",
    "Hook",
    "Hooks",
    "Interpretation",
    "JaccardCoeff",
    "L1LossFlat",
    "LRFinder",
    "LabelSmoothingCrossEntropy",
    "LabelSmoothingCrossEntropyFlat",
    "Learner",
    "LinBnDrop",
    "MSELossFlat",
    "MatthewsCorrCoef",
    "Metric",
    "MetricError",
    "MixUp",
    "MixedPrecision",
    "Module",
    "NormType",
    "ParamScheduler",
    "Perplexity",
    "Precision",
    "ProgressCallback",
    "R2Score",
    "Recall",
    "Recorder",
    "ReduceLROnPlateau",
    "RocAuc",
    "RocAucBinary",
    "SaveModelCallback",
    "SegmentationInterpretation",
    "ShortEpochCallback",
    "ShowGraphCallback",
    "SigmoidRange",
    "SuggestedLRs",
    "TensorBoardCallback",
    "TerminateOnNaNCallback",
    "TrackerCallback",
    "TrainEvalCallback",
    "ValueMetric",
    "accuracy",
    "accuracy_multi",
    "distrib_barrier",
    "error_rate",
    "foreground_acc",
    "hook_output",
    "hook_outputs",
    "load_learner",
    "mae",
    "minimum",
    "model_sizes",
    "mse",
    "msle",
    "master_bar",
    "params",
    "progress_bar",
    "sequential",
    "rank_distrib",
    "rmse",
    "sigmoid_range",
    "skm_to_fastai",
    "slide",
    "steep",
    "top_k_accuracy",
    "trainable_params",
    "valley",
    "Mish",
    "Swish",
    "TimeDistributed",
    "BCELossFlat",
    "FocalLoss",
    "apply_init",
    "ArchRegistry",
]
