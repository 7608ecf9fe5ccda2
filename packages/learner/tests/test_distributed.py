import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from lamella.learner.distributed import rank_distrib, setup_distrib

SCRIPT = Path(__file__).with_name("ddp_run.py")


def test_single_process_is_a_no_op(learn):
    assert rank_distrib() == 0 and setup_distrib() is False
    with learn.distrib_ctx():
        learn.fit(1)
    assert len(learn.recorder.values) == 1


def test_two_cpu_processes_with_torchrun_and_gloo(tmp_path):
    launcher = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2"]
    cmd = [*launcher, "--standalone", str(SCRIPT), str(tmp_path)]  # torchrun picks its own free port
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK")}
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert res.returncode == 0, res.stderr[-3000:]
    r0, r1 = ((tmp_path / f"rank{i}.txt").read_text().split() for i in (0, 1))
    assert r0[0] == r1[0] == "6"  # 384 items, 2 ranks, batches of 32: 6 batches each
    assert r0[1:4] == r1[1:4]  # validation losses reduced across ranks: the same on both
    assert float(r0[-1]) > 0.8  # accuracy
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == ["final.safetensors"]
    assert res.stdout.count("train_loss") == 1  # rank 0 alone printed the table


RESUME = Path(__file__).with_name("ddp_resume_run.py")


def _torchrun(out, *kill, nproc=2, strategy="ddp"):
    launcher = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", str(nproc), "--standalone"]
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK")}
    cmd = [*launcher, str(RESUME), str(out), *map(str, kill)]
    env.update(PYTHONHASHSEED="0", STRATEGY=strategy)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)


@pytest.mark.slow(minutes=2)
@pytest.mark.parametrize("strategy", ["ddp", "fsdp"])
def test_distributed_runs_with_workers_resume_bit_identically_and_with_one_process(tmp_path, strategy):
    ref, crashed, single = tmp_path / "ref", tmp_path / "crashed", tmp_path / "single"
    assert (res := _torchrun(ref, strategy=strategy)).returncode == 0, res.stderr[-3000:]
    assert _torchrun(crashed, 1, 5, strategy=strategy).returncode != 0  # killed 2 batches after a checkpoint
    models = crashed / "models"
    if strategy == "ddp":  # rank 0 alone wrote one file: the model DDP wraps, every rank's random states
        assert sorted(p.name for p in models.iterdir()) == ["checkpoint.pth"]
        state = torch.load(models / "checkpoint.pth", weights_only=True)
        assert not any(k.startswith("module.") for k in state["model"])
        rngs = state["rng_ranks"]
        assert state["world_size"] == 2 and not torch.equal(rngs[0]["torch"], rngs[1]["torch"])
    else:  # torch.distributed.checkpoint: a file per rank, its metadata, nothing half-written
        assert sorted(p.name for p in models.iterdir()) == ["checkpoint.dcp"]
        assert sorted(p.name for p in (models / "checkpoint.dcp").iterdir()) == [
            ".metadata", "__0_0.distcp", "__1_0.distcp"
        ]  # fmt: skip
    shutil.copytree(models, single / "models")  # the checkpoint as the crash left it, resumed alone below
    if strategy == "fsdp":
        _sharded_checkpoint_becomes_one_file(models, tmp_path / "plain")
    assert (res := _torchrun(crashed, strategy=strategy)).returncode == 0, res.stderr[-3000:]
    a, b = torch.load(ref / "final.pt"), torch.load(crashed / "final.pt")
    assert all(torch.equal(a[k], b[k]) for k in a)
    # the same checkpoint resumed by one process (another world size, a plain model): from epoch 1
    assert (res := _torchrun(single, nproc=1, strategy=strategy)).returncode == 0, res.stderr[-3000:]
    assert (crashed / "epochs.txt").read_text() == (single / "epochs.txt").read_text() == "2"


def _sharded_checkpoint_becomes_one_file(models, out):
    from torch import nn
    from torch.distributed.checkpoint.format_utils import dcp_to_torch_save

    from lamella.data import DataLoader, DataLoaders
    from lamella.learner import Learner, load_checkpoint

    shutil.copytree(models, out / "models")
    items = [(torch.zeros(2), 0)] * 4
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 2))  # ddp_resume_run's
    dls = DataLoaders(DataLoader(items, bs=2), DataLoader(items, bs=2), device="cpu")
    learn = Learner(dls, model, loss_func=nn.CrossEntropyLoss(), path=out)
    learn.load("checkpoint")  # one process reads the two ranks' shards into a plain model
    saved = load_checkpoint(learn.save("plain"))["model"]
    dcp_to_torch_save(models / "checkpoint.dcp", out / "torch.pt")  # torch's own reading, to compare with
    expected = torch.load(out / "torch.pt", weights_only=False)["model"]
    assert saved.keys() == expected.keys() and all(torch.equal(saved[k], expected[k]) for k in saved)
    assert not torch.equal(saved["0.weight"], nn.Linear(2, 16).weight)


FSDP = Path(__file__).with_name("fsdp_run.py")


def _strategy_run(out, strategy):
    nproc = 1 if strategy == "single" else 2
    launcher = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", str(nproc), "--standalone"]
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK")}
    res = subprocess.run([*launcher, str(FSDP), str(out), strategy], capture_output=True, text=True,
                         timeout=300, env=env)  # fmt: skip
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads((out / "run.json").read_text()), torch.load(out / "final.pt")


