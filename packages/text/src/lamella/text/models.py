"""AWD-LSTM and the language-model and classifier around it, with fastai's parameter names.

The state dict of every model here has fastai's keys, so fastai users' saved language models and
fastai's published WikiText-103 weights load.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from lamella.learner import ArchRegistry, LinBnDrop, SigmoidRange

__all__ = [
    "register_text_arch",
    "text_model_meta",
    "AWD_LSTM",
    "EmbeddingDropout",
    "LinearDecoder",
    "PoolingLinearClassifier",
    "RNNDropout",
    "SentenceEncoder",
    "SequentialRNN",
    "TransformerLM",
    "WeightDropout",
    "awd_lstm_clas_config",
    "awd_lstm_lm_config",
    "dropout_mask",
    "get_language_model",
    "get_text_classifier",
    "masked_concat_pool",
    "transformer_clas_config",
    "transformer_lm_config",
]

#: fastai's AWD-LSTM settings for language models.
awd_lstm_lm_config: dict[str, Any] = dict(
    emb_sz=400,
    n_hid=1152,
    n_layers=3,
    pad_token=1,
    bidir=False,
    output_p=0.1,
    hidden_p=0.15,
    input_p=0.25,
    embed_p=0.02,
    weight_p=0.2,
    tie_weights=True,
    out_bias=True,
)
#: fastai's AWD-LSTM settings for classifiers.
awd_lstm_clas_config: dict[str, Any] = dict(
    emb_sz=400,
    n_hid=1152,
    n_layers=3,
    pad_token=1,
    bidir=False,
    output_p=0.4,
    hidden_p=0.3,
    input_p=0.4,
    embed_p=0.05,
    weight_p=0.5,
)


def dropout_mask(x: Tensor, sz: Sequence[int], p: float) -> Tensor:
    """A dropout mask of size `sz`, like `x`: zeros with probability `p`, the rest `1 / (1 - p)`.

    Examples:
        >>> m = dropout_mask(torch.zeros(1), (1000,), 0.5)
        >>> sorted(set(m.tolist()))
        [0.0, 2.0]
    """
    return x.new_empty(*sz).bernoulli_(1 - p).div_(1 - p)


class RNNDropout(nn.Module):
    """Locked dropout: one mask for a sequence, the same at every time step (`bs x seq_len x features`).

    Examples:
        >>> out = RNNDropout(0.5).train()(torch.ones(2, 5, 8))
        >>> bool((out == out[:, :1]).all())  # the same features dropped at every step
        True
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        self.p = p

    def forward(self, x: Tensor) -> Tensor:  # noqa: D102  (the class documents it)
        if not self.training or self.p == 0.0:
            return x
        return x * dropout_mask(x.detach(), (x.size(0), 1, *x.shape[2:]), self.p)


def _reset(m: Any) -> None:
    """Call `m.reset()` where the module has one (an RNN's state, its dropout masks)."""
    if hasattr(m, "reset"):
        m.reset()


class WeightDropout(nn.Module):
    """DropConnect on the hidden-to-hidden weights of an RNN (`weight_hh_l0`), as fastai's.

    The raw weight is the parameter `weight_hh_l0_raw`; each training forward gives the RNN a
    dropped copy (evaluation: the weight itself).

    Examples:
        >>> wd = WeightDropout(nn.LSTM(4, 3, batch_first=True), 0.5)
        >>> sorted(k for k, _ in wd.named_parameters())[-1], wd(torch.zeros(2, 5, 4))[0].shape
        ('weight_hh_l0_raw', torch.Size([2, 5, 3]))
    """

    def __init__(
        self, module: nn.Module, weight_p: float, layer_names: str | Sequence[str] = "weight_hh_l0"
    ) -> None:
        super().__init__()
        self.module, self.weight_p = module, weight_p
        self.layer_names = [layer_names] if isinstance(layer_names, str) else list(layer_names)
        for layer in self.layer_names:
            w = getattr(self.module, layer)
            delattr(self.module, layer)
            self.register_parameter(f"{layer}_raw", nn.Parameter(w.data))
            setattr(self.module, layer, w.detach().clone())
            if isinstance(self.module, nn.RNNBase):
                # the weights are replaced every call: nothing to flatten
                self.module.flatten_parameters = self._do_nothing  # type: ignore[method-assign]

    def _set_weights(self) -> None:
        for layer in self.layer_names:
            raw = getattr(self, f"{layer}_raw")
            # a plain tensor, never the Parameter itself (that would register it on the RNN again)
            w = F.dropout(raw, p=self.weight_p, training=True) if self.training else raw.view_as(raw)
            setattr(self.module, layer, w)

    def forward(self, *args: Any) -> Any:  # noqa: D102
        self._set_weights()
        with warnings.catch_warnings():
            # the weights are not one contiguous block on CUDA: cuDNN copies them, which is expected here
            warnings.filterwarnings("ignore", message="RNN module weights are not part of single contiguous")
            return self.module(*args)

    def reset(self) -> None:
        """Forget the dropped weights (fastai's `reset`; the next call draws new ones).

        Examples:
            >>> WeightDropout(nn.LSTM(2, 2), 0.1).reset()
        """
        for layer in self.layer_names:
            setattr(self.module, layer, getattr(self, f"{layer}_raw").detach().clone())
        _reset(self.module)

    def _do_nothing(self) -> None:
        return None


