"""Everything a notebook needs for audio, in one star import: `from lamella.audio.all import *`.

Examples:
    >>> from lamella.audio.all import *  # noqa: F403
    >>> audio_learner.__name__, vision_learner.__name__, AudioToSpec.__name__
    ('audio_learner', 'vision_learner', 'AudioToSpec')

It brings everything `lamella.vision.all` brings.
"""

from lamella.audio import *  # noqa: F403
from lamella.vision.all import *  # noqa: F403

__all__ = [name for name in dir() if not name.startswith("_")]
