"""AWD-LSTM: fastai's settings, carried and reset state, dropouts that act only in training."""

import json
from pathlib import Path

import torch

from lamella.text import (
    AWD_LSTM,
    EmbeddingDropout,
    RNNDropout,
    WeightDropout,
    awd_lstm_clas_config,
    awd_lstm_lm_config,
)

FASTAI = json.loads((Path(__file__).parent / "fastai_awd_lstm.json").read_text())


def test_configs_are_fastais():
    assert awd_lstm_lm_config == FASTAI["lm_config"] and awd_lstm_clas_config == FASTAI["clas_config"]


def test_hidden_state_is_carried_detached_and_reset():
    torch.manual_seed(0)
    enc = AWD_LSTM(50, 8, 12, 2).eval()
    x = torch.randint(0, 50, (3, 6))
    a = enc(x)
    b = enc(x)  # continues from a's state
    assert not torch.allclose(a, b) and not enc.hidden[0][0].requires_grad
    enc.reset()
    assert torch.allclose(enc(x), a)
    assert enc(x[:2]).shape == (2, 6, 8)  # a smaller last batch keeps the first rows' state


def test_dropouts_act_only_in_training():
    x = torch.ones(4, 5, 6)
    assert torch.equal(RNNDropout(0.5).eval()(x), x)
    emb = torch.nn.Embedding(10, 4)
    words = torch.arange(10)
    assert torch.equal(EmbeddingDropout(emb, 0.5).eval()(words), emb(words))
    wd = WeightDropout(torch.nn.LSTM(4, 3, batch_first=True), 0.9)
    inp = torch.randn(2, 5, 4)
    wd.eval()
    e1, e2 = wd(inp)[0], wd(inp)[0]
    assert torch.equal(e1, e2)
    wd.train()
    assert not torch.equal(wd(inp)[0], e1)
    assert "weight_hh_l0" not in dict(wd.module.named_parameters())  # the raw weight is the parameter


def test_weight_dropout_trains_the_raw_weight():
    wd = WeightDropout(torch.nn.LSTM(4, 3, batch_first=True), 0.3)
    wd(torch.randn(2, 5, 4))[0].sum().backward()
    assert wd.weight_hh_l0_raw.grad is not None and wd.module.weight_ih_l0.grad is not None
