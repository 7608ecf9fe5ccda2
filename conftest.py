"""Test-suite configuration for the whole repository.

The datasets lamella may not ship (MovieLens, CamVid, IMDB) live in the checkout's `shared/data`;
`lamella.samples.path` finds them only through `LAMELLA_SHARED_DATA`, so the suite points it there.
"""

import os
from pathlib import Path

_root = Path(__file__).resolve().parent
_shared = next(
    (p / "shared" / "data" for p in (_root, *_root.parents) if (p / "shared" / "data").is_dir()), None
)
if _shared is not None:
    os.environ.setdefault("LAMELLA_SHARED_DATA", str(_shared))
