"""Per-item cost of a 3-transform Pipeline against calling the three functions directly.

Target (issue 4): at most 2x; fastcore's Pipeline (now the fasttransform package, fastai's
engine) side by side.
Run: .venv-bench/bin/python tools/bench/transforms_pipeline.py
"""

import torch
from common import best_us, peer, report

from lamella.transforms import Pipeline, Transform

torch.set_num_threads(1)


def add1(x: torch.Tensor):
    return x + 1


def double(x: torch.Tensor):
    return x * 2


def sub3(x: torch.Tensor):
    return x - 3


class Add1(Transform):
    def encodes(self, x: torch.Tensor):
        return x + 1


x = torch.rand(16)
base = best_us(lambda: sub3(double(add1(x))), 20000)
ours = Pipeline([add1, double, sub3])
ours_cls = Pipeline([Add1(), double, sub3])
rows = {
    "lamella Pipeline (functions)": best_us(lambda: ours(x), 20000),
    "lamella Pipeline (a Transform class)": best_us(lambda: ours_cls(x), 20000),
}
# fastcore's Pipeline moved to the fasttransform package (fastcore >= 1.8); fastai 2.8 uses it.
ft = peer("fasttransform")
rows["fasttransform (fastcore) Pipeline"] = None
if ft is not None:
    peer_pipe = ft.Pipeline([add1, double, sub3])
    rows["fasttransform (fastcore) Pipeline"] = best_us(lambda: peer_pipe(x), 20000)
report("3 transforms on a 16-element tensor, per item (fastest of 7)", "plain function calls", base, rows)
