import random

import numpy as np
import torch

from lamella.typedtensor import set_seed


def test_set_seed_repeats_python_numpy_and_torch():
    set_seed(7)
    a = (random.random(), np.random.rand(), torch.rand(1).item())
    set_seed(7, reproducible=True)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == a
    assert torch.backends.cudnn.deterministic
    torch.backends.cudnn.deterministic = False
