"""GAN models and losses as fastai's: a generator and a critic in one `GANModule`, one `GANLoss`.

The data are noise (`generate_noise`, an `InvisibleTensor` that shows nothing) as inputs and real
images as targets; `show_batch` shows the real images and `show_results` the generated ones.
Training them (`GANLearner`, `GANTrainer`, the switchers) is in `gan_learner.py`.

Examples:
    >>> import torch
    >>> gen, crit = basic_generator(16, 1, in_sz=8, n_features=8), basic_critic(16, 1, n_features=8)
    >>> gen(torch.randn(2, 8)).shape, crit(torch.zeros(2, 1, 16, 16)).shape
    (torch.Size([2, 1, 16, 16]), torch.Size([2, 1]))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor, nn

from lamella.data import get_grid, show_batch, show_results
from lamella.learner import Flatten, NormType
from lamella.typedtensor import TensorBase, TensorImage

from .xresnet import ConvLayer

__all__ = [
    "AddChannels",
    "GANLoss",
    "GANModule",
    "InvisibleTensor",
    "basic_critic",
    "basic_generator",
    "gan_loss_from_func",
    "generate_noise",
]


class InvisibleTensor(TensorBase):
    """A tensor that shows nothing: the noise a generator starts from.

    Examples:
        >>> InvisibleTensor(torch.zeros(3)).show(ctx="axes")
        'axes'
    """

    def show(self, ctx: Any = None, **kwargs: Any) -> Any:
        """Leave `ctx` as it is."""
        return ctx


def generate_noise(fn: Any, size: int = 100) -> InvisibleTensor:
    """A noise vector of `size` normal values, whatever the item `fn` (a `get_x` for GAN data).

    Examples:
        >>> generate_noise("any item", size=4).shape
        torch.Size([4])
    """
    return InvisibleTensor(torch.randn(size))


class AddChannels(nn.Module):
    """Add `n_dim` trailing dimensions of size 1: a noise vector becomes a 1x1 image.

    Examples:
        >>> AddChannels(2)(torch.zeros(3, 5)).shape
        torch.Size([3, 5, 1, 1])
    """

    def __init__(self, n_dim: int) -> None:
        super().__init__()
        self.n_dim = n_dim

    def forward(self, x: Tensor) -> Tensor:  # noqa: D102  (the class documents it)
        return x.view(*x.shape, *[1] * self.n_dim)


def basic_generator(
    out_size: int,
    n_channels: int,
    in_sz: int = 100,
    n_features: int = 64,
    n_extra_layers: int = 0,
    **kwargs: Any,
) -> nn.Sequential:
    """A DCGAN generator: noise of `in_sz` values to `n_channels` x `out_size` x `out_size` in [-1, 1].

    `kwargs` go to each `ConvLayer` (`norm_type`, `act_cls`), as fastai's.

    Examples:
        >>> basic_generator(32, 3, in_sz=10, n_features=8)(torch.randn(2, 10)).shape
        torch.Size([2, 3, 32, 32])
    """
    cur_size, cur_ftrs = 4, n_features // 2
    while cur_size < out_size:
        cur_size *= 2
        cur_ftrs *= 2
    layers: list[nn.Module] = [AddChannels(2), ConvLayer(in_sz, cur_ftrs, 4, 1, transpose=True, **kwargs)]
    cur_size = 4
    while cur_size < out_size // 2:
        layers.append(ConvLayer(cur_ftrs, cur_ftrs // 2, 4, 2, padding=1, transpose=True, **kwargs))
        cur_ftrs //= 2
        cur_size *= 2
    layers += [
        ConvLayer(cur_ftrs, cur_ftrs, 3, 1, padding=1, transpose=True, **kwargs)
        for _ in range(n_extra_layers)
    ]
    layers += [nn.ConvTranspose2d(cur_ftrs, n_channels, 4, 2, 1, bias=False), nn.Tanh()]
    return nn.Sequential(*layers)


def basic_critic(
    in_size: int,
    n_channels: int,
    n_features: int = 64,
    n_extra_layers: int = 0,
    norm_type: NormType | None = NormType.Batch,
    **kwargs: Any,
) -> nn.Sequential:
    """A DCGAN critic: `n_channels` x `in_size` x `in_size` images to one score each.

    Examples:
        >>> basic_critic(32, 3, n_features=8)(torch.zeros(2, 3, 32, 32)).shape
        torch.Size([2, 1])
    """
    layers: list[nn.Module] = [ConvLayer(n_channels, n_features, 4, 2, padding=1, norm_type=None, **kwargs)]
    cur_size, cur_ftrs = in_size // 2, n_features
    layers += [
        ConvLayer(cur_ftrs, cur_ftrs, 3, 1, norm_type=norm_type, **kwargs) for _ in range(n_extra_layers)
    ]
    while cur_size > 4:
        layers.append(ConvLayer(cur_ftrs, cur_ftrs * 2, 4, 2, padding=1, norm_type=norm_type, **kwargs))
        cur_ftrs *= 2
        cur_size //= 2
    last = nn.Conv2d(cur_ftrs, 1, 4, padding=0)
    nn.init.kaiming_normal_(last.weight)
    layers += [last, Flatten()]
    return nn.Sequential(*layers)


class GANModule(nn.Module):
    """A generator and a critic; `forward` runs the generator in `gen_mode`, else the critic.

    Examples:
        >>> gan = GANModule(nn.Linear(2, 3), nn.Linear(3, 1))
        >>> gan(torch.zeros(4, 3)).shape, gan.switch(gen_mode=True)(torch.zeros(4, 2)).shape
        (torch.Size([4, 1]), torch.Size([4, 3]))
    """

    def __init__(
        self, generator: nn.Module | None = None, critic: nn.Module | None = None, gen_mode: bool = False
    ):
        super().__init__()
        if generator is not None:
            self.generator = generator
        if critic is not None:
            self.critic = critic
        self.gen_mode = gen_mode

    def forward(self, *args: Any) -> Any:  # noqa: D102  (the class documents it)
        return self.generator(*args) if self.gen_mode else self.critic(*args)

    def switch(self, gen_mode: bool | None = None) -> GANModule:
        """Switch to the generator (`True`), the critic (`False`) or the other one (None); returns self."""
        self.gen_mode = (not self.gen_mode) if gen_mode is None else gen_mode
        return self


class GANLoss(GANModule):
    """The loss of whichever half trains: `generator(output, target)` or `critic(real_pred, input)`.

    `gen_loss_func(fake_pred, output, target)` scores the generator from the critic's opinion of
    its images; `crit_loss_func(real_pred, fake_pred)` scores the critic on real and generated
    images. The last values are kept as `gen_loss` and `crit_loss`.

    Examples:
        >>> gan = GANModule(nn.Linear(2, 3), nn.Linear(3, 1))
        >>> loss = GANLoss(lambda f, o, t: f.mean(), lambda r, f: r.mean() - f.mean(), gan)
        >>> loss(torch.zeros(4, 1), torch.zeros(4, 2)).shape  # the critic's turn
        torch.Size([])
    """

    def __init__(self, gen_loss_func: Callable, crit_loss_func: Callable, gan_model: GANModule) -> None:
        super().__init__()
        self.gen_loss_func, self.crit_loss_func, self.gan_model = gen_loss_func, crit_loss_func, gan_model
        self.gen_loss: Tensor | None = None
        self.crit_loss: Tensor | None = None

    def generator(self, output: Tensor, target: Tensor) -> Tensor:  # type: ignore[override]
        """The generator's loss on its `output` images (the critic scores them)."""
        fake_pred = self.gan_model.critic(output)
        self.gen_loss = self.gen_loss_func(fake_pred, output, target)
        return self.gen_loss

    def critic(self, real_pred: Tensor, input: Tensor) -> Tensor:  # type: ignore[override]  # noqa: A002
        """The critic's loss: its scores of real images against those of images made from `input`."""
        fake = self.gan_model.generator(input).detach()  # no gradient reaches the generator
        fake_pred = self.gan_model.critic(fake)
        self.crit_loss = self.crit_loss_func(real_pred, fake_pred)
        return self.crit_loss


