"""Draw the tutorials' figures by running their code: each page to docs/img/tutorial_<app>_<n>.png.

Each page's Python blocks run in order in one namespace, in a temporary folder, as a reader runs
them; every figure a block leaves open is saved, numbered from 1 across the page, then closed.
So the figures are what the page's own code draws (CI runs the same code through Sybil).

    .venv/bin/python tools/tutorial_figures.py            # every tutorial
    .venv/bin/python tools/tutorial_figures.py vision     # one
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def run_page(page: Path) -> list[Path]:
    """Run the page's blocks; save and return the figures they draw."""
    app, saved, ns = page.stem, [], {"__name__": "__main__"}
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="lamella-tutorial-") as tmp:
        os.chdir(tmp)
        try:
            for i, code in enumerate(BLOCK.findall(page.read_text()), 1):
                start = time.perf_counter()
                exec(compile(code, f"{page.name} block {i}", "exec"), ns)  # noqa: S102  (our own docs)
                print(f"{page.name} block {i}: {time.perf_counter() - start:.1f} s")
                for num in plt.get_fignums():
                    out = ROOT / "docs" / "img" / f"tutorial_{app}_{len(saved) + 1}.png"
                    plt.figure(num).savefig(out, dpi=80, bbox_inches="tight")
                    saved.append(out)
                plt.close("all")
        finally:
            os.chdir(cwd)
    return saved


def main(apps: list[str]) -> None:
    """Run the named tutorials (all of them when none is named)."""
    pages = sorted((ROOT / "docs" / "tutorials").glob("*.md"))
    for page in pages:
        if not apps or page.stem in apps:
            for out in run_page(page):
                print("saved", out.relative_to(ROOT))


if __name__ == "__main__":
    main(sys.argv[1:])
