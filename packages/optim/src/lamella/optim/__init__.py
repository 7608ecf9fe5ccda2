"""lamella.optim: an optimizer made of stats and steppers, as fast as PyTorch's own.

An `Optimizer` is a `torch.optim.Optimizer` whose update is a list of small parts: stats
(`average_grad`, `average_sqr_grad`, `step_stat`) keep running state, steppers (`weight_decay`,
`sgd_step`, `adam_step`, `lamb_step`, `lion_step`...) move the parameters; every part acts on a
whole group of tensors with `torch._foreach_*`. Ready-made: `SGD`, `RMSProp`, `Adam`, `RAdam`,
`QHAdam`, `Larc`, `Lamb`, `Lion`, `Lookahead`, `ranger`, and `OptimWrapper` for any torch optimizer.
Schedules live in `lamella.optim.schedule`. Depends on torch only.

Examples:
    >>> import torch
    >>> from lamella.optim import Adam
    >>> model = torch.nn.Linear(2, 1)
    >>> opt = Adam(model.parameters(), lr=1e-2)
    >>> model(torch.ones(1, 2)).sum().backward(); opt.step(); opt.zero_grad()
"""

from .lookahead import Lookahead as Lookahead
from .lookahead import ranger as ranger
from .optimizer import HyperParams as HyperParams
from .optimizer import Optimizer as Optimizer
from .optimizer import ParamBatch as ParamBatch
from .optimizer import even_mults as even_mults
from .optimizer import with_defaults as with_defaults
from .optimizers import SGD as SGD
from .optimizers import Adam as Adam
from .optimizers import Lamb as Lamb
from .optimizers import Larc as Larc
from .optimizers import Lion as Lion
from .optimizers import QHAdam as QHAdam
from .optimizers import RAdam as RAdam
from .optimizers import RMSProp as RMSProp
from .schedule import SchedCos as SchedCos
from .schedule import SchedExp as SchedExp
from .schedule import SchedLin as SchedLin
from .schedule import SchedNo as SchedNo
from .schedule import SchedPoly as SchedPoly
from .schedule import combine_scheds as combine_scheds
from .schedule import combined_cos as combined_cos
from .stats import average_grad as average_grad
from .stats import average_sqr_grad as average_sqr_grad
from .stats import step_stat as step_stat
from .steppers import adam_step as adam_step
from .steppers import fused_adamw_step as fused_adamw_step
from .steppers import l2_reg as l2_reg
from .steppers import lamb_step as lamb_step
from .steppers import larc_layer_lr as larc_layer_lr
from .steppers import larc_step as larc_step
from .steppers import lion_step as lion_step
from .steppers import momentum_step as momentum_step
from .steppers import qhadam_step as qhadam_step
from .steppers import radam_step as radam_step
from .steppers import rms_prop_step as rms_prop_step
from .steppers import sgd_step as sgd_step
from .steppers import weight_decay as weight_decay
from .wrapper import OptimWrapper as OptimWrapper
from .wrapper import WrappedOptimizer as WrappedOptimizer

__all__ = [
    "Adam",
    "HyperParams",
    "Lamb",
    "Larc",
    "Lion",
    "Lookahead",
    "OptimWrapper",
    "Optimizer",
    "ParamBatch",
    "QHAdam",
    "RAdam",
    "RMSProp",
    "SGD",
    "SchedCos",
    "SchedExp",
    "SchedLin",
    "SchedNo",
    "SchedPoly",
    "WrappedOptimizer",
    "adam_step",
    "average_grad",
    "average_sqr_grad",
    "combine_scheds",
    "combined_cos",
    "even_mults",
    "fused_adamw_step",
    "l2_reg",
    "lamb_step",
    "larc_layer_lr",
    "larc_step",
    "lion_step",
    "momentum_step",
    "qhadam_step",
    "radam_step",
    "ranger",
    "rms_prop_step",
    "sgd_step",
    "step_stat",
    "weight_decay",
    "with_defaults",
]
