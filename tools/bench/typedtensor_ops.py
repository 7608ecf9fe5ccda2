"""Cost of a typed elementwise op against the plain op, and of a typed input to resnet18.

Targets (issue 3): `x + 1`, `x * 2` on a 3x64x64 TensorImage at most 1.5x plain; resnet18
forward with a TensorImage input (types dropped with `as_plain`) within 1.02x of plain.
Peers side by side: torchvision's tv_tensors.Image, fastai's TensorImage.
Run: .venv-bench/bin/python tools/bench/typedtensor_ops.py
"""

import torch
from common import best_us, peer, report

from lamella.typedtensor import TensorImage, as_plain

torch.set_num_threads(1)
x = torch.rand(3, 64, 64)
ours = TensorImage(x)
tv = peer("torchvision.tv_tensors")
fa = peer("fastai.torch_core")
peers = {"lamella TensorImage": ours}
if tv is not None:
    peers["torchvision tv_tensors.Image"] = tv.Image(x)
if fa is not None:
    peers["fastai TensorImage"] = fa.TensorImage(x)

for name, op in (("x + 1", lambda t: t + 1), ("x * 2", lambda t: t * 2)):
    base = best_us(lambda op=op: op(x), 20000)
    rows = {k: best_us(lambda t=t, op=op: op(t), 20000) for k, t in peers.items()}
    for missing in ("torchvision tv_tensors.Image", "fastai TensorImage"):
        rows.setdefault(missing, None)
    report(f"{name} on 3x64x64 (fastest of 7)", "plain torch.Tensor", base, rows)

tvm = peer("torchvision.models")
if tvm is not None:
    model = tvm.resnet18().eval()
    batch = torch.rand(8, 3, 64, 64)
    typed = TensorImage(batch)
    with torch.no_grad():
        base = best_us(lambda: model(batch), 20)
        rows = {"lamella TensorImage via as_plain": best_us(lambda: model(as_plain(typed)), 20)}
    report("resnet18 forward, 8x3x64x64, CPU (fastest of 7)", "plain input", base, rows)
