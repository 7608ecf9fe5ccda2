"""lamella.text: text classification and language models (ULMFiT), fastai's API.

Tokenization with fastai's special tokens and rules (the same tokens as fastai's on the same text)
through spaCy (`spacy.blank`, nothing to download), in parallel (`parallel_tokenize`,
`tokenize_df`, `tokenize_folder` streamed to disk); `Numericalize`; `TextBlock` and
`TextDataLoaders` for language models (`LMDataLoader`: the corpus held once, a new text order each
epoch) and classifiers (`SortedDL`, `pad_input_chunk`); AWD-LSTM with fastai's parameter names and a
small `TransformerLM`; `language_model_learner` and `text_classifier_learner` with fastai's
pretrained WikiText-103 weights, `save_encoder`/`load_encoder` and AR/TAR regularisation.

Examples:
    >>> from lamella.text import tokenize1
    >>> tokenize1("This movie was WONDERFUL!!!")
    ['xxbos', 'xxmaj', 'this', 'movie', 'was', 'xxup', 'wonderful', 'xxrep', '3', '!']
"""

from . import show  # noqa: F401  (importing it registers how text batches show)
from .awdlstm import AWD_LSTM as AWD_LSTM
from .awdlstm import EmbeddingDropout as EmbeddingDropout
from .awdlstm import RNNDropout as RNNDropout
from .awdlstm import WeightDropout as WeightDropout
from .awdlstm import awd_lstm_clas_config as awd_lstm_clas_config
from .awdlstm import awd_lstm_lm_config as awd_lstm_lm_config
from .awdlstm import dropout_mask as dropout_mask
from .block import TextBlock as TextBlock
from .block import get_text_files as get_text_files
from .block import reverse_text as reverse_text
from .core import TitledStr as TitledStr
from .core import Tokenizer as Tokenizer
from .core import fn_counter_pkl as fn_counter_pkl
from .core import fn_lengths_pkl as fn_lengths_pkl
from .core import parallel_tokenize as parallel_tokenize
from .core import tokenize_df as tokenize_df
from .core import tokenize_folder as tokenize_folder
from .core import tokenize_texts as tokenize_texts
from .factories import TextDataLoaders as TextDataLoaders
from .learner import LMLearner as LMLearner
from .learner import TextLearner as TextLearner
from .learner import clean_raw_keys as clean_raw_keys
from .learner import decode_spec_tokens as decode_spec_tokens
from .learner import language_model_learner as language_model_learner
from .learner import match_embeds as match_embeds
from .learner import text_classifier_learner as text_classifier_learner
from .loaders import LMDataLoader as LMDataLoader
from .loaders import Pad_Input as Pad_Input
from .loaders import SortedDL as SortedDL
from .loaders import pad_chunk as pad_chunk
from .loaders import pad_input as pad_input
from .loaders import pad_input_chunk as pad_input_chunk
from .models import LinearDecoder as LinearDecoder
from .models import PoolingLinearClassifier as PoolingLinearClassifier
from .models import SentenceEncoder as SentenceEncoder
from .models import SequentialRNN as SequentialRNN
from .models import get_language_model as get_language_model
from .models import get_text_classifier as get_text_classifier
from .models import masked_concat_pool as masked_concat_pool
from .models import register_text_arch as register_text_arch
from .models import text_model_meta as text_model_meta
from .numericalize import LMTensorText as LMTensorText
from .numericalize import Numericalize as Numericalize
from .numericalize import TensorText as TensorText
from .numericalize import make_vocab as make_vocab
from .rnn import ModelResetter as ModelResetter
from .rnn import RNNCallback as RNNCallback
from .rnn import RNNRegularizer as RNNRegularizer
from .rnn import rnn_cbs as rnn_cbs
from .rules import BOS as BOS
from .rules import EOS as EOS
from .rules import FLD as FLD
from .rules import PAD as PAD
from .rules import TK_MAJ as TK_MAJ
from .rules import TK_REP as TK_REP
from .rules import TK_UP as TK_UP
from .rules import TK_WREP as TK_WREP
from .rules import UNK as UNK
from .rules import fix_html as fix_html
from .rules import lowercase as lowercase
from .rules import replace_all_caps as replace_all_caps
from .rules import replace_maj as replace_maj
from .rules import replace_rep as replace_rep
from .rules import replace_space as replace_space
from .rules import replace_wrep as replace_wrep
from .rules import rm_useless_spaces as rm_useless_spaces
from .rules import spec_add_spaces as spec_add_spaces
from .rules import text_postproc_rules as text_postproc_rules
from .rules import text_proc_rules as text_proc_rules
from .rules import text_spec_tok as text_spec_tok
from .splits import awd_lstm_clas_split as awd_lstm_clas_split
from .splits import awd_lstm_lm_split as awd_lstm_lm_split
from .splits import transformer_clas_split as transformer_clas_split
from .splits import transformer_lm_split as transformer_lm_split
from .tokenizers import BaseTokenizer as BaseTokenizer
from .tokenizers import SentencePieceTokenizer as SentencePieceTokenizer
from .tokenizers import SpacyTokenizer as SpacyTokenizer
from .tokenizers import SubwordTokenizer as SubwordTokenizer
from .tokenizers import TokenizeWithRules as TokenizeWithRules
from .tokenizers import WordTokenizer as WordTokenizer
from .tokenizers import tokenize1 as tokenize1
from .transformer import TransformerLM as TransformerLM
from .transformer import transformer_clas_config as transformer_clas_config
from .transformer import transformer_lm_config as transformer_lm_config

