"""Training a GAN as fastai does: `GANLearner`, the `GANTrainer` callback and the switchers.

`GANLearner.wgan(dls, generator, critic)` is fastai's Wasserstein GAN recipe: the critic trains
`n_crit` batches (its weights clipped to `clip`), then the generator one, on one optimizer whose
idle half is frozen (`set_freeze_model`); the critic's turn swaps inputs and targets.

Examples:
    >>> crit = basic_critic(16, 1, n_features=8)
    >>> set_freeze_model(crit, False); any(p.requires_grad for p in crit.parameters())
    False
    >>> FixedGANSwitcher(n_crit=5).n_crit
    5
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor, nn

from lamella.learner import AvgSmoothLoss, Callback, Learner, Metric

from .gan import GANLoss, GANModule, basic_critic, gan_loss_from_func  # noqa: F401  (the examples use basic_critic)

__all__ = [
    "AdaptiveGANSwitcher",
    "FixedGANSwitcher",
    "GANLearner",
    "GANTrainer",
    "set_freeze_model",
]


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
