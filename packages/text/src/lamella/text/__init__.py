"""lamella.text: text classification and language models.

Tokenization so far: fastai's special tokens and rules (the same tokens as fastai's on the same
text), `SpacyTokenizer` (`spacy.blank`, nothing to download), `BaseTokenizer`, `parallel_tokenize`
over worker processes with results in input order, `tokenize_texts`, `tokenize_df`,
`tokenize_folder` (tokens streamed to disk, reused) and the `Tokenizer` transform; `make_vocab`,
`Numericalize`, `TensorText`, `LMDataLoader` (the corpus held once, a new text order each epoch),
`SortedDL` and `pad_input_chunk` for classification batches.
AWD-LSTM with fastai's parameter names (`get_language_model`, `get_text_classifier`, the dropouts,
`SentenceEncoder`, `masked_concat_pool`). The text blocks and loader factories and the learners are
the issue's next steps.

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
from .core import Tokenizer as Tokenizer
from .core import TokenizeWithRules as TokenizeWithRules
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
from .data import SortedDL as SortedDL
from .data import TensorText as TensorText
from .data import make_vocab as make_vocab
from .data import pad_chunk as pad_chunk
from .data import pad_input_chunk as pad_input_chunk
from .models import AWD_LSTM as AWD_LSTM
from .models import EmbeddingDropout as EmbeddingDropout
from .models import LinearDecoder as LinearDecoder
from .models import PoolingLinearClassifier as PoolingLinearClassifier
from .models import RNNDropout as RNNDropout
from .models import SentenceEncoder as SentenceEncoder
from .models import SequentialRNN as SequentialRNN
from .models import WeightDropout as WeightDropout
from .models import awd_lstm_clas_config as awd_lstm_clas_config
from .models import awd_lstm_lm_config as awd_lstm_lm_config
from .models import dropout_mask as dropout_mask
from .models import get_language_model as get_language_model
from .models import get_text_classifier as get_text_classifier
from .models import masked_concat_pool as masked_concat_pool

__all__ = [
    "AWD_LSTM",
    "BOS",
    "BaseTokenizer",
    "EOS",
    "EmbeddingDropout",
    "FLD",
    "LMDataLoader",
    "LMTensorText",
    "LinearDecoder",
    "Numericalize",
    "PAD",
    "PoolingLinearClassifier",
    "RNNDropout",
    "SentenceEncoder",
    "SequentialRNN",
    "SortedDL",
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
    "WeightDropout",
    "WordTokenizer",
    "awd_lstm_clas_config",
    "awd_lstm_lm_config",
    "dropout_mask",
    "fix_html",
    "fn_counter_pkl",
    "fn_lengths_pkl",
    "get_language_model",
    "get_text_classifier",
    "lowercase",
    "make_vocab",
    "masked_concat_pool",
    "pad_chunk",
    "pad_input_chunk",
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
