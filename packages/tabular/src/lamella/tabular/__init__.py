"""lamella.tabular: tabular models on pandas data frames.

`TabularPandas` processes a frame with `Categorify`, `FillMissing` and `Normalize` (vectorised,
set up on the training rows), `TabularDataLoaders` serve whole batches by index, and
`tabular_learner` builds fastai's `TabularModel` for classification or regression.
Depends on lamella-learner and pandas.

Examples:
    >>> import pandas as pd
    >>> from lamella.tabular import Categorify, TabularPandas
    >>> to = TabularPandas(pd.DataFrame({"a": ["x", "y"], "y": [0.5, 1.5]}), [Categorify], "a", y_names="y")
    >>> to.cats.tolist(), to.y_tensor.tolist()
    ([[1], [2]], [[0.5], [1.5]])
"""

from lamella.learner import LinBnDrop as LinBnDrop

from .core import ColumnTypeError as ColumnTypeError
from .core import TabularDataError as TabularDataError
from .core import TabularPandas as TabularPandas
from .data import TabDataLoader as TabDataLoader
from .data import TabularDataLoaders as TabularDataLoaders
from .frame import add_datepart as add_datepart
from .frame import add_elapsed_times as add_elapsed_times
from .frame import cont_cat_split as cont_cat_split
from .frame import df_shrink as df_shrink
from .frame import make_date as make_date
from .learner import TabularLearner as TabularLearner
from .learner import TabularRow as TabularRow
from .learner import tabular_learner as tabular_learner
from .model import Embedding as Embedding
from .model import SigmoidRange as SigmoidRange
from .model import TabularModel as TabularModel
from .model import emb_sz_rule as emb_sz_rule
from .model import get_emb_sz as get_emb_sz
from .model import sigmoid_range as sigmoid_range
from .model import tabular_config as tabular_config
from .procs import Categorify as Categorify
from .procs import FillMissing as FillMissing
from .procs import FillStrategy as FillStrategy
from .procs import NormalizeTab as NormalizeTab
from .procs import TabularProc as TabularProc

__all__ = [
    "Categorify",
    "ColumnTypeError",
    "Embedding",
    "FillMissing",
    "FillStrategy",
    "LinBnDrop",
    "NormalizeTab",
    "SigmoidRange",
    "TabDataLoader",
    "TabularDataLoaders",
    "TabularLearner",
    "TabularModel",
    "TabularDataError",
    "TabularPandas",
    "TabularProc",
    "TabularRow",
    "add_datepart",
    "cont_cat_split",
    "df_shrink",
    "emb_sz_rule",
    "get_emb_sz",
    "sigmoid_range",
    "tabular_config",
    "tabular_learner",
    "add_elapsed_times",
    "make_date",
]
