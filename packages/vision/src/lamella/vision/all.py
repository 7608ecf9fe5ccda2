"""Everything a notebook needs for vision, in one star import: `from lamella.vision.all import *`.

The one place star exports are allowed (DESIGN.md); library code imports names explicitly.

Examples:
    >>> from lamella.vision.all import *  # noqa: F403
    >>> vision_learner.__name__
    'vision_learner'
"""

from lamella.data import *  # noqa: F403
from lamella.data.augment import *  # noqa: F403
from lamella.learner import *  # noqa: F403
from lamella.optim import *  # noqa: F403
from lamella.transforms import *  # noqa: F403
from lamella.typedtensor import *  # noqa: F403
from lamella.vision import *  # noqa: F403

__all__ = [name for name in dir() if not name.startswith("_")]
