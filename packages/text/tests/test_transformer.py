"""The transformer encoder: causal, blind to padding, and refusing settings it cannot run."""

import pytest
import torch

from lamella.text import TransformerLM


def test_transformer_never_attends_to_padding():
    torch.manual_seed(0)
    enc = TransformerLM(20, emb_sz=8, n_layers=1, n_heads=2, max_len=10).eval()
    x = torch.randint(2, 20, (1, 5))
    padded = torch.cat([torch.ones(1, 3, dtype=torch.long), x], dim=1)
    assert torch.allclose(enc(padded)[0, 3:], _shifted(enc, x), atol=1e-5)


def _shifted(enc, x):
    # the same tokens at the same positions as in the padded input, without the padding
    pos = enc.pos.weight
    emb = enc.encoder(x) + pos[3:8]
    out = emb
    for layer in enc.layers:
        out = layer(out, None)
    return enc.ln(out)[0]


def test_transformer_is_causal():
    torch.manual_seed(0)
    enc = TransformerLM(30, emb_sz=8, n_layers=2, n_heads=2, max_len=12).eval()
    x = torch.randint(2, 30, (2, 9))
    changed = x.clone()
    changed[:, 6:] = torch.randint(2, 30, (2, 3))
    assert torch.allclose(enc(x)[:, :6], enc(changed)[:, :6], atol=1e-6)
    assert not torch.allclose(enc(x)[:, 6:], enc(changed)[:, 6:])


def test_transformer_settings_it_cannot_run_are_refused():
    with pytest.raises(ValueError, match="emb_sz 10 is not a multiple of n_heads 4"):
        TransformerLM(30, emb_sz=10, n_heads=4)
    with pytest.raises(ValueError, match="at most max_len=4 tokens at a time, got 5"):
        TransformerLM(30, emb_sz=8, n_heads=2, max_len=4)(torch.randint(2, 30, (1, 5)))
