"""`BatchOrder`: which items each batch of an epoch holds, drawn from one seed per epoch.

The order is a pure function of the epoch's seed (and, when sharded, of the rank), so a resumed
epoch repeats it and every process of a distributed run draws the same one.

Examples:
    >>> from lamella.data import DataLoader
    >>> dl = DataLoader(list(range(10)), bs=4, shuffle=True, seed=0)
    >>> sorted(i for b in dl for i in b.tolist()) == list(range(10)), dl.n_batches
    (True, 3)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import torch

__all__ = ["BatchOrder"]

_Order = TypeVar("_Order", bound="BatchOrder")


class BatchOrder:
    """The order part of `DataLoader`: sizes, sharding, the epoch's seed and resuming.

    Examples:
        >>> from lamella.data import DataLoader
        >>> [b.tolist() for b in DataLoader(list(range(5)), bs=2).shard(0, 2)]
        [[0, 2], [4]]
    """

    dataset: Any
    bs: int
    shuffle: bool
    drop_last: bool
    seed: int | None
    epoch: int

    @property
    def n(self) -> int:
        """How many items this loader serves an epoch (its share when sharded across processes).

        Examples:
        >>> from lamella.data import DataLoader
            >>> DataLoader(list(range(10)), bs=4).n
            10
        """
        n, world = len(self.dataset), getattr(self, "world_size", 1)
        return n if world == 1 else -(-n // world)

    def shard(self: _Order, rank: int, world_size: int) -> _Order:
        """Serve only this process's share of every epoch's order (distributed training); returns self.

        All processes draw the same order (give them the same `seed`) and rank `r` takes every
        `world_size`-th item from position `r`, the order padded by repetition to equal shares.

        Examples:
        >>> from lamella.data import DataLoader
            >>> [b.tolist() for b in DataLoader(list(range(5)), bs=2).shard(1, 2)]
            [[1, 3], [0]]
        """
        self.rank, self.world_size = rank, world_size
        return self

    @property
    def n_batches(self) -> int:
        """How many batches an epoch has.

        Examples:
        >>> from lamella.data import DataLoader
            >>> DataLoader(list(range(10)), bs=4).n_batches
            3
        """
        return self.n // self.bs if self.drop_last else -(-self.n // self.bs)

    def __len__(self) -> int:
        return self.n_batches

    def _epoch_generator(self, seed: int | None = None) -> torch.Generator:
        if seed is None and self.seed is not None:
            seed = self.seed * 1_000_003 + self.epoch
        elif seed is None:
            seed = int(torch.empty((), dtype=torch.int64).random_().item())
        self.epoch_seed = seed
        return torch.Generator().manual_seed(seed)

    def resume(self, epoch_seed: int, skip: int, on_start: Callable[[], None] | None = None) -> None:
        """Make the next epoch repeat the order drawn from `epoch_seed`, without its first `skip` batches.

        `on_start` runs just before the first batch is made (a checkpoint restores random states
        there). With `num_workers=0` the rest of the epoch is then exactly what it would have been.

        Examples:
        >>> from lamella.data import DataLoader
            >>> dl = DataLoader(list(range(6)), bs=2, shuffle=True, seed=1)
            >>> first = [b.tolist() for b in dl]
            >>> dl.resume(dl.epoch_seed, skip=1)
            >>> [b.tolist() for b in dl] == first[1:]
            True
        """
        self._resume: tuple[int, int, Callable[[], None] | None] | None = (epoch_seed, skip, on_start)

    def _index_batches(self, gen: torch.Generator) -> list[list[int]]:
        total = len(self.dataset)
        streamed = getattr(getattr(self.dataset, "items", self.dataset), "epoch_order", None)
        if not self.shuffle:
            order = list(range(total))
        else:  # items in shards shuffle a few shards at a time (`ShardedItems.epoch_order`)
            order = streamed(gen) if streamed is not None else torch.randperm(total, generator=gen).tolist()
        world = getattr(self, "world_size", 1)
        if world > 1:  # as DistributedSampler: pad by repeating (fewer items than ranks too), every world-th
            repeats = -(-self.n * world // total) if total else 0
            order = (order * repeats)[: self.n * world][getattr(self, "rank", 0) :: world]
        batches = [order[i : i + self.bs] for i in range(0, len(order), self.bs)]
        if self.drop_last and batches and len(batches[-1]) < self.bs:
            batches.pop()
        return batches
