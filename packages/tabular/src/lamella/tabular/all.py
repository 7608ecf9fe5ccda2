"""Everything a notebook needs for tables, in one star import: `from lamella.tabular.all import *`.

The one place star exports are allowed (docs/design.md); library code imports names explicitly.
lamella.data's `Normalize` stays the exported `Normalize`: in `procs` it means `NormalizeTab`.

Examples:
    >>> from lamella.tabular.all import *  # noqa: F403
    >>> tabular_learner.__name__, pd.__name__
    ('tabular_learner', 'pandas')

It also brings `pd`, `plt` when matplotlib is installed, and everything `lamella.data.all` brings.
"""

import pandas as pd  # noqa: F401

try:  # plots are optional for tables: matplotlib is not a dependency of lamella-tabular
    import matplotlib.pyplot as plt  # noqa: F401
except ImportError:
    pass

from lamella.data.all import *  # noqa: F403
from lamella.learner import *  # noqa: F403
from lamella.optim import *  # noqa: F403
from lamella.tabular import *  # noqa: F403

__all__ = [name for name in dir() if not name.startswith("_")]
