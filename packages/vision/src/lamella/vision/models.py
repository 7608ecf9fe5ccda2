"""CNN models for transfer learning: a pretrained body cut before its pooling, and a new head.

Architectures are torchvision's model functions (`resnet18`, `resnet34`, `resnet50`,
`efficientnet_b0`, `convnext_tiny`...); pretrained weights come through torchvision's weights API.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

import torch
from torch import nn
from torchvision.models import convnext_tiny, efficientnet_b0, resnet18, resnet34, resnet50

from lamella.learner import ArchRegistry, SigmoidRange, apply_init, params

from .xresnet import xresnet18, xresnet34, xresnet50

__all__ = [
    "AdaptiveConcatPool2d",
    "add_head",
    "cut_model",
    "default_split",
    "convnext_tiny",
    "create_body",
    "create_cnn_model",
    "create_head",
    "cnn_splitter",
    "efficientnet_b0",
    "imagenet_stats",
    "load_arch",
    "cifar_stats",
    "create_vision_model",
    "mnist_stats",
    "model_meta",
    "register_arch",
    "num_features_model",
    "resnet18",
    "resnet34",
    "resnet50",
    "resnet_split",
    "splitter_for",
    "xresnet_split",
]

#: ImageNet channel means and standard deviations, for normalising inputs of pretrained models.
imagenet_stats = ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
#: MNIST's and CIFAR-10's, as fastai names them.
mnist_stats = ([0.131], [0.308])
cifar_stats = ([0.491, 0.482, 0.447], [0.247, 0.243, 0.261])


class AdaptiveConcatPool2d(nn.Module):
    """Average and max pooling side by side (twice the channels): fastai's head pooling.

    Examples:
        >>> AdaptiveConcatPool2d()(torch.zeros(2, 8, 4, 4)).shape
        torch.Size([2, 16, 1, 1])
    """

    def __init__(self, size: int = 1) -> None:
        super().__init__()
        self.ap, self.mp = nn.AdaptiveAvgPool2d(size), nn.AdaptiveMaxPool2d(size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Concatenate max- and average-pooled features."""
        return torch.cat([self.mp(x), self.ap(x)], 1)


def _is_pool(m: nn.Module) -> bool:
    return "pool" in type(m).__name__.lower()


