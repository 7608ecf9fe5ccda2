import torch
from torch import nn

from lamella.data import DataLoader, DataLoaders
from lamella.learner import Callback, ChannelsLast, CrossEntropyLossFlat, Learner


def test_inputs_and_model_go_channels_last():
    items = [(torch.randn(3, 8, 8), torch.tensor(i % 2)) for i in range(16)]
    dls = DataLoaders(DataLoader(items, bs=8), DataLoader(items, bs=8), device="cpu")
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2))
    seen = []

    class Watch(Callback):
        order = 10

        def before_batch(self):
            seen.append(self.xb[0].is_contiguous(memory_format=torch.channels_last))

    learn = Learner(dls, model, loss_func=CrossEntropyLossFlat(), cbs=[ChannelsLast(), Watch()])
    learn.progress.show_bars = learn.progress.show_table = False
    learn.fit(1)
    assert all(seen) and model[0].weight.is_contiguous(memory_format=torch.channels_last)
