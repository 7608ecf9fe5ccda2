import os
import subprocess
import sys
from pathlib import Path

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
