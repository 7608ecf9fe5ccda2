"""Everything a notebook needs for tables, in one star import: `from lamella.tabular.all import *`.

The one place star exports are allowed (DESIGN.md); library code imports names explicitly.
lamella.data's `Normalize` stays the exported `Normalize`: in `procs` it means `NormalizeTab`.

Examples:
    >>> from lamella.tabular.all import *  # noqa: F403
    >>> tabular_learner.__name__
    'tabular_learner'
"""

from lamella.data import *  # noqa: F403
from lamella.learner import *  # noqa: F403
from lamella.optim import *  # noqa: F403
from lamella.tabular import *  # noqa: F403
from lamella.transforms import *  # noqa: F403
from lamella.typedtensor import *  # noqa: F403

__all__ = [name for name in dir() if not name.startswith("_")]
