"""lamella.text: text classification and language models.

Tokenization so far: fastai's special tokens and rules (the same tokens as fastai's on the same
text), `SpacyTokenizer` (`spacy.blank`, nothing to download), `BaseTokenizer`, `parallel_tokenize`
over worker processes with results in input order, `tokenize_texts`, `tokenize_df`,
`tokenize_folder` (tokens streamed to disk, reused) and the `Tokenizer` transform; `make_vocab`,
`Numericalize`, `TensorText` and `LMDataLoader` (the corpus held once, a new text order each epoch).
The text blocks and loader factories, AWD-LSTM and the learners are the issue's next steps.

Examples:
    >>> from lamella.text import tokenize1
    >>> tokenize1("This movie was WONDERFUL!!!")
    ['xxbos', 'xxmaj', 'this', 'movie', 'was', 'xxup', 'wonderful', 'xxrep', '3', '!']
"""

from .core import BOS as BOS
from .core import EOS as EOS
from .core import FLD as FLD
from .core import PAD as PAD
from .core import TK_MAJ as TK_MAJ
from .core import TK_REP as TK_REP
from .core import TK_UP as TK_UP
from .core import TK_WREP as TK_WREP
from .core import UNK as UNK
from .core import BaseTokenizer as BaseTokenizer
from .core import SpacyTokenizer as SpacyTokenizer
from .core import TitledStr as TitledStr
from .core import TokenizeWithRules as TokenizeWithRules
from .core import Tokenizer as Tokenizer
from .core import WordTokenizer as WordTokenizer
from .core import fix_html as fix_html
from .core import fn_counter_pkl as fn_counter_pkl
from .core import fn_lengths_pkl as fn_lengths_pkl
from .core import lowercase as lowercase
from .core import parallel_tokenize as parallel_tokenize
from .core import replace_all_caps as replace_all_caps
from .core import replace_maj as replace_maj
from .core import replace_rep as replace_rep
from .core import replace_space as replace_space
from .core import replace_wrep as replace_wrep
from .core import rm_useless_spaces as rm_useless_spaces
from .core import spec_add_spaces as spec_add_spaces
from .core import text_postproc_rules as text_postproc_rules
from .core import text_proc_rules as text_proc_rules
from .core import text_spec_tok as text_spec_tok
from .core import tokenize1 as tokenize1
from .core import tokenize_df as tokenize_df
from .core import tokenize_folder as tokenize_folder
from .core import tokenize_texts as tokenize_texts
from .data import LMDataLoader as LMDataLoader
from .data import LMTensorText as LMTensorText
from .data import Numericalize as Numericalize
from .data import TensorText as TensorText
from .data import make_vocab as make_vocab

__all__ = [
    "BOS",
    "BaseTokenizer",
    "EOS",
    "FLD",
    "LMDataLoader",
    "LMTensorText",
    "Numericalize",
    "PAD",
    "SpacyTokenizer",
    "TK_MAJ",
    "TK_REP",
    "TK_UP",
    "TK_WREP",
    "TensorText",
    "TitledStr",
    "TokenizeWithRules",
    "Tokenizer",
    "UNK",
    "WordTokenizer",
    "fix_html",
    "fn_counter_pkl",
    "fn_lengths_pkl",
    "lowercase",
    "make_vocab",
    "parallel_tokenize",
    "replace_all_caps",
    "replace_maj",
    "replace_rep",
    "replace_space",
    "replace_wrep",
    "rm_useless_spaces",
    "spec_add_spaces",
    "text_postproc_rules",
    "text_proc_rules",
    "text_spec_tok",
    "tokenize1",
    "tokenize_df",
    "tokenize_folder",
    "tokenize_texts",
]
