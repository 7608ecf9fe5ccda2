"""Test-suite configuration for the whole repository.

- Datasets lamella may not ship (MovieLens, CamVid, IMDB) are found in one explicit place:
  `LAMELLA_SHARED_DATA`, or else the `shared/data` folder beside this checkout (never any other
  ancestor). Tests reach them through the `shared_sample` fixture, which skips with the folder it
  looked in, or fails where `LAMELLA_REQUIRE_SHARED_DATA=1` (CI) says the data must be there.
- Tiers: tests marked `slow` (the quality recipes) run under `tools/test --all` only.
- Training tests check their bar through the `threshold` fixture: it asserts, and under
  `tools/check_margins` it also records the value, so the margin of every bar is measured over
  thread counts and seeds. `LAMELLA_TEST_SEED` and `LAMELLA_TEST_THREADS` set those two.
"""

import doctest
import json
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
_sibling_data = _root.parent / "shared" / "data"
if "LAMELLA_SHARED_DATA" not in os.environ and _sibling_data.is_dir():
    os.environ["LAMELLA_SHARED_DATA"] = str(_sibling_data)
REQUIRE_SHARED_DATA = os.environ.get("LAMELLA_REQUIRE_SHARED_DATA") == "1"
SEED = int(os.environ.get("LAMELLA_TEST_SEED", "0"))


