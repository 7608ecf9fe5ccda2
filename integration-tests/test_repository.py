"""The monorepo's structural rules: package layout, test files mirroring modules, public APIs."""

import importlib
import pkgutil
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = sorted(p for p in (ROOT / "packages").iterdir() if (p / "pyproject.toml").exists())


def test_every_design_row_has_a_package():
    names = {p.name for p in PACKAGES}
    assert names == {
        "typedtensor",
        "transforms",
        "data",
        "optim",
        "learner",
        "vision",
        "text",
        "tabular",
        "collab",
        "medical",
        "audio",
        "samples",
        "lamella",
    }


@pytest.mark.parametrize("pkg", PACKAGES, ids=lambda p: p.name)
def test_package_layout(pkg):
    meta = tomllib.loads((pkg / "pyproject.toml").read_text())
    assert meta["build-system"]["build-backend"] == "poetry.core.masonry.api"
    assert meta["project"]["version"] == "0.1.0" and meta["project"]["description"]
    for f in ("README.md", "CHANGELOG.md", "tests"):
        assert (pkg / f).exists(), f"{pkg.name} lacks {f}"
    assert not (pkg / "src" / "lamella" / "__init__.py").exists(), "lamella is a namespace package"
    (mod,) = [p for p in (pkg / "src" / "lamella").iterdir() if p.is_dir() and p.name != "__pycache__"]
    assert (mod / "__init__.py").exists() and (mod / "py.typed").exists()
    for dep in meta["project"]["dependencies"]:
        if dep.startswith("lamella"):
            assert ">=0.1,<0.2" in dep, f"{pkg.name}: siblings are declared as ranges, got {dep}"


def _modules(pkg):
    src = pkg / "src" / "lamella"
    return sorted(
        p for p in src.rglob("*.py") if p.name != "__init__.py" and "data" not in p.relative_to(src).parts[1:]
    )


@pytest.mark.parametrize("pkg", PACKAGES, ids=lambda p: p.name)
def test_tests_mirror_modules(pkg):
    missing = [m.name for m in _modules(pkg) if not (pkg / "tests" / f"test_{m.stem}.py").exists()]
    assert not missing, f"{pkg.name}: no tests/test_<module>.py for {missing}"


@pytest.mark.parametrize("pkg", PACKAGES, ids=lambda p: p.name)
def test_every_module_declares_all_and_documents_public_names(pkg):
    (name,) = [p.name for p in (pkg / "src" / "lamella").iterdir() if p.is_dir() and p.name != "__pycache__"]
    top = importlib.import_module(f"lamella.{name}")
    mods = [top] + [
        importlib.import_module(m.name) for m in pkgutil.walk_packages(top.__path__, f"lamella.{name}.")
    ]
    for mod in mods:
        assert hasattr(mod, "__all__"), f"{mod.__name__} has no __all__"
        for public in mod.__all__:
            obj = getattr(mod, public)
            if not getattr(obj, "__module__", "lamella").startswith("lamella"):
                continue  # re-exported from another library (torchvision's models): documented there
            doc = getattr(obj, "__doc__", None) if callable(obj) or isinstance(obj, type) else "constant"
            assert doc, f"{mod.__name__}.{public} has no docstring"
            if callable(obj):
                assert ">>>" in doc, f"{mod.__name__}.{public}: the docstring needs a runnable example"


def test_at_most_ten_docstring_examples_are_skipped_and_each_says_why():
    skipped = [
        (f.relative_to(ROOT), line.strip())
        for base in ("packages", "examples")
        for f in sorted((ROOT / base).rglob("*.py"))
        if ".venv" not in f.parts
        for line in f.read_text(encoding="utf8").splitlines()
        if "doctest: +SKIP" in line
    ]
    assert len(skipped) <= 10, skipped
    for where, line in skipped:  # the reason is a comment before the directive: `# needs torchrun  # doctest`
        code = line.split("# doctest: +SKIP")[0]
        assert code.rstrip().rsplit("#", 1)[-1].strip() and "#" in code, f"{where}: {line} gives no reason"


def test_every_docs_code_block_runs_or_says_why_not():
    """Docs and README Python blocks run in tools/test (Sybil, root conftest.py); a skip says why."""
    import re

    pages = sorted((ROOT / "docs").rglob("*.md")) + sorted(ROOT.glob("packages/*/README.md"))
    blocks = sum(p.read_text().count("```python") for p in pages)
    skips = [(p.name, line) for p in pages for line in p.read_text().splitlines() if "<!-- skip:" in line]
    assert blocks > 20
    reasoned = (
        r'<!-- skip: next "[^"]{20,}" -->',  # one block that cannot run here
        r'<!-- skip: start if\(.+, reason="[^"]{20,}"\) -->',  # a part that needs data not shipped
        r"<!-- skip: end -->",
    )
    for name, line in skips:
        assert any(re.fullmatch(r, line.strip()) for r in reasoned), (name, line)
    nexts = sum("skip: next" in line for _, line in skips)
    assert nexts <= blocks // 3, f"{nexts} of {blocks} docs code blocks are skipped"