class EmbeddingDropout(nn.Module):
    """Drop whole rows of an embedding (every use of a word), as fastai's; shares `emb`'s weight.

    Examples:
        >>> emb = nn.Embedding(10, 4)
        >>> out = EmbeddingDropout(emb, 0.5).train()(torch.arange(10))
        >>> bool(((out == 0).all(1) | (out != 0).all(1)).all())  # a word is dropped whole or kept
        True
    """

    def __init__(self, emb: nn.Embedding, embed_p: float) -> None:
        super().__init__()
        self.emb, self.embed_p = emb, embed_p

    def forward(self, words: Tensor, scale: float | None = None) -> Tensor:  # noqa: D102
        if self.training and self.embed_p != 0:
            mask = dropout_mask(self.emb.weight.data, (self.emb.weight.size(0), 1), self.embed_p)
            w = self.emb.weight * mask
        else:
            w = self.emb.weight
        if scale:
            w = w * scale
        pad = self.emb.padding_idx if self.emb.padding_idx is not None else -1
        return F.embedding(
            words, w, pad, self.emb.max_norm, self.emb.norm_type, self.emb.scale_grad_by_freq, self.emb.sparse
        )


class AWD_LSTM(nn.Module):  # noqa: N801  (fastai's name)
    """AWD-LSTM (Merity et al.): embedding and locked dropouts, weight-dropped LSTMs, hidden state carried.

    The hidden state of each layer is kept between calls (detached), so consecutive windows of a
    stream continue each other; `reset()` starts over. Returns the last layer's output.

    Examples:
        >>> enc = AWD_LSTM(100, emb_sz=20, n_hid=30, n_layers=2)
        >>> enc(torch.randint(0, 100, (4, 7))).shape
        torch.Size([4, 7, 20])
    """

    initrange = 0.1
    hidden: list[tuple[Tensor, Tensor]]  # each layer's (h, c), carried between calls

    def __init__(
        self,
        vocab_sz: int,
        emb_sz: int,
        n_hid: int,
        n_layers: int,
        pad_token: int = 1,
        hidden_p: float = 0.2,
        input_p: float = 0.6,
        embed_p: float = 0.1,
        weight_p: float = 0.5,
        bidir: bool = False,
    ) -> None:
        super().__init__()
        self.emb_sz, self.n_hid, self.n_layers, self.pad_token = emb_sz, n_hid, n_layers, pad_token
        self.bs, self.n_dir = 1, 2 if bidir else 1
        self.encoder = nn.Embedding(vocab_sz, emb_sz, padding_idx=pad_token)
        self.encoder_dp = EmbeddingDropout(self.encoder, embed_p)
        self.rnns = nn.ModuleList(
            [
                self._one_rnn(
                    emb_sz if i == 0 else n_hid,
                    (n_hid if i != n_layers - 1 else emb_sz) // self.n_dir,
                    bidir,
                    weight_p,
                )
                for i in range(n_layers)
            ]
        )
        self.encoder.weight.data.uniform_(-self.initrange, self.initrange)
        self.input_dp = RNNDropout(input_p)
        self.hidden_dps = nn.ModuleList([RNNDropout(hidden_p) for _ in range(n_layers)])
        self.reset()

    @staticmethod
    def _one_rnn(n_in: int, n_out: int, bidir: bool, weight_p: float) -> WeightDropout:
        return WeightDropout(nn.LSTM(n_in, n_out, 1, batch_first=True, bidirectional=bidir), weight_p)

    def forward(self, inp: Tensor, from_embeds: bool = False) -> Tensor:  # noqa: D102
        bs = inp.shape[0]
        if bs != self.bs:
            self._change_hidden(bs)
        output = self.input_dp(inp if from_embeds else self.encoder_dp(inp))
        new_hidden = []
        for i, (rnn, hid_dp) in enumerate(zip(self.rnns, self.hidden_dps)):
            output, h = rnn(output, self.hidden[i])
            new_hidden.append(h)
            if i != self.n_layers - 1:
                output = hid_dp(output)
        self.hidden = [(h.detach(), c.detach()) for h, c in new_hidden]
        return output

    def _one_hidden(self, i: int) -> Tensor:
        nh = (self.n_hid if i != self.n_layers - 1 else self.emb_sz) // self.n_dir
        return self.encoder.weight.new_zeros(self.n_dir, self.bs, nh)

    def _change_hidden(self, bs: int) -> None:
        """Resize the carried state to `bs` rows (a smaller last batch): first rows kept, new ones zero."""
        self.hidden = [self._change_one(h, bs) for h in self.hidden]
        self.bs = bs

    def _change_one(self, hc: tuple[Tensor, Tensor], bs: int) -> tuple[Tensor, Tensor]:
        def fit(t: Tensor) -> Tensor:
            if bs <= t.size(1):
                return t[:, :bs].contiguous()
            return torch.cat([t, t.new_zeros(t.size(0), bs - t.size(1), t.size(2))], dim=1)

        return fit(hc[0]), fit(hc[1])

    def reset(self) -> None:
        """Zero the carried hidden state (and forget the dropped weights).

        Examples:
            >>> enc = AWD_LSTM(10, 4, 6, 2); _ = enc(torch.zeros(3, 2, dtype=torch.long)); enc.reset()
            >>> float(enc.hidden[0][0].abs().sum())
            0.0
        """
        for r in self.rnns:
            _reset(r)
        self.hidden = [(self._one_hidden(i), self._one_hidden(i)) for i in range(self.n_layers)]


