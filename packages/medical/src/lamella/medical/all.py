"""Everything a notebook needs for medical imaging, in one star import: `from lamella.medical.all import *`.

Examples:
    >>> from lamella.medical.all import *  # noqa: F403
    >>> dcmread.__name__, vision_learner.__name__, DataBlock.__name__
    ('dcmread', 'vision_learner', 'DataBlock')

It brings everything `lamella.vision.all` brings.
"""

from lamella.medical import *  # noqa: F403
from lamella.vision.all import *  # noqa: F403

__all__ = [name for name in dir() if not name.startswith("_")]
