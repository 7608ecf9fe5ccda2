"""Fail when a package imports a lamella layer it does not declare (directly or beneath).

Each package's allowed layers come from its pyproject: its declared `lamella-*` dependencies
and, transitively, theirs. Every `import lamella.X` / `from lamella.X import ...` in its `src/`
must name one of those or the package itself. Prints each fault as `file:line: message`.

Usage: python tools/check_layers.py [REPO_ROOT]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


def _dist_name(req: str) -> str:
    for sep in "<>=!~;[ ":
        req = req.split(sep)[0]
    return req.strip().lower()


def read_packages(root: Path) -> dict[str, dict]:
    """Map each distribution name to its folder, import names and declared lamella deps."""
    pkgs = {}
    for pyproject in sorted((root / "packages").glob("*/pyproject.toml")):
        meta = tomllib.loads(pyproject.read_text())["project"]
        folder = pyproject.parent
        imports = {
            p.name for p in (folder / "src" / "lamella").iterdir() if p.is_dir() and p.name != "__pycache__"
        }
        deps = {_dist_name(r) for r in meta.get("dependencies", [])}
        pkgs[meta["name"].lower()] = {
            "folder": folder,
            "imports": imports,
            "deps": {d for d in deps if d.startswith("lamella")},
        }
    return pkgs


def allowed_imports(pkgs: dict[str, dict], name: str) -> set[str]:
    seen, todo = set(), [name]
    while todo:
        cur = todo.pop()
        if cur in seen:
            continue
        seen.add(cur)
        if cur not in pkgs:
            raise SystemExit(f"{pkgs[name]['folder']}/pyproject.toml: depends on unknown layer '{cur}'")
        todo.extend(pkgs[cur]["deps"])
    return set().union(*(pkgs[p]["imports"] for p in seen))


def _lamella_imports(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "lamella":
                names = [f"lamella.{a.name}" for a in node.names]
        for n in names:
            parts = n.split(".")
            if parts[0] == "lamella" and len(parts) > 1:
                yield node.lineno, parts[1]


def check(root: Path) -> list[str]:
    pkgs = read_packages(root)
    faults = []
    for name, pkg in pkgs.items():
        allowed = allowed_imports(pkgs, name)
        for path in sorted((pkg["folder"] / "src").rglob("*.py")):
            for line, layer in _lamella_imports(path):
                if layer not in allowed:
                    rel = path.relative_to(root)
                    faults.append(
                        f"{rel}:{line}: {name} imports lamella.{layer}, which it does not declare; "
                        f"it may import only {sorted(allowed)}"
                    )
    return faults


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    faults = check(root)
    for f in faults:
        print(f)
    if faults:
        print(f"check_layers: {len(faults)} import(s) reach up or sideways")
        return 1
    print(f"check_layers: {len(read_packages(root))} packages import only downward")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
