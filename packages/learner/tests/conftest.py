import pytest
import torch
from torch import nn

from lamella.data import CategoryBlock, DataBlock, DataLoader, DataLoaders, IndexSplitter, TransformBlock
from lamella.learner import CrossEntropyLossFlat, Learner


def toy_items(n=256, seed=0):
    g = torch.Generator().manual_seed(seed)
    xs = torch.randn(n, 2, generator=g)
    ys = (xs[:, 0] + xs[:, 1] > 0).long()
    return list(zip(xs, ys))


def toy_dls(bs=32, n=256):
    items = toy_items(n)
    cut = int(n * 0.75)
    return DataLoaders(
        DataLoader(items[:cut], bs=bs, shuffle=True, seed=0), DataLoader(items[cut:], bs=bs), device="cpu"
    )


def to_tensor(o):
    return torch.tensor(o)


def label(o):
    return "pos" if o[0] + o[1] > 0 else "neg"


def block_dls(n=200, valid=True):
    g = torch.Generator().manual_seed(1)
    rows = [r.tolist() for r in torch.randn(n, 2, generator=g)]  # lists: a Transform maps over tuples
    dblock = DataBlock(
        blocks=(TransformBlock, CategoryBlock),
        get_x=to_tensor,
        get_y=label,
        splitter=IndexSplitter(list(range(n - 50, n)) if valid else []),
    )
    return dblock.dataloaders(rows, bs=25, device="cpu", seed=0)


@pytest.fixture
def learn(seed):
    torch.manual_seed(seed)
    learner = Learner(toy_dls(), nn.Linear(2, 2), loss_func=CrossEntropyLossFlat(), lr=0.1)
    learner.progress.show_bars = learner.progress.show_table = False
    return learner


def two_group_learner():
    """A learner on toy data whose splitter makes two groups (body with a batch norm, head)."""
    model = nn.Sequential(nn.Linear(2, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))

    def splitter(m):
        return [list(m[0].parameters()) + list(m[1].parameters()), list(m[3].parameters())]

    learn = Learner(toy_dls(), model, loss_func=CrossEntropyLossFlat(), splitter=splitter)
    learn.progress.show_bars = learn.progress.show_table = False
    return learn