def gan_loss_from_func(
    loss_gen: Callable, loss_crit: Callable, weights_gen: tuple[float, float] | None = None
) -> tuple[Callable, Callable]:
    """The generator's and critic's losses from a classification loss (e.g. BCE on logits).

    The generator's loss is `weights_gen[0] * loss_crit(fake_pred, 1) + weights_gen[1] *
    loss_gen(output, target)`; the critic's `(loss_crit(real_pred, 1) + loss_crit(fake_pred, 0)) / 2`.

    Examples:
        >>> g, c = gan_loss_from_func(nn.functional.l1_loss, nn.functional.binary_cross_entropy_with_logits)
        >>> round(float(c(torch.zeros(2, 1), torch.zeros(2, 1))), 4)
        0.6931
    """
    w_crit, w_gen = weights_gen if weights_gen is not None else (1.0, 1.0)

    def _loss_g(fake_pred: Tensor, output: Tensor, target: Tensor) -> Tensor:
        ones = fake_pred.new_ones(fake_pred.shape[0], *fake_pred.shape[1:])
        return w_crit * loss_crit(fake_pred, ones) + w_gen * loss_gen(output, target)

    def _loss_c(real_pred: Tensor, fake_pred: Tensor) -> Tensor:
        ones, zeros = real_pred.new_ones(real_pred.shape), fake_pred.new_zeros(fake_pred.shape)
        return (loss_crit(real_pred, ones) + loss_crit(fake_pred, zeros)) / 2

    return _loss_g, _loss_c


@show_batch.register
def _(x: InvisibleTensor, y: TensorImage, samples: list, ctxs: Any = None, max_n: int = 10, nrows: Any = None,
      ncols: Any = None, figsize: Any = None, **kwargs: Any) -> Any:  # fmt: skip
    # GAN data: the noise shows nothing, so the real images alone
    n = min(len(samples), max_n)
    ctxs = get_grid(n, nrows, ncols, figsize) if ctxs is None else ctxs
    return [s[1].show(ctx=ctx, **kwargs) for s, ctx in zip(samples[:n], ctxs)]


@show_results.register
def _(x: InvisibleTensor, y: TensorImage, samples: list, outs: list, ctxs: Any = None, max_n: int = 10,
      nrows: Any = None, ncols: Any = None, figsize: Any = None, **kwargs: Any) -> Any:  # fmt: skip
    # the generated images, as fastai's GAN show_results
    n = min(len(outs), max_n)
    ctxs = get_grid(n, nrows, ncols, figsize) if ctxs is None else ctxs
    return [o[0].show(ctx=ctx, **kwargs) for o, ctx in zip(outs[:n], ctxs)]
