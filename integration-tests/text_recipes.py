"""The text recipes that test_text_quality.py checks and tools/plot_text.py draws: one code path for both.

`lm_recipe`: an AWD-LSTM language model trained from scratch on wikitext2_raw_small (the validation
split and most of the test split for training, the last tenth of the lines for validation), with the
unigram model's perplexity on the same validation tokens for comparison. A vocabulary of 6,000 tokens
and 2 epochs keep it to a few CPU minutes (issue 26): the decoder and its softmax over the vocabulary
were half of each step at the 15,048 tokens `min_freq=2` keeps.
`ulmfit_recipe`: that language model fine-tuned on the imdb_sample reviews, its encoder in a
classifier trained with gradual unfreezing, and the same classifier without the encoder.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import torch

import lamella.samples
from lamella.learner import Perplexity, accuracy
from lamella.text import (
    AWD_LSTM,
    TextDataLoaders,
    awd_lstm_clas_config,
    awd_lstm_lm_config,
    language_model_learner,
    text_classifier_learner,
)

#: A smaller AWD-LSTM than fastai's (400/1152/3), so that the recipes train in CPU minutes.
LM_CONFIG = dict(awd_lstm_lm_config, emb_sz=200, n_hid=400, n_layers=2)
CLAS_CONFIG = dict(awd_lstm_clas_config, emb_sz=200, n_hid=400, n_layers=2)


def wikitext_frame(files: tuple[str, ...] = ("valid.txt", "test.txt")) -> pd.DataFrame:
    """The non-blank lines of wikitext2_raw_small's `files`, the last tenth for validation."""
    root = lamella.samples.path("wikitext2_raw_small")
    lines = [
        ln.strip() for f in files for ln in (root / f).read_text(encoding="utf8").splitlines() if ln.strip()
    ]
    n_valid = len(lines) // 10
    return pd.DataFrame({"text": lines, "is_valid": [False] * (len(lines) - n_valid) + [True] * n_valid})


def unigram_perplexity(dls: Any) -> float:
    """The perplexity, on the validation stream, of token frequencies counted on the training stream."""
    counts = torch.bincount(dls.train.corpus.long(), minlength=len(dls.vocab)).double() + 1  # add-one
    logp = (counts / counts.sum()).log()
    return math.exp(-logp[dls.valid.corpus.long()].mean().item())


def _quiet(learn: Any, show: bool) -> Any:
    learn.progress.show_bars = False
    learn.progress.show_table = show
    return learn


def lm_recipe(
    path: Path,
    epochs: int = 2,
    show: bool = False,
    files: tuple[str, ...] = ("valid.txt", "test.txt"),
    seed: int = 0,
) -> dict[str, Any]:
    """Train the language model on `files`; its perplexity, the unigram model's, and the learner."""
    dls = TextDataLoaders.from_df(
        wikitext_frame(files), text_col="text", is_lm=True, valid_col="is_valid", bs=32, seq_len=70,
        min_freq=2, max_vocab=6000, path=path,
    )  # fmt: skip
    torch.manual_seed(seed)
    learn = language_model_learner(dls, AWD_LSTM, config=LM_CONFIG, drop_mult=0.2, pretrained=False,
                                   metrics=[accuracy, Perplexity()])  # fmt: skip
    _quiet(learn, show).fit_one_cycle(epochs, 2e-2)
    return {"learn": learn, "perplexity": learn.validate()[2], "unigram": unigram_perplexity(dls)}


def ulmfit_recipe(path: Path, pretrained: Any, show: bool = False, seed: int = 0) -> dict[str, Any]:
    """Fine-tune `pretrained` (an LM learner) on the reviews; classifier accuracy with and without it."""
    df = pd.read_csv(lamella.samples.path("imdb_sample") / "texts.csv")
    wiki_vocab = pretrained.dls.vocab
    dls_lm = TextDataLoaders.from_df(df, text_col="text", is_lm=True, valid_col="is_valid", bs=32, seq_len=70,
                                     path=path)  # fmt: skip
    torch.manual_seed(seed)
    lm = language_model_learner(dls_lm, AWD_LSTM, config=LM_CONFIG, drop_mult=0.3, pretrained=False,
                                metrics=[accuracy, Perplexity()])  # fmt: skip
    _load_lm(lm, pretrained.model.state_dict(), wiki_vocab)
    _quiet(lm, show)
    lm.freeze()
    lm.fit_one_cycle(1, 2e-2)
    lm.unfreeze()
    lm.fit_one_cycle(1, 5e-3)
    lm.save_encoder("finetuned")
    dls = TextDataLoaders.from_df(df, text_col="text", label_col="label", valid_col="is_valid", bs=32,
                                  text_vocab=dls_lm.vocab, path=path)  # fmt: skip
    res: dict[str, Any] = {}
    for name in ("ulmfit", "scratch"):
        torch.manual_seed(seed)
        learn = text_classifier_learner(dls, AWD_LSTM, config=CLAS_CONFIG, drop_mult=0.5, pretrained=False,
                                        metrics=accuracy)  # fmt: skip
        _quiet(learn, show)
        if name == "ulmfit":
            learn.load_encoder("finetuned")
        learn.fit_one_cycle(1, 2e-2)
        learn.freeze_to(-2)
        learn.fit_one_cycle(1, slice(1e-2 / (2.6**4), 1e-2))
        learn.unfreeze()
        learn.fit_one_cycle(1, slice(1e-3 / (2.6**4), 1e-3))
        res[name] = learn.validate()[1]
        res[f"{name}_learn"] = learn
    res["learn"] = res["ulmfit_learn"]
    return res


def _load_lm(learn: Any, state: dict[str, torch.Tensor], old_vocab: list[str]) -> None:
    """Start `learn` from a language model of another vocabulary (fastai's `load_pretrained` path)."""
    from lamella.text import match_embeds

    learn.model.load_state_dict(match_embeds(dict(state), old_vocab, learn.dls.vocab))
