"""XResNet: ResNet with the "bag of tricks" changes (He et al. 2019), as fastai builds it.

A three-convolution stem, stride in the 3x3 convolution of each block, an average-pooled
shortcut when downsampling (ResNet-D), and the last batch norm of each block initialised to zero
so every block starts as the identity. No pretrained weights: train from scratch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from torch import nn

from lamella.learner import NormType

__all__ = ["ConvLayer", "ResBlock", "XResNet", "xresnet18", "xresnet34", "xresnet50"]


class ConvLayer(nn.Sequential):
    """Convolution, normalisation, activation: fastai's `ConvLayer`.

    Args:
        ni: input channels.
        nf: output channels.
        ks: kernel size.
        stride: the convolution's stride.
        padding: None: `(ks - 1) // 2` (the size kept at stride 1), 0 for a transposed convolution.
        act: add the activation; `act_cls` builds it (default ReLU).
        zero_bn: start the batch norm's scale at 0 (as `norm_type=NormType.BatchZero`).
        norm_type: a `NormType`, or None for none (the convolution then has a bias).
        transpose: a transposed convolution (upsampling, as in a GAN's generator).
        bias: the convolution's bias; None: only without a batch or instance norm.

    Examples:
        >>> import torch
        >>> ConvLayer(3, 8, stride=2)(torch.zeros(1, 3, 8, 8)).shape
        torch.Size([1, 8, 4, 4])
        >>> ConvLayer(8, 4, ks=4, stride=2, padding=1, transpose=True)(torch.zeros(1, 8, 4, 4)).shape
        torch.Size([1, 4, 8, 8])
    """

    def __init__(
        self,
        ni: int,
        nf: int,
        ks: int = 3,
        stride: int = 1,
        act: bool = True,
        zero_bn: bool = False,
        padding: int | None = None,
        norm_type: NormType | None = NormType.Batch,
        act_cls: Callable[[], nn.Module] | None = None,
        transpose: bool = False,
        bias: bool | None = None,
    ) -> None:
        if padding is None:
            padding = 0 if transpose else (ks - 1) // 2
        batch = norm_type in (NormType.Batch, NormType.BatchZero)
        inst = norm_type in (NormType.Instance, NormType.InstanceZero)
        if bias is None:
            bias = not (batch or inst)
        conv_cls = nn.ConvTranspose2d if transpose else nn.Conv2d
        raw = conv_cls(ni, nf, ks, stride=stride, padding=padding, bias=bias)
        nn.init.kaiming_normal_(raw.weight)
        if raw.bias is not None:
            nn.init.zeros_(raw.bias)
        conv: nn.Module = raw
        if norm_type == NormType.Weight:
            conv = nn.utils.parametrizations.weight_norm(conv)
        elif norm_type == NormType.Spectral:
            conv = nn.utils.parametrizations.spectral_norm(conv)
        layers: list[nn.Module] = [conv]
        if batch or inst:
            norm = nn.BatchNorm2d(nf) if batch else nn.InstanceNorm2d(nf, affine=True)
            zero = zero_bn or norm_type in (NormType.BatchZero, NormType.InstanceZero)
            nn.init.constant_(norm.weight, 0.0 if zero else 1.0)
            layers.append(norm)
        if act:
            layers.append(act_cls() if act_cls is not None else nn.ReLU(inplace=True))
        super().__init__(*layers)


class ResBlock(nn.Module):
    """A residual block (basic when `expansion=1`, bottleneck when 4) with a ResNet-D shortcut.

    Examples:
        >>> import torch
        >>> ResBlock(1, 16, 32, stride=2)(torch.zeros(2, 16, 8, 8)).shape
        torch.Size([2, 32, 4, 4])
    """

    def __init__(self, expansion: int, ni: int, nf: int, stride: int = 1) -> None:
        super().__init__()
        nh = nf // expansion if expansion > 1 else nf
        if expansion == 1:
            layers = [ConvLayer(ni, nh, 3, stride), ConvLayer(nh, nf, 3, zero_bn=True, act=False)]
        else:
            layers = [
                ConvLayer(ni, nh, 1),
                ConvLayer(nh, nh, 3, stride),
                ConvLayer(nh, nf, 1, zero_bn=True, act=False),
            ]
        self.convs = nn.Sequential(*layers)
        shortcut: list[nn.Module] = []
        if stride != 1:
            shortcut.append(nn.AvgPool2d(2, ceil_mode=True))
        if ni != nf:
            shortcut.append(ConvLayer(ni, nf, 1, act=False))
        self.shortcut = nn.Sequential(*shortcut)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x: Any) -> Any:
        """`relu(convs(x) + shortcut(x))`."""
        return self.act(self.convs(x) + self.shortcut(x))


class XResNet(nn.Sequential):
    """The whole network: stem, four stages of blocks, pooling and a linear classifier.

    Args:
        expansion: 1 (basic blocks, xresnet18/34) or 4 (bottlenecks, xresnet50).
        layers: blocks per stage.
        c_in: input channels.
        n_out: outputs (classes).
        p: dropout before the classifier.

    Examples:
        >>> import torch
        >>> XResNet(1, [1, 1, 1, 1], n_out=3)(torch.zeros(2, 3, 32, 32)).shape
        torch.Size([2, 3])
    """

    def __init__(
        self, expansion: int, layers: Sequence[int], c_in: int = 3, n_out: int = 1000, p: float = 0.0
    ) -> None:
        stem = [ConvLayer(c_in, 32, stride=2), ConvLayer(32, 32), ConvLayer(32, 64)]
        widths = [64, 64 * expansion, 128 * expansion, 256 * expansion, 512 * expansion]
        stages = []
        for i, n in enumerate(layers):
            ni, nf = (widths[0] if i == 0 else widths[i]), widths[i + 1]
            blocks = [
                ResBlock(expansion, ni if j == 0 else nf, nf, stride=1 if i == 0 or j else 2)
                for j in range(n)
            ]
            stages.append(nn.Sequential(*blocks))
        super().__init__(
            *stem, nn.MaxPool2d(3, stride=2, padding=1), *stages,
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(p), nn.Linear(widths[-1], n_out),
        )  # fmt: skip


def _refuse_weights(name: str, weights: Any) -> None:
    if weights is not None:
        raise ValueError(f"{name} has no pretrained weights: pass pretrained=False and train it from scratch")


def xresnet18(weights: Any = None, **kwargs: Any) -> XResNet:
    """XResNet-18 (basic blocks, 2-2-2-2).

    Examples:
        >>> sum(p.numel() for p in xresnet18(n_out=10).parameters()) > 1e7
        True
    """
    _refuse_weights("xresnet18", weights)
    return XResNet(1, [2, 2, 2, 2], **kwargs)


def xresnet34(weights: Any = None, **kwargs: Any) -> XResNet:
    """XResNet-34 (basic blocks, 3-4-6-3).

    Examples:
        >>> len(xresnet34(n_out=2)[5])
        4
    """
    _refuse_weights("xresnet34", weights)
    return XResNet(1, [3, 4, 6, 3], **kwargs)


def xresnet50(weights: Any = None, **kwargs: Any) -> XResNet:
    """XResNet-50 (bottleneck blocks, 3-4-6-3).

    Examples:
        >>> xresnet50(n_out=2)[-1].in_features
        2048
    """
    _refuse_weights("xresnet50", weights)
    return XResNet(4, [3, 4, 6, 3], **kwargs)