def _adapt_first_conv(body: nn.Module, n_in: int) -> None:
    conv = next(m for m in body.modules() if isinstance(m, nn.Conv2d))
    if conv.in_channels == n_in:
        return
    w = conv.weight.data
    new = w.sum(1, keepdim=True) / n_in if n_in < 3 else w.repeat(1, n_in // 3 + 1, 1, 1)[:, :n_in]
    conv.weight = nn.Parameter(new * 3 / n_in if n_in > 3 else new)
    conv.in_channels = n_in


def create_body(
    model: nn.Module, n_in: int = 3, cut: int | Callable[[nn.Module], nn.Module] | None = None
) -> nn.Module:
    """The layers of `model` before its final pooling (or `cut`), adapted to `n_in` input channels.

    Examples:
        >>> body = create_body(resnet18())
        >>> body(torch.zeros(1, 3, 64, 64)).shape
        torch.Size([1, 512, 2, 2])
    """
    if cut is None:
        pools = [i for i, c in enumerate(model.children()) if _is_pool(c)]
        if not pools:
            raise ValueError(f"cannot find where to cut {type(model).__name__}: pass cut=")
        cut = pools[-1]
    body = cut_model(model, cut)
    _adapt_first_conv(body, n_in)
    return body


def cut_model(model: nn.Module, cut: int | Callable[[nn.Module], nn.Module]) -> nn.Module:
    """The first `cut` children of `model` as an `nn.Sequential`, or `cut(model)` (fastai's `cut_model`).

    Examples:
        >>> len(cut_model(resnet18(), -2)), type(cut_model(resnet18(), lambda m: m.layer1)).__name__
        (8, 'Sequential')
    """
    if isinstance(cut, int):
        return nn.Sequential(*list(model.children())[:cut])
    if callable(cut):
        return cut(model)
    raise TypeError(f"cut_model: cut must be a number of children or a function, got {type(cut).__name__}")


def add_head(
    body: nn.Module,
    nf: int,
    n_out: int,
    init: Callable[[torch.Tensor], Any] | None = nn.init.kaiming_normal_,
    head: nn.Module | None = None,
    **kwargs: Any,
) -> nn.Module:
    """`nn.Sequential(body, head)`; the head `create_head(nf, n_out, **kwargs)` unless given, set by `init`.

    Examples:
        >>> model = add_head(create_body(resnet18()), 512, 10)
        >>> model(torch.zeros(2, 3, 64, 64)).shape
        torch.Size([2, 10])
    """
    head = create_head(nf, n_out, **kwargs) if head is None else head
    model = nn.Sequential(body, head)
    if init is not None:
        apply_init(model[1], init)
    return model


def default_split(m: nn.Module) -> list[list[nn.Parameter]]:
    """Two parameter groups, `m[0]` (the body) and the rest (fastai's `default_split`).

    Examples:
        >>> [len(g) for g in default_split(nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1)))]
        [2, 2]
    """
    return [params(m[0]), params(nn.Sequential(*list(m.children())[1:]))]  # type: ignore[index]


def num_features_model(body: nn.Module) -> int:
    """The number of channels `body` outputs (from a dummy forward pass).

    Examples:
        >>> num_features_model(create_body(resnet18()))
        512
    """
    p = next(body.parameters())
    conv = next(m for m in body.modules() if isinstance(m, nn.Conv2d))
    was_training = body.training
    with torch.no_grad():
        out = body.eval()(torch.zeros(1, conv.in_channels, 64, 64, device=p.device, dtype=p.dtype))
    body.train(was_training)
    return out.shape[1]


def create_head(
    nf: int,
    n_out: int,
    lin_ftrs: Sequence[int] | None = None,
    ps: float = 0.5,
    concat_pool: bool = True,
    first_bn: bool = True,
    bn_final: bool = False,
    y_range: tuple[float, float] | None = None,
    pool: bool = True,
    lin_first: bool = False,
) -> nn.Module:
    """Fastai's head: (concat) pooling, then BatchNorm, Dropout and Linear blocks down to `n_out`.

    `pool=False` leaves the pooling out (a body that pools itself); `lin_first` puts each
    linear layer before its batch norm and dropout, as fastai's `LinBnDrop(lin_first=True)`.

    Examples:
        >>> create_head(512, 10)(torch.zeros(2, 512, 2, 2)).shape
        torch.Size([2, 10])
        >>> create_head(512, 10, pool=False, lin_first=True)(torch.zeros(2, 512)).shape
        torch.Size([2, 10])
    """
    nf = nf * 2 if pool and concat_pool else nf
    sizes = [nf, *(lin_ftrs if lin_ftrs is not None else [512]), n_out]
    dropouts = [ps / 2] * (len(sizes) - 2) + [ps]
    layers: list[nn.Module] = []
    if pool:
        layers += [AdaptiveConcatPool2d() if concat_pool else nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    if lin_first:
        layers.append(nn.Dropout(dropouts.pop(0)))
    for i, (n_i, n_o, p) in enumerate(zip(sizes[:-1], sizes[1:], dropouts)):
        bn = i > 0 or first_bn
        act = [nn.ReLU(inplace=True)] if i < len(sizes) - 2 else []
        norm_drop: list[nn.Module] = ([nn.BatchNorm1d(n_o if lin_first else n_i)] if bn else []) + (
            [nn.Dropout(p)] if p else []
        )
        lin = [nn.Linear(n_i, n_o, bias=not bn), *act]
        layers += lin + norm_drop if lin_first else norm_drop + lin
    if lin_first:  # fastai ends a lin_first head with one more linear layer
        layers.append(nn.Linear(sizes[-2], n_out))
    if bn_final:
        layers.append(nn.BatchNorm1d(sizes[-1], momentum=0.01))
    if y_range is not None:
        layers.append(SigmoidRange(*y_range))
    return nn.Sequential(*layers)


def _weights(arch: Callable[..., nn.Module], pretrained: bool) -> Any:
    if not pretrained:
        return None
    try:
        from torchvision.models import get_model_weights

        return get_model_weights(arch).DEFAULT
    except Exception:  # an architecture outside torchvision's registry
        return "DEFAULT"


def load_arch(arch: Callable[..., nn.Module], pretrained: bool = True) -> nn.Module:
    """Build `arch`, with its pretrained weights through torchvision's weights API when asked.

    Without network access, `pretrained=True` fails with a message suggesting `pretrained=False`.

    Examples:
        >>> type(load_arch(resnet18, pretrained=False)).__name__
        'ResNet'
    """
    try:
        return arch(weights=_weights(arch, pretrained))
    except Exception as e:
        if not pretrained:
            raise
        raise RuntimeError(
            f"could not get the pretrained weights of {getattr(arch, '__name__', arch)} "
            f"({type(e).__name__}: {e}). "
            "Offline, pass pretrained=False, or put the weights in torch's cache (TORCH_HOME) first."
        ) from e


def create_cnn_model(
    arch: Callable[..., nn.Module],
    n_out: int,
    pretrained: bool = True,
    cut: Any = None,
    n_in: int = 3,
    custom_head: nn.Module | None = None,
    concat_pool: bool = True,
    **kwargs: Any,
) -> nn.Module:
    """`nn.Sequential(body, head)`: `arch`'s body (pretrained weights if asked) and a new head for `n_out`.

    Without network access, `pretrained=True` fails with a message suggesting `pretrained=False`.

    Examples:
        >>> m = create_cnn_model(resnet18, 2, pretrained=False)
        >>> m(torch.zeros(2, 3, 32, 32)).shape
        torch.Size([2, 2])
    """
    model = load_arch(arch, pretrained)
    body = create_body(model, n_in, cut)
    head = (
        custom_head
        if custom_head is not None
        else create_head(num_features_model(body), n_out, concat_pool=concat_pool, **kwargs)
    )
    return nn.Sequential(body, head)


def _encoder_and_rest(model: nn.Module) -> tuple[nn.Module, list[nn.Parameter]]:
    """The pretrained body (`model[0]`, or a U-Net's `encoder`) and every other parameter."""
    body = getattr(model, "encoder", None)
    body = cast(nn.Sequential, model)[0] if body is None else body
    ids = {id(p) for p in body.parameters()}
    return body, [p for p in model.parameters() if id(p) not in ids]


def _body_split(model: nn.Module, n: int) -> list[list[nn.Parameter]]:
    body, rest = _encoder_and_rest(model)
    children = list(body.children())
    return [
        [p for c in children[:n] for p in c.parameters()],
        [p for c in children[n:] for p in c.parameters()],
        rest,
    ]


def resnet_split(model: nn.Module) -> list[list[nn.Parameter]]:
    """Fastai's three ResNet groups: stem to `layer2`, `layer3` and `layer4`, then the head (or decoder).

    Examples:
        >>> [len(g) for g in resnet_split(create_cnn_model(resnet18, 2, pretrained=False))]
        [30, 30, 6]
    """
    return _body_split(model, 6)


def xresnet_split(model: nn.Module) -> list[list[nn.Parameter]]:
    """Fastai's three XResNet groups: the stem, the stages, then the head (or decoder).

    Examples:
        >>> [len(g) for g in xresnet_split(create_cnn_model(xresnet18, 2, pretrained=False))]
        [9, 57, 6]
    """
    return _body_split(model, 3)


def create_vision_model(
    arch: Callable[..., nn.Module], n_out: int, pretrained: bool = True, cut: Any = None, n_in: int = 3,
    custom_head: nn.Module | None = None, concat_pool: bool = True, **kwargs: Any,
) -> nn.Module:  # fmt: skip
    """Fastai's current name for `create_cnn_model`: a body from `arch` and a new head for `n_out`.

    Examples:
        >>> create_vision_model(resnet18, 3, pretrained=False)(torch.zeros(2, 3, 32, 32)).shape
        torch.Size([2, 3])
    """
    return create_cnn_model(arch, n_out, pretrained, cut, n_in, custom_head, concat_pool, **kwargs)


def cnn_splitter(model: nn.Module) -> list[list[nn.Parameter]]:
    """Two parameter groups, body (a U-Net's encoder) then the rest: fastai's `default_split`.

    Examples:
        >>> [len(g) > 0 for g in cnn_splitter(create_cnn_model(resnet18, 2, pretrained=False))]
        [True, True]
    """
    body, rest = _encoder_and_rest(model)
    return [list(body.parameters()), rest]


#: What fastai's `model_meta` says of each architecture: where to cut (None: before the last
#: pooling), how to split the parameters into groups, and the statistics of its pretraining.
#: torchvision's EfficientNet and ConvNeXt are not in fastai's table, so they get the defaults.
#: `vision_learner` and `unet_learner` read it; `register_arch` adds a user's architecture.
model_meta = ArchRegistry(
    defaults={"cut": None, "split": cnn_splitter, "stats": imagenet_stats},
    entries={
        **{a: {"split": resnet_split} for a in (resnet18, resnet34, resnet50)},
        **{a: {"split": xresnet_split} for a in (xresnet18, xresnet34, xresnet50)},
    },
)


def register_arch(arch: Callable[..., nn.Module] | None = None, **meta: Any) -> Any:
    """Tell `vision_learner` and `unet_learner` where to `cut` `arch`, how to `split` it, its `stats`.

    Also a decorator (`@register_arch(cut=-2)`); `model_meta[arch] = {...}` (fastai's way) works too.

    Examples:
        >>> @register_arch(cut=-1, split=lambda m: [list(m.parameters())])
        ... def tiny_cnn(pretrained=False, **kwargs):
        ...     return nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        >>> model_meta.meta(tiny_cnn)["cut"], model_meta.meta(tiny_cnn)["stats"] == imagenet_stats
        (-1, True)
    """
    return model_meta.register(arch, **meta)


def splitter_for(arch: Callable[..., nn.Module]) -> Callable[[nn.Module], list[list[nn.Parameter]]]:
    """The parameter split of `arch` from `model_meta` (`cnn_splitter` for an architecture it lacks).

    Examples:
        >>> splitter_for(resnet34).__name__, splitter_for(convnext_tiny).__name__
        ('resnet_split', 'cnn_splitter')
    """
    return model_meta.meta(arch)["split"]
