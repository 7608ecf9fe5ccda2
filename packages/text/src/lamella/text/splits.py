"""Parameter groups of the text models, as fastai's (for discriminative learning rates and unfreezing).

A language model's groups are its recurrent layers (or transformer blocks), then the embedding
with the decoder; a classifier's are the embedding, each layer, then the head. They are
registered here with the weights' URLs, as a user's own architecture would be
(`register_text_arch`).

Examples:
    >>> text_model_meta.meta(AWD_LSTM)["split_clas"] is awd_lstm_clas_split
    True
"""

from __future__ import annotations

from typing import Any

from torch import nn

from lamella.data import URLs

from .models import (  # noqa: F401  (the examples use them)
    AWD_LSTM,
    TransformerLM,
    awd_lstm_clas_config,
    awd_lstm_lm_config,
    get_language_model,
    get_text_classifier,
    register_text_arch,
    text_model_meta,
    transformer_clas_config,
    transformer_lm_config,
)

__all__ = [
    "awd_lstm_clas_split",
    "awd_lstm_lm_split",
    "transformer_clas_split",
    "transformer_lm_split",
]


def _params(*modules: nn.Module) -> list[nn.Parameter]:
    seen: dict[int, nn.Parameter] = {}
    for m in modules:
        for p in m.parameters():
            seen.setdefault(id(p), p)
    return list(seen.values())


def awd_lstm_lm_split(model: nn.Sequential) -> list[list[nn.Parameter]]:
    """Fastai's groups of a language model: each LSTM layer, then the embedding with the decoder.

    Examples:
        >>> lm = get_language_model(AWD_LSTM, 50, dict(awd_lstm_lm_config, emb_sz=8, n_hid=8, n_layers=3))
        >>> len(awd_lstm_lm_split(lm))
        4
    """
    enc: Any = model[0]
    groups = [_params(rnn, dp) for rnn, dp in zip(enc.rnns, enc.hidden_dps)]
    return [*groups, _params(enc.encoder, enc.encoder_dp, model[1])]


def awd_lstm_clas_split(model: nn.Sequential) -> list[list[nn.Parameter]]:
    """Fastai's groups of a classifier: the embedding, each LSTM layer, then the head.

    Examples:
        >>> clf = get_text_classifier(AWD_LSTM, 50, 2, config=dict(awd_lstm_clas_config, n_hid=8, emb_sz=8))
        >>> len(awd_lstm_clas_split(clf))
        5
    """
    enc: Any = model[0].module
    groups = [_params(enc.encoder, enc.encoder_dp)]
    groups += [_params(rnn, dp) for rnn, dp in zip(enc.rnns, enc.hidden_dps)]
    return [*groups, _params(model[1])]


def transformer_lm_split(model: nn.Sequential) -> list[list[nn.Parameter]]:
    """Groups of a `TransformerLM` language model: each block, then the embeddings with the decoder.

    Examples:
        >>> lm = get_language_model(TransformerLM, 50, dict(transformer_lm_config, emb_sz=8, n_layers=2))
        >>> len(transformer_lm_split(lm))
        3
    """
    enc: Any = model[0]
    return [*[_params(b) for b in enc.layers], _params(enc.encoder, enc.pos, enc.ln, model[1])]


def transformer_clas_split(model: nn.Sequential) -> list[list[nn.Parameter]]:
    """Groups of a `TransformerLM` classifier: the embeddings, each block, then the head.

    Examples:
        >>> cfg = dict(transformer_clas_config, emb_sz=8, n_layers=2)
        >>> len(transformer_clas_split(get_text_classifier(TransformerLM, 50, 2, config=cfg)))
        4
    """
    enc: Any = model[0].module
    return [_params(enc.encoder, enc.pos), *[_params(b) for b in enc.layers], _params(enc.ln, model[1])]


# The parameter groups and pretrained weights of the architectures lamella ships, registered as a
# user's own would be.
register_text_arch(
    AWD_LSTM,
    url=URLs.WT103_FWD,
    url_bwd=URLs.WT103_BWD,
    split_lm=awd_lstm_lm_split,
    split_clas=awd_lstm_clas_split,
)
register_text_arch(TransformerLM, split_lm=transformer_lm_split, split_clas=transformer_clas_split)
