"""How many of fastai's public names a notebook finds under the same name in lamella's `all` modules.

Run it where fastai is installed beside lamella (the benchmark venv: `.venv-bench/bin/python
tools/fastai_names.py`). fastai's public names are the `__all__` of every fastai module that
imports here (modules for optional integrations whose packages are absent, such as wandb or
captum, are listed and left out), each counted once, in the area of the module that defines it.
A name is covered when `from lamella.<app>.all import *` brings it for some app. `--missing`
lists the rest by area; `--markdown` prints the table for docs/fastai.md.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import warnings
from collections import defaultdict

APPS = ("vision", "text", "tabular", "collab", "medical", "audio")
LEARNER = {"learner", "callback", "optimizer", "losses", "metrics", "interpret", "layers"}


def fastai_names() -> tuple[dict[str, str], list[str]]:
    """{public name: the fastai module defining it}, and the modules that did not import."""
    import fastai

    warnings.filterwarnings("ignore")
    defined: dict[str, str] = {}
    skipped = []
    for info in pkgutil.walk_packages(fastai.__path__, "fastai."):
        try:
            module = importlib.import_module(info.name)
        except Exception as e:  # an optional integration whose package is absent
            skipped.append(f"{info.name} ({type(e).__name__})")
            continue
        for name in getattr(module, "__all__", []):
            home = getattr(getattr(module, name, None), "__module__", None)
            defined.setdefault(name, home if str(home).startswith("fastai.") else info.name)
    return defined, skipped


def area(module: str) -> str:
    """The part of fastai a module belongs to: an application, data, learner, or core (torch_core...)."""
    part = module.split(".")[1]
    if part in ("vision", "text", "tabular", "medical", "data", "collab"):
        return part
    return "learner" if part in LEARNER else "core"


def main() -> None:  # noqa: D103
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missing", action="store_true", help="list the names not covered, by area")
    parser.add_argument("--markdown", action="store_true", help="the table as markdown")
    args = parser.parse_args()
    import fastai

    defined, skipped = fastai_names()
    ours: set[str] = set()
    for app in APPS:
        ours |= set(dir(importlib.import_module(f"lamella.{app}.all")))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missing: dict[str, list[str]] = defaultdict(list)
    for name, module in defined.items():
        a = area(module)
        counts[a][0] += 1
        if name in ours:
            counts[a][1] += 1
        else:
            missing[a].append(name)
    total, covered = sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())
    rows = [(a, *counts[a]) for a in sorted(counts)] + [("all", total, covered)]
    if args.markdown:
        print(f"| area (fastai {fastai.__version__}) | public names | in lamella | share |")
        print("|---|---|---|---|")
        for a, n, c in rows:
            print(f"| {a} | {n} | {c} | {c / n:.0%} |")
    else:
        share = f"{covered / total:.0%}"
        print(f"fastai {fastai.__version__}: {total} public names, {covered} in lamella ({share})")
        for a, n, c in rows[:-1]:
            print(f"  {a:<8} {c:>4} of {n:<4} {c / n:.0%}")
        print("left out (did not import):", ", ".join(skipped) or "none")
    if args.missing:
        for a in sorted(missing):
            print(f"\n{a}: " + " ".join(sorted(missing[a])))


if __name__ == "__main__":
    main()
