"""Parameter groups of the text models: every parameter in exactly one group, in fastai's order."""

import pytest

from lamella.text import (
    AWD_LSTM,
    TransformerLM,
    awd_lstm_clas_config,
    awd_lstm_clas_split,
    awd_lstm_lm_config,
    awd_lstm_lm_split,
    get_language_model,
    get_text_classifier,
    text_model_meta,
    transformer_clas_config,
    transformer_clas_split,
    transformer_lm_config,
    transformer_lm_split,
)

SMALL = dict(emb_sz=8, n_hid=12)


def _check_partition(groups, model):
    ids = [id(p) for g in groups for p in g]
    assert len(ids) == len(set(ids)), "a parameter is in two groups"
    assert set(ids) == {id(p) for p in model.parameters()}, "a parameter is in no group"


@pytest.mark.parametrize("n_layers", [1, 2, 3])
def test_awd_lstm_groups_partition_the_parameters(n_layers):
    lm = get_language_model(AWD_LSTM, 40, dict(awd_lstm_lm_config, n_layers=n_layers, **SMALL))
    groups = awd_lstm_lm_split(lm)
    _check_partition(groups, lm)  # the tied decoder weight is the embedding's: counted once
    assert len(groups) == n_layers + 1 and any(p is lm[0].encoder.weight for p in groups[-1])
    clf = get_text_classifier(AWD_LSTM, 40, 3, config=dict(awd_lstm_clas_config, n_layers=n_layers, **SMALL))
    groups = awd_lstm_clas_split(clf)
    _check_partition(groups, clf)
    assert len(groups) == n_layers + 2 and groups[-1] == list(clf[1].parameters())


@pytest.mark.parametrize("n_layers", [1, 3])
def test_transformer_groups_partition_the_parameters(n_layers):
    cfg = dict(emb_sz=8, n_layers=n_layers, n_heads=2)
    lm = get_language_model(TransformerLM, 40, dict(transformer_lm_config, **cfg))
    _check_partition(transformer_lm_split(lm), lm)
    clf = get_text_classifier(TransformerLM, 40, 3, config=dict(transformer_clas_config, **cfg))
    groups = transformer_clas_split(clf)
    _check_partition(groups, clf)
    assert len(groups) == n_layers + 2


def test_the_shipped_archs_are_registered_with_their_splits():
    assert text_model_meta.meta(AWD_LSTM)["split_lm"] is awd_lstm_lm_split
    assert text_model_meta.meta(AWD_LSTM)["url"] is not None
    assert text_model_meta.meta(TransformerLM)["split_clas"] is transformer_clas_split
