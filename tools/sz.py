"""Print lines of Python per package (source and tests), and the change against a git ref.

Usage: python tools/sz.py [REF]   (REF defaults to HEAD; prints, never fails)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def count(files: list[Path]) -> int:
    return sum(len(f.read_text().splitlines()) for f in files)


def main(ref: str = "HEAD") -> None:
    print(f"{'package':<14}{'src':>7}{'tests':>7}{'modules':>9}{'median':>8}{'Δsrc':>8}")
    for pkg in sorted((ROOT / "packages").iterdir()):
        src = sorted((pkg / "src").rglob("*.py"))
        sizes = sorted(len(f.read_text().splitlines()) for f in src if f.name != "__init__.py") or [0]
        diff = subprocess.run(
            ["git", "diff", "--numstat", ref, "--", str(pkg / "src")],
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout.split("\n")
        delta = sum(
            int(a) - int(d) for a, d, *_ in (row.split("\t") for row in diff if row and row[0] != "-")
        )
        print(
            f"{pkg.name:<14}{count(src):>7}{count(sorted((pkg / 'tests').rglob('*.py'))):>7}"
            f"{len(src):>9}{sizes[len(sizes) // 2]:>8}{delta:>+8}"
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
