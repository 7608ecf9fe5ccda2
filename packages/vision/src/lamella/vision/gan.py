"""GANs as fastai trains them: a generator and a critic in one `GANModule`, switched by callbacks.

`GANLearner.wgan(dls, generator, critic)` is fastai's Wasserstein GAN recipe: the critic trains
`n_crit` batches (its weights clipped to `clip`), then the generator one, on one optimizer whose
idle half is frozen. The data are noise (`generate_noise`, an `InvisibleTensor` that shows nothing)
as inputs and real images as targets; the critic's turn swaps them.

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
from lamella.learner import AvgSmoothLoss, Callback, Flatten, Learner, Metric, NormType
from lamella.typedtensor import TensorBase, TensorImage

from .xresnet import ConvLayer

__all__ = [
    "AdaptiveGANSwitcher",
    "AddChannels",
    "FixedGANSwitcher",
    "GANLearner",
    "GANLoss",
    "GANModule",
    "GANTrainer",
    "InvisibleTensor",
    "basic_critic",
    "basic_generator",
    "gan_loss_from_func",
    "generate_noise",
    "set_freeze_model",
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


def set_freeze_model(m: nn.Module, rg: bool) -> None:
    """Set `requires_grad` of every parameter of `m` to `rg`.

    Examples:
        >>> m = nn.Linear(2, 2); set_freeze_model(m, False); m.weight.requires_grad
        False
    """
    for p in m.parameters():
        p.requires_grad_(rg)


class GANTrainer(Callback):
    """Switch the learner between generator and critic and keep each one's smoothed losses.

    Args:
        switch_eval: put the half that does not train in eval mode.
        clip: clamp the critic's weights to `[-clip, clip]` before each training batch (WGAN).
        beta: smoothing of the recorded losses.
        gen_first: start with the generator.
        show_img: kept for fastai's signature (the last generated batch is `last_gen`).

    Examples:
        >>> GANTrainer(clip=0.01).clip
        0.01
    """

    order = 5  # after TrainEvalCallback (which sets train/eval), before the Recorder reads the loss

    def __init__(
        self,
        switch_eval: bool = False,
        clip: float | None = None,
        beta: float = 0.98,
        gen_first: bool = False,
        show_img: bool = True,
    ) -> None:
        self.switch_eval, self.clip, self.beta, self.gen_first, self.show_img = (
            switch_eval, clip, beta, gen_first, show_img
        )  # fmt: skip
        self.gen_loss, self.crit_loss = AvgSmoothLoss(beta=beta), AvgSmoothLoss(beta=beta)
        self.gen_losses: list[float] = []
        self.crit_losses: list[float] = []
        self.gen_mode = gen_first
        self.last_gen: Tensor | None = None

    def _set_trainable(self) -> None:
        train_model = self.generator if self.gen_mode else self.critic
        loss_model = self.critic if self.gen_mode else self.generator
        set_freeze_model(train_model, True)
        set_freeze_model(loss_model, False)
        if self.switch_eval:
            train_model.train()
            loss_model.eval()

    def before_fit(self) -> None:  # noqa: D102  (the class documents its events)
        self.generator, self.critic = self.learn.model.generator, self.learn.model.critic
        self.gen_mode = self.gen_first
        self.switch(self.gen_mode)
        self.crit_losses, self.gen_losses = [], []
        self.gen_loss.reset()
        self.crit_loss.reset()

    def before_validate(self) -> None:  # noqa: D102
        self.switch(gen_mode=True)

    def before_batch(self) -> None:  # noqa: D102
        if self.learn.training and self.clip is not None:
            with torch.no_grad():
                for p in self.critic.parameters():
                    p.clamp_(-self.clip, self.clip)
        if not self.gen_mode:  # the critic reads real images (the targets) and scores the noise's fakes
            self.learn.xb, self.learn.yb = self.learn.yb, self.learn.xb

    def after_batch(self) -> None:  # noqa: D102
        if not self.learn.training or not self.learn.yb:
            return
        if self.gen_mode:
            self.gen_loss.accumulate(self.learn)
            self.gen_losses.append(self.gen_loss.value)  # type: ignore[arg-type]
            self.last_gen = self.learn.pred.detach()
        else:
            self.crit_loss.accumulate(self.learn)
            self.crit_losses.append(self.crit_loss.value)  # type: ignore[arg-type]

    def before_epoch(self) -> None:  # noqa: D102
        self.switch(self.gen_mode)

    def switch(self, gen_mode: bool | None = None) -> None:
        """Train the generator (`True`), the critic (`False`) or the other one (None) from now on."""
        self.gen_mode = (not self.gen_mode) if gen_mode is None else gen_mode
        self._set_trainable()
        self.learn.model.switch(gen_mode)
        self.learn.loss_func.switch(gen_mode)


class FixedGANSwitcher(Callback):
    """Switch after `n_crit` critic batches and `n_gen` generator batches (fastai's).

    Examples:
        >>> FixedGANSwitcher(n_crit=5).n_crit
        5
    """

    order = 6  # after GANTrainer

    def __init__(self, n_crit: int | Callable[[int], int] = 1, n_gen: int | Callable[[int], int] = 1) -> None:
        self.n_crit, self.n_gen = n_crit, n_gen

    def before_train(self) -> None:  # noqa: D102  (the class documents its events)
        self.n_c, self.n_g = 0, 0

    def after_batch(self) -> None:  # noqa: D102
        if not self.learn.training:
            return
        trainer = self.learn.gan_trainer
        if trainer.gen_mode:
            self.n_g += 1
            n_iter, n_in, n_out = self.n_gen, self.n_c, self.n_g
        else:
            self.n_c += 1
            n_iter, n_in, n_out = self.n_crit, self.n_g, self.n_c
        target = n_iter if isinstance(n_iter, int) else n_iter(n_in)
        if target == n_out:
            trainer.switch()
            self.n_c, self.n_g = 0, 0


class AdaptiveGANSwitcher(Callback):
    """Switch when the training half's loss falls below its threshold (None: after every batch).

    Examples:
        >>> AdaptiveGANSwitcher(critic_thresh=0.65).critic_thresh
        0.65
    """

    order = 6

    def __init__(self, gen_thresh: float | None = None, critic_thresh: float | None = None) -> None:
        self.gen_thresh, self.critic_thresh = gen_thresh, critic_thresh

    def after_batch(self) -> None:  # noqa: D102  (the class documents its events)
        if not self.learn.training:
            return
        trainer = self.learn.gan_trainer
        thresh = self.gen_thresh if trainer.gen_mode else self.critic_thresh
        if thresh is None or float(self.learn.loss) < thresh:
            trainer.switch()


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


def _tk_mean(fake_pred: Tensor, output: Tensor, target: Tensor) -> Tensor:
    return fake_pred.mean()


def _tk_diff(real_pred: Tensor, fake_pred: Tensor) -> Tensor:
    return real_pred.mean() - fake_pred.mean()


class _GANLossValue(Metric):
    """The mean over an epoch's batches of the `attr` loss of `GANLoss` (fastai's `LossMetric`)."""

    def __init__(self, attr: str) -> None:
        self.attr = attr
        self.reset()

    def reset(self) -> None:  # noqa: D102
        self.total, self.count = 0.0, 0

    def accumulate(self, learn: Any) -> None:  # noqa: D102
        v = getattr(learn.loss_func, self.attr, None)
        if v is not None and getattr(learn.loss_func, "gen_mode", None) == (self.attr == "gen_loss"):
            self.total += float(v.detach())
            self.count += 1

    @property
    def value(self) -> float | None:  # noqa: D102
        return self.total / self.count if self.count else None

    @property
    def name(self) -> str:  # noqa: D102
        return self.attr


class GANLearner(Learner):
    """A `Learner` for a GAN: the model is a `GANModule`, the loss a `GANLoss`, switched by callbacks.

    Args:
        dls: noise as inputs, real images as targets (a `DataBlock` with `get_x=generate_noise`).
        generator: the network from noise to images.
        critic: the network from images to scores.
        gen_loss_func: the generator's loss (see `GANLoss`).
        crit_loss_func: the critic's loss (see `GANLoss`).
        switcher: when to switch halves (default `FixedGANSwitcher()`).
        gen_first: start with the generator (`GANTrainer`).
        switch_eval: put the idle half in eval mode (`GANTrainer`).
        show_img: kept for fastai's signature (`GANTrainer`).
        clip: clamp the critic's weights (`GANTrainer`).
        cbs: more callbacks.
        metrics: more metrics.
        kwargs: passed to `Learner` (`opt_func`, `lr`, `wd`...).

    The metrics `gen_loss` and `crit_loss` (each half's mean loss over the epoch's batches) are
    added; with no validation set, set `learn.recorder.train_metrics = True` to see them, as
    fastai's tutorial does.

    Examples:
        >>> GANLearner.wgan  # doctest: +ELLIPSIS
        <bound method GANLearner.wgan of ...>
    """

    def __init__(
        self,
        dls: Any,
        generator: nn.Module,
        critic: nn.Module,
        gen_loss_func: Callable,
        crit_loss_func: Callable,
        switcher: Callback | None = None,
        gen_first: bool = False,
        switch_eval: bool = True,
        show_img: bool = True,
        clip: float | None = None,
        cbs: Any = None,
        metrics: Any = None,
        **kwargs: Any,
    ) -> None:
        gan = GANModule(generator, critic)
        loss_func = GANLoss(gen_loss_func, crit_loss_func, gan)
        trainer = GANTrainer(clip=clip, switch_eval=switch_eval, gen_first=gen_first, show_img=show_img)
        cbs = [*_as_list(cbs), trainer, switcher if switcher is not None else FixedGANSwitcher()]
        metrics = [*_as_list(metrics), _GANLossValue("gen_loss"), _GANLossValue("crit_loss")]
        super().__init__(dls, gan, loss_func=loss_func, cbs=cbs, metrics=metrics, **kwargs)

    @classmethod
    def wgan(
        cls,
        dls: Any,
        generator: nn.Module,
        critic: nn.Module,
        switcher: Callback | None = None,
        clip: float = 0.01,
        switch_eval: bool = False,
        **kwargs: Any,
    ) -> GANLearner:
        """A Wasserstein GAN (Arjovsky et al. 2017): 5 critic batches per generator batch, weights clipped.

        Examples:
            >>> GANLearner.wgan.__doc__.split(":")[0]
            'A Wasserstein GAN (Arjovsky et al. 2017)'
        """
        switcher = FixedGANSwitcher(n_crit=5, n_gen=1) if switcher is None else switcher
        return cls(dls, generator, critic, _tk_mean, _tk_diff, clip=clip, switch_eval=switch_eval,
                   switcher=switcher, **kwargs)  # fmt: skip

    @classmethod
    def dcgan(
        cls,
        dls: Any,
        generator: nn.Module,
        critic: nn.Module,
        switcher: Callback | None = None,
        **kwargs: Any,
    ) -> GANLearner:
        """A DCGAN (Radford et al. 2016): binary cross-entropy on the critic's logits, one batch each.

        Not in fastai (whose tutorial builds it with `gan_loss_from_func`); the same losses.

        Examples:
            >>> GANLearner.dcgan.__doc__.split(":")[0]
            'A DCGAN (Radford et al. 2016)'
        """
        bce = nn.functional.binary_cross_entropy_with_logits
        gen_loss, crit_loss = gan_loss_from_func(lambda o, t: o.new_zeros(()), bce, weights_gen=(1.0, 0.0))
        return cls(dls, generator, critic, gen_loss, crit_loss, switcher=switcher, **kwargs)


def _as_list(o: Any) -> list[Any]:
    return [] if o is None else list(o) if isinstance(o, (list, tuple)) else [o]


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
