"""Run a docs page's code blocks top to bottom, as a reader does, and hand back what they defined.

A tutorial that trains a recipe is the one place that recipe trains in a run of the suite: the quality
test runs the page and checks its result (with its margin measured by tools/check_margins), and the
root conftest.py leaves the page out of the docs items it collects (`PAGES_RUN_BY_TESTS`), so a
tutorial and a test never train the same thing twice.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from unittest import SkipTest

ROOT = Path(__file__).resolve().parent.parent


def run_page(page: str, workdir: Path, seed: int = 0) -> dict[str, Any]:
    """Evaluate every code block of `page` (relative to the checkout) in `workdir`; the page's namespace.

    `seed` is added to the page's own `set_seed(...)` calls, so tools/check_margins can vary it.
    """
    from sybil import Sybil
    from sybil.example import NotEvaluated
    from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

    document = Sybil(parsers=[SkipParser(), PythonCodeBlockParser()]).parse(ROOT / page)
    cwd = os.getcwd()
    os.chdir(workdir)
    try:
        for example in document:
            try:
                example.evaluate()
            except (SkipTest, NotEvaluated):
                continue
            _offset_set_seed(document.namespace, seed)
    finally:
        os.chdir(cwd)
    return document.namespace


def _offset_set_seed(namespace: dict[str, Any], offset: int) -> None:
    set_seed = namespace.get("set_seed")
    if offset and set_seed is not None and not getattr(set_seed, "offset", False):

        def shifted(seed: int, *args: Any, **kwargs: Any) -> None:
            set_seed(seed + offset, *args, **kwargs)

        shifted.offset = True  # type: ignore[attr-defined]
        namespace["set_seed"] = shifted
