"""timm architectures in `vision_learner` (by name, `"convnext_tiny"`, or a timm constructor), as fastai's.

timm is an optional extra (`pip install "lamella-vision[timm]"`): it is imported only here, when
a timm model is asked for, and a missing install gives an error naming the extra.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from .models import create_head

__all__ = ["TimmBody", "create_timm_model", "is_timm_arch"]


def _timm() -> Any:
    try:
        import timm
    except ImportError as e:
        raise ImportError('timm models need timm: pip install "lamella-vision[timm]"') from e
    return timm


def is_timm_arch(arch: Any) -> bool:
    """Whether `arch` names a timm model: a string, or a function from the `timm` package.

    Examples:
        >>> is_timm_arch("resnet18"), is_timm_arch(len)
        (True, False)
    """
    return isinstance(arch, str) or getattr(arch, "__module__", "").startswith("timm.")


class TimmBody(nn.Module):
    """A timm model's feature extractor: `forward_features` (unpooled), the body of a vision learner.

    Examples:
        >>> import timm
        >>> body = TimmBody(timm.create_model("resnet18", pretrained=False, num_classes=0))
        >>> body(torch.zeros(1, 3, 64, 64)).shape
        torch.Size([1, 512, 2, 2])
    """

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model: Any = model  # a timm model: `forward_features` is timm's

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # noqa: D102  (the class documents it)
        return self.model.forward_features(x)


def create_timm_model(
    arch: str | Callable[..., nn.Module], n_out: int, pretrained: bool = True, n_in: int = 3,
    custom_head: nn.Module | None = None, concat_pool: bool = True, **kwargs: Any,
) -> nn.Module:  # fmt: skip
    """`nn.Sequential(TimmBody, head)` for the timm model `arch` (fastai's `create_timm_model`).

    `kwargs` go to `create_head` (`lin_ftrs`, `ps`, `first_bn`, `bn_final`, `y_range`).

    Examples:
        >>> model = create_timm_model("resnet18", 3, pretrained=False)
        >>> model(torch.zeros(2, 3, 32, 32)).shape
        torch.Size([2, 3])
    """
    name = arch if isinstance(arch, str) else arch.__name__
    model = _timm().create_model(name, pretrained=pretrained, num_classes=0, in_chans=n_in)
    body = TimmBody(model)
    head = (
        custom_head
        if custom_head is not None
        else create_head(model.num_features, n_out, concat_pool=concat_pool, **kwargs)
    )
    return nn.Sequential(body, head)
