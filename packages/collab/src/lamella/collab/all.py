"""Everything a notebook needs for recommendations, in one star import: `from lamella.collab.all import *`.

The one place star exports are allowed (docs/design.md); library code imports names explicitly.

Examples:
    >>> from lamella.collab.all import *  # noqa: F403
    >>> collab_learner.__name__
    'collab_learner'
"""

from lamella.collab import *  # noqa: F403
from lamella.tabular.all import *  # noqa: F403

__all__ = [name for name in dir() if not name.startswith("_")]
