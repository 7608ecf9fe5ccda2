"""Build, check and publish lamella's packages one at a time (docs/contributing.md, "Releases").

    .venv/bin/python tools/release.py build [NAME ...]    # sdist + wheel of each package into dist/NAME/
    .venv/bin/python tools/release.py check [NAME ...]    # the checks below, on what build made
    .venv/bin/python tools/release.py upload [NAME ...]   # print what would go where; --yes to send

No NAME means every package. `check` fails (exit 1) on: `twine check --strict` errors; a version
without a section in the package's CHANGELOG.md; a sibling range that does not admit the sibling's
current version; a wheel carrying tests, a `lamella/__init__.py` (lamella is a namespace), or a
dataset that may not be redistributed (`lamella.samples.NOT_SHIPPED`).

`upload` sends to the registry named by `LAMELLA_REPOSITORY_URL` (default: PyPI's upload URL)
with twine; a `file://` URL is a local directory index (PEP 503 layout: one folder per project
with an `index.html`), which pip reads with `--index-url file:///...`: that is how it is tested.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

try:
    import tomllib
except ImportError:  # Python 3.10: the same parser, under its old name
    import tomli as tomllib  # type: ignore[no-redef]

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "packages"
DIST = ROOT / "dist"
PYPI = "https://upload.pypi.org/legacy/"
NOT_SHIPPED = ("ml_100k", "camvid_tiny", "imdb_sample")  # as lamella.samples.NOT_SHIPPED says


def project(name: str) -> dict:
    """The `[project]` table of packages/NAME/pyproject.toml."""
    return tomllib.loads((PACKAGES / name / "pyproject.toml").read_text())["project"]


def _shown(f: Path) -> str:
    return str(f.relative_to(ROOT)) if f.is_relative_to(ROOT) else str(f)


def all_names() -> list[str]:
    """Every package folder, sorted."""
    return sorted(p.parent.name for p in PACKAGES.glob("*/pyproject.toml"))


def dist_files(name: str) -> list[Path]:
    """The sdist and wheel `build` made for NAME."""
    return sorted((DIST / name).glob("*.tar.gz")) + sorted((DIST / name).glob("*.whl"))


def build(names: list[str]) -> None:
    """Build the sdist and the wheel of each package with its declared backend, poetry-core.

    The backend comes from this venv (`tools/setup` installs it; `build` checks that it meets each
    package's `build-system.requires`) rather than from a fresh isolated environment per package
    and per artefact: the same files in a tenth of the time.
    """
    for name in names:
        out = DIST / name
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "build",
                "--no-isolation",
                "--sdist",
                "--wheel",
                "--outdir",
                str(out),
                str(PACKAGES / name),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        for f in dist_files(name):
            print(f"built {_shown(f)} ({f.stat().st_size / 1024:.0f} KiB)")


def _changelog_problem(name: str, version: str) -> str | None:
    text = (PACKAGES / name / "CHANGELOG.md").read_text()
    if not re.search(rf"^## {re.escape(version)}\b", text, flags=re.M):
        return f"{name}: CHANGELOG.md has no '## {version}' section"
    return None


def _sibling_problems(name: str) -> list[str]:
    versions = {canonicalize_name(project(n)["name"]): project(n)["version"] for n in all_names()}
    problems = []
    for dep in project(name).get("dependencies", []):
        req = Requirement(dep)
        have = versions.get(canonicalize_name(req.name))
        if have is not None and not req.specifier.contains(have, prereleases=True):
            problems.append(f"{name}: requires {dep}, but {req.name} is at {have}")
    return problems


def _wheel_problems(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    problems = []
    for n in names:
        parts = n.split("/")
        if n == "lamella/__init__.py":
            problems.append(f"{wheel.name}: carries lamella/__init__.py (lamella is a namespace package)")
        elif "tests" in parts[:-1] or parts[-1].startswith("test_"):
            problems.append(f"{wheel.name}: carries a test file {n}")
        elif any(d in parts for d in NOT_SHIPPED):
            problems.append(f"{wheel.name}: carries {n}, from a dataset that may not be redistributed")
    return problems


def check(names: list[str]) -> int:
    """Run every check on each package's built files; print each problem; return how many."""
    problems: list[str] = []
    for name in names:
        files = dist_files(name)
        if not files:
            problems.append(f"{name}: nothing built in dist/{name} (run build first)")
            continue
        twine = subprocess.run(
            [sys.executable, "-m", "twine", "check", "--strict", *map(str, files)],
            capture_output=True,
            text=True,
        )
        if twine.returncode:
            problems.append(f"{name}: twine check --strict failed:\n{twine.stdout}{twine.stderr}")
        version = project(name)["version"]
        problems += filter(None, [_changelog_problem(name, version)])
        problems += _sibling_problems(name)
        for wheel in (f for f in files if f.suffix == ".whl"):
            problems += _wheel_problems(wheel)
    for p in problems:
        print(f"check: {p}")
    print(f"check: {len(names)} packages, {len(problems)} problems")
    return len(problems)


def _write_index(root: Path) -> None:
    """PEP 503 simple index pages for a directory of `<project>/<file>` folders."""
    projects = sorted(p.name for p in root.iterdir() if p.is_dir())
    links = "".join(f'<a href="{html.escape(p)}/">{html.escape(p)}</a>\n' for p in projects)
    (root / "index.html").write_text(f"<!DOCTYPE html><html><body>\n{links}</body></html>\n")
    for p in projects:
        files = sorted(f.name for f in (root / p).iterdir() if f.name != "index.html")
        links = "".join(f'<a href="{html.escape(f)}">{html.escape(f)}</a>\n' for f in files)
        (root / p / "index.html").write_text(f"<!DOCTYPE html><html><body>\n{links}</body></html>\n")


def upload(names: list[str], url: str, yes: bool) -> None:
    """Print what goes where; with `yes`, send it (twine, or a copy into a `file://` index)."""
    for name in names:
        files = dist_files(name)
        if not files:
            raise SystemExit(f"upload: nothing built for {name}; run build and check first")
        for f in files:
            print(f"{'uploading' if yes else 'would upload'} {_shown(f)} to {url}")
        if not yes:
            continue
        parsed = urlparse(url)
        if parsed.scheme == "file":
            root = Path(url2pathname(parsed.path))
            target = root / canonicalize_name(project(name)["name"])
            target.mkdir(parents=True, exist_ok=True)
            for f in files:
                shutil.copy2(f, target / f.name)
            _write_index(root)
        else:
            subprocess.run(
                [sys.executable, "-m", "twine", "upload", "--repository-url", url, *map(str, files)],
                check=True,
            )


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module docstring)."""
    import os

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build", "check", "upload"])
    parser.add_argument("names", nargs="*", help="package folders under packages/ (default: all)")
    parser.add_argument("--yes", action="store_true", help="upload for real (else: print what would be sent)")
    args = parser.parse_args(argv)
    names = args.names or all_names()
    unknown = [n for n in names if not (PACKAGES / n / "pyproject.toml").exists()]
    if unknown:
        raise SystemExit(f"no package {unknown}; the packages are {all_names()}")
    if args.command == "build":
        build(names)
    elif args.command == "check":
        return 1 if check(names) else 0
    else:
        upload(names, os.environ.get("LAMELLA_REPOSITORY_URL", PYPI), args.yes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
