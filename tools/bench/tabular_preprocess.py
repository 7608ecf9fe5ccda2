"""Preprocessing a 1,000,000-row frame: Categorify + FillMissing + Normalize, then the model's arrays.

8 categorical columns (strings, 5 to 5,000 values, 3% missing) and 8 continuous columns (float64,
5% missing), a random 80/20 split. Rows: a hand-written pandas/numpy baseline doing the same
work (vocabularies and statistics from the training rows, codes with 0 for missing, median fill
with a flag column per filled column, standardising, code and float matrices), lamella's
`TabularPandas`, fastai's `TabularPandas` (when installed). Peak memory (tracemalloc, in a
separate run from the timings) as a multiple of the raw frame (`memory_usage(deep=True)`).

Target (issue 10): lamella within 1.1x of the baseline; peak memory at most 3x the raw frame.
Run: .venv-bench/bin/python tools/bench/tabular_preprocess.py
"""

import tracemalloc
import warnings

import numpy as np
import pandas as pd
from common import best_s, peer

from lamella.data import Normalize
from lamella.tabular import Categorify, FillMissing, TabularPandas

N = 1_000_000
CATS = [f"c{i}" for i in range(8)]
CONTS = [f"x{i}" for i in range(8)]


def make_frame(n: int = N, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cols = {}
    for i, card in enumerate([5, 10, 20, 50, 100, 500, 1000, 5000]):
        values = np.array([f"v{j}" for j in range(card)], dtype=object)[rng.integers(0, card, n)]
        values[rng.random(n) < 0.03] = None
        cols[CATS[i]] = values
    for name in CONTS:
        x = rng.normal(50, 10, n)
        x[rng.random(n) < 0.05] = np.nan
        cols[name] = x
    cols["y"] = rng.integers(0, 2, n)
    return pd.DataFrame(cols)


def baseline(df: pd.DataFrame, train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    cats, conts = [], []
    for c in CATS:
        col = df[c]
        seen = pd.unique(col.to_numpy()[train])
        vocab = np.sort(seen[~pd.isna(seen)])
        cats.append(pd.Index(vocab).get_indexer(col) + 1)
    flags = []
    for c in CONTS:
        x = df[c].to_numpy()
        missing = np.isnan(x)
        train_x = x[train]
        median = np.nanmedian(train_x)
        if missing[train].any():
            flags.append(missing.astype(np.int64) + 1)  # categorified flag: 1 = False, 2 = True
        filled = np.where(missing, median, x)
        train_f = filled[train]
        conts.append(((filled - train_f.mean()) / (train_f.std() + 1e-7)).astype(np.float32))
    return np.stack(cats + flags, axis=1).astype(np.int64), np.stack(conts, axis=1)


def ours(df: pd.DataFrame, splits) -> TabularPandas:
    return TabularPandas(df, [Categorify, FillMissing, Normalize], CATS, CONTS, y_names="y", splits=splits)


def peak_bytes(f) -> int:
    tracemalloc.start()
    f()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    df = make_frame()
    raw = df.memory_usage(deep=True).sum()
    order = np.random.default_rng(1).permutation(N)
    train, valid = np.sort(order[: int(0.8 * N)]), np.sort(order[int(0.8 * N) :])
    splits = (train, valid)

    # the two must agree before their times mean anything
    to = ours(df, splits)
    b_cats, b_conts = baseline(df, train)
    assert np.array_equal(to.cats.numpy(), b_cats), "codes differ from the baseline"
    assert np.allclose(to.conts.numpy(), b_conts, atol=1e-4), "floats differ from the baseline"

    jobs = {
        "hand-written pandas/numpy": lambda: baseline(df, train),
        "lamella TabularPandas": lambda: ours(df, splits),
    }
    fa = peer("fastai.tabular.all")
    if fa is not None:

        def fastai_tp():
            # copies: fastai appends the `_na` flag columns to the cat_names list it is given
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return fa.TabularPandas(
                    df,
                    [fa.Categorify, fa.FillMissing, fa.Normalize],
                    list(CATS),
                    list(CONTS),
                    y_names="y",
                    splits=[list(train), list(valid)],
                )

        jobs["fastai TabularPandas"] = fastai_tp

    times = {name: best_s(f, repeat=3 if "fastai" in name else 5) for name, f in jobs.items()}
    peaks = {name: peak_bytes(f) for name, f in jobs.items()}
    base = times["hand-written pandas/numpy"]
    print(
        f"\n1,000,000 rows x (8 categorical + 8 continuous), raw frame {raw / 2**20:.0f} MiB; "
        "fastest of 5 (fastai 3)"
    )
    print(f"  {'':<28}{'time':>9}{'vs baseline':>13}{'peak memory':>14}{'x raw':>8}")
    for name in jobs:
        print(
            f"  {name:<28}{times[name]:>8.2f}s{times[name] / base:>12.2f}x"
            f"{peaks[name] / 2**20:>11.0f} MiB{peaks[name] / raw:>7.2f}x"
        )


if __name__ == "__main__":
    main()
