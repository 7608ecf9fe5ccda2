"""One epoch of a 784-256-10 MLP (200 batches of 64 + 20 validation batches), CPU, no progress bar.

Target (issue 8): lamella `Learner.fit` at most 1.05x a hand-written PyTorch loop doing the same
work with the same optimizer; fastai's Learner and Lightning's Trainer in the same run.
Run: .venv-bench/bin/python tools/bench/learner_fit.py
"""

import logging
import warnings

import torch
from common import interleaved_s, peer
from torch import nn

from lamella.data import DataLoader, DataLoaders
from lamella.learner import Learner
from lamella.optim import Adam

torch.set_num_threads(1)
N_TRAIN, N_VALID, BS = 200 * 64, 20 * 64, 64
g = torch.Generator().manual_seed(0)
X, Y = (
    torch.randn(N_TRAIN + N_VALID, 784, generator=g),
    torch.randint(0, 10, (N_TRAIN + N_VALID,), generator=g),
)


def model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))


class Batches:
    """A dataset that serves whole batches (no per-item collation), for every framework alike."""

    def __init__(self, lo, hi):
        self.x, self.y = X[lo:hi], Y[lo:hi]

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i]

    def __getitems__(self, idxs):
        return self.x[idxs[0] : idxs[-1] + 1], self.y[idxs[0] : idxs[-1] + 1]


def batches(lo, hi):
    return [(X[i : i + BS], Y[i : i + BS]) for i in range(lo, hi, BS)]


def hand_written():
    net, loss_func = model(), nn.CrossEntropyLoss()
    opt = Adam(net.parameters(), lr=1e-3)
    net.train()
    for xb, yb in batches(0, N_TRAIN):
        loss = loss_func(net(xb), yb)
        loss.backward()
        opt.step()
        opt.zero_grad()
    net.eval()
    with torch.no_grad():
        for xb, yb in batches(N_TRAIN, N_TRAIN + N_VALID):
            loss_func(net(xb), yb).item()


def lamella_fit():
    train, valid = Batches(0, N_TRAIN), Batches(N_TRAIN, N_TRAIN + N_VALID)
    dls = DataLoaders(DataLoader(train, bs=BS), DataLoader(valid, bs=BS), device="cpu")
    # wd_bn_bias=True: decay every parameter, as the hand-written loop's optimizer does (same work)
    learn = Learner(dls, model(), loss_func=nn.CrossEntropyLoss(), opt_func=Adam, lr=1e-3, wd_bn_bias=True)
    with learn.no_bar(), learn.no_logging():
        learn.fit(1)


contenders = {"hand-written loop": hand_written, "lamella Learner.fit": lamella_fit}

fa = peer("fastai.basics")
if fa is not None:
    peer("fastai.callback.all")  # adds Learner.no_bar

    def fastai_fit():
        tdl = torch.utils.data.DataLoader(
            torch.utils.data.TensorDataset(X[:N_TRAIN], Y[:N_TRAIN]), batch_size=BS
        )
        vdl = torch.utils.data.DataLoader(
            torch.utils.data.TensorDataset(X[N_TRAIN:], Y[N_TRAIN:]), batch_size=BS
        )
        learn = fa.Learner(fa.DataLoaders(tdl, vdl, device="cpu"), model(), loss_func=nn.CrossEntropyLoss(),
                           opt_func=fa.Adam, lr=1e-3)  # fmt: skip
        with learn.no_bar(), learn.no_logging():
            learn.fit(1)

    contenders["fastai Learner.fit"] = fastai_fit

pl = peer("lightning")
if pl is not None:
    logging.getLogger("lightning").setLevel(logging.ERROR)
    logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)

    class Module(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.net, self.loss_func = model(), nn.CrossEntropyLoss()

        def training_step(self, b, i):
            return self.loss_func(self.net(b[0]), b[1])

        def validation_step(self, b, i):
            self.loss_func(self.net(b[0]), b[1])

        def configure_optimizers(self):
            return Adam(self.parameters(), lr=1e-3)

    def lightning_fit():
        tdl = torch.utils.data.DataLoader(
            torch.utils.data.TensorDataset(X[:N_TRAIN], Y[:N_TRAIN]), batch_size=BS
        )
        vdl = torch.utils.data.DataLoader(
            torch.utils.data.TensorDataset(X[N_TRAIN:], Y[N_TRAIN:]), batch_size=BS
        )
        trainer = pl.Trainer(
            max_epochs=1, accelerator="cpu", enable_progress_bar=False, logger=False,
            enable_checkpointing=False, enable_model_summary=False, num_sanity_val_steps=0,
        )  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            trainer.fit(Module(), tdl, vdl)

    contenders["Lightning Trainer.fit"] = lightning_fit

rows = {name: s * 1000 for name, s in interleaved_s(contenders, rounds=15).items()}
for name in ("fastai Learner.fit", "Lightning Trainer.fit"):
    rows.setdefault(name, None)
base = rows["hand-written loop"]
print("\none epoch: 200 train + 20 valid batches of 64, 784-256-10 MLP, lamella Adam everywhere, 1 thread")
for name, ms in rows.items():
    if ms is None:
        print(f"  {name:<26}not installed")
    else:
        print(f"  {name:<26}{ms:8.1f} ms   {ms / base:.3f}x   (+{(ms - base) / 220:.3f} ms a batch)")
