"""One training epoch (and its validation) on the 1,000,000-row frame of tabular_preprocess.py, bs=1024.

The same model everywhere (fastai's TabularModel design: embeddings, layers [200, 100], batch norm),
Adam at 1e-3, CPU, no progress bar. Rows: a hand-written PyTorch loop over the already
processed tensors, lamella `tabular_learner(...).fit(1)`, fastai `tabular_learner(...).fit(1)`.
Preprocessing is done before timing for all three. A second table repeats the epoch with a
minimal model (width-1 embeddings, no hidden layer): with little arithmetic, as on a GPU, what is
left is each library's own cost.

Target (issue 10): lamella at most 0.5x fastai's time.
Run: .venv-bench/bin/python tools/bench/tabular_epoch.py
"""

import warnings

import numpy as np
import torch
from common import interleaved_s, peer
from tabular_preprocess import CATS, CONTS, N, make_frame

from lamella.data import Normalize
from lamella.tabular import Categorify, FillMissing, TabularDataLoaders, TabularPandas, tabular_learner

BS = 1024
df = make_frame()
order = np.random.default_rng(1).permutation(N)
splits = (np.sort(order[: int(0.8 * N)]), np.sort(order[int(0.8 * N) :]))
procs = [Categorify, FillMissing, Normalize]


to = TabularPandas(df, procs, CATS, CONTS, y_names="y", splits=splits)
dls = TabularDataLoaders.from_tabular(to, bs=BS, device="cpu", seed=0)


SMALL = {"layers": [], "emb_szs": {n: 1 for n in to.cat_names}}
MODELS = {
    "the model of the target: layers [200, 100], fastai's embedding sizes": {},
    # Little arithmetic, as on a GPU: what is left is each library's own cost (loading, loop, optimizer).
    "a minimal model: embeddings of width 1, no hidden layer": SMALL,
}


def contenders(model_kw):
    def lamella_fit():
        torch.manual_seed(0)
        learn = tabular_learner(dls, **model_kw)
        with learn.no_bar(), learn.no_logging():
            learn.fit(1, 1e-3)

    def hand_written():
        torch.manual_seed(0)
        learn = tabular_learner(dls, **model_kw)  # only for an identical model
        model, loss_func = learn.model, torch.nn.CrossEntropyLoss()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        train, valid = dls.train_ds, dls.valid_ds
        model.train()
        perm = torch.randperm(len(train))
        for i in range(0, len(train) - BS + 1, BS):
            idx = perm[i : i + BS]
            loss = loss_func(model(train.cats[idx].long(), train.conts[idx]), train.y_tensor[idx])
            loss.backward()
            opt.step()
            opt.zero_grad()
        model.eval()
        with torch.no_grad():
            for i in range(0, len(valid), BS):
                sl = slice(i, i + BS)
                loss_func(model(valid.cats[sl].long(), valid.conts[sl]), valid.y_tensor[sl]).item()

    fs = {"hand-written PyTorch loop": hand_written, "lamella tabular_learner.fit": lamella_fit}
    if fdls is not None:

        def fastai_fit():
            torch.manual_seed(0)
            learn = fa.tabular_learner(fdls, opt_func=fa.Adam, **model_kw)
            with warnings.catch_warnings(), learn.no_bar(), learn.no_logging():
                warnings.simplefilter("ignore")
                learn.fit(1, 1e-3)

        fs["fastai tabular_learner.fit"] = fastai_fit
    return fs


fa, fdls = peer("fastai.tabular.all"), None
if fa is not None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fto = fa.TabularPandas(
            df,
            [fa.Categorify, fa.FillMissing, fa.Normalize],
            list(CATS),
            list(CONTS),
            y_names="y",
            y_block=fa.CategoryBlock(),
            splits=[list(s) for s in splits],
        )
        fdls = fto.dataloaders(bs=BS, device="cpu")

print(f"\none epoch: 800,000 training + 200,000 validation rows, bs={BS}, 16 columns; fastest of 4 rounds")
for title, model_kw in MODELS.items():
    # In turns (the fastest of 4 rounds each, after one warm-up round) so noise hits all alike.
    rows: dict[str, float | None] = dict(interleaved_s(contenders(model_kw), rounds=4))
    rows.setdefault("fastai tabular_learner.fit", None)
    base, fastai = rows["hand-written PyTorch loop"], rows["fastai tabular_learner.fit"]
    print(f"{title}:")
    for name, t in rows.items():
        if t is None:
            print(f"  {name:<32}not installed")
            continue
        vs_fastai = f"{t / fastai:.2f}x fastai" if fastai else ""
        print(f"  {name:<32}{t:>7.2f}s {t / base:>6.2f}x plain  {vs_fastai}")
