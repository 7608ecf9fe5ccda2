"""The language model and the classifier around an encoder (AWD-LSTM, a transformer), and the registry.

`get_language_model` puts a decoder to the vocabulary after the encoder; `get_text_classifier`
reads a document in chunks (`SentenceEncoder`) and pools them into a head. The state dicts have
fastai's keys, so fastai users' saved models and fastai's published WikiText-103 weights load.
`text_model_meta` holds each encoder's configurations, splits and weights' URLs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from lamella.learner import ArchRegistry, LinBnDrop, SigmoidRange

from .awdlstm import AWD_LSTM, RNNDropout, awd_lstm_clas_config, awd_lstm_lm_config
from .rnn import reset_model
from .transformer import TransformerLM, transformer_clas_config, transformer_lm_config

__all__ = [
    "register_text_arch",
    "text_model_meta",
    "LinearDecoder",
    "PoolingLinearClassifier",
    "SentenceEncoder",
    "SequentialRNN",
    "get_language_model",
    "get_text_classifier",
    "masked_concat_pool",
]


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
            reset_model(c)


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
        reset_model(self.module)

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
