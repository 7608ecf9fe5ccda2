"""`tabular_learner`: a `TabularModel` sized from the data, with the right loss, in one call."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from torch import Tensor

from lamella.data import display_df as _display
from lamella.learner import CrossEntropyLossFlat, Learner, MSELossFlat

from .model import TabularModel, get_emb_sz, tabular_config

__all__ = ["TabularLearner", "TabularRow", "tabular_learner"]


class TabularRow(pd.Series):
    """A decoded row (a pandas `Series`) that can `show()` itself as a one-row table, as fastai's.

    Examples:
        >>> _ = TabularRow({"age": 39, "salary": ">=50k"}).show()
           age salary
        0   39  >=50k
    """

    @property
    def _constructor(self) -> type:  # pandas' subclassing protocol: slices stay TabularRows
        return TabularRow

    def show(self) -> pd.DataFrame:
        """Print (or display, in a notebook) the row as a table; returns that one-row frame.

        Examples:
            >>> TabularRow({"x": 1.0}).show().shape  # doctest: +ELLIPSIS
            x...
            (1, 1)
        """
        return _display(pd.DataFrame([self.to_dict()]))


class TabularLearner(Learner):
    """A `Learner` whose `predict` takes a row of a data frame and answers with the row decoded.

    Examples:
        >>> type(learn).__name__
        'TabularLearner'
    """

    def predict(self, row: pd.Series) -> tuple[TabularRow, Tensor, Tensor]:  # type: ignore[override]
        """Predict one row: `(the row decoded, its prediction as the target; class or value; probabilities)`.

        The row is a `TabularRow`: a pandas `Series` that can `show()` itself, as fastai's.

        Examples:
            >>> row, cls, probs = learn.predict(df.iloc[0])
            >>> row["salary"] in ("<50k", ">=50k"), probs.shape
            (True, torch.Size([2]))
        """
        if isinstance(row, pd.DataFrame):
            if len(row) != 1:
                raise ValueError(
                    f"predict takes one row; got a frame of {len(row)} rows (use test_dl and get_preds)"
                )
            df = row
        else:
            df = row.to_frame().T.infer_objects()  # one row: back to numbers where the values are numbers
        dl = self.dls.test_dl(df, with_labels=False)
        inp, preds, _, dec = self.get_preds(dl=dl, with_input=True, with_decoded=True)
        inputs = inp if isinstance(inp, tuple) else (inp,)
        full = TabularRow(dl.decode_batch((*inputs, dec), max_n=1).iloc[0])
        return full, dec[0], preds[0]


def tabular_learner(
    dls: Any,
    layers: Sequence[int] | None = None,
    emb_szs: dict[str, int] | None = None,
    config: dict[str, Any] | None = None,
    n_out: int | None = None,
    y_range: tuple[float, float] | None = None,
    **kwargs: Any,
) -> TabularLearner:
    """A `TabularLearner` with a `TabularModel` sized from `dls` (classification or regression).

    Args:
        dls: `TabularDataLoaders`.
        layers: hidden layer widths (default `[200, 100]`).
        emb_szs: embedding widths that replace the rule for some columns.
        config: more `TabularModel` options (`tabular_config`).
        n_out: outputs (default: the classes, or the target columns).
        y_range: squash regression outputs into this range.
        **kwargs: passed to `Learner` (`metrics`, `loss_func`, `opt_func`, `lr`, `wd`, `cbs`...).

    Examples:
        >>> import lamella.samples
        >>> from lamella.data import Normalize
        >>> from lamella.learner import accuracy
        >>> from lamella.tabular import Categorify, FillMissing, TabularDataLoaders
        >>> dls = TabularDataLoaders.from_csv(lamella.samples.path("adult_sample") / "adult.csv",
        ...     y_names="salary", cat_names=["education"], cont_names=["age"],
        ...     procs=[Categorify, FillMissing, Normalize], seed=0, device="cpu")
        >>> learn = tabular_learner(dls, metrics=accuracy)
        >>> learn.model.layers[-1][0]
        Linear(in_features=100, out_features=2, bias=True)
    """
    config = dict(tabular_config() if config is None else config)
    to = dls.train_ds
    config_y_range = config.pop("y_range", None)
    y_range = config_y_range if y_range is None else y_range
    model = TabularModel(
        get_emb_sz(to, emb_szs), len(to.cont_names), n_out or to.c, [200, 100] if layers is None else layers,
        y_range=y_range, **config,
    )  # fmt: skip
    if kwargs.get("loss_func") is None:
        kwargs["loss_func"] = CrossEntropyLossFlat() if to.y_kind == "category" else MSELossFlat()
    return TabularLearner(dls, model, **kwargs)
