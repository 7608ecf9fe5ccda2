"""`CollabDataLoaders`: user-item-rating frames as batches of `(user, item)` codes and ratings."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pandas as pd

from lamella.data import CategoryMap, RegressionBlock, check_loader_kwargs, pick_splitter
from lamella.tabular import Categorify, TabularDataError, TabularDataLoaders, TabularPandas

__all__ = ["CollabDataLoaders"]


class CollabDataLoaders(TabularDataLoaders):
    """Training and validation loaders of ratings: inputs `(user, item)` codes, targets the ratings.

    Examples:
        >>> ratings = pd.DataFrame({"user": [1, 1, 2, 2, 3], "movie": list("abcab"),
        ...                         "rating": [5.0, 3.0, 4.0, 1.0, 2.0]})
        >>> dls = CollabDataLoaders.from_df(ratings, valid_pct=0.2, seed=0, bs=2, device="cpu")
        >>> x, y = dls.valid.one_batch()
        >>> x.shape, y.shape, list(dls.classes["movie"])
        (torch.Size([1, 2]), torch.Size([1, 1]), ['#na#', 'a', 'b'])
    """

    @classmethod
    def from_df(  # type: ignore[override]
        cls,
        ratings: pd.DataFrame,
        valid_pct: float = 0.2,
        user_name: str | None = None,
        item_name: str | None = None,
        rating_name: str | None = None,
        seed: int | None = None,
        path: str | Path = ".",
        **kwargs: Any,
    ) -> CollabDataLoaders:
        """From a frame of ratings; names default to its first three columns (user, item, rating).

        `kwargs` go to the loaders (`bs`, `val_bs`, `device`, `num_workers`).

        Examples:
            >>> dls = CollabDataLoaders.from_df(ratings, item_name="title", bs=8)
            >>> len(dls.train_ds) + len(dls.valid_ds)
            60
        """
        check_loader_kwargs(f"{cls.__name__}.from_df", kwargs, cls.from_tabular)
        if not isinstance(ratings, pd.DataFrame):
            raise TypeError(f"ratings must be a pandas DataFrame, got {type(ratings).__name__}")
        if ratings.shape[1] < 3 and None in (user_name, item_name, rating_name):
            raise ValueError(
                f"ratings has columns {list(ratings.columns)}: name the user, item and rating columns"
            )
        cols = list(ratings.columns)
        user_name, item_name = user_name or cols[0], item_name or cols[1]
        rating_name = rating_name or cols[2]
        for kind, n in (("user_name", user_name), ("item_name", item_name)):
            if n in ratings.columns and ratings[n].isna().any():
                rows = ratings.index[ratings[n].isna().to_numpy()]
                raise TabularDataError(
                    f"{kind} column {n!r} has {len(rows)} missing ids (rows {', '.join(map(str, rows[:5]))}"
                    f"{', ...' if len(rows) > 5 else ''}): each rating needs a user and an item; "
                    "drop those rows"
                )
        splits = pick_splitter(valid_pct=valid_pct, seed=seed)(range(len(ratings)))
        to = TabularPandas(ratings, [Categorify], cat_names=[user_name, item_name], y_names=rating_name,
                           y_block=RegressionBlock(), splits=splits)  # fmt: skip
        to.with_cont = False  # the models take the codes alone
        return cast(CollabDataLoaders, cls.from_tabular(to, path=path, seed=seed, **kwargs))

    @property
    def classes(self) -> dict[str, CategoryMap]:
        """The users' and items' vocabularies, by column name (`#na#` first).

        Examples:
            >>> list(dls.classes)
            ['user', 'title']
        """
        return self.train_ds.classes
