"""Everything a notebook needs for vision, in one star import: `from lamella.vision.all import *`.

The one place star exports are allowed (docs/design.md); library code imports names explicitly.

Examples:
    >>> from lamella.vision.all import *  # noqa: F403
    >>> vision_learner.__name__, pd.__name__, Path.__name__
    ('vision_learner', 'pandas', 'Path')

It also brings `pd`, `plt` and `Image`, and everything `lamella.data.all` brings.
"""

import matplotlib.pyplot as plt  # noqa: F401
import pandas as pd  # noqa: F401
from PIL import Image  # noqa: F401

from lamella.data.all import *  # noqa: F403
from lamella.learner import *  # noqa: F403
from lamella.optim import *  # noqa: F403
from lamella.vision import *  # noqa: F403

#: Pillow's filters under fastai's names.
BILINEAR, NEAREST = Image.Resampling.BILINEAR, Image.Resampling.NEAREST

__all__ = [name for name in dir() if not name.startswith("_")]
