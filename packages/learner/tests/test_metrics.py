import pytest
import torch

from lamella.learner import (
    AccumMetric,
    AvgMetric,
    ValueMetric,
    accuracy,
    accuracy_multi,
    error_rate,
    top_k_accuracy,
)


def test_functions():
    pred, targ = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]), torch.tensor([1, 1, 1])
    assert accuracy(pred, targ).item() == pytest.approx(2 / 3) and error_rate(
        pred, targ
    ).item() == pytest.approx(1 / 3)
    assert top_k_accuracy(pred, targ, k=2).item() == 1.0
    assert accuracy_multi(torch.tensor([[2.0, -2.0]]), torch.tensor([[1, 0]])).item() == 1.0
    with pytest.raises(ValueError, match="do not match targets"):
        accuracy(pred, torch.tensor([1, 1]))


def test_avg_metric_is_exact_across_unequal_batches():
    m = AvgMetric(accuracy)
    m.accumulate_batch(torch.tensor([[1.0, 0.0]] * 3), torch.tensor([0, 0, 0]))
    m.accumulate_batch(torch.tensor([[1.0, 0.0]]), torch.tensor([1]))
    assert m.value == 0.75 and m.name == "accuracy"
    m.reset()
    assert m.value is None


def test_accum_metric_options_and_value_metric():
    m = AccumMetric(lambda p, t: (p == t).float().mean(), dim_argmax=-1, activation="softmax", name="acc")
    m.accumulate_batch(torch.tensor([[0.0, 3.0]]), torch.tensor([1]))
    assert m.value == 1.0 and m.name == "acc"
    with pytest.raises(ValueError, match="do not match targets"):
        m.accumulate_batch(torch.tensor([[0.0, 3.0]]), torch.tensor([1, 0]))
    t = AccumMetric(lambda p, t: (p == t.bool()).float().mean(), activation="sigmoid", thresh=0.5)
    t.accumulate_batch(torch.tensor([5.0, -5.0]), torch.tensor([1, 0]))
    assert t.value == 1.0
    assert ValueMetric(lambda: 2, "two").name == "two"


def test_skm_wrapper():
    from lamella.learner import skm_to_fastai

    m = skm_to_fastai(lambda t, p: float((t == p).mean()))
    m.accumulate_batch(torch.tensor([[0.0, 1.0], [1.0, 0.0]]), torch.tensor([1, 1]))
    assert m.value == 0.5 and m.name == "<lambda>"


def test_a_metric_that_raises_is_named_with_the_batch_shapes():
    from torch import nn

    from lamella.data import DataLoaders
    from lamella.learner import CallbackError, Learner, MetricError

    def broken_metric(inp, targ):
        raise RuntimeError("cannot")

    x = torch.randn(16, 3)
    ds = list(zip(x, (x.sum(1) > 0).long()))
    learn = Learner(DataLoaders.from_dsets(ds[:8], ds[8:], bs=4, device="cpu"), nn.Linear(3, 2),
                    loss_func=nn.functional.cross_entropy, metrics=broken_metric)  # fmt: skip
    with learn.no_bar(), learn.no_logging(), pytest.raises(CallbackError) as e:
        learn.fit(1)
    assert isinstance(e.value.__cause__, MetricError)
    assert "metric 'broken_metric' failed on a batch of predictions (4, 2) and targets [(4,)]" in str(e.value)