__all__ = [
    "AWD_LSTM",
    "BOS",
    "BaseTokenizer",
    "EOS",
    "EmbeddingDropout",
    "FLD",
    "LMDataLoader",
    "LMLearner",
    "LMTensorText",
    "LinearDecoder",
    "ModelResetter",
    "Numericalize",
    "PAD",
    "Pad_Input",
    "PoolingLinearClassifier",
    "RNNCallback",
    "RNNDropout",
    "RNNRegularizer",
    "SentenceEncoder",
    "SentencePieceTokenizer",
    "SequentialRNN",
    "SortedDL",
    "SpacyTokenizer",
    "SubwordTokenizer",
    "TK_MAJ",
    "TK_REP",
    "TK_UP",
    "TK_WREP",
    "TensorText",
    "TextBlock",
    "TextDataLoaders",
    "TextLearner",
    "TitledStr",
    "TokenizeWithRules",
    "Tokenizer",
    "TransformerLM",
    "UNK",
    "WeightDropout",
    "WordTokenizer",
    "awd_lstm_clas_config",
    "awd_lstm_clas_split",
    "awd_lstm_lm_config",
    "awd_lstm_lm_split",
    "clean_raw_keys",
    "decode_spec_tokens",
    "dropout_mask",
    "fix_html",
    "fn_counter_pkl",
    "fn_lengths_pkl",
    "get_language_model",
    "get_text_classifier",
    "get_text_files",
    "language_model_learner",
    "lowercase",
    "make_vocab",
    "masked_concat_pool",
    "match_embeds",
    "pad_chunk",
    "pad_input",
    "pad_input_chunk",
    "parallel_tokenize",
    "register_text_arch",
    "replace_all_caps",
    "replace_maj",
    "replace_rep",
    "replace_space",
    "replace_wrep",
    "reverse_text",
    "rm_useless_spaces",
    "rnn_cbs",
    "spec_add_spaces",
    "text_classifier_learner",
    "text_model_meta",
    "text_postproc_rules",
    "text_proc_rules",
    "text_spec_tok",
    "tokenize1",
    "tokenize_df",
    "tokenize_folder",
    "tokenize_texts",
    "transformer_clas_config",
    "transformer_clas_split",
    "transformer_lm_config",
    "transformer_lm_split",
]
