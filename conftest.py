"""Test-suite configuration for the whole repository.

The datasets lamella may not ship (MovieLens, CamVid, IMDB) live in the checkout's `shared/data`;
`lamella.samples.path` finds them only through `LAMELLA_SHARED_DATA`, so the suite points it there.
"""

import doctest
import os
from pathlib import Path

import pytest

# Docstring examples that draw mark `# doctest: +NEEDS_MATPLOTLIB`: they run here (matplotlib is a test
# dependency, on its Agg backend) and are skipped where it is absent (tools/run_doctests.py).
NEEDS_MATPLOTLIB = doctest.register_optionflag("NEEDS_MATPLOTLIB")
os.environ.setdefault("MPLBACKEND", "Agg")

try:
    from hypothesis import settings
except ImportError:  # the foundation-alone profile runs without hypothesis
    settings = None
if settings is not None:
    # CI replays the same examples on every run (a red CI blocks a landing, so it must not be luck);
    # local runs draw new ones each time and find what CI has not tried.
    settings.register_profile("ci", derandomize=True, print_blob=True)
    if os.environ.get("CI"):
        settings.load_profile("ci")

_root = Path(__file__).resolve().parent
_shared = next(
    (p / "shared" / "data" for p in (_root, *_root.parents) if (p / "shared" / "data").is_dir()), None
)
if _shared is not None:
    os.environ.setdefault("LAMELLA_SHARED_DATA", str(_shared))


@pytest.fixture
def mpl():
    """Matplotlib on its non-interactive backend, every figure closed after the test (skips without it)."""
    mpl = pytest.importorskip("matplotlib", reason="showing needs matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    yield mpl
    plt.close("all")


def _layer_of(path: str) -> str | None:
    parts = Path(path).parts
    return parts[parts.index("lamella") + 1] if "lamella" in parts[:-1] else None


@pytest.fixture(autouse=True)
def _doctest_names(request: pytest.FixtureRequest):
    """Fresh `learn`/`dls` for the docstring examples that use them (tools/doctest_namespace.py)."""
    if not isinstance(request.node, pytest.DoctestItem):
        yield
        return
    layer = _layer_of(str(request.node.path))
    if layer is None:
        yield
        return
    names = _namespace_module().namespace(layer, Path(str(request.node.path)).stem)
    request.getfixturevalue("doctest_namespace").update(names)
    yield
    if "matplotlib.pyplot" in __import__("sys").modules:
        import matplotlib.pyplot as plt

        plt.close("all")


def _namespace_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "lamella_doctest_namespace", _root / "tools" / "doctest_namespace.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The code blocks of the docs site (docs/**/*.md) and of each package's README (its PyPI page) run as
# tests, each page top to bottom in one namespace, as a reader runs them in a notebook;
# `<!-- skip: next "why" -->` before a block marks one that cannot run here, with its reason.
try:
    from sybil import Sybil
    from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser
except ImportError:  # the foundation-alone profile runs without the docs tools
    Sybil = None


def _docs_setup(namespace: dict) -> None:
    """Run a page in a temporary folder (models and tokenized copies land there, not in the checkout)."""
    import tempfile

    namespace["_docs_cwd"] = os.getcwd()
    namespace["_docs_tmp"] = tempfile.TemporaryDirectory(prefix="lamella-docs-")
    os.chdir(namespace["_docs_tmp"].name)


def _docs_teardown(namespace: dict) -> None:
    os.chdir(namespace["_docs_cwd"])
    namespace["_docs_tmp"].cleanup()
    if "matplotlib.pyplot" in __import__("sys").modules:
        import matplotlib.pyplot as plt

        plt.close("all")


if Sybil is not None:
    pytest_collect_file = Sybil(
        parsers=[SkipParser(), PythonCodeBlockParser()],
        patterns=["docs/*.md", "docs/*/*.md", "packages/*/README.md"],
        path=".",
        setup=_docs_setup,
        teardown=_docs_teardown,
    ).pytest()
