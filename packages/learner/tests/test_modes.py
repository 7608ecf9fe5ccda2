"""How a learner runs: precision switches, compilation (saved as the plain model), summary."""

import pytest
import torch

from lamella.learner import MixedPrecision


def test_summary_and_compile(learn, tmp_path):
    text = learn.summary()
    assert "Linear" in text and "Total params: 6" in text and "TrainEvalCallback" in text
    learn.path = tmp_path
    learn.compile(backend="eager")
    learn.fit(1)
    learn.save("compiled")
    from safetensors.torch import load_file

    saved = load_file(tmp_path / "models" / "compiled.safetensors")
    assert not any(k.startswith("_orig_mod") for k in saved)
    learn.load("compiled")


def test_precision_switches_replace_each_other(learn):
    learn.to_bf16()
    assert [c.amp_mode for c in learn.cbs if isinstance(c, MixedPrecision)] == ["bf16"]
    learn.to_fp16()
    assert [c.amp_mode for c in learn.cbs if isinstance(c, MixedPrecision)] == ["fp16"]
    with pytest.warns(UserWarning, match="float16 is emulated"):  # on a CPU it stays in float32
        learn.fit(1)
    assert not any(isinstance(c, MixedPrecision) for c in learn.to_fp32().cbs)
    learn.to_bf16()
    learn.fit(1)  # bfloat16 autocast on the CPU trains
    (mp,) = [c for c in learn.cbs if isinstance(c, MixedPrecision)]
    assert len(learn.recorder.values) == 1 and mp.active and mp.dtype == torch.bfloat16