class LinearDecoder(nn.Module):
    """Dropout, then a linear layer to the vocabulary; its weight tied to the embedding's when given.

    Returns `(logits, input, dropped input)` as fastai's (`RNNCallback` keeps the logits as the
    prediction and the others for AR/TAR regularisation).

    Examples:
        >>> emb = nn.Embedding(10, 4)
        >>> dec = LinearDecoder(10, 4, tie_encoder=emb)
        >>> dec.decoder.weight is emb.weight, dec(torch.zeros(2, 3, 4))[0].shape
        (True, torch.Size([2, 3, 10]))
    """

    initrange = 0.1

    def __init__(
        self,
        n_out: int,
        n_hid: int,
        output_p: float = 0.1,
        tie_encoder: nn.Embedding | None = None,
        bias: bool = True,
    ) -> None:
        super().__init__()
        self.decoder = nn.Linear(n_hid, n_out, bias=bias)
        self.decoder.weight.data.uniform_(-self.initrange, self.initrange)
        self.output_dp = RNNDropout(output_p)
        if bias:
            self.decoder.bias.data.zero_()
        if tie_encoder is not None:
            self.decoder.weight = tie_encoder.weight

    def forward(self, inp: Tensor) -> tuple[Tensor, Tensor, Tensor]:  # noqa: D102
        dp_inp = self.output_dp(inp)
        return self.decoder(dp_inp), inp, dp_inp  # fastai's: the raw and dropped outputs for AR/TAR


class SequentialRNN(nn.Sequential):
    """`nn.Sequential` that passes `reset()` on to the layers that have one.

    Examples:
        >>> SequentialRNN(AWD_LSTM(10, 4, 6, 1)).reset()
    """

    def reset(self) -> None:  # noqa: D102  (the class documents it)
        for c in self.children():
            _reset(c)


