import pytest
import torch

from lamella.learner import Callback, MixedPrecision


class _WatchDtypes(Callback):
    """Records the dtype of each prediction, before MixedPrecision casts it back to float32."""

    order = 5

    def __init__(self):
        self.dtypes = []

    def after_pred(self):
        self.dtypes.append(self.pred.dtype)


def test_bf16_runs_the_forward_in_bfloat16_and_learns(learn, threshold):
    watch = _WatchDtypes()
    learn.to_bf16()
    learn.fit(3, cbs=watch)
    assert torch.bfloat16 in watch.dtypes  # seen before MixedPrecision casts the output back
    loss, *_ = learn.validate()
    threshold(loss, below=0.5, name="loss")  # chance's cross-entropy is ln 2 = 0.69
    learn.to_fp32()
    assert not any(isinstance(c, MixedPrecision) for c in learn.cbs)


def test_fp16_scales_the_loss_and_steps_through_the_scaler(learn):
    learn.to_fp16()
    mp = next(c for c in learn.cbs if isinstance(c, MixedPrecision))
    mp.cpu_fp16 = True  # forced: the scaler path on the CPU, as on CUDA
    learn.fit(1)
    assert mp.scaler is not None and mp.scaler.get_scale() > 0
    assert all(torch.isfinite(p).all() for p in learn.model.parameters())


def test_fp16_on_a_cpu_warns_once_and_trains_in_float32(learn):
    # float16 autocast on a CPU made an epoch 50x slower (issue 15)
    watch = _WatchDtypes()
    learn.to_fp16()
    with pytest.warns(UserWarning, match="to_bf16") as record:
        learn.fit(1, cbs=watch)
    assert len(record) == 1 and set(watch.dtypes) == {torch.float32}
    assert not torch.is_autocast_enabled("cpu")


def test_bad_mode():
    with pytest.raises(ValueError, match="'fp16' or 'bf16'"):
        MixedPrecision("fp8")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_fp16_on_cuda(learn):
    learn.dls.to("cuda")
    learn.model.cuda()
    learn.to_fp16()
    learn.fit(1)
    assert next(learn.model.parameters()).is_cuda


@pytest.mark.parametrize("precision", ["bf16", "fp16"])
def test_validate_and_get_preds_before_any_fit(learn, precision):
    watch = _WatchDtypes()
    getattr(learn, f"to_{precision}")()
    loss, *_ = learn.validate(cbs=watch)  # no before_fit has run: the callback prepares itself
    preds, _ = learn.get_preds()
    assert torch.isfinite(torch.tensor(loss)) and preds.dtype == torch.float32
    assert watch.dtypes and watch.dtypes[0] == (torch.bfloat16 if precision == "bf16" else torch.float32)
