"""A small decoder-only transformer encoder (lamella's; not in fastai), for language models and classifiers.

Examples:
    >>> TransformerLM(100, emb_sz=16, n_layers=1, n_heads=2)(torch.randint(2, 100, (2, 6))).shape
    torch.Size([2, 6, 16])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

__all__ = [
    "TransformerLM",
    "transformer_clas_config",
    "transformer_lm_config",
]


class _Block(nn.Module):
    """A pre-norm decoder block: causal self-attention (torch's fused kernel), then a feed-forward net."""

    def __init__(self, d: int, n_heads: int, d_ff: int, p: float) -> None:
        super().__init__()
        self.n_heads, self.p = n_heads, p
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ff = nn.Sequential(nn.Linear(d, d_ff), nn.GELU(), nn.Linear(d_ff, d), nn.Dropout(p))
        self.drop = nn.Dropout(p)

    def forward(self, x: Tensor, mask: Tensor | None) -> Tensor:  # noqa: D102
        bs, sl, d = x.shape
        qkv = self.qkv(self.ln1(x)).view(bs, sl, 3, self.n_heads, d // self.n_heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)
        p = self.p if self.training else 0.0
        if mask is None:
            att = F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=True)
        else:
            att = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=p)
        x = x + self.drop(self.proj(att.transpose(1, 2).reshape(bs, sl, d)))
        return x + self.ff(self.ln2(x))


class TransformerLM(nn.Module):
    """A small decoder-only transformer encoder for `language_model_learner` and `text_classifier_learner`.

    Causal self-attention through `torch.nn.functional.scaled_dot_product_attention`, learnt positions
    up to `max_len`; padding tokens are never attended to. It keeps no state between calls (`reset`
    does nothing), so a classifier's chunks of `seq_len` tokens are read independently. Not in fastai.

    Examples:
        >>> enc = TransformerLM(100, emb_sz=16, n_layers=2, n_heads=2)
        >>> enc(torch.randint(2, 100, (3, 7))).shape
        torch.Size([3, 7, 16])
    """

    def __init__(
        self,
        vocab_sz: int,
        emb_sz: int = 256,
        n_layers: int = 4,
        n_heads: int = 4,
        d_ff: int | None = None,
        max_len: int = 512,
        pad_token: int = 1,
        embed_p: float = 0.1,
        attn_p: float = 0.1,
    ) -> None:
        super().__init__()
        if emb_sz % n_heads:
            raise ValueError(f"TransformerLM: emb_sz {emb_sz} is not a multiple of n_heads {n_heads}")
        self.emb_sz, self.max_len, self.pad_token = emb_sz, max_len, pad_token
        self.encoder = nn.Embedding(vocab_sz, emb_sz, padding_idx=pad_token)
        self.pos = nn.Embedding(max_len, emb_sz)
        self.drop = nn.Dropout(embed_p)
        self.layers = nn.ModuleList(
            [_Block(emb_sz, n_heads, d_ff or 4 * emb_sz, attn_p) for _ in range(n_layers)]
        )
        self.ln = nn.LayerNorm(emb_sz)
        nn.init.normal_(self.encoder.weight, std=0.02)
        nn.init.normal_(self.pos.weight, std=0.02)

    def forward(self, inp: Tensor) -> Tensor:  # noqa: D102
        bs, sl = inp.shape
        if sl > self.max_len:
            raise ValueError(f"TransformerLM reads at most max_len={self.max_len} tokens at a time, got {sl}")
        x = self.drop(self.encoder(inp) + self.pos(torch.arange(sl, device=inp.device)))
        pad = inp == self.pad_token
        mask = None
        if bool(pad.any()):  # causal, padding never attended to (a token always sees itself)
            causal = torch.ones(sl, sl, dtype=torch.bool, device=inp.device).tril()
            eye = torch.eye(sl, dtype=torch.bool, device=inp.device)
            mask = (causal & ~pad[:, None, :]) | eye
            mask = mask[:, None]
        for layer in self.layers:
            x = layer(x, mask)
        return self.ln(x)

    def reset(self) -> None:
        """Nothing to reset: the transformer carries no state between calls.

        Examples:
            >>> TransformerLM(10, 8, 1, 2).reset()
        """


#: Settings of `TransformerLM` for language models and classifiers (lamella's, small for a CPU).
transformer_lm_config: dict[str, Any] = dict(
    emb_sz=256, n_layers=4, n_heads=4, d_ff=None, max_len=512, pad_token=1, embed_p=0.1, attn_p=0.1,
    output_p=0.1, tie_weights=True, out_bias=True,
)  # fmt: skip
transformer_clas_config: dict[str, Any] = dict(
    emb_sz=256, n_layers=4, n_heads=4, d_ff=None, max_len=512, pad_token=1, embed_p=0.1, attn_p=0.1,
    output_p=0.4,
)  # fmt: skip
