"""One optimizer step over resnet18's parameters (11.7M, CPU, random grads).

Targets (issue 7): lamella Adam (AdamW mode) at most 1.1x torch AdamW(foreach=True); lamella
SGD with momentum at most 1.1x torch SGD(momentum=0.9, foreach=True); fastai's Adam and torch's
fused AdamW measured in the same run.
Run: .venv-bench/bin/python tools/bench/optim_step.py
"""

from functools import partial

import torch
import torchvision
from common import best_us, peer, report

from lamella.optim import (
    SGD,
    Adam,
    Optimizer,
    adam_step,
    average_grad,
    average_sqr_grad,
    step_stat,
    weight_decay,
)

torch.manual_seed(0)
params = [p for p in torchvision.models.resnet18().parameters()]
for p in params:
    p.grad = torch.randn_like(p)
n = sum(p.numel() for p in params)


def timed(opt) -> float:
    return best_us(opt.step, 10, repeat=5) / 1000  # ms


print(f"resnet18: {len(params)} tensors, {n / 1e6:.1f}M parameters, {torch.get_num_threads()} threads")
base = timed(torch.optim.AdamW(params, lr=1e-3, weight_decay=1e-2, foreach=True))
rows = {
    "lamella Adam (fused kernel, default)": timed(Adam(params, lr=1e-3, wd=1e-2)),
    "lamella Adam from its 5 foreach parts": timed(
        Optimizer(
            params,
            [
                weight_decay,
                partial(average_grad, dampening=True),
                average_sqr_grad,
                step_stat,
                adam_step,
            ],
            lr=1e-3,
            mom=0.9,
            sqr_mom=0.99,
            eps=1e-5,
            wd=1e-2,
        )
    ),
    "torch AdamW(fused=True)": timed(torch.optim.AdamW(params, lr=1e-3, weight_decay=1e-2, fused=True)),
}
fa = peer("fastai.optimizer")
rows["fastai Adam"] = None if fa is None else timed(fa.Adam(params, lr=1e-3, wd=1e-2))
report("Adam step, ms (fastest of 5 x 10 steps)", "torch AdamW(foreach=True)", base, rows, unit="ms")

base = timed(torch.optim.SGD(params, lr=1e-3, momentum=0.9, foreach=True))
rows = {"lamella SGD(mom=0.9)": timed(SGD(params, lr=1e-3, mom=0.9))}
rows["fastai SGD(mom=0.9)"] = None if fa is None else timed(fa.SGD(params, lr=1e-3, mom=0.9))
report("SGD momentum step, ms (fastest of 5 x 10 steps)", "torch SGD(foreach=True)", base, rows, unit="ms")
