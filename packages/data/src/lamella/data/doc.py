"""`doc(f)`: a name's signature, the summary of its docstring, and its page in lamella's docs.

fastai's `doc` shows the same three things in a notebook; here they are printed, so the call works
in a terminal, a script and a notebook alike.

Examples:
    >>> from lamella.data import DataBlock
    >>> doc(DataBlock.dataloaders)  # doctest: +ELLIPSIS
    DataBlock.dataloaders(self, source: Any, path: Any = '.', bs: int = 64, ...) -> ...
    DataLoaders for the source: a shuffled training loader and a validation loader.
    https://lamella-dl.github.io/lamella/packages/data/
"""

from __future__ import annotations

import inspect
from typing import Any

__all__ = ["DOCS_URL", "doc", "doc_link"]

#: Where lamella's documentation is published (mkdocs.yml's `site_url`).
DOCS_URL = "https://lamella-dl.github.io/lamella"


def doc_link(elt: Any) -> str | None:
    """The docs page of the lamella package that defines `elt`; None for names from elsewhere.

    Examples:
        >>> from lamella.data import DataBlock
        >>> doc_link(DataBlock)
        'https://lamella-dl.github.io/lamella/packages/data/'
        >>> doc_link(len) is None
        True
    """
    module = getattr(inspect.unwrap(elt), "__module__", None) or type(elt).__module__
    parts = str(module).split(".")
    if len(parts) < 2 or parts[0] != "lamella":
        return None
    return f"{DOCS_URL}/packages/{parts[1]}/"


def _signature(elt: Any) -> str:
    try:
        return str(inspect.signature(elt, eval_str=True))
    except (NameError, TypeError, ValueError):  # an annotation that only a type checker resolves
        pass
    try:
        return str(inspect.signature(elt))
    except (TypeError, ValueError):  # builtins and some C functions have none
        return "(...)" if callable(elt) else ""


def doc(elt: Any) -> None:
    """Print `elt`'s signature, the first paragraph of its docstring and its docs page (fastai's `doc`).

    Examples:
        >>> doc(doc_link)
        doc_link(elt: Any) -> str | None
        The docs page of the lamella package that defines `elt`; None for names from elsewhere.
        https://lamella-dl.github.io/lamella/packages/data/
    """
    name = getattr(elt, "__qualname__", None) or getattr(elt, "__name__", None) or type(elt).__name__
    signature = _signature(elt)
    docstring = inspect.getdoc(elt) or "(no docstring)"
    summary = docstring.split("\n\n")[0]
    print(f"{name}{signature}")
    print(summary)
    link = doc_link(elt)
    module = getattr(elt, "__module__", None)
    print(link if link is not None else f"(from {module}, not lamella)" if module else "(not from lamella)")
