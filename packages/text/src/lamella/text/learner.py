"""Learners for text: `language_model_learner` and `text_classifier_learner` (ULMFiT), their callbacks.

A language model is fine-tuned on the target corpus, its encoder saved (`save_encoder`), then loaded
into a classifier (`load_encoder`) trained with gradual unfreezing. The pretrained weights are
fastai's WikiText-103 AWD-LSTM, downloaded once; their embeddings are matched to the data's
vocabulary (`match_embeds`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

import torch
from torch import Tensor, nn

from lamella.data import lamella_home, load_pickle, untar_data
from lamella.learner import CrossEntropyLossFlat, Learner, trainable_params

from .models import (  # noqa: F401  (the examples use them)
    AWD_LSTM,
    TransformerLM,
    awd_lstm_clas_config,
    awd_lstm_lm_config,
    get_language_model,
    get_text_classifier,
    text_model_meta,
)
from .rnn import reset_model, rnn_cbs
from .rules import BOS, PAD, TK_MAJ, TK_REP, TK_UP, TK_WREP, UNK

__all__ = [
    "LMLearner",
    "TextLearner",
    "clean_raw_keys",
    "decode_spec_tokens",
    "language_model_learner",
    "match_embeds",
    "text_classifier_learner",
]


# -- weights -------------------------------------------------------------------------------------------
def clean_raw_keys(wgts: dict[str, Tensor]) -> dict[str, Tensor]:
    """Drop the dropped-weight copies (`...module.weight_hh_l0`) older fastai files hold beside `_raw` ones.

    Examples:
        >>> sorted(clean_raw_keys({"0.rnns.0.module.weight_hh_l0": 1, "0.rnns.0.weight_hh_l0_raw": 2}))
        ['0.rnns.0.weight_hh_l0_raw']
    """
    keys = set(wgts)
    out = {}
    for k, v in wgts.items():
        head, sep, tail = k.rpartition(".module.")
        if sep and f"{head}.{tail}_raw" in keys:
            continue
        out[k] = v
    return out


def match_embeds(
    old_wgts: dict[str, Tensor], old_vocab: Sequence[str], new_vocab: Sequence[str]
) -> dict[str, Tensor]:
    """Reorder a language model's embeddings (and decoder) to `new_vocab`; new tokens get the mean row.

    Examples:
        >>> wgts = {"0.encoder.weight": torch.tensor([[1.0], [3.0]]), "1.decoder.bias": torch.ones(2)}
        >>> out = match_embeds(wgts, ["a", "b"], ["b", "new"])
        >>> out["0.encoder.weight"].flatten().tolist(), out["1.decoder.bias"].tolist()
        ([3.0, 2.0], [1.0, 1.0])
    """
    wgts = old_wgts["0.encoder.weight"]
    bias = old_wgts.get("1.decoder.bias")
    old_o2i = {w: i for i, w in reversed(list(enumerate(old_vocab)))}
    idx = torch.tensor([old_o2i.get(w, -1) for w in new_vocab], dtype=torch.long)
    known = idx >= 0
    new_wgts = wgts.mean(0, keepdim=True).expand(len(new_vocab), -1).clone()
    new_wgts[known] = wgts[idx[known]]
    res = dict(old_wgts)
    res["0.encoder.weight"] = new_wgts
    if "0.encoder_dp.emb.weight" in res:
        res["0.encoder_dp.emb.weight"] = new_wgts.clone()
    res["1.decoder.weight"] = new_wgts.clone()
    if bias is not None:
        new_bias = bias.mean().expand(len(new_vocab)).clone()
        new_bias[known] = bias[idx[known]]
        res["1.decoder.bias"] = new_bias
    return res


def _text_vocab(dls: Any) -> list[str]:
    vocab = dls.vocab
    if vocab and isinstance(vocab[0], (list, tuple)):  # a classifier's: [text vocab, label vocab]
        vocab = vocab[0]
    return list(vocab)


def _encoder(model: nn.Module) -> nn.Module:
    model = getattr(model, "_orig_mod", model)
    enc = cast(nn.Sequential, model)[0]
    return getattr(enc, "module", enc)  # a classifier's SentenceEncoder wraps the encoder


def _vocab_size(state: dict[str, Tensor]) -> int | None:
    w = state.get("encoder.weight")
    return None if w is None else int(w.shape[0])


class TextLearner(Learner):
    """A `Learner` for text models: RNN callbacks (AR `alpha`, TAR `beta`), fastai's momentums, encoders.

    Examples:
        >>> TextLearner.save_encoder.__name__
        'save_encoder'
    """

    def __init__(
        self,
        dls: Any,
        model: nn.Module,
        alpha: float = 2.0,
        beta: float = 1.0,
        moms: tuple[float, float, float] = (0.8, 0.7, 0.8),
        **kwargs: Any,
    ) -> None:
        super().__init__(dls, model, moms=moms, **kwargs)
        self.add_cbs(rnn_cbs(alpha, beta))

    def save_encoder(self, file: str) -> Path:
        """Save the encoder's weights to `path/model_dir/file.pth` (fastai's format), atomically.

        Examples:
            >>> learn.save_encoder("enc").name  # `learn`: a small language-model learner
            'enc.pth'
        """
        from lamella.learner import save_atomic

        dest = self.path / self.model_dir / f"{file}.pth"
        if getattr(self, "_distrib_rank", 0) != 0:
            return dest
        state = _encoder(self.model).state_dict()
        save_atomic(lambda tmp: torch.save(state, tmp), dest)
        return dest

    def load_encoder(self, file: str, device: Any = None) -> TextLearner:
        """Load an encoder saved by `save_encoder` (lamella's or fastai's `.pth`), then freeze to the head.

        Raises:
            FileNotFoundError: no such file in the model folder.
            ValueError: its vocabulary size differs from this model's (both sizes named).

        Examples:
            >>> learn_clas.load_encoder("enc").model[0].module.encoder.weight.shape[0] == len(dls_lm.vocab)
            True
        """
        src = self.path / self.model_dir / f"{file}.pth"
        if not src.exists():
            saved = sorted(p.stem for p in src.parent.glob("*.pth"))
            raise FileNotFoundError(f"no saved encoder {src}; saved: {saved}")
        encoder = _encoder(self.model)
        device = device if device is not None else next(encoder.parameters()).device
        wgts = clean_raw_keys(torch.load(src, map_location=device, weights_only=True))
        ours, theirs = _vocab_size(encoder.state_dict()), _vocab_size(wgts)
        if ours is not None and theirs is not None and ours != theirs:
            raise ValueError(
                f"the encoder in {src} has a vocabulary of {theirs} tokens, this model's has {ours}: build "
                "these DataLoaders with the language model's vocabulary (text_vocab=dls_lm.vocab)"
            )
        encoder.load_state_dict(wgts)
        self.freeze()
        return self

    def load_pretrained(
        self, wgts_fname: str | Path, vocab_fname: str | Path, model: Any = None
    ) -> TextLearner:
        """Load a pretrained language model (fastai's `.pth` and vocabulary `.pkl`), matched to our vocab.

        Examples:
            >>> learn.load_pretrained("lstm_fwd.pth", "itos_wt103.pkl")  # downloaded files  # doctest: +SKIP
        """
        old_vocab = load_pickle(vocab_fname)
        wgts = torch.load(wgts_fname, map_location="cpu", weights_only=True)
        if "model" in wgts:
            wgts = wgts["model"]
        wgts = match_embeds(clean_raw_keys(wgts), old_vocab, _text_vocab(self.dls))
        target = self.model if model is None else model
        if target is self.model:
            target.load_state_dict(wgts)
        else:  # a classifier's encoder: the language model's encoder weights, without the `0.` prefix
            enc = getattr(target, "module", target)
            enc.load_state_dict({k[2:]: v for k, v in wgts.items() if k.startswith("0.")})
        self.freeze()
        return self


def decode_spec_tokens(tokens: Sequence[str]) -> list[str]:
    """Undo the special tokens' rules: `xxmaj w` -> `W`, `xxup w` -> `W...`, `xxrep n c`, `xxwrep n w`.

    Examples:
        >>> decode_spec_tokens(["xxmaj", "it", "was", "xxup", "great", "xxrep", "3", "!"])
        ['It', 'was', 'GREAT', '!!!']
    """
    out: list[str] = []
    rule: str | None = None
    arg: int | None = None
    for t in tokens:
        if t in (TK_MAJ, TK_UP, TK_REP, TK_WREP):
            rule, arg = t, None
        elif rule is None:
            out.append(t)
        elif rule == TK_MAJ:
            out.append(t[:1].upper() + t[1:].lower())
            rule = None
        elif rule == TK_UP:
            out.append(t.upper())
            rule = None
        elif arg is None:
            try:
                arg = int(t)
            except ValueError:
                rule = None
                out.append(t)
        else:
            out.extend([t * arg] if rule == TK_REP else [t] * arg)
            rule, arg = None, None
    return out


class LMLearner(TextLearner):
    """A `TextLearner` for language models: `predict` continues a text.

    Examples:
        >>> LMLearner.predict.__name__
        'predict'
    """

    def predict(  # type: ignore[override]
        self,
        text: str,
        n_words: int = 1,
        no_unk: bool = True,
        temperature: float = 1.0,
        min_p: float | None = None,
        no_bar: bool = False,
        decoder: Callable[[Sequence[str]], list[str]] = decode_spec_tokens,
        only_last_word: bool = False,
    ) -> str:
        """`text` followed by `n_words` tokens drawn from the model (`temperature` flattens the draw).

        A recurrent model reads the prompt once and then one token at a time, its state carried.

        Examples:
            >>> text = learn.predict("Good film", n_words=3)  # `learn` is untrained: any 3 words
            >>> text.startswith("Good film")
            True
        """
        vocab = _text_vocab(self.dls)
        tl = self.dls.train.dataset.tls[0]
        ids = tl.new([text]).without_getters()[0].as_subclass(Tensor).reshape(-1)
        device = next(self.model.parameters()).device
        idxs = ids.to(device)
        unk_idx = vocab.index(UNK) if no_unk and UNK in vocab else None
        model = self.model
        was_training = model.training
        model.eval()
        stateful = isinstance(_encoder(model), AWD_LSTM)
        reset_model(model)
        new: list[int] = []
        try:
            with torch.no_grad():
                feed = idxs
                for _ in range(n_words):
                    out = model(feed[None])
                    logits = (out[0] if isinstance(out, tuple) else out)[0, -1].float()
                    probs = logits.softmax(-1)
                    if unk_idx is not None:
                        probs[unk_idx] = 0.0
                    if min_p is not None:
                        if bool((probs >= min_p).any()):
                            probs[probs < min_p] = 0.0
                        else:
                            warnings.warn(f"no token is as likely as min_p={min_p}; try less", stacklevel=2)
                    if temperature != 1.0:
                        probs = probs.pow(1 / temperature)
                    idx = int(torch.multinomial(probs, 1))
                    new.append(idx)
                    step = idxs.new_tensor([idx])
                    idxs = torch.cat([idxs, step])
                    feed = step if stateful else (step if only_last_word else idxs)
        finally:
            reset_model(model)
            model.train(was_training)
        tokens = [vocab[int(i)] for i in idxs.tolist() if vocab[int(i)] not in (BOS, PAD)]
        sep = getattr(tl.tfms.fs[0], "sep", " ")
        return sep.join(decoder(tokens))


def _pretrained_files(url: str) -> tuple[Path, Path]:
    try:
        path = untar_data(url, data_dir=lamella_home() / "models")
    except ConnectionError as e:
        raise ConnectionError(
            f"{e} The pretrained WikiText-103 language model is downloaded once and cached; offline, pass "
            "pretrained=False, or pretrained_fnames=(weights, vocab) naming local copies under "
            "learn.path/model_dir."
        ) from e
    try:
        return next(path.glob("*.pth")), next(path.glob("*.pkl"))
    except StopIteration:
        raise FileNotFoundError(f"the pretrained model in {path} is incomplete; delete it, retry") from None


def language_model_learner(
    dls: Any,
    arch: Any = AWD_LSTM,
    config: dict[str, Any] | None = None,
    drop_mult: float = 1.0,
    backwards: bool = False,
    pretrained: bool = True,
    pretrained_fnames: Sequence[str] | None = None,
    **kwargs: Any,
) -> LMLearner:
    """A language model on `dls` (`TextDataLoaders(is_lm=True)`): `arch` with a decoder to the vocabulary.

    With `pretrained`, fastai's WikiText-103 weights are downloaded once, matched to the data's
    vocabulary, and the learner starts frozen (only the embeddings and decoder train).

    Args:
        dls: language-model DataLoaders.
        arch: `AWD_LSTM` or `TransformerLM`.
        config: the architecture's settings (default `awd_lstm_lm_config`).
        drop_mult: scales every dropout.
        backwards: the pretrained weights of a backwards model.
        pretrained: start from the WikiText-103 model (AWD_LSTM only).
        pretrained_fnames: `(weights, vocab)` file stems under `path/model_dir` instead of the download.
        **kwargs: passed to `Learner` (`metrics`, `cbs`, `path`...).

    Examples:
        >>> cfg = dict(awd_lstm_lm_config, emb_sz=8, n_hid=12, n_layers=2)
        >>> learn = language_model_learner(dls_lm, AWD_LSTM, config=cfg, pretrained=False)
        >>> type(learn).__name__, len(learn.splitter(learn.model))
        ('LMLearner', 3)
    """
    vocab = _text_vocab(dls)
    model = get_language_model(arch, len(vocab), config=config, drop_mult=drop_mult)
    meta = text_model_meta.meta(arch)
    kwargs.setdefault("loss_func", CrossEntropyLossFlat())
    learn = LMLearner(dls, model, splitter=meta["split_lm"] or trainable_params, **kwargs)
    if pretrained or pretrained_fnames:
        if pretrained_fnames is not None:
            folder = learn.path / learn.model_dir
            wgts, voc = (folder / f"{fn}.{ext}" for fn, ext in zip(pretrained_fnames, ("pth", "pkl")))
        else:
            url = meta["url_bwd" if backwards else "url"]
            if url is None:
                warnings.warn(f"no pretrained weights for {getattr(arch, '__name__', arch)}", stacklevel=2)
                return learn
            wgts, voc = _pretrained_files(url)
        learn.load_pretrained(wgts, voc)
    return learn


def text_classifier_learner(
    dls: Any,
    arch: Any = AWD_LSTM,
    seq_len: int = 72,
    config: dict[str, Any] | None = None,
    backwards: bool = False,
    pretrained: bool = True,
    drop_mult: float = 0.5,
    n_out: int | None = None,
    lin_ftrs: Sequence[int] | None = None,
    ps: Sequence[float] | None = None,
    max_len: int = 72 * 20,
    y_range: tuple | None = None,
    **kwargs: Any,
) -> TextLearner:
    """A text classifier on `dls`: `arch` read `seq_len` tokens at a time, with a concat-pooling head.

    With `pretrained`, the WikiText-103 encoder is loaded and the learner starts frozen; a
    fine-tuned encoder comes in with `learn.load_encoder(name)`, which freezes it too (fastai's).

    Args:
        dls: classification DataLoaders (from `TextDataLoaders.from_df(..., label_col=...)`).
        arch: `AWD_LSTM` or `TransformerLM`.
        seq_len: the chunk the encoder reads at a time.
        config: the architecture's settings (default `awd_lstm_clas_config`).
        backwards: the pretrained weights of a backwards model.
        pretrained: start from the WikiText-103 encoder (AWD_LSTM only).
        drop_mult: scales every dropout.
        n_out: the number of outputs (default: the number of classes).
        lin_ftrs: the hidden sizes of the head.
        ps: the head's dropouts.
        max_len: only the last `max_len` tokens of a text are pooled.
        y_range: squash outputs to this range (regression).
        **kwargs: passed to `Learner` (`metrics`, `cbs`, `path`...).

    Examples:
        >>> cfg = dict(awd_lstm_clas_config, emb_sz=8, n_hid=12, n_layers=2)
        >>> learn = text_classifier_learner(dls_clas, AWD_LSTM, config=cfg, pretrained=False)
        >>> learn.predict("good film")[0] in ("pos", "neg")
        True
    """
    vocab = _text_vocab(dls)
    n_out = dls.c if n_out is None else n_out
    model = get_text_classifier(
        arch, len(vocab), n_out, seq_len=seq_len, config=config, drop_mult=drop_mult, lin_ftrs=lin_ftrs,
        ps=ps, max_len=max_len, y_range=y_range,
    )  # fmt: skip
    meta = text_model_meta.meta(arch)
    learn = TextLearner(dls, model, splitter=meta["split_clas"] or trainable_params, **kwargs)
    if pretrained:
        url = meta["url_bwd" if backwards else "url"]
        if url is None:
            warnings.warn(f"no pretrained weights for {getattr(arch, '__name__', arch)}", stacklevel=2)
            return learn
        wgts, voc = _pretrained_files(url)
        learn.load_pretrained(wgts, voc, model=cast(nn.Sequential, learn.model)[0])
    return learn
