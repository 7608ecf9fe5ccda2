import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from lamella.vision import (
    GANLoss,
    GANModule,
    InvisibleTensor,
    basic_critic,
    basic_generator,
    gan_loss_from_func,
    generate_noise,
)


@settings(max_examples=6, deadline=None)
@given(st.sampled_from([8, 16, 32, 64]), st.integers(1, 3), st.integers(0, 1))
def test_generator_and_critic_fit_each_size(size, channels, extra):
    gen = basic_generator(size, channels, in_sz=7, n_features=8, n_extra_layers=extra)
    crit = basic_critic(size, channels, n_features=8, n_extra_layers=extra)
    fake = gen(torch.randn(3, 7))
    assert fake.shape == (3, channels, size, size) and fake.abs().max() <= 1  # tanh
    assert crit(fake).shape == (3, 1)


def test_gan_module_and_loss_follow_the_mode():
    gan = GANModule(nn.Linear(2, 3), nn.Linear(3, 1))
    loss = GANLoss(lambda f, o, t: f.mean(), lambda r, f: r.mean() - f.mean(), gan)
    real_pred = gan(torch.ones(4, 3))  # critic mode
    assert real_pred.shape == (4, 1) and loss.critic(real_pred, torch.zeros(4, 2)).shape == ()
    gan.switch(), loss.switch()
    fake = gan(torch.zeros(4, 2))
    assert fake.shape == (4, 3) and torch.equal(loss(fake, torch.zeros(4, 3)), loss.gen_loss)


def test_gan_loss_from_func_is_bce_for_the_critic_and_weighted_for_the_generator():
    bce = nn.functional.binary_cross_entropy_with_logits
    g, c = gan_loss_from_func(nn.functional.l1_loss, bce, weights_gen=(0.5, 2.0))
    fake_pred, out, targ = torch.zeros(2, 1), torch.ones(2, 3), torch.zeros(2, 3)
    assert torch.isclose(g(fake_pred, out, targ), 0.5 * bce(fake_pred, torch.ones(2, 1)) + 2.0)
    assert torch.isclose(
        c(torch.zeros(2, 1), torch.zeros(2, 1)), torch.tensor(np.log(2), dtype=torch.float32)
    )


def test_noise_shows_nothing():
    noise = generate_noise("any.png", size=5)
    assert isinstance(noise, InvisibleTensor) and noise.shape == (5,) and noise.show(ctx="ax") == "ax"
