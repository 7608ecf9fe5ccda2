"""Per-item overhead of Datasets + DataLoader against a hand-written torch Dataset, and memory.

Target (issue 5): at most 1.3x the time per item of `torch.utils.data.Dataset` + `DataLoader`
doing the same work (num_workers=0); fastai's Datasets + TfmdDL measured in the same run.
Memory: iterating 10,000 items holds no more than a few batches (peak RSS growth printed).
Run: .venv-bench/bin/python tools/bench/data_loading.py
"""

import resource
import time

import torch
from common import peer

from lamella.data import Categorize, DataLoader, Datasets

torch.set_num_threads(1)
N, BS = 10_000, 64
items = list(range(N))
LABELS = ["even", "odd"]


def make_x(i: int) -> torch.Tensor:
    return torch.full((3, 16, 16), float(i % 255))


def get_label(i: int) -> str:
    return LABELS[i % 2]


class Plain(torch.utils.data.Dataset):
    def __init__(self):
        self.o2i = {v: k for k, v in enumerate(LABELS)}

    def __len__(self):
        return N

    def __getitem__(self, i):
        return make_x(items[i]), torch.tensor(self.o2i[get_label(items[i])])


def per_item_us(loader_factory, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        dl = loader_factory()
        start = time.perf_counter()
        for _ in dl:
            pass
        best = min(best, time.perf_counter() - start)
    return best / N * 1e6


def ours():
    dsets = Datasets(items, [[make_x], [get_label, Categorize()]])
    return DataLoader(dsets, bs=BS)


def plain():
    return torch.utils.data.DataLoader(Plain(), batch_size=BS)


rows = {"torch Dataset + DataLoader": per_item_us(plain), "lamella Datasets + DataLoader": per_item_us(ours)}
fa = peer("fastai.data.all")
if fa is not None:

    def fastai_dl():
        dsets = fa.Datasets(items, [[make_x], [get_label, fa.Categorize()]])
        return fa.TfmdDL(dsets, bs=BS, device=torch.device("cpu"))

    rows["fastai Datasets + TfmdDL"] = per_item_us(fastai_dl)
else:
    rows["fastai Datasets + TfmdDL"] = None

base = rows["torch Dataset + DataLoader"]
print(f"\nper item, {N} items of 3x16x16 + a category label, bs={BS}, num_workers=0 (fastest of 5)")
for name, us in rows.items():
    print(f"  {name:<34}" + ("not installed" if us is None else f"{us:8.2f} us   {us / base:.2f}x"))

before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
big = DataLoader(
    Datasets(list(range(N)), [[lambda i: torch.full((3, 64, 64), 1.0)], [get_label, Categorize()]]), bs=BS
)
for _ in big:
    pass
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
batch_mb = BS * 3 * 64 * 64 * 4 / 1e6
total_mb = N * 3 * 64 * 64 * 4 / 1e6
print(f"\nmemory: iterating {N} items of 3x64x64 float ({total_mb:.0f} MB in all, {batch_mb:.1f} MB a batch)")
print(f"  peak RSS grew by {(after - before) / 1e3:.1f} MB ({(after - before) / 1e3 / batch_mb:.1f} batches)")
