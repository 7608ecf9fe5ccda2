"""`TabularModel`: embeddings for categorical columns, batch norm for continuous ones, then an MLP.

The layers follow fastai's tabular model, so sizes, defaults and results carry over: an
embedding per categorical column sized by `emb_sz_rule`, embedding dropout, batch norm on the
continuous columns, blocks of linear, ReLU, batch norm and dropout, and an optional sigmoid
scaled to `y_range` for regression.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import Tensor, nn
from torch.nn.modules import module as _modules

from lamella.learner import LinBnDrop, SigmoidRange, sigmoid_range

__all__ = [
    "Embedding",
    "SigmoidRange",
    "TabularModel",
    "emb_sz_rule",
    "get_emb_sz",
    "sigmoid_range",
    "tabular_config",
]


def emb_sz_rule(n_cat: int) -> int:
    """Fastai's rule of thumb for an embedding's width, from the number of categories.

    Examples:
        >>> emb_sz_rule(2), emb_sz_rule(10), emb_sz_rule(1000)
        (2, 6, 77)
    """
    return min(600, round(1.6 * n_cat**0.56))


def get_emb_sz(to: Any, sz_dict: dict[str, int] | None = None) -> list[tuple[int, int]]:
    """`(categories, width)` for each categorical column of `to` (a `TabularPandas` or its loaders).

    Args:
        to: a `TabularPandas` or `TabularDataLoaders`.
        sz_dict: widths that replace the rule for some columns.

    Examples:
        >>> import pandas as pd
        >>> from lamella.tabular import Categorify, TabularPandas
        >>> to = TabularPandas(pd.DataFrame({"a": list("xyzxy")}), [Categorify], cat_names="a")
        >>> get_emb_sz(to), get_emb_sz(to, {"a": 10})
        ([(4, 3)], [(4, 10)])
    """
    to = getattr(to, "train_ds", to)
    sz_dict, classes = sz_dict or {}, to.classes
    return [(len(classes[n]), sz_dict.get(n, emb_sz_rule(len(classes[n])))) for n in to.cat_names]


class Embedding(nn.Embedding):
    """An embedding initialised from a truncated normal with std 0.01 (fastai's tabular init).

    Examples:
        >>> Embedding(10, 3).weight.abs().max().item() < 0.03
        True
    """

    def __init__(self, ni: int, nf: int, std: float = 0.01) -> None:
        super().__init__(ni, nf)
        nn.init.trunc_normal_(self.weight, std=std, a=-2 * std, b=2 * std)


class _EmbeddingsCat(torch.autograd.Function):
    """Look up column `i` of `x_cat` in `weights[i]` and concatenate the rows (then `extra`), in one node.

    The same numbers as `torch.cat([F.embedding(x_cat[:, i], w) ...], 1)`, gradients included
    (each table's gradient is summed in row order by `index_add_`, as the embedding backward
    does), but one autograd node instead of one per column plus the cat, and no per-table
    sort: on the CPU the embedding backward sorts its indices, which costs more than the sum.
    """

    @staticmethod
    def forward(ctx: Any, x_cat: Tensor, extra: Tensor | None, *weights: Tensor) -> Tensor:
        codes = x_cat.t().contiguous()  # a column's codes side by side: no copy per lookup
        ctx.save_for_backward(codes)
        ctx.shapes = [w.shape for w in weights]
        parts = [w.index_select(0, c) for c, w in zip(codes, weights)]
        return torch.cat(parts if extra is None else [*parts, extra.to(parts[0].dtype)], 1)

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx: Any, grad: Tensor) -> tuple[Tensor | None, ...]:
        (codes,) = ctx.saved_tensors
        grads: list[Tensor | None] = []
        start = 0
        for i, (n, width) in enumerate(ctx.shapes):
            if ctx.needs_input_grad[i + 2]:
                part = grad[:, start : start + width].contiguous()  # index_add_ is fastest from rows
                grads.append(grad.new_zeros(n, width).index_add_(0, codes[i], part))
            else:
                grads.append(None)
            start += width
        extra = grad[:, start:] if ctx.needs_input_grad[1] else None
        return (None, extra, *grads)


def _plain(e: nn.Module) -> bool:
    """Whether `e` is an `nn.Embedding` the fused lookup computes exactly (no options, no hooks)."""
    return (
        type(e).forward is nn.Embedding.forward
        and e.padding_idx is None and e.max_norm is None and not e.sparse and not e.scale_grad_by_freq
        and not (e._forward_hooks or e._forward_pre_hooks)
    )  # fmt: skip


def tabular_config(
    ps: float | Sequence[float] | None = None,
    embed_p: float = 0.0,
    y_range: tuple[float, float] | None = None,
    use_bn: bool = True,
    bn_final: bool = False,
    bn_cont: bool = True,
    act_cls: nn.Module | None = None,
    lin_first: bool = True,
) -> dict[str, Any]:
    """The optional arguments of `TabularModel`, as a dict for `tabular_learner(config=...)`.

    Examples:
        >>> tabular_config(embed_p=0.1)["embed_p"]
        0.1
    """
    return dict(ps=ps, embed_p=embed_p, y_range=y_range, use_bn=use_bn, bn_final=bn_final,
                bn_cont=bn_cont, act_cls=act_cls, lin_first=lin_first)  # fmt: skip


class TabularModel(nn.Module):
    """Embeddings of the categorical columns and the continuous columns, through an MLP.

    Args:
        emb_szs: `(categories, width)` per categorical column (`get_emb_sz`).
        n_cont: the number of continuous columns.
        out_sz: the number of outputs.
        layers: the widths of the hidden layers.
        ps: dropout after each hidden layer (one value for all, or one per layer).
        embed_p: dropout on the concatenated embeddings.
        y_range: squash outputs into this range with a sigmoid (regression).
        use_bn: batch norm in the hidden layers; `bn_final` also after the last one.
        bn_cont: batch norm on the continuous inputs.
        act_cls: the activation (ReLU).
        lin_first: linear before batch norm and dropout in each block.

    Examples:
        >>> model = TabularModel([(4, 3), (10, 6)], n_cont=2, out_sz=2, layers=[8])
        >>> model(torch.tensor([[1, 2], [3, 9]]), torch.randn(2, 2)).shape
        torch.Size([2, 2])
    """

    def __init__(
        self,
        emb_szs: Sequence[tuple[int, int]],
        n_cont: int,
        out_sz: int,
        layers: Sequence[int],
        ps: float | Sequence[float] | None = None,
        embed_p: float = 0.0,
        y_range: tuple[float, float] | None = None,
        use_bn: bool = True,
        bn_final: bool = False,
        bn_cont: bool = True,
        act_cls: nn.Module | None = None,
        lin_first: bool = True,
    ) -> None:
        super().__init__()
        ps = [0.0] * len(layers) if ps is None else ps
        ps = [ps] * len(layers) if isinstance(ps, (int, float)) else list(ps)
        if len(ps) != len(layers):
            raise ValueError(f"ps has {len(ps)} dropout values for {len(layers)} layers")
        self.embeds = nn.ModuleList([Embedding(ni, nf) for ni, nf in emb_szs])
        self.emb_drop = nn.Dropout(embed_p)
        self.bn_cont = nn.BatchNorm1d(n_cont) if bn_cont and n_cont else None
        self.n_emb, self.n_cont = sum(nf for _, nf in emb_szs), n_cont
        sizes = [self.n_emb + n_cont, *layers, out_sz]
        act = act_cls if act_cls is not None else nn.ReLU(inplace=True)
        acts: list[nn.Module | None] = [act] * len(layers) + [None]
        blocks: list[nn.Module] = [
            LinBnDrop(
                sizes[i],
                sizes[i + 1],
                bn=use_bn and (i != len(acts) - 1 or bn_final),
                p=p,
                act=a,
                lin_first=lin_first,
            )  # fmt: skip
            for i, (p, a) in enumerate(zip([*ps, 0.0], acts))
        ]
        if y_range is not None:
            blocks.append(SigmoidRange(*y_range))
        self.layers = nn.Sequential(*blocks)

    def forward(self, x_cat: Tensor, x_cont: Tensor | None = None) -> Tensor:  # noqa: D102
        cont = None
        if self.n_cont:
            if x_cont is None:
                raise ValueError(f"this model takes {self.n_cont} continuous columns and got none")
            cont = self.bn_cont(x_cont) if self.bn_cont is not None else x_cont
        if not self.n_emb:
            return self.layers(cont)
        return self.layers(self._embed(x_cat, cont))

    def _embed(self, x_cat: Tensor, cont: Tensor | None) -> Tensor:
        """The embeddings of `x_cat` (after their dropout), then `cont`, side by side."""
        x_cat = x_cat.long()
        # On the CPU only: CUDA's index_add_ sums with atomics (run-to-run differences), its
        # embedding backward does not, and it has no per-table sort to save.
        if x_cat.device.type == "cpu" and not _global_hooks() and all(_plain(e) for e in self.embeds):
            weights = [e.weight for e in self.embeds]
            if not (self.training and self.emb_drop.p > 0):  # dropout would sit between the two
                return _EmbeddingsCat.apply(x_cat, cont, *weights)
            emb = self.emb_drop(_EmbeddingsCat.apply(x_cat, None, *weights))
        else:
            emb = self.emb_drop(torch.cat([e(x_cat[:, i]) for i, e in enumerate(self.embeds)], 1))
        return emb if cont is None else torch.cat([emb, cont], 1)


def _global_hooks() -> bool:
    """Whether hooks are registered on every module (they must see each embedding called)."""
    return bool(_modules._global_forward_hooks or _modules._global_forward_pre_hooks)