def get_language_model(
    arch: type = AWD_LSTM, vocab_sz: int = 0, config: dict[str, Any] | None = None, drop_mult: float = 1.0
) -> SequentialRNN:
    """An encoder `arch(vocab_sz, **config)` and a decoder back to the vocabulary (tied weights by default).

    `drop_mult` scales every dropout (`*_p` setting).

    Examples:
        >>> cfg = dict(awd_lstm_lm_config, emb_sz=8, n_hid=16, n_layers=2)
        >>> lm = get_language_model(AWD_LSTM, 50, config=cfg)
        >>> lm(torch.randint(0, 50, (2, 5)))[0].shape
        torch.Size([2, 5, 50])
    """
    config = dict(_default_config(arch, "lm") if config is None else config)
    for k in config:
        if k.endswith("_p"):
            config[k] *= drop_mult
    tie, output_p, out_bias = (
        config.pop("tie_weights", True),
        config.pop("output_p", 0.1),
        config.pop("out_bias", True),
    )
    encoder = arch(vocab_sz, **config)
    enc = encoder.encoder if tie else None
    decoder = LinearDecoder(vocab_sz, config["emb_sz"], output_p, tie_encoder=enc, bias=out_bias)
    return SequentialRNN(encoder, decoder)


def _default_config(arch: Any, kind: str) -> dict[str, Any]:
    config = text_model_meta.meta(arch)[f"config_{kind}"]
    if config is None:
        name = getattr(arch, "__name__", repr(arch))
        raise ValueError(
            f"no default configuration for {name}: pass config=, "
            f"or register_text_arch({name}, config_{kind}=...)"
        )
    return config


class SentenceEncoder(nn.Module):
    """Run `module` over a text `bptt` tokens at a time (state carried); keep the last `max_len` outputs.

    Returns the outputs and the padding mask. Texts are padded at the start (`pad_input_chunk`).

    Examples:
        >>> enc = SentenceEncoder(4, AWD_LSTM(20, 6, 8, 1), pad_idx=1)
        >>> out, mask = enc(torch.randint(2, 20, (3, 10)))
        >>> out.shape, mask.shape
        (torch.Size([3, 10, 6]), torch.Size([3, 10]))
    """

    def __init__(self, bptt: int, module: nn.Module, pad_idx: int = 1, max_len: int | None = None) -> None:
        super().__init__()
        self.bptt, self.module, self.pad_idx, self.max_len = bptt, module, pad_idx, max_len

    def reset(self) -> None:  # noqa: D102
        _reset(self.module)

    def forward(self, inp: Tensor) -> tuple[Tensor, Tensor]:  # noqa: D102
        bs, sl = inp.shape
        self.reset()
        mask = inp == self.pad_idx
        outs, masks = [], []
        for i in range(0, sl, self.bptt):
            # texts sorted longest first and padded at the start: rows still all padding are at the end
            real_bs = int((inp[:, i] != self.pad_idx).long().sum())
            o = self.module(inp[:real_bs, i : min(i + self.bptt, sl)])
            if self.max_len is None or sl - i <= self.max_len:
                outs.append(o)
                masks.append(mask[:, i : min(i + self.bptt, sl)])
        out = torch.cat([F.pad(o, (0, 0, 0, 0, 0, bs - o.shape[0])) for o in outs], dim=1)
        return out, torch.cat(masks, dim=1)


def masked_concat_pool(output: Tensor, mask: Tensor, bptt: int) -> Tensor:
    """`[last hidden, max pool, average pool]` over the positions that are not padding (fastai's).

    Padding comes as `pad_input_chunk` lays it: whole chunks before the text, the rest after it.

    Examples:
        >>> out = torch.arange(12.0).view(1, 4, 3)
        >>> pad_at_end = torch.tensor([[False, False, False, True]])
        >>> masked_concat_pool(out, pad_at_end, bptt=4).tolist()
        [[6.0, 7.0, 8.0, 6.0, 7.0, 8.0, 3.0, 4.0, 5.0]]
    """
    lens = output.shape[1] - mask.long().sum(dim=1)
    last_lens = mask[:, -bptt:].long().sum(dim=1)
    avg_pool = output.masked_fill(mask[:, :, None], 0).sum(dim=1)
    avg_pool = avg_pool / lens.to(avg_pool.dtype)[:, None]
    max_pool = output.masked_fill(mask[:, :, None], -float("inf")).max(dim=1)[0]
    last = output[torch.arange(output.size(0)), -last_lens - 1]
    return torch.cat([last, max_pool, avg_pool], 1)


