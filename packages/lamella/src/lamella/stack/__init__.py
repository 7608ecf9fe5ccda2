"""lamella.stack: what the `lamella` meta-package installed.

`pip install lamella` brings every layer; this module tells which versions are present, for
bug reports (as `pandas.show_versions()` does).

Examples:
    >>> from lamella.stack import LAYERS, versions
    >>> sorted(versions()) == sorted(LAYERS)
    True
"""

from __future__ import annotations

import importlib.metadata

__all__ = ["LAYERS", "show_versions", "versions"]

#: Every distribution of the stack, bottom layer first.
LAYERS = (
    "lamella-typedtensor",
    "lamella-transforms",
    "lamella-data",
    "lamella-optim",
    "lamella-learner",
    "lamella-vision",
    "lamella-text",
    "lamella-tabular",
    "lamella-collab",
    "lamella-medical",
    "lamella-audio",
    "lamella-samples",
)


def versions() -> dict[str, str | None]:
    """The installed version of each layer (None for one that is missing).

    Examples:
        >>> versions()["lamella-typedtensor"]
        '0.1.0'
    """
    found: dict[str, str | None] = {}
    for name in LAYERS:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    return found


def show_versions() -> None:
    """Print the version of each layer, of torch and of Python, one per line.

    Examples:
        >>> show_versions()  # doctest: +ELLIPSIS
        lamella-typedtensor ...
    """
    import platform

    rows = {**versions(), "torch": _version("torch"), "python": platform.python_version()}
    for name, version in rows.items():
        print(f"{name:<22}{version or 'not installed'}")


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None
