"""`DynamicUnet` and `unet_learner`: a U-Net decoder grown on any CNN encoder, for segmentation.

The encoder's layers run one by one; the output just before each change of spatial size is kept
as a skip connection. The decoder upsamples by 2 at each of those sizes, concatenates the skip
(batch-normalised) and applies two 3x3 convolutions, then a last block at the input's size
produces one channel per class.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import torch
import torch.nn.functional as F
from torch import nn

from lamella.learner import CrossEntropyLossFlat, Learner
from lamella.optim import Adam

from .learner import make_learner
from .models import cnn_splitter, create_body, load_arch, model_meta

__all__ = ["DynamicUnet", "create_unet_model", "unet_learner", "unet_splitter"]


def _conv(ni: int, nf: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(ni, nf, 3, padding=1, bias=False), nn.BatchNorm2d(nf), nn.ReLU(inplace=True)
    )


class _UnetBlock(nn.Module):
    def __init__(self, up_in: int, skip_in: int, nf: int) -> None:
        super().__init__()
        self.up = nn.Conv2d(up_in, up_in // 2, 1)
        self.bn = nn.BatchNorm2d(skip_in)
        self.convs = nn.Sequential(_conv(up_in // 2 + skip_in, nf), _conv(nf, nf))

    def forward(self, x: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        x = F.interpolate(self.up(x), size=skip.shape[-2:], mode="nearest")
        return self.convs(torch.cat([x, self.bn(skip)], dim=1))


class DynamicUnet(nn.Module):
    """A U-Net on `encoder` (an `nn.Sequential` such as `create_body(resnet34())`) with `n_out` classes.

    Args:
        encoder: the downsampling network, run layer by layer.
        n_out: output channels (classes).
        img_size: a (h, w) used to find where the encoder changes size.
        y_range: squash outputs into this range (regression).

    Examples:
        >>> from lamella.vision import resnet18
        >>> unet = DynamicUnet(create_body(resnet18()), n_out=5, img_size=(64, 64))
        >>> unet.eval()(torch.zeros(1, 3, 64, 48)).shape
        torch.Size([1, 5, 64, 48])
    """

    def __init__(
        self,
        encoder: nn.Sequential,
        n_out: int,
        img_size: tuple[int, int] = (128, 128),
        y_range: tuple[float, float] | None = None,
    ) -> None:
        super().__init__()
        self.encoder, self.y_range = encoder, y_range
        conv = next(m for m in encoder.modules() if isinstance(m, nn.Conv2d))
        sizes, channels = [], []
        x = torch.zeros(1, conv.in_channels, *img_size)
        was_training = encoder.training
        with torch.no_grad():
            encoder.eval()
            for layer in encoder:
                x = layer(x)
                sizes.append(tuple(x.shape[-2:]))
                channels.append(x.shape[1])
        encoder.train(was_training)
        # a skip is the last layer's output before the size changes
        self.skip_idx = [i for i in range(len(sizes) - 1) if sizes[i] != sizes[i + 1]]
        self.middle = nn.Sequential(
            _conv(channels[-1], channels[-1] * 2), _conv(channels[-1] * 2, channels[-1])
        )
        blocks, ni = [], channels[-1]
        for i in reversed(self.skip_idx):
            nf = max(channels[i], 32)
            blocks.append(_UnetBlock(ni, channels[i], nf))
            ni = nf
        self.blocks = nn.ModuleList(blocks)
        self.final = nn.Sequential(_conv(ni + conv.in_channels, ni), nn.Conv2d(ni, n_out, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class scores `(bs, n_out, h, w)` at the input's size."""
        inp, skips = x, []
        for i, layer in enumerate(self.encoder):
            x = layer(x)
            if i in self.skip_idx:
                skips.append(x)
        x = self.middle(x)
        for block, skip in zip(self.blocks, reversed(skips)):
            x = block(x, skip)
        x = F.interpolate(x, size=inp.shape[-2:], mode="bilinear", align_corners=False)
        x = self.final(torch.cat([x, inp], dim=1))
        if self.y_range is not None:
            x = torch.sigmoid(x) * (self.y_range[1] - self.y_range[0]) + self.y_range[0]
        return x


def create_unet_model(
    arch: Callable[..., nn.Module], n_out: int, img_size: tuple[int, int], pretrained: bool = True,
    cut: Any = None, n_in: int = 3, y_range: tuple[float, float] | None = None,
) -> DynamicUnet:  # fmt: skip
    """A `DynamicUnet` on `arch`'s body (pretrained weights if asked), as fastai's `create_unet_model`.

    Examples:
        >>> from lamella.vision import resnet18
        >>> create_unet_model(resnet18, 3, (32, 32), pretrained=False)(torch.zeros(2, 3, 32, 32)).shape
        torch.Size([2, 3, 32, 32])
    """
    body = cast(nn.Sequential, create_body(load_arch(arch, pretrained), n_in, cut))  # the layers, in order
    return DynamicUnet(body, n_out, img_size, y_range)


def unet_splitter(model: DynamicUnet) -> list[list[nn.Parameter]]:
    """Two groups: the encoder, then the decoder (for freezing and discriminative rates).

    Examples:
        >>> from lamella.vision import resnet18
        >>> [len(g) > 0 for g in unet_splitter(DynamicUnet(create_body(resnet18()), 2, (32, 32)))]
        [True, True]
    """
    return cnn_splitter(model)  # the body a U-Net keeps is its `encoder`: the same two groups


def _codes(dls: Any) -> list[Any] | None:
    tls = getattr(dls.train_ds, "tls", [])
    for tl in tls[1:]:
        for t in tl.tfms.fs:
            if getattr(t, "codes", None) is not None:
                return t.codes
    return None


def unet_learner(
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
    """A `Learner` with a `DynamicUnet` on `arch`'s body, for segmentation (`MaskBlock` targets).

    The parameter groups follow fastai's `model_meta` on the encoder (three for ResNets, the
    decoder last), or encoder then decoder; `splitter=` overrides.

    `n_out` defaults to the number of mask `codes`; the loss to cross entropy over the class axis.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from PIL import Image
        >>> from lamella.vision import SegmentationDataLoaders, resnet18
        >>> root = Path(tempfile.mkdtemp())
        >>> for i in range(4):
        ...     Image.new("RGB", (32, 32), (i * 60, 0, 0)).save(root / f"{i}.png")
        ...     Image.new("L", (32, 32), i % 2).save(root / f"{i}_mask.png")
        >>> dls = SegmentationDataLoaders.from_label_func(
        ...     root, [root / f"{i}.png" for i in range(4)], lambda f: f.with_name(f"{f.stem}_mask.png"),
        ...     codes=["bg", "cell"], valid_idx=[3], bs=2, device="cpu")
        >>> learn = unet_learner(dls, resnet18, pretrained=False)
        >>> learn.model(dls.one_batch()[0]).shape  # a score per class and pixel
        torch.Size([2, 2, 32, 32])
    """
    if n_out is None:
        codes = _codes(dls)
        if codes is None:
            raise ValueError("unet_learner could not find the mask codes (MaskBlock(codes)): pass n_out=")
        n_out = len(codes)
    img_size = tuple(dls.one_batch()[0].shape[-2:])
    model = load_arch(arch, pretrained)
    body = cast(nn.Sequential, create_body(model, kwargs.pop("n_in", 3), model_meta.meta(arch)["cut"]))
    unet = DynamicUnet(body, n_out, img_size, kwargs.pop("y_range", None))
    loss_func = loss_func if loss_func is not None else CrossEntropyLossFlat(axis=1)
    return make_learner(
        dls,
        unet,
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
