import pytest


def test_values_losses_and_hypers(learn):
    learn.fit(2)
    rec = learn.recorder
    assert len(rec.values) == 2 and rec.log[0] == 1 and rec.log[-1] > 0
    # fastai's rows: train_loss, valid_loss, metrics; no epoch and no time (values[-1][2] is a metric)
    assert [len(r) for r in rec.values] == [2, 2] and rec.values[1] == rec.log[1:-1]
    assert len(rec.losses) == len(rec.lrs) == len(rec.moms) == 2 * len(learn.dls.train)
    assert rec.iters == [len(learn.dls.train), 2 * len(learn.dls.train)]


def test_train_metrics_add_columns(learn):
    from lamella.learner import AvgMetric, Recorder, accuracy

    learn.remove_cb(learn.recorder)
    learn.add_cb(Recorder(train_metrics=True))
    learn.metrics = [AvgMetric(accuracy)]
    learn.fit(1)
    assert learn.recorder.metric_names == [
        "epoch",
        "train_loss",
        "train_accuracy",
        "valid_loss",
        "accuracy",
        "time",
    ]
    assert len(learn.recorder.values[0]) == 4


def test_plots(learn):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    learn.fit_one_cycle(2, 1e-2)
    assert len(learn.recorder.plot_loss(skip_start=0).lines) == 2
    assert len(learn.recorder.plot_sched()) == 2
    assert len(learn.recorder.plot_metrics()) == 2
    plt.close("all")


def test_hps_per_batch(learn):
    learn.fit(1)
    hps = learn.recorder.hps
    assert len(hps["lr"]) == len(learn.dls.train) and hps["lr"][0] == 0.1


def test_valid_metrics_false_drops_the_validation_columns_as_fastai(learn, mpl):
    from lamella.learner import AvgMetric, accuracy

    learn.metrics = [AvgMetric(accuracy)]
    learn.recorder.train_metrics, learn.recorder.valid_metrics = True, False  # fastai's GAN tutorial
    learn.fit(1)
    assert learn.recorder.metric_names == ["epoch", "train_loss", "train_accuracy", "time"]
    assert len(learn.recorder.values[0]) == 2 and 0 <= learn.recorder.values[0][1] <= 1
    learn.recorder.plot_loss()  # no validation curve to draw
