"""The language-model data path and an AWD-LSTM training epoch, against fastai in the same run.

Targets (issue 17):
- `LMDataLoader`: one epoch over 2 M tokens, bs 64, seq_len 72, at least 5x fastai's `LMDataLoader`
  throughput; memory at most the token ids once (int32 allowed) plus a batch.
- An AWD-LSTM training epoch within 1.1x fastai's on the same data and model.

The texts are the wikitext2_raw_small articles' lines, numericalized once (both loaders get the same
id tensors), repeated to the token count asked for.
Run: LAMELLA_SHARED_DATA=shared/data .venv-bench/bin/python tools/bench/text_lm.py [M tokens]
"""

import os
import sys
import tracemalloc
from collections import Counter

import torch
from common import interleaved_s, peer

import lamella.samples
from lamella.text import AWD_LSTM, LMDataLoader, LMLearner, awd_lstm_lm_config, awd_lstm_lm_split
from lamella.text import get_language_model as our_lm

M = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
torch.manual_seed(0)
root = lamella.samples.path("wikitext2_raw_small")
lines = [ln for f in ("valid.txt", "test.txt") for ln in (root / f).read_text().splitlines() if ln.strip()]
counts = Counter(w for ln in lines for w in ln.split())
vocab = {w: i + 1 for i, (w, _) in enumerate(counts.most_common(7999))}  # 8,000 ids, 0 for the rest
texts = [torch.tensor([vocab.get(w, 0) for w in ln.split()]) for ln in lines]
n_tok = sum(len(t) for t in texts)
texts = (texts * int(M * 1e6 / n_tok + 1))[: int(len(texts) * M * 1e6 / n_tok)]
n_tok = sum(len(t) for t in texts)
fastai_data = peer("fastai.text.data")


def epoch(dl):
    for _ in dl:
        pass


# -- the loader (TEXT_LM_PART=fit skips it) -------------------------------------------------------------
PART = os.environ.get("TEXT_LM_PART", "all")
if PART != "fit":
    ours = LMDataLoader(texts, bs=64, seq_len=72, shuffle=True)
    contenders = {"lamella LMDataLoader": lambda: epoch(ours)}
    if fastai_data is not None:
        theirs = fastai_data.LMDataLoader(texts, bs=64, seq_len=72, shuffle=True)
        contenders["fastai LMDataLoader"] = lambda: epoch(theirs)
    times = interleaved_s(contenders, rounds=3)
    print(f"\none LM epoch over {n_tok / 1e6:.2f} M tokens, bs 64, seq_len 72 (fastest of 3, interleaved)")
    for name, t in times.items():
        base = times.get("fastai LMDataLoader")
        ratio = f"  {base / t:5.1f}x fastai" if base else ""
        print(f"  {name:<24}{t:>8.3f} s  {n_tok / t / 1e6:>7.2f} M tokens/s{ratio}")

    tracemalloc.start()
    built = LMDataLoader(texts, bs=64, seq_len=72, shuffle=True)
    epoch(built)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ids, offsets = built.corpus.numel() * built.corpus.element_size(), built.starts.nbytes
    print(
        f"  lamella memory: token ids {ids / 1e6:.1f} MB (int32), offsets {offsets / 1e6:.2f} MB; "
        f"Python-side peak while building + one epoch {peak / 1e6:.1f} MB (tensors are not traced)"
    )

# -- a training epoch ----------------------------------------------------------------------------------
fastai_text = peer("fastai.text.all")
N_FIT = 60_000
fit_texts, count = [], 0
for t in texts:
    fit_texts.append(t)
    count += len(t)
    if count >= N_FIT:
        break
cfg = dict(awd_lstm_lm_config, emb_sz=200, n_hid=400, n_layers=2)
V = 8000
print(
    f"\none AWD-LSTM LM training epoch, {count / 1e3:.0f} k tokens, bs 32, seq_len 72, emb 200, hid 400, "
    "2 layers, vocab {V} (fastest of 2, interleaved)".replace("{V}", str(V))
)

from lamella.data import DataLoaders  # noqa: E402
from lamella.learner import CrossEntropyLossFlat  # noqa: E402

dls = DataLoaders(
    LMDataLoader(fit_texts, bs=32, seq_len=72, shuffle=True), LMDataLoader(fit_texts[:10], bs=4), device="cpu"
)
torch.manual_seed(0)
learn = LMLearner(
    dls, our_lm(AWD_LSTM, V, config=cfg), loss_func=CrossEntropyLossFlat(), splitter=awd_lstm_lm_split
)
learn.progress.show_bars = learn.progress.show_table = False
fits = {"lamella": lambda: learn.fit(1, 1e-3)}
if fastai_text is not None:
    fa = fastai_text
    fdls = fa.DataLoaders(
        fa.LMDataLoader(fit_texts, bs=32, seq_len=72, shuffle=True),
        fa.LMDataLoader(fit_texts[:10], bs=4),
        device="cpu",
    )
    torch.manual_seed(0)
    flearn = fa.LMLearner(
        fdls,
        fa.get_language_model(fa.AWD_LSTM, V, config=cfg),
        loss_func=fa.CrossEntropyLossFlat(),
        splitter=fa.awd_lstm_lm_split,
    )

    def fastai_fit():
        with flearn.no_bar(), flearn.no_logging():
            flearn.fit(1, 1e-3)

    fits["fastai"] = fastai_fit
times = interleaved_s(fits, rounds=2)
for name, t in times.items():
    ratio = f"  {t / times['fastai']:5.2f}x fastai's time" if "fastai" in times else ""
    print(f"  {name:<24}{t:>8.2f} s{ratio}")
