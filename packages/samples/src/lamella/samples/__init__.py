"""lamella.samples: small real datasets, shipped as package data, for tests and examples.

`path(name)` gives the folder of a dataset; `names()` lists the shipped ones. Each folder holds
a `README.md` with the data's origin and licence. Datasets whose licence forbids shipping
(`ml_100k`, `camvid_tiny`, `imdb_sample`) are found outside the package, in the folder named by
the `LAMELLA_SHARED_DATA` environment variable; `path` raises `SampleNotAvailable` (a
`FileNotFoundError`) saying why when absent, and `available(name)` says whether it will find one.
No dependencies.

Examples:
    >>> import lamella.samples
    >>> (lamella.samples.path("mnist_tiny") / "labels.csv").exists()
    True
"""

from .registry import NOT_SHIPPED as NOT_SHIPPED
from .registry import SampleNotAvailable as SampleNotAvailable
from .registry import available as available
from .registry import names as names
from .registry import path as path

__all__ = ["NOT_SHIPPED", "SampleNotAvailable", "available", "names", "path"]
