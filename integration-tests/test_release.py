"""tools/release.py: build, check and publish one package, against a local directory index."""

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def release(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("release", ROOT / "tools" / "release.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "DIST", tmp_path / "dist")
    return module


def test_build_check_and_upload_to_a_local_index(release, tmp_path, capsys):
    release.build(["optim"])
    files = [f.name for f in release.dist_files("optim")]
    assert files == ["lamella_optim-0.1.0.tar.gz", "lamella_optim-0.1.0-py3-none-any.whl"]
    assert release.check(["optim"]) == 0
    index = tmp_path / "simple"
    release.upload(["optim"], index.as_uri(), yes=False)
    assert "would upload" in capsys.readouterr().out and not index.exists()  # a dry run sends nothing
    release.upload(["optim"], index.as_uri(), yes=True)
    got = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--index-url", index.as_uri(),
         "-d", str(tmp_path / "got"), "lamella-optim==0.1.0"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert got.returncode == 0, got.stderr
    assert [p.name for p in (tmp_path / "got").iterdir()] == ["lamella_optim-0.1.0-py3-none-any.whl"]


def test_check_finds_what_must_not_ship(release, tmp_path, monkeypatch):
    bad = tmp_path / "lamella_bad-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(bad, "w") as z:
        for name in (
            "lamella/__init__.py",
            "lamella/bad/tests/test_x.py",
            "lamella/samples/data/ml_100k/u.data",
        ):
            z.writestr(name, "")
    problems = release._wheel_problems(bad)
    assert len(problems) == 3 and "namespace" in problems[0] and "test file" in problems[1]
    assert "may not be redistributed" in problems[2]
    assert "no '## 9.9.9' section" in release._changelog_problem("optim", "9.9.9")
    real = release.project

    def project(name):
        p = dict(real(name))
        if name == "learner":
            p["dependencies"] = ["lamella-optim>=0.2,<0.3"]
        return p

    monkeypatch.setattr(release, "project", project)
    assert release._sibling_problems("learner") == [
        "learner: requires lamella-optim>=0.2,<0.3, but lamella-optim is at 0.1.0"
    ]
