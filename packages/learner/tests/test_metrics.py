import pytest
import torch

from lamella.learner import (
    AccumMetric,
    AvgMetric,
    F1Score,
    Precision,
    R2Score,
    Recall,
    ValueMetric,
    accuracy,
    accuracy_multi,
    error_rate,
    mae,
    mse,
    msle,
    rmse,
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


@pytest.mark.parametrize(
    "factory,expected",
    [(mse, 11 / 3), (rmse, (11 / 3) ** 0.5), (mae, 5 / 3), (msle, None)],
)
def test_regression_metrics_exact_over_batches(factory, expected):
    m = factory()
    m.accumulate_batch(torch.tensor([0.0, 0.0]), torch.tensor([1.0, 1.0]))
    m.accumulate_batch(torch.tensor([0.0]), torch.tensor([3.0]))
    if expected is not None:
        assert m.value == pytest.approx(expected)
    else:
        assert m.value == pytest.approx(((torch.log1p(torch.tensor([1.0, 1.0, 3.0]))) ** 2).mean().item())


def test_r2_and_classification_scores_against_hand_counts():
    r2 = R2Score()
    r2.accumulate_batch(torch.tensor([1.0, 2.0, 4.0]), torch.tensor([1.0, 2.0, 3.0]))
    assert r2.value == pytest.approx(1 - 1 / 2)
    logits = torch.tensor([[0.0, 1.0], [0.0, 1.0], [1.0, 0.0], [1.0, 0.0]])
    targ = torch.tensor([1, 0, 1, 0])  # tp=1, fp=1, fn=1, tn=1
    for factory, value in ((Precision, 0.5), (Recall, 0.5), (F1Score, 0.5)):
        m = factory()
        m.accumulate_batch(logits, targ)
        assert m.value == pytest.approx(value)
    macro = F1Score(average="macro")
    macro.accumulate_batch(logits, targ)
    assert macro.value == pytest.approx(0.5)
    with pytest.raises(ValueError, match="average must be"):
        bad = F1Score(average="weighted")
        bad.accumulate_batch(logits, targ)
        _ = bad.value


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


def test_metrics_in_a_learner(learn):
    learn.metrics = [AvgMetric(accuracy), F1Score()]
    learn.fit(1)
    assert learn.recorder.metric_names[-3:] == ["accuracy", "f1_score", "time"]
    preds, targs = learn.get_preds()  # the recorded F1 is the validation set's, computed here by hand
    pred = preds.argmax(1)
    tp, fp, fn = [int(((pred == p) & (targs == t)).sum()) for p, t in ((1, 1), (1, 0), (0, 1))]
    assert learn.recorder.values[0][-1] == pytest.approx(2 * tp / (2 * tp + fp + fn))


def test_auc_balanced_mcc_explained_variance():
    from lamella.learner import BalancedAccuracy, ExplainedVariance, MatthewsCorrCoef, RocAuc

    auc = RocAuc()
    auc.accumulate_batch(
        torch.tensor([[0.0, 1.0], [1.0, 0.0], [0.0, 0.5], [0.2, 0.0]]), torch.tensor([1, 0, 0, 1])
    )
    assert auc.value == pytest.approx(0.75)  # 3 of the 4 (pos, neg) pairs ranked right
    multi = RocAuc()
    multi.accumulate_batch(torch.eye(3) * 5, torch.tensor([0, 1, 2]))
    assert multi.value == 1.0
    bal = BalancedAccuracy()
    bal.accumulate_batch(torch.tensor([[1.0, 0.0]] * 4), torch.tensor([0, 0, 0, 1]))
    assert bal.value == 0.5
    mcc = MatthewsCorrCoef()
    mcc.accumulate_batch(
        torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]), torch.tensor([1, 0, 1, 0])
    )
    assert mcc.value == -1.0
    ev = ExplainedVariance()
    ev.accumulate_batch(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 3.0, 4.0]))
    assert ev.value == pytest.approx(1.0)


def test_segmentation_metrics_and_perplexity():
    from lamella.learner import Dice, JaccardCoeff, Perplexity, foreground_acc

    pred = torch.tensor([[[[5.0, 0.0, 5.0]], [[0.0, 5.0, 0.0]]]])  # predicts 0, 1, 0
    targ = torch.tensor([[[0, 1, 1]]])
    d, j = Dice(), JaccardCoeff()
    d.accumulate_batch(pred, targ)
    j.accumulate_batch(pred, targ)
    assert d.value == pytest.approx(2 / 3) and j.value == pytest.approx(0.5)
    assert foreground_acc(pred, targ).item() == 0.5
    p = Perplexity()
    p.total, p.count = 2.0, 1
    assert p.value == pytest.approx(2.718281828**2, rel=1e-5) and p.name == "perplexity"


def test_skm_wrapper():
    from lamella.learner import skm_to_fastai

    m = skm_to_fastai(lambda t, p: float((t == p).mean()))
    m.accumulate_batch(torch.tensor([[0.0, 1.0], [1.0, 0.0]]), torch.tensor([1, 1]))
    assert m.value == 0.5 and m.name == "<lambda>"


def test_titles_are_fastais_so_monitors_port(learn, tmp_path):
    # SaveModelCallback(monitor="precision_score") and partial metrics, as fastai notebooks write them
    from functools import partial

    from lamella.learner import BalancedAccuracy, MatthewsCorrCoef, RocAuc, SaveModelCallback

    learn.path = tmp_path
    learn.metrics = [
        partial(accuracy, axis=-1),
        Precision(),
        Recall(),
        BalancedAccuracy(),
        MatthewsCorrCoef(),
        RocAuc(),
    ]
    learn.fit(1, cbs=SaveModelCallback(monitor="precision_score"))
    assert learn.recorder.metric_names[3:-1] == [
        "accuracy", "precision_score", "recall_score", "balanced_accuracy_score", "matthews_corrcoef",
        "roc_auc_score",
    ]  # fmt: skip
    assert (tmp_path / "models" / "model.safetensors").exists()


@pytest.mark.parametrize(
    "metric", [rmse, mae, msle, mse, R2Score, F1Score, Precision, Recall], ids=lambda f: f.__name__
)
def test_metrics_pickle_for_export(metric):
    import pickle

    m = metric()
    assert pickle.loads(pickle.dumps(m)).name == m.name


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
