"""AWD-LSTM (Merity et al., 2017) and its dropouts, with fastai's parameter names and settings.

Dropout on the embedding's rows (`EmbeddingDropout`), on the LSTM's hidden-to-hidden weights
(`WeightDropout`), and the same mask over every time step (`RNNDropout`). The state dict has
fastai's keys, so fastai's WikiText-103 weights load.

Examples:
    >>> enc = AWD_LSTM(100, emb_sz=8, n_hid=16, n_layers=2)
    >>> enc(torch.randint(0, 100, (3, 5))).shape
    torch.Size([3, 5, 8])
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .rnn import reset_model

__all__ = [
    "AWD_LSTM",
    "EmbeddingDropout",
    "RNNDropout",
    "WeightDropout",
    "awd_lstm_clas_config",
    "awd_lstm_lm_config",
    "dropout_mask",
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
        reset_model(self.module)

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
            reset_model(r)
        self.hidden = [(self._one_hidden(i), self._one_hidden(i)) for i in range(self.n_layers)]
