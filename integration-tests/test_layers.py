import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "check_layers.py"


def run(root):
    return subprocess.run([sys.executable, str(TOOL), str(root)], capture_output=True, text=True)


def test_the_repository_imports_only_downward():
    res = run(ROOT)
    assert res.returncode == 0, res.stdout + res.stderr


def _skip(folder, names):
    # Leave out caches and the samples' data files: only the Python sources matter here.
    return [n for n in names if n == "__pycache__" or (n == "data" and folder.endswith("samples"))]


def _copy_packages(tmp_path):
    for pkg in (ROOT / "packages").iterdir():
        dest = tmp_path / "packages" / pkg.name
        shutil.copytree(pkg / "src", dest / "src", ignore=_skip)
        shutil.copy(pkg / "pyproject.toml", dest / "pyproject.toml")
    return tmp_path


def test_an_upward_import_fails_naming_file_and_line(tmp_path):
    root = _copy_packages(tmp_path)
    bad = root / "packages" / "data" / "src" / "lamella" / "data" / "bad.py"
    bad.write_text('"""Reaches up."""\n\nimport torch\nfrom lamella.learner import Learner\n')
    res = run(root)
    assert res.returncode == 1
    assert "packages/data/src/lamella/data/bad.py:4: lamella-data imports lamella.learner" in res.stdout


def test_a_sideways_import_fails(tmp_path):
    root = _copy_packages(tmp_path)
    bad = root / "packages" / "text" / "src" / "lamella" / "text" / "bad.py"
    bad.write_text("import lamella.vision.core\n")
    res = run(root)
    assert res.returncode == 1 and "bad.py:1: lamella-text imports lamella.vision" in res.stdout


def test_transitive_layers_beneath_are_allowed(tmp_path):
    root = _copy_packages(tmp_path)
    ok = root / "packages" / "collab" / "src" / "lamella" / "collab" / "ok.py"
    ok.write_text("from lamella.typedtensor import TensorCategory\nfrom lamella import learner\n")
    assert run(root).returncode == 0
