import pytest
import torch


def make_model(seed=0):
    torch.manual_seed(seed)
    # No bias right before the norm layer: BatchNorm cancels its gradient, leaving rounding noise
    # that Adam-like optimizers blow up to full steps, which no parity test can compare.
    return torch.nn.Sequential(
        torch.nn.Linear(5, 8), torch.nn.ReLU(), torch.nn.BatchNorm1d(8), torch.nn.Linear(8, 3)
    )


def train(model, opt, steps=100, seed=1):
    """Run `steps` steps on random data; the same seed gives the same gradients."""
    g = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        x, y = torch.randn(16, 5, generator=g), torch.randn(16, 3, generator=g)
        loss = torch.nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


@pytest.fixture
def model():
    return make_model()
