"""Run the docstring examples of installed lamella layers, importing each module by its real name.

`pytest --pyargs --doctest-modules` names modules in a site-packages namespace package by their
file path (`typedtensor.convert`), which imports them a second time under a different name; this
walks `lamella.<layer>` with pkgutil instead. Used by tools/check_foundation.

Usage: python tools/run_doctests.py typedtensor transforms data
"""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from doctest_namespace import namespace  # noqa: E402  (beside this script)

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
#: Examples that draw: run with matplotlib's Agg backend, skipped where matplotlib is not installed.
NEEDS_MATPLOTLIB = doctest.register_optionflag("NEEDS_MATPLOTLIB")
os.environ.setdefault("MPLBACKEND", "Agg")
try:
    import matplotlib  # noqa: F401

    HAS_MATPLOTLIB = True
except ImportError:
    HAS_MATPLOTLIB = False


def run(layer: str) -> tuple[int, int]:
    top = importlib.import_module(f"lamella.{layer}")
    names = [top.__name__] + [m.name for m in pkgutil.walk_packages(top.__path__, f"{top.__name__}.")]
    failed = attempted = 0
    for name in names:
        module = importlib.import_module(name)
        finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner(optionflags=FLAGS)
        res = doctest.TestResults(0, 0)
        for test in finder.find(module):
            # fresh `learn`/`dls` per docstring, as under pytest
            test.globs.update(namespace(layer, name.rsplit(".", 1)[-1]))
            if not HAS_MATPLOTLIB:
                for ex in test.examples:
                    if ex.options.get(NEEDS_MATPLOTLIB):
                        ex.options[doctest.SKIP] = True
            r = runner.run(test)
            res = doctest.TestResults(res.failed + r.failed, res.attempted + r.attempted)
        failed, attempted = failed + res.failed, attempted + res.attempted
    return failed, attempted


if __name__ == "__main__":
    total_failed = total = 0
    for layer in sys.argv[1:]:
        failed, attempted = run(layer)
        print(f"doctests lamella.{layer}: {attempted - failed} passed, {failed} failed")
        total_failed, total = total_failed + failed, total + attempted
    print(f"{total - total_failed} passed, {total_failed} failed")
    sys.exit(1 if total_failed or not total else 0)
