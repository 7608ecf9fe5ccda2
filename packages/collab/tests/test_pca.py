import torch

from lamella.collab import pca


def test_pca_finds_the_direction_of_most_variance():
    g = torch.Generator().manual_seed(0)
    t = torch.randn(200, generator=g)
    x = torch.stack([3 * t, t, 0.01 * torch.randn(200, generator=g)], dim=1)  # one real direction
    out = pca(x, 2)
    assert out.shape == (200, 2)
    assert out[:, 0].var() > 100 * out[:, 1].var()
    assert abs(torch.corrcoef(torch.stack([out[:, 0], t]))[0, 1]) > 0.99
