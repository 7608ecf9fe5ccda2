"""Where each sample dataset lives: in the package, or (for those not shippable) outside it."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["NOT_SHIPPED", "SampleNotAvailable", "available", "names", "path"]

_DATA = Path(__file__).parent / "data"

#: Datasets lamella's tests use but may not ship, with the reason.
NOT_SHIPPED: dict[str, str] = {
    "ml_100k": "GroupLens forbids redistributing MovieLens",
    "camvid_tiny": "CamVid has no clear licence",
    "imdb_sample": "the IMDB reviews carry no explicit licence",
}


class SampleNotAvailable(FileNotFoundError):
    """A known dataset that is neither shipped nor found outside the package.

    Examples:
        >>> issubclass(SampleNotAvailable, FileNotFoundError)
        True
    """


def names() -> list[str]:
    """The names of the datasets shipped inside this package, sorted.

    Examples:
        >>> "mnist_tiny" in names()
        True
    """
    return sorted(p.name for p in _DATA.iterdir() if p.is_dir() and (p / "README.md").exists())


def _outside(name: str) -> Path | None:
    # Only the environment variable: an installed package must not depend on the caller's directory.
    env = os.environ.get("LAMELLA_SHARED_DATA")
    return Path(env) / name if env and (Path(env) / name).is_dir() else None


def available(name: str) -> bool:
    """Whether `path(name)` finds the dataset: shipped, or a not-shipped one found outside the package.

    Examples:
        >>> available("mnist_tiny"), available("no_such_data")
        (True, False)
    """
    return (_DATA / name).is_dir() or (name in NOT_SHIPPED and _outside(name) is not None)


def path(name: str) -> Path:
    """The folder of the sample dataset `name`.

    Args:
        name: a name from `names()`, or one of `NOT_SHIPPED` (looked up outside the package).

    Raises:
        SampleNotAvailable: `name` is known but not shipped, and no copy was found.
        KeyError: `name` is not a sample dataset; the message lists the ones that are.

    Examples:
        >>> path("adult_sample").name
        'adult_sample'
    """
    shipped = _DATA / name
    if shipped.is_dir():
        return shipped
    if name in NOT_SHIPPED:
        found = _outside(name)
        if found is not None:
            return found
        raise SampleNotAvailable(
            f"'{name}' is not shipped in lamella-samples ({NOT_SHIPPED[name]}). Put a copy in a folder "
            f"and point the environment variable LAMELLA_SHARED_DATA at that folder."
        )
    raise KeyError(
        f"no sample dataset named '{name}'; shipped: {names()}; outside the package: {sorted(NOT_SHIPPED)}"
    )
