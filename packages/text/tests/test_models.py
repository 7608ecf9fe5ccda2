"""The language model and classifier around an encoder: fastai's names and shapes, pooling, the registry."""

import json
from pathlib import Path

import pytest
import torch

from lamella.text import (
    AWD_LSTM,
    awd_lstm_clas_config,
    awd_lstm_lm_config,
    get_language_model,
    get_text_classifier,
    masked_concat_pool,
)

FASTAI = json.loads((Path(__file__).parent / "fastai_awd_lstm.json").read_text())
SMALL = dict(emb_sz=20, n_hid=30, n_layers=3)


def test_state_dicts_have_fastais_names_and_shapes():
    lm = get_language_model(AWD_LSTM, 100, config=dict(awd_lstm_lm_config, **SMALL))
    clf = get_text_classifier(AWD_LSTM, 100, 2, config=dict(awd_lstm_clas_config, **SMALL))
    for model, ref in ((lm, FASTAI["lm"]), (clf, FASTAI["clas"])):
        ours = {k: list(v.shape) for k, v in model.state_dict().items()}
        assert ours == ref


def test_a_fastai_state_dict_loads_and_the_encoder_moves_to_a_classifier():
    ref = {k: torch.randn(v) if "num_batches" not in k else torch.tensor(0) for k, v in FASTAI["lm"].items()}
    ref["0.encoder_dp.emb.weight"] = ref["0.encoder.weight"]
    ref["1.decoder.weight"] = ref["0.encoder.weight"]  # tied, as fastai saves them
    lm = get_language_model(AWD_LSTM, 100, config=dict(awd_lstm_lm_config, **SMALL))
    lm.load_state_dict(ref)
    assert torch.equal(lm[0].rnns[1].weight_hh_l0_raw, ref["0.rnns.1.weight_hh_l0_raw"])
    clf = get_text_classifier(AWD_LSTM, 100, 2, config=dict(awd_lstm_clas_config, **SMALL))
    clf[0].module.load_state_dict(lm[0].state_dict())
    assert torch.equal(clf[0].module.encoder.weight, ref["0.encoder.weight"])


def test_classifier_pools_over_real_tokens_only():
    out = torch.randn(2, 6, 4)
    mask = torch.tensor([[False] * 6, [False] * 4 + [True] * 2])
    pooled = masked_concat_pool(out, mask, bptt=6)
    assert torch.allclose(pooled[1, :4], out[1, 3]) and torch.allclose(pooled[1, 8:], out[1, :4].mean(0))
    assert torch.allclose(pooled[0, 4:8], out[0].max(0)[0])
    with pytest.raises(ValueError, match="2 layers but 1 dropout"):
        from lamella.text.models import PoolingLinearClassifier

        PoolingLinearClassifier([12, 5, 2], [0.1], bptt=4)


def test_text_registry_gives_configs_and_names_a_missing_one():
    from lamella.text import AWD_LSTM, get_language_model, register_text_arch, text_model_meta

    class TinyLSTM(AWD_LSTM):
        pass

    with pytest.raises(
        ValueError, match=r"no default configuration for TinyLSTM: pass config=, or register_text_arch"
    ):
        get_language_model(TinyLSTM, 30)
    cfg = dict(text_model_meta.meta(AWD_LSTM)["config_lm"], emb_sz=8, n_hid=12, n_layers=1)
    register_text_arch(TinyLSTM, config_lm=cfg)
    try:
        lm = get_language_model(TinyLSTM, 30)
        assert lm[0].encoder.weight.shape == (30, 8)
    finally:
        del text_model_meta[TinyLSTM]
