"""lamella.data: lazily transformed collections, DataLoader and the DataBlock API.

The data layer turns raw items into batches on the right device. `TfmdLists` and `Datasets`
apply transform pipelines lazily, split into training and validation; `DataLoader` batches
them through its `after_item`, `before_batch` and `after_batch` hooks, with worker processes
and a reproducible shuffle; `DataBlock` declares a whole dataset in a few lines. Also here:
label transforms, splitters, getters, `show_batch`, and `untar_data`. Depends on
lamella-transforms.

Examples:
    >>> from lamella.data import CategoryBlock, DataBlock, RandomSplitter, TransformBlock
    >>> dblock = DataBlock(blocks=(TransformBlock, CategoryBlock),
    ...                    get_y=lambda o: "big" if o > 5 else "small",
    ...                    splitter=RandomSplitter(0.25, seed=0))
    >>> dls = dblock.dataloaders(list(range(12)), bs=3, device="cpu")
    >>> dls.train_ds.vocab, len(dls.train), len(dls.valid_ds)
    (['big', 'small'], 3, 3)
"""

from .block import CategoryBlock as CategoryBlock
from .block import DataBlock as DataBlock
from .block import MultiCategoryBlock as MultiCategoryBlock
from .block import RegressionBlock as RegressionBlock
from .block import TransformBlock as TransformBlock
from .collate import CollateError as CollateError
from .collate import collate as collate
from .convert import IntToFloatTensor as IntToFloatTensor
from .convert import Normalize as Normalize
from .convert import ToTensor as ToTensor
from .convert import broadcast_vec as broadcast_vec
from .datasets import Datasets as Datasets
from .datasets import TfmdLists as TfmdLists
from .datasets import range_of as range_of
from .datasets import show_at as show_at
from .doc import DOCS_URL as DOCS_URL
from .doc import doc as doc
from .doc import doc_link as doc_link
from .external import URLs as URLs
from .external import download_url as download_url
from .external import lamella_home as lamella_home
from .external import load_pickle as load_pickle
from .external import untar_data as untar_data
from .factories import pick_splitter as pick_splitter
from .factories import read_csv as read_csv
from .getters import AttrGetter as AttrGetter
from .getters import ColReader as ColReader
from .getters import FileGetter as FileGetter
from .getters import FileList as FileList
from .getters import FuncGetter as FuncGetter
from .getters import ItemGetter as ItemGetter
from .getters import RegexLabeller as RegexLabeller
from .getters import get_files as get_files
from .getters import parent_label as parent_label
from .labels import Categorize as Categorize
from .labels import Category as Category
from .labels import CategoryMap as CategoryMap
from .labels import EncodedMultiCategorize as EncodedMultiCategorize
from .labels import LabelError as LabelError
from .labels import MultiCategorize as MultiCategorize
from .labels import MultiCategory as MultiCategory
from .labels import OneHotEncode as OneHotEncode
from .labels import RegressionSetup as RegressionSetup
from .labels import TitledFloat as TitledFloat
from .labels import UnknownLabelError as UnknownLabelError
from .labels import one_hot as one_hot
from .labels import one_hot_decode as one_hot_decode
from .loader import DataLoader as DataLoader
from .loader import DataLoader as TfmdDL
from .loader import batch_seed as batch_seed
from .loader import check_loader_kwargs as check_loader_kwargs
from .loaders import DataLoaders as DataLoaders
from .shards import ShardedItems as ShardedItems
from .shards import ShardError as ShardError
from .shards import hf_samples as hf_samples
from .shards import write_shards as write_shards
from .show import display_df as display_df
from .show import get_grid as get_grid
from .show import show_batch as show_batch
from .show import show_results as show_results
from .splitters import ColSplitter as ColSplitter
from .splitters import EndSplitter as EndSplitter
from .splitters import FileSplitter as FileSplitter
from .splitters import FuncSplitter as FuncSplitter
from .splitters import GrandparentSplitter as GrandparentSplitter
from .splitters import IndexSplitter as IndexSplitter
from .splitters import MaskSplitter as MaskSplitter
from .splitters import RandomSplitter as RandomSplitter
from .splitters import RandomSubsetSplitter as RandomSubsetSplitter
from .splitters import TrainTestSplitter as TrainTestSplitter

__all__ = [
    "AttrGetter",
    "Categorize",
    "Category",
    "CategoryBlock",
    "CategoryMap",
    "ColReader",
    "ColSplitter",
    "CollateError",
    "DOCS_URL",
    "DataBlock",
    "DataLoader",
    "DataLoaders",
    "Datasets",
    "EncodedMultiCategorize",
    "EndSplitter",
    "FileGetter",
    "FileList",
    "FileSplitter",
    "FuncGetter",
    "FuncSplitter",
    "GrandparentSplitter",
    "IndexSplitter",
    "IntToFloatTensor",
    "ItemGetter",
    "LabelError",
    "MaskSplitter",
    "MultiCategorize",
    "MultiCategory",
    "MultiCategoryBlock",
    "Normalize",
    "OneHotEncode",
    "RandomSplitter",
    "RandomSubsetSplitter",
    "RegexLabeller",
    "RegressionBlock",
    "RegressionSetup",
    "ShardError",
    "ShardedItems",
    "TfmdDL",
    "TfmdLists",
    "TitledFloat",
    "ToTensor",
    "TrainTestSplitter",
    "TransformBlock",
    "URLs",
    "UnknownLabelError",
    "batch_seed",
    "broadcast_vec",
    "check_loader_kwargs",
    "collate",
    "display_df",
    "doc",
    "doc_link",
    "download_url",
    "get_files",
    "get_grid",
    "hf_samples",
    "lamella_home",
    "load_pickle",
    "one_hot",
    "one_hot_decode",
    "parent_label",
    "pick_splitter",
    "range_of",
    "read_csv",
    "show_at",
    "show_batch",
    "show_results",
    "untar_data",
    "write_shards",
]