class PoolingLinearClassifier(nn.Module):
    """Concat pooling of the encoder's outputs, then `LinBnDrop` layers to the classes (fastai's head).

    Returns `(logits, raw outputs, outputs)` as fastai's, for the AR/TAR regularisation callbacks.

    Examples:
        >>> head = PoolingLinearClassifier([18, 10, 2], [0.1, 0.1], bptt=4)
        >>> head((torch.randn(3, 5, 6), torch.zeros(3, 5, dtype=torch.bool)))[0].shape
        torch.Size([3, 2])
    """

    def __init__(
        self, dims: Sequence[int], ps: Sequence[float], bptt: int, y_range: tuple | None = None
    ) -> None:
        super().__init__()
        if len(ps) != len(dims) - 1:
            raise ValueError(f"PoolingLinearClassifier: {len(dims) - 1} layers but {len(ps)} dropout values")
        acts: list[nn.Module | None] = [nn.ReLU(inplace=True) for _ in range(len(dims) - 2)] + [None]
        layers: list[nn.Module] = [
            LinBnDrop(i, o, p=p, act=a) for i, o, p, a in zip(dims[:-1], dims[1:], ps, acts)
        ]
        if y_range is not None:
            layers.append(SigmoidRange(*y_range))
        self.layers = nn.Sequential(*layers)
        self.bptt = bptt

    def forward(self, inp: tuple[Tensor, Tensor]) -> tuple[Tensor, Tensor, Tensor]:  # noqa: D102
        out, mask = inp
        x = masked_concat_pool(out, mask, self.bptt)
        return self.layers(x), out, out


def get_text_classifier(
    arch: type = AWD_LSTM,
    vocab_sz: int = 0,
    n_class: int = 2,
    seq_len: int = 72,
    config: dict[str, Any] | None = None,
    drop_mult: float = 1.0,
    lin_ftrs: Sequence[int] | None = None,
    ps: Sequence[float] | None = None,
    pad_idx: int = 1,
    max_len: int = 72 * 20,
    y_range: tuple | None = None,
) -> SequentialRNN:
    """An encoder read `seq_len` tokens at a time and a pooling head to `n_class` classes (fastai's).

    Examples:
        >>> cfg = dict(awd_lstm_clas_config, emb_sz=8, n_hid=16, n_layers=2)
        >>> clf = get_text_classifier(AWD_LSTM, 50, 3, seq_len=4, config=cfg)
        >>> clf(torch.randint(2, 50, (2, 9)))[0].shape
        torch.Size([2, 3])
    """
    config = dict(_default_config(arch, "clas") if config is None else config)
    for k in config:
        if k.endswith("_p"):
            config[k] *= drop_mult
    lin_ftrs = [50] if lin_ftrs is None else list(lin_ftrs)
    ps = [0.1] * len(lin_ftrs) if ps is None else list(ps)
    layers = [config["emb_sz"] * 3, *lin_ftrs, n_class]
    ps = [config.pop("output_p")] + ps
    encoder = SentenceEncoder(seq_len, arch(vocab_sz, **config), pad_idx=pad_idx, max_len=max_len)
    return SequentialRNN(encoder, PoolingLinearClassifier(layers, ps, bptt=seq_len, y_range=y_range))


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


#: Per text architecture: its configurations, parameter groups and pretrained weights (fastai's
#: `_model_meta`). `language_model_learner` and `text_classifier_learner` read it;
#: `register_text_arch` adds one (the learner module registers the splits and URLs of its own).
text_model_meta = ArchRegistry(
    defaults={
        "hid_name": "emb_sz", "url": None, "url_bwd": None, "config_lm": None, "config_clas": None,
        "split_lm": None, "split_clas": None,
    },
    entries={
        AWD_LSTM: {"config_lm": awd_lstm_lm_config, "config_clas": awd_lstm_clas_config},
        TransformerLM: {"config_lm": transformer_lm_config, "config_clas": transformer_clas_config},
    },
)  # fmt: skip


def register_text_arch(arch: Any = None, **meta: Any) -> Any:
    """Give `arch` the configurations (`config_lm`, `config_clas`), splits and URLs the learners read.

    Also a decorator; the keys are `text_model_meta`'s (`hid_name`, `url`, `url_bwd`, `config_lm`,
    `config_clas`, `split_lm`, `split_clas`).

    Examples:
        >>> register_text_arch(AWD_LSTM) is AWD_LSTM, text_model_meta.meta(AWD_LSTM)["config_lm"]["emb_sz"]
        (True, 400)
    """
    return text_model_meta.register(arch, **meta)
