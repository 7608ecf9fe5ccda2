"""Training a GAN: the switchers' turns, clipping, frozen halves, the learner's recipes."""

from functools import partial

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from lamella.data import DataBlock, IndexSplitter, Normalize, TransformBlock
from lamella.learner import Callback
from lamella.optim import Adam
from lamella.vision import (
    AdaptiveGANSwitcher,
    FixedGANSwitcher,
    GANLearner,
    ImageBlock,
    PILImageBW,
    Resize,
    basic_critic,
    basic_generator,
    generate_noise,
    get_image_files,
)


@pytest.fixture
def gan_dls(tmp_path):
    rng = np.random.default_rng(0)
    for i in range(24):  # odd-sized grey images, squared by Resize
        Image.fromarray(rng.integers(0, 255, (21, 17), dtype=np.uint8)).save(tmp_path / f"{i}.png")
    dblock = DataBlock(
        blocks=(TransformBlock, ImageBlock(PILImageBW)), get_x=partial(generate_noise, size=8),
        get_items=get_image_files, splitter=IndexSplitter([]), item_tfms=Resize(16),
        batch_tfms=Normalize.from_stats(torch.tensor([0.5]), torch.tensor([0.5])),
    )  # fmt: skip
    return dblock.dataloaders(tmp_path, bs=4, device="cpu", seed=0)


class _Watch(Callback):
    order = 7  # after GANTrainer and the switcher moved the batch and the mode

    def before_fit(self):
        self.modes, self.max_crit, self.gen_grads_in_crit_turn = [], 0.0, []

    def before_batch(self):
        self.modes.append(self.learn.gan_trainer.gen_mode)
        self.max_crit = max(
            self.max_crit, max(p.abs().max().item() for p in self.learn.model.critic.parameters())
        )

    def after_backward(self):
        if not self.learn.gan_trainer.gen_mode:
            self.gen_grads_in_crit_turn += [p.grad for p in self.learn.model.generator.parameters()]


def _gan(gan_dls, **kwargs):
    gen = basic_generator(16, 1, in_sz=8, n_features=8)
    crit = basic_critic(16, 1, n_features=8, act_cls=partial(nn.LeakyReLU, negative_slope=0.2))
    learn = GANLearner.wgan(gan_dls, gen, crit, opt_func=partial(Adam, mom=0.0), **kwargs)
    learn.recorder.train_metrics, learn.recorder.valid_metrics = True, False
    return learn


def test_wgan_switches_five_critic_batches_to_one_generator_batch_and_clips(gan_dls):
    torch.manual_seed(0)
    learn, watch = _gan(gan_dls), _Watch()
    with learn.no_bar(), learn.no_logging():
        learn.fit(2, 2e-4, wd=0, cbs=watch)
    # 6 batches an epoch: 5 critic, 1 generator; validation (empty here) switches to the generator,
    # which the next epoch starts with, as in fastai
    assert watch.modes == [False] * 5 + [True] + [True] + [False] * 5
    assert watch.max_crit <= 0.01 + 1e-6  # the critic's weights clipped before every batch
    assert watch.gen_grads_in_crit_turn and all(g is None for g in watch.gen_grads_in_crit_turn)
    assert learn.recorder.metric_names == ["epoch", "train_loss", "train_gen_loss", "train_crit_loss", "time"]
    train_loss, gen_loss, crit_loss = learn.recorder.values[-1]
    assert (
        gen_loss == pytest.approx(learn.loss_func.gen_loss.detach().item()) and crit_loss < 0
    )  # one generator batch
    assert len(learn.gan_trainer.crit_losses) == 10 and len(learn.gan_trainer.gen_losses) == 2


def test_adaptive_switcher_and_show_results(gan_dls, mpl):
    torch.manual_seed(0)
    learn = _gan(gan_dls, switcher=AdaptiveGANSwitcher(critic_thresh=-1e9))  # the critic never gets there
    watch = _Watch()
    with learn.no_bar(), learn.no_logging():
        learn.fit(1, 2e-4, wd=0, cbs=watch)
    assert watch.modes == [False] * 6
    axs = learn.show_results(ds_idx=0, max_n=4)
    assert len(axs) == 4 and all(len(ax.images) == 1 for ax in axs)
    axs = gan_dls.show_batch(max_n=3)
    assert len(axs) == 3


def test_dcgan_trains_one_batch_each(gan_dls):
    torch.manual_seed(0)
    gen, crit = basic_generator(16, 1, in_sz=8, n_features=8), basic_critic(16, 1, n_features=8)
    learn, watch = GANLearner.dcgan(gan_dls, gen, crit), _Watch()
    with learn.no_bar(), learn.no_logging():
        learn.fit(1, 2e-4, cbs=watch)
    assert watch.modes == [False, True] * 3 and all(np.isfinite(learn.gan_trainer.crit_losses))


def test_fixed_switcher_counts():
    assert FixedGANSwitcher(n_crit=2, n_gen=3).n_gen == 3
