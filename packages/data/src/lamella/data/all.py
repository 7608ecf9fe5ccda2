"""Everything a notebook needs for the data layer, in one star import: `from lamella.data.all import *`.

The one place star exports are allowed (docs/design.md); library code imports names explicitly.
Besides every public name of typedtensor, transforms and data, it brings what fastai's `all`
modules bring from the standard library, torch and numpy: `torch`, `nn`, `F`, `Tensor`, `np`,
`math`, `random`, `Path`, `partial`, `attrgetter`, `itemgetter`. (pandas, matplotlib and Pillow
come with the application layers that depend on them.)

Examples:
    >>> from lamella.data.all import *  # noqa: F403
    >>> DataBlock.__name__, np.__name__, F.__name__
    ('DataBlock', 'numpy', 'torch.nn.functional')
"""

import math  # noqa: F401
import random  # noqa: F401
from functools import partial  # noqa: F401
from operator import attrgetter, itemgetter  # noqa: F401
from pathlib import Path  # noqa: F401

import numpy as np  # noqa: F401
import torch  # noqa: F401
import torch.nn.functional as F  # noqa: F401, N812  (the name every notebook uses)
from torch import Tensor, nn  # noqa: F401

from lamella.data import *  # noqa: F403
from lamella.data.augment import *  # noqa: F403
from lamella.transforms import *  # noqa: F403
from lamella.typedtensor import *  # noqa: F403

__all__ = [name for name in dir() if not name.startswith("_")]
