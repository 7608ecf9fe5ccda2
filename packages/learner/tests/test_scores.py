import pytest
import torch

from lamella.learner import (
    AvgMetric,
    F1Score,
    Precision,
    R2Score,
    Recall,
    accuracy,
    mae,
    mse,
    msle,
    rmse,
)


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
