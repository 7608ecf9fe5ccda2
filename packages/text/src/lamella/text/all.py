"""Everything a notebook needs for text, in one star import: `from lamella.text.all import *`.

Examples:
    >>> from lamella.text.all import *  # noqa: F403
    >>> tokenize_df.__name__, Learner.__name__, pd.__name__
    ('tokenize_df', 'Learner', 'pandas')

It also brings `pd` and everything `lamella.data.all` brings.
"""

import pandas as pd  # noqa: F401

from lamella.data.all import *  # noqa: F403
from lamella.learner import *  # noqa: F403
from lamella.optim import *  # noqa: F403
from lamella.text import *  # noqa: F403

__all__ = [name for name in dir() if not name.startswith("_")]