def pytest_configure(config: pytest.Config) -> None:
    """Torch threads: `LAMELLA_TEST_THREADS`, else one per xdist worker, else torch's default."""
    threads = os.environ.get("LAMELLA_TEST_THREADS")
    if threads is None and os.environ.get("PYTEST_XDIST_WORKER"):
        threads = "1"  # one worker per core: two torch threads each would fight over the cores
    if threads is not None:
        try:
            import torch
        except ImportError:
            return
        torch.set_num_threads(int(threads))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark `threshold` every test that checks a bar through the `threshold` fixture; slow files first.

    A slow test's time limit is four times its minutes (at least the suite's 15): in CI the
    recipes share two cores with the install checks, and the longest ran past 15 minutes there.

    Files holding a `slow` test go first, the longest first (`@pytest.mark.slow(minutes=12)`; each
    file's own order kept): under xdist the longest chain starts at once instead of last.
    """
    minutes: dict[Path, float] = {}
    for item in items:
        if "threshold" in getattr(item, "fixturenames", ()):
            item.add_marker("threshold")
        slow = item.get_closest_marker("slow")
        if slow is not None:
            minutes[item.path] = max(minutes.get(item.path, 0), slow.kwargs.get("minutes", 1))
            if item.get_closest_marker("timeout") is None:  # a recipe's time doubles on a loaded machine
                item.add_marker(pytest.mark.timeout(max(900, 240 * slow.kwargs.get("minutes", 1))))
    items.sort(key=lambda item: -minutes.get(item.path, 0))
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    if workers > 1 and minutes:
        _spread_slow_files(items, minutes, workers)


def _spread_slow_files(items: list[pytest.Item], minutes: dict[Path, float], workers: int) -> None:
    """Order the slow files so that xdist's first hand-out balances them over the workers.

    `tools/test` runs `--dist loadfile --no-loadscope-reorder`: files go out in collection order,
    one to each worker, then a second to each, then to whichever worker is free (xdist's
    LoadScopeScheduling; without the flag it sorts files by their number of tests, which sent the
    slow files, with one to three tests each, out last). Each slow file, longest first, goes to the
    worker with the fewest slow minutes so far; the files are then ordered round by round.
    """
    shares: list[list[Path]] = [[] for _ in range(workers)]
    for f in sorted(minutes, key=lambda f: -minutes[f]):
        k = min(range(workers), key=lambda w: sum(minutes[g] for g in shares[w]))
        shares[k].append(f)
    rounds = max(len(s) for s in shares)
    order = [s[r] for r in range(rounds) for s in shares if r < len(s)]
    rank = {f: i for i, f in enumerate(order)}
    items.sort(key=lambda item: rank.get(item.path, len(rank)))


@pytest.fixture(scope="session")
def seed() -> int:
    """What a training test adds to its own seed: `LAMELLA_TEST_SEED` (0; tools/check_margins varies it)."""
    return SEED


@pytest.fixture(scope="session")
def shared_sample():
    """`shared_sample(name)`: a not-shipped dataset's folder, or a skip (in CI a failure) saying where."""
    import lamella.samples

    def find(name: str) -> Path:
        try:
            return lamella.samples.path(name)
        except lamella.samples.SampleNotAvailable:
            where = os.environ.get("LAMELLA_SHARED_DATA") or f"{_sibling_data} (absent)"
            msg = f"'{name}' is not shipped and not in {where}: point LAMELLA_SHARED_DATA at a folder with it"
            if REQUIRE_SHARED_DATA:
                pytest.fail(f"{msg} (LAMELLA_REQUIRE_SHARED_DATA=1)")
            pytest.skip(msg)

    return find


@pytest.fixture
def threshold(request: pytest.FixtureRequest):
    """`threshold(value, above=a)` or `threshold(value, below=b)`: assert a training test's bar.

    Under tools/check_margins (`LAMELLA_MARGINS` names a file) the value, the bar and the run's
    threads and seed are appended there as one JSON line, so the worst case over runs is known.
    """

    def check(
        value: float, *, above: float | None = None, below: float | None = None, name: str = ""
    ) -> None:
        value = float(value)
        record = os.environ.get("LAMELLA_MARGINS")
        if record:
            import torch

            bar, side = (above, "above") if above is not None else (below, "below")
            line = {"test": request.node.nodeid, "name": name, "value": value, side: bar,
                    "threads": torch.get_num_threads(), "seed": SEED}  # fmt: skip
            with open(record, "a") as f:
                f.write(json.dumps(line) + "\n")
        if above is not None and not value > above:
            pytest.fail(f"{name or 'value'} {value:.4f} is not above {above}")
        if below is not None and not value < below:
            pytest.fail(f"{name or 'value'} {value:.4f} is not below {below}")

    return check


@pytest.fixture
def mpl():
    """Matplotlib on its non-interactive backend, every figure closed after the test (skips without it)."""
    mpl = pytest.importorskip("matplotlib", reason="showing needs matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    yield mpl
    plt.close("all")


def _layer_of(path: str) -> str | None:
    """`data` for `<checkout>/packages/data/src/lamella/data/...`, whatever folders hold the checkout."""
    parts = Path(path).resolve().parts
    for i in range(len(parts) - 3, 0, -1):
        if parts[i - 1] == "src" and parts[i] == "lamella":
            return parts[i + 1]
    return None


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


def _missing(name: str) -> bool:
    """For a page's `skip: start if(_missing("imdb_sample"), ...)`: absent data skips, or fails in CI."""
    import lamella.samples

    if lamella.samples.available(name):
        return False
    if REQUIRE_SHARED_DATA:
        raise FileNotFoundError(
            f"'{name}' is missing and LAMELLA_REQUIRE_SHARED_DATA=1: set LAMELLA_SHARED_DATA"
        )
    return True


def _docs_setup(namespace: dict) -> None:
    """Run a page in a temporary folder (models and tokenized copies land there, not in the checkout)."""
    import tempfile

    namespace["_docs_cwd"] = os.getcwd()
    namespace["_docs_tmp"] = tempfile.TemporaryDirectory(prefix="lamella-docs-")
    namespace["_missing"] = _missing
    os.chdir(namespace["_docs_tmp"].name)


def _docs_teardown(namespace: dict) -> None:
    os.chdir(namespace["_docs_cwd"])
    namespace["_docs_tmp"].cleanup()
    if "matplotlib.pyplot" in __import__("sys").modules:
        import matplotlib.pyplot as plt

        plt.close("all")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A page's `<!-- skip: ... -->` line is an instruction, not a test: reported as skipped, not passed."""
    report = yield
    example = getattr(item, "example", None)
    directive = getattr(getattr(example, "region", None), "evaluator", None)
    if report.when == "call" and report.passed and type(directive).__name__ == "Skipper":
        action, reason = example.parsed
        report.outcome = "skipped"
        report.longrepr = (str(item.path), example.line, f"Skipped: skip directive ({action}) {reason or ''}")
    return report


#: Tutorials whose recipe is a quality test's: the test runs the page (integration-tests/pages.py) and
#: checks its result with a measured margin, so the page is not collected a second time here.
PAGES_RUN_BY_TESTS = {
    "docs/tutorials/audio.md": "integration-tests/test_audio_quality.py",
    "docs/tutorials/gan.md": "integration-tests/test_gan_quality.py",
    "docs/tutorials/medical.md": "integration-tests/test_medical_quality.py",
}

if Sybil is not None:
    pytest_collect_file = Sybil(
        parsers=[SkipParser(), PythonCodeBlockParser()],
        patterns=["docs/*.md", "docs/*/*.md", "packages/*/README.md"],
        excludes=list(PAGES_RUN_BY_TESTS),
        path=".",
        setup=_docs_setup,
        teardown=_docs_teardown,
    ).pytest()