@pytest.mark.slow(minutes=1)
def test_fsdp_ddp_and_one_process_take_the_same_steps(tmp_path):
    runs = {s: _strategy_run(tmp_path / s, s) for s in ("single", "ddp", "fsdp")}
    (one, w1), (ddp, w2), (fsdp, w3) = runs["single"], runs["ddp"], runs["fsdp"]
    assert fsdp["kind"] == "DTensor" and ddp["kind"] == one["kind"] == "Parameter"  # really sharded
    assert len(one["losses"]) == len(ddp["losses"]) == len(fsdp["losses"]) == 20
    for other in (ddp, fsdp):
        assert max(abs(a - b) for a, b in zip(one["losses"], other["losses"])) < 1e-5
        assert abs(one["valid"] - other["valid"]) < 1e-5
    assert one["losses"][-1] < one["losses"][0]  # it learned: the comparison is not of untouched weights
    assert fsdp["bytes"] <= 0.55 * ddp["bytes"]  # each rank holds half the parameters and Adam's state
    for w in (w2, w3):  # the weights gathered back into a plain model after the context
        assert w1.keys() == w.keys() and all(torch.allclose(w1[k], w[k], atol=1e-5) for k in w1)


@pytest.mark.slow(minutes=1)
def test_two_nodes_simulated_on_localhost_with_two_launchers(tmp_path):
    # `torchrun --nnodes 2` twice, as on two machines: one process each, meeting at the first's address
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK")}
    launch = [sys.executable, "-m", "torch.distributed.run", "--nnodes", "2", "--nproc_per_node", "1",
              "--master_addr", "127.0.0.1", "--master_port", str(port)]  # fmt: skip
    logs = [(tmp_path / f"node{r}.log").open("w") for r in (0, 1)]  # files: a full pipe would block a node
    nodes = [subprocess.Popen([*launch, "--node_rank", str(r), str(SCRIPT), str(tmp_path)], env=env,
                              stdout=logs[r], stderr=subprocess.STDOUT) for r in (0, 1)]  # fmt: skip
    codes = [n.wait(timeout=300) for n in nodes]
    for log in logs:
        log.close()
    tails = "".join((tmp_path / f"node{r}.log").read_text()[-2000:] for r in (0, 1))
    assert codes == [0, 0], tails
    r0, r1 = ((tmp_path / f"rank{i}.txt").read_text().split() for i in (0, 1))
    assert r0[0] == r1[0] == "6" and r0[1:4] == r1[1:4]  # each node its share; losses reduced across nodes


API = Path(__file__).with_name("api_run.py")


@pytest.mark.slow(minutes=1)
def test_the_learner_api_inside_ddp_and_fsdp_matches_one_process(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK")}
    env["PYTHONHASHSEED"] = "0"
    res = subprocess.run([sys.executable, str(API), str(tmp_path / "single"), "single"], capture_output=True,
                         text=True, timeout=300, env=env)  # fmt: skip
    assert res.returncode == 0, res.stderr[-3000:]
    one = json.loads((tmp_path / "single" / "rank0.json").read_text())
    assert max(abs(a - b) for p, q in zip(one["continued"], one["preds"]) for a, b in zip(p, q)) > 0.01
    launcher = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--standalone"]
    for strategy in ("ddp", "fsdp"):
        out = tmp_path / strategy
        res = subprocess.run([*launcher, str(API), str(out), strategy], capture_output=True, text=True,
                             timeout=300, env=env)  # fmt: skip
        assert res.returncode == 0, res.stderr[-3000:]
        for rank in (0, 1):
            run = json.loads((out / f"rank{rank}.json").read_text())
            assert len(run["preds"]) == 61 and run["targs"] == one["targs"]  # every item once, in order
            for key in ("preds", "reloaded", "continued") + (("exported",) if rank == 0 else ()):
                assert torch.allclose(torch.tensor(run[key]), torch.tensor(one[key]), atol=1e-5), (
                    strategy,
                    key,
                )
            assert run["reloaded"] == run["preds"]  # load gave back the saved weights exactly
            # the repeated item that pads the shares is not counted: the same loss and metrics as one process
            assert run["validate"][2] == one["validate"][2] == run["recorded"][3]
            assert all(abs(a - b) < 1e-6 for a, b in zip(run["validate"], one["validate"]))
            assert (
                abs(run["lr_min"] - one["lr_min"]) < 1e-6 * one["lr_min"]
            )  # every rank stopped the sweep together


def test_gathered_shares_come_back_in_the_order_they_were_dealt():
    from lamella.learner.distributed import _interleave

    # 5 items dealt to 2 ranks (rank 0: items 0, 2, 4; rank 1: 1, 3), with a tuple target and no inputs
    parts = [
        (torch.tensor([0, 2, 4]), (torch.tensor([0.0, 2, 4]),), None),
        (torch.tensor([1, 3]), (torch.tensor([1.0, 3]),), None),
    ]
    preds, (targs,), inputs = _interleave(parts)
    assert preds.tolist() == [0, 1, 2, 3, 4] and targs.tolist() == [0, 1, 2, 3, 4] and inputs is None
