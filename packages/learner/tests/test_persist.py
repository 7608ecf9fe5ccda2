import copy
import pickle
import subprocess
import sys

import pytest
import torch
from torch import nn

from lamella.learner import CheckpointError, CrossEntropyLossFlat, Learner, load_learner, save_atomic
from lamella.optim import SGD

from .conftest import block_dls, toy_dls


@pytest.fixture
def learn(learn, tmp_path):
    learn.path = tmp_path
    return learn


def _learner(model, path, **kwargs):
    learn = Learner(toy_dls(), model, loss_func=CrossEntropyLossFlat(), lr=0.1, path=path, **kwargs)
    learn.progress.show_bars = learn.progress.show_table = False
    return learn


def _weights(model):
    return {k: v.clone() for k, v in model.state_dict().items()}


def _same(a, b):
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_save_writes_one_file_holding_weights_and_optimizer_state(learn):
    learn.fit(1)
    file = learn.save("one")
    assert sorted(p.name for p in file.parent.iterdir()) == ["one.safetensors"]
    state = _weights(learn.model)
    opt_state = copy.deepcopy(learn.opt.state_dict())
    learn.fit(1)  # moves both on
    learn.load("one")
    assert _same(_weights(learn.model), state)
    reloaded = learn.opt.state_dict()
    for k, v in opt_state["state"].items():
        for name, t in v.items():
            assert torch.equal(torch.as_tensor(reloaded["state"][k][name]), torch.as_tensor(t)), (k, name)
    assert reloaded["param_groups"] == opt_state["param_groups"]


def test_a_crash_while_saving_keeps_the_old_checkpoint_whole(learn, monkeypatch):
    learn.fit(1)
    file = learn.save("ckpt")
    before = file.read_bytes()
    learn.fit(1)

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("safetensors.torch.save_file", crash)
    with pytest.raises(OSError, match="disk full"):
        learn.save("ckpt")
    assert file.read_bytes() == before and [p.name for p in file.parent.iterdir()] == ["ckpt.safetensors"]


def test_another_optimizer_is_refused_before_anything_changes(learn):
    learn.fit(1)
    learn.save("adam")
    other = _learner(nn.Linear(2, 2), learn.path, opt_func=SGD)
    other.fit(1)
    weights = _weights(other.model)
    with pytest.raises(
        CheckpointError,
        match=r"optimizer Optimizer\(fused_adamw_step\) but this learner's is Optimizer\(.*sgd_step",
    ):
        other.load("adam")
    assert _same(_weights(other.model), weights)  # untouched
    other.load("adam", with_opt=False)  # the weights alone load
    assert _same(_weights(other.model), _weights(learn.model))


def test_another_architecture_is_refused_and_the_model_is_unchanged(learn):
    learn.save("small")
    big = _learner(nn.Sequential(nn.Linear(2, 4), nn.Linear(4, 2)), learn.path)
    weights = _weights(big.model)
    with pytest.raises(CheckpointError, match="does not fit this model"):
        big.load("small")
    wide = _learner(nn.Linear(2, 3), learn.path)
    with pytest.raises(CheckpointError, match=r"'bias' has shape \(2,\), the model's is \(3,\)"):
        wide.load("small", strict=False)
    assert _same(_weights(big.model), weights)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_a_corrupt_checkpoint_names_the_file(learn, damage):
    file = learn.save("ckpt")
    data = file.read_bytes()
    file.write_bytes({"truncate": data[: len(data) // 2], "garbage": b"\x00" * 64, "empty": b""}[damage])
    weights = _weights(learn.model)
    with pytest.raises(CheckpointError, match="ckpt.safetensors is not a readable checkpoint"):
        learn.load("ckpt")
    assert _same(_weights(learn.model), weights)


def test_tied_weights_are_saved_once_and_tied_again(tmp_path):
    class Tied(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(5, 2)
            self.out = nn.Linear(2, 5, bias=False)
            self.out.weight = self.emb.weight

        def forward(self, x):
            return self.out(x)

    learn = _learner(Tied(), tmp_path)
    with torch.no_grad():
        learn.model.emb.weight.fill_(3.0)
    learn.save("tied")
    fresh = _learner(Tied(), tmp_path)
    fresh.load("tied")
    assert (
        fresh.model.out.weight is fresh.model.emb.weight
        and float(fresh.model.out.weight.detach()[0, 0]) == 3.0
    )


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_a_corrupt_export_names_the_file(learn, damage):
    file = learn.export()
    data = file.read_bytes()
    file.write_bytes(data[: len(data) // 3] if damage == "truncate" else b"not a pickle at all")
    with pytest.raises(CheckpointError, match="export.pkl is not a readable exported learner"):
        load_learner(file, trusted=True)
    with pytest.raises(FileNotFoundError, match="no exported learner"):
        load_learner(file.with_name("missing.pkl"), trusted=True)


def test_save_atomic_leaves_no_temporary_file_behind(tmp_path):
    def fail(tmp):
        with open(tmp, "wb") as f:
            f.write(b"half")
        raise pickle.PicklingError("cannot pickle")

    with pytest.raises(pickle.PicklingError):
        save_atomic(fail, tmp_path / "x.pkl")
    assert list(tmp_path.iterdir()) == []


def test_save_load_round_trip_and_atomicity(learn, tmp_path, monkeypatch):
    learn.path = tmp_path
    learn.fit(1)
    file = learn.save("stage")
    assert sorted(p.name for p in file.parent.iterdir()) == ["stage.safetensors"]  # weights and optimizer
    saved = [p.detach().clone() for p in learn.model.parameters()]
    learn.fit(1)
    learn.load("stage")
    assert all(torch.equal(a, b) for a, b in zip(learn.model.parameters(), saved))

    import safetensors.torch

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(safetensors.torch, "save_file", crash)
    with pytest.raises(OSError, match="disk full"):
        learn.save("stage")
    learn.load("stage")  # the previous file is intact
    assert not [p for p in (tmp_path / "models").iterdir() if p.name.startswith(".")]
    with pytest.raises(FileNotFoundError, match="saved: \\['stage'\\]"):
        learn.load("nope")


def test_export_and_load_learner_in_a_fresh_process(tmp_path):
    dls = block_dls()
    learn = Learner(dls, nn.Linear(2, 2), lr=0.1, path=tmp_path)
    learn.progress.show_bars = learn.progress.show_table = False
    learn.fit(2)
    file = learn.export()
    with pytest.raises(PermissionError, match="pass trusted=True"):
        load_learner(file)
    code = (
        "import sys; sys.path.insert(0, sys.argv[2])\n"
        "from lamella.learner import load_learner\n"
        "learn = load_learner(sys.argv[1], trusted=True)\n"
        "print(learn.predict([2.0, 1.0])[0], len(learn.dls.train_ds))"
    )
    tests_dir = str(__import__("pathlib").Path(__file__).parent)
    out = subprocess.run(
        [sys.executable, "-c", code, str(file), tests_dir], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["pos", "0"]
