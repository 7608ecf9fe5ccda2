"""Collaborative filtering models: `EmbeddingDotBias` (factors and biases) and `EmbeddingNN`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import Tensor, nn

from lamella.tabular import Embedding, TabularModel, sigmoid_range

__all__ = ["EmbeddingDotBias", "EmbeddingNN"]


class EmbeddingDotBias(nn.Module):
    """A rating as the dot product of user and item factors plus a user and an item bias.

    Args:
        n_factors: the width of the factors.
        n_users: how many users (codes).
        n_items: how many items (codes).
        y_range: squash predictions into this range with a sigmoid.

    Examples:
        >>> model = EmbeddingDotBias(4, n_users=3, n_items=5, y_range=(0, 5.5))
        >>> model(torch.tensor([[1, 2], [2, 4]])).shape
        torch.Size([2])
    """

    user: str = "user"  # the names of the two columns of `classes` (set by `from_classes`)
    item: str = "item"

    def __init__(
        self, n_factors: int, n_users: int, n_items: int, y_range: tuple[float, float] | None = None
    ) -> None:
        super().__init__()
        self.y_range = y_range
        self.u_weight, self.i_weight = Embedding(n_users, n_factors), Embedding(n_items, n_factors)
        self.u_bias, self.i_bias = Embedding(n_users, 1), Embedding(n_items, 1)
        self.classes: dict[str, Any] | None = None

    def forward(self, x: Tensor) -> Tensor:  # noqa: D102
        users, items = x[:, 0], x[:, 1]
        dot = (self.u_weight(users) * self.i_weight(items)).sum(1)
        res = dot + self.u_bias(users)[:, 0] + self.i_bias(items)[:, 0]
        return res if self.y_range is None else sigmoid_range(res, *self.y_range)

    @classmethod
    def from_classes(
        cls,
        n_factors: int,
        classes: dict[str, Sequence[Any]],
        user: str | None = None,
        item: str | None = None,
        y_range: tuple[float, float] | None = None,
    ) -> EmbeddingDotBias:
        """Sized from the vocabularies `classes` (`dls.classes`), which it keeps for `bias` and `weight`.

        Examples:
            >>> model = EmbeddingDotBias.from_classes(2, {"u": ["#na#", 7], "m": ["#na#", "a", "b"]})
            >>> model.i_weight
            Embedding(3, 2)
        """
        names = list(classes)
        user, item = user or names[0], item or names[1]
        model = cls(n_factors, len(classes[user]), len(classes[item]), y_range=y_range)
        model.classes, model.user, model.item = classes, user, item
        return model

    def _get_idx(self, arr: Sequence[Any], is_item: bool = True) -> Tensor:
        if self.classes is None:
            raise ValueError("this model has no vocabularies: build it with EmbeddingDotBias.from_classes")
        name = self.item if is_item else self.user
        o2i = {v: i for i, v in enumerate(self.classes[name])}
        unknown = [o for o in arr if o not in o2i]
        if unknown:
            raise KeyError(f"{unknown[:5]} not in the vocabulary of {name!r}")
        return torch.tensor([o2i[o] for o in arr], device=self.i_weight.weight.device)

    def bias(self, arr: Sequence[Any], is_item: bool = True) -> Tensor:
        """The learned biases of items (or users) given by name, detached on the CPU (as fastai's).

        Examples:
            >>> model = EmbeddingDotBias.from_classes(2, {"u": ["#na#", 7], "m": ["#na#", "a", "b"]})
            >>> model.bias(["a", "b"]).shape
            torch.Size([2])
        """
        layer = self.i_bias if is_item else self.u_bias
        return layer(self._get_idx(arr, is_item))[:, 0].detach().cpu()

    def weight(self, arr: Sequence[Any], is_item: bool = True) -> Tensor:
        """The learned factors of items (or users) given by name, detached on the CPU (as fastai's).

        Examples:
            >>> model = EmbeddingDotBias.from_classes(2, {"u": ["#na#", 7], "m": ["#na#", "a", "b"]})
            >>> model.weight([7], is_item=False).shape
            torch.Size([1, 2])
        """
        layer = self.i_weight if is_item else self.u_weight
        return layer(self._get_idx(arr, is_item)).detach().cpu()


class EmbeddingNN(TabularModel):
    """A `TabularModel` on the user and item embeddings alone, one output: a neural recommender.

    Examples:
        >>> model = EmbeddingNN([(3, 4), (5, 4)], layers=[8], y_range=(0, 5.5))
        >>> model(torch.tensor([[1, 2], [2, 4]])).shape
        torch.Size([2, 1])
    """

    def __init__(self, emb_szs: Sequence[tuple[int, int]], layers: Sequence[int], **kwargs: Any) -> None:
        super().__init__(emb_szs=emb_szs, n_cont=0, out_sz=1, layers=layers, **kwargs)

    def forward(self, x_cat: Tensor, x_cont: Tensor | None = None) -> Tensor:  # noqa: D102
        return super().forward(x_cat)
