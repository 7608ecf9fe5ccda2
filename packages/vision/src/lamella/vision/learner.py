"""`vision_learner`: a pretrained CNN body with a new head, ready for `fine_tune`."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import partial
from typing import Any, cast

import torch
from torch import nn

from lamella.data import Normalize
from lamella.learner import L1LossFlat, Learner, MSELossFlat, apply_init
from lamella.optim import Adam
from lamella.typedtensor import TensorBBox, TensorPoint

from .models import create_cnn_model, model_meta
from .timm_models import create_timm_model, is_timm_arch

__all__ = ["cnn_learner", "vision_learner"]


def _n_out(dls: Any, target: Any) -> int:
    vocab = getattr(dls.train_ds, "vocab", None)
    if vocab is not None:
        return len(vocab)
    if isinstance(target, (TensorPoint, TensorBBox)):  # every coordinate of every point or box
        return target[0].numel()
    if isinstance(target, torch.Tensor) and target.is_floating_point() and target.ndim:
        return target[0].numel()  # RegressionBlock: one output per value, as fastai's `get_c`
    raise ValueError("vision_learner could not tell the number of outputs from the data: pass n_out=")


def _coords_loss(target: Any) -> Any:
    """The loss for point or box targets (the Learner's own default reads label blocks), else None."""
    if isinstance(target, TensorPoint):
        return MSELossFlat()  # key points are a regression
    if isinstance(target, TensorBBox):
        return L1LossFlat()  # a box per image: a regression of its corners, L1 as is usual for boxes
    return None


def _target(dls: Any) -> Any:
    """A batch's targets when the data has no vocabulary (points, boxes): they size the head."""
    if getattr(dls.train_ds, "vocab", None) is not None:
        return None
    b = dls.train.one_batch()
    n_inp = getattr(dls.train_ds, "n_inp", 1)
    return b[n_inp] if isinstance(b, tuple) and len(b) > n_inp else None


def _with_weights(arch: Callable[..., nn.Module], weights: Any, **kwargs: Any) -> nn.Module:
    kwargs.pop("weights", None)
    return arch(weights=weights, **kwargs)


def _add_normalize(dls: Any, stats: tuple[list[float], list[float]]) -> None:
    for dl in dls.loaders:
        if not any(isinstance(t, Normalize) for t in dl.after_batch.fs):
            dl.after_batch.add(Normalize.from_stats(*stats))


def make_learner(
    dls: Any,
    model: nn.Module,
    arch: Any,
    splitter: Callable | None,
    normalize: bool,
    pretrained: bool,
    **kwargs: Any,
) -> Learner:
    """The shared end of `vision_learner` and `unet_learner`: `arch`'s stats and split, a frozen body.

    Examples:
        >>> import lamella.samples
        >>> from lamella.vision import ImageDataLoaders, create_cnn_model, resnet18
        >>> dls = ImageDataLoaders.from_folder(lamella.samples.path("mnist_tiny"), bs=64, device="cpu")
        >>> model = create_cnn_model(resnet18, 2, pretrained=False)
        >>> learn = make_learner(dls, model, resnet18, None, normalize=True, pretrained=False)
        >>> len(learn.splitter(learn.model))  # resnet18's split from model_meta
        3
    """
    meta = model_meta.meta(arch)
    if normalize and pretrained:
        _add_normalize(dls, meta["stats"])
    learn = Learner(dls, model, splitter=splitter if splitter is not None else meta["split"], **kwargs)
    if pretrained:
        learn.freeze()
    return learn


def vision_learner(
    dls: Any,
    arch: Callable[..., nn.Module],
    normalize: bool = True,
    n_out: int | None = None,
    pretrained: bool = True,
    loss_func: Any = None,
    opt_func: Callable[..., Any] = Adam,
    lr: float = 1e-3,
    metrics: Any = None,
    cbs: Any = None,
    splitter: Callable | None = None,
    **kwargs: Any,
) -> Learner:
    """A `Learner` for `arch` (a torchvision model function) adapted to `dls`: new head, fastai's split.

    The parameter groups follow fastai's `model_meta` (three for ResNets: `slice(lo, hi)` gives
    three rates and `freeze_to(-2)` trains the last stages and the head); `splitter=` overrides.
    Pretrained bodies start frozen (train the head first, as `fine_tune` does), and ImageNet
    normalisation is added to the batches when the model is pretrained and `normalize` is on.

    Examples:
        >>> import lamella.samples
        >>> from lamella.learner import accuracy
        >>> from lamella.vision import ImageDataLoaders, Resize, resnet18
        >>> path = lamella.samples.path("mnist_tiny")
        >>> dls = ImageDataLoaders.from_folder(path, item_tfms=Resize(28), bs=64, device="cpu")
        >>> learn = vision_learner(dls, resnet18, metrics=accuracy, pretrained=False)
        >>> len(learn.splitter(learn.model))  # fastai's three groups for a ResNet
        3
        >>> with learn.no_logging(), learn.no_bar(): learn.fine_tune(1)
    """
    target = _target(dls)
    if loss_func is None:
        loss_func = _coords_loss(target)
    n_in = kwargs.pop("n_in", 3)
    init, weights = kwargs.pop("init", nn.init.kaiming_normal_), kwargs.pop("weights", None)
    model_kwargs = {
        k: kwargs.pop(k)
        for k in (
            "cut",
            "custom_head",
            "concat_pool",
            "lin_ftrs",
            "ps",
            "y_range",
            "first_bn",
            "bn_final",
            "pool",
            "lin_first",
        )
        if k in kwargs
    }
    n_out = n_out if n_out is not None else _n_out(dls, target)
    cut = model_meta.meta(arch)["cut"]
    if cut is not None:
        model_kwargs.setdefault("cut", cut)
    if is_timm_arch(arch):  # a timm model by name or constructor (timm is an optional extra)
        model_kwargs.pop("cut", None)
        model = create_timm_model(arch, n_out, pretrained, n_in=n_in, **model_kwargs)
    else:
        build = arch
        if weights is not None:  # fastai's `weights=`: torchvision weights (an enum member or "DEFAULT")
            pretrained = True
            build = partial(_with_weights, arch, weights)
        model = create_cnn_model(build, n_out, pretrained, n_in=n_in, **model_kwargs)
    if init is not None and "custom_head" not in model_kwargs:
        apply_init(cast(nn.Sequential, model)[1], init)
    return make_learner(
        dls,
        model,
        arch,
        splitter,
        normalize,
        pretrained,
        loss_func=loss_func,
        opt_func=opt_func,
        lr=lr,
        metrics=metrics,
        cbs=cbs,
        **kwargs,
    )


def cnn_learner(*args: Any, **kwargs: Any) -> Learner:
    """Fastai's former name of `vision_learner`, kept so old notebooks run; it warns once.

    Examples:
        >>> import lamella.samples
        >>> from lamella.vision import ImageDataLoaders, Resize, resnet18
        >>> path = lamella.samples.path("mnist_tiny")
        >>> dls = ImageDataLoaders.from_folder(path, item_tfms=Resize(28), device="cpu")
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     learn = cnn_learner(dls, resnet18, pretrained=False)
        >>> caught[0].category.__name__, type(learn).__name__
        ('DeprecationWarning', 'Learner')
    """
    warnings.warn(
        "cnn_learner has been renamed vision_learner (as in fastai): please update your code",
        DeprecationWarning,
        stacklevel=2,
    )
    return vision_learner(*args, **kwargs)
