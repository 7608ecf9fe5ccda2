"""fastai's callback, schedule and learner docs (callback.*, learner, optimizer notebooks), imports changed.

A synthetic regression (fastai's `synth_learner` idea) keeps these fast; the cells are fastai's.
"""

import lamella.samples
from lamella.vision.all import *


def synth_dls(n=256, bs=16):
    set_seed(0)
    x = torch.randn(n, 1)
    y = 2 * x + 3 + 0.1 * torch.randn(n, 1)
    items = list(zip(x, y))
    return DataLoaders(DataLoader(items[:192], bs=bs, shuffle=True), DataLoader(items[192:], bs=bs))


class RegModel(Module):
    def __init__(self):
        self.a, self.b = nn.Parameter(torch.randn(1)), nn.Parameter(torch.randn(1))

    def forward(self, x):
        return x * self.a + self.b


def synth_learner(**kwargs):
    return Learner(synth_dls(), RegModel(), loss_func=MSELossFlat(), lr=1e-2, **kwargs)


def test_learner_doc_fit_and_custom_callback(capsys):
    class PrintLossCallback(Callback):
        order = 60

        def after_epoch(self):
            print(f"epoch {self.epoch}: {self.recorder.values[-1][0]:.3f}")

    learn = synth_learner(cbs=PrintLossCallback())
    learn.fit(3, lr=1e-1)
    values = learn.recorder.values
    assert capsys.readouterr().out.count("epoch 2: ") == 1 and values[-1][1] < values[0][1]


def test_callback_schedule_doc_param_scheduler_and_plot_sched(mpl):
    learn = synth_learner()
    sched = {"lr": SchedLin(1e-3, 1e-2)}
    learn.fit(1, cbs=ParamScheduler(sched))
    n = len(learn.dls.train)
    assert (
        learn.recorder.hps["lr"][0] == 1e-3
        and abs(learn.recorder.hps["lr"][-1] - (1e-3 + 9e-3 * (n - 1) / n)) < 1e-9
    )
    f = combine_scheds([0.3, 0.7], [SchedCos(0.3, 0.6), SchedCos(0.6, 0.2)])
    assert abs(f(0.3) - 0.6) < 1e-9
    learn.fit_one_cycle(2)
    learn.recorder.plot_sched()
    learn.recorder.plot_loss()


def test_callback_schedule_doc_fit_flat_cos_and_sgdr():
    learn = synth_learner()
    learn.fit_flat_cos(2)
    learn.fit_sgdr(3, 1)
    assert len(learn.recorder.values) == 7


def test_callback_tracker_doc_save_best_and_early_stopping(tmp_path):
    learn = synth_learner(metrics=rmse, path=tmp_path)
    learn.fit_one_cycle(
        10,
        cbs=[
            SaveModelCallback(monitor="rmse", fname="best"),
            EarlyStoppingCallback(monitor="valid_loss", patience=2),
        ],
    )
    assert (tmp_path / "models" / "best.safetensors").exists()


def test_callback_progress_doc_csv_logger_and_show_graph(tmp_path, mpl):
    learn = synth_learner(path=tmp_path, cbs=[CSVLogger(), ShowGraphCallback()])
    learn.fit(3)
    df = learn.csv_logger.read_log()
    assert list(df.columns) == ["epoch", "train_loss", "valid_loss", "time"] and len(df) == 3


def test_callback_training_doc_gradient_accumulation_and_short_epoch():
    learn = synth_learner()
    learn.fit(1, cbs=[GradientAccumulation(n_acc=64), ShortEpochCallback(pct=0.5)])
    assert len(learn.recorder.losses) == len(learn.dls.train) // 2


def test_callback_fp16_doc_on_a_cpu():
    import pytest

    learn = synth_learner()
    learn.to_fp16()
    with pytest.warns(UserWarning, match="float32"):  # lamella: float16 on a CPU stays float32, once
        learn.fit(1)
    learn.to_fp32()
    assert not any(isinstance(c, MixedPrecision) for c in learn.cbs)


def test_optimizer_doc_optim_wrapper():
    opt_func = partial(OptimWrapper, opt=torch.optim.AdamW)
    learn = synth_learner(opt_func=opt_func)
    learn.fit(2, lr=1e-1)
    values = learn.recorder.values
    assert isinstance(learn.opt.opt, torch.optim.AdamW) and values[-1][1] < values[0][1]


def test_mixup_doc_visualisation_cell(mpl):
    path = lamella.samples.path("mnist_tiny")
    dls = ImageDataLoaders.from_folder(path, item_tfms=Resize(28), bs=9)
    mixup = MixUp(1.0)
    with Learner(dls, nn.Linear(3, 4), loss_func=CrossEntropyLossFlat(), cbs=mixup) as learn:
        learn.epoch, learn.training = 0, True
        learn.dl = dls.train
        b = dls.one_batch()
        learn._split(b)
        learn("before_train")
        learn("before_batch")
    _, axs = plt.subplots(3, 3, figsize=(9, 9))
    dls.show_batch(b=(mixup.x, mixup.y), ctxs=axs.flatten())
    assert mixup.x.shape == (9, 3, 28, 28) and not torch.equal(mixup.x, b[0])


def test_learner_doc_show_training_loop_and_removed_cbs(capsys):
    learn = synth_learner()
    learn.show_training_loop()
    with learn.removed_cbs(learn.progress):
        learn.fit(1)
    assert "before_fit" in capsys.readouterr().out and learn.progress in learn.cbs
