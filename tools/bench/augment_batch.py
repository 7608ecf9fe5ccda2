"""aug_transforms(size=224) on a 64x3x256x256 float batch: images per second against the peers.

Targets (issue 6): at least 1.5x torchvision.transforms.v2 (the same augmentations per image in
a loop), at least 1x kornia.augmentation and fastai's aug_transforms on the same batch, on the
CPU. Also prints how many grid_sample calls one lamella batch makes.
Run: .venv-bench/bin/python tools/bench/augment_batch.py [--device cuda]
"""

import argparse
import time

import torch
import torch.nn.functional as F
from common import peer

from lamella.data.augment import aug_transforms
from lamella.typedtensor import TensorImage

parser = argparse.ArgumentParser()
parser.add_argument("--device", default="cpu")
parser.add_argument("--bs", type=int, default=64)
args = parser.parse_args()
device = torch.device(args.device)
batch = torch.rand(args.bs, 3, 256, 256, device=device)


def images_per_s(f, repeat: int = 3) -> float:
    f()
    best = float("inf")
    for _ in range(repeat):
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        f()
        if device.type == "cuda":
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - start)
    return args.bs / best


ours_tfms = aug_transforms(size=224)


def ours():
    x = TensorImage(batch)
    for t in ours_tfms:
        x = t(x, split_idx=0)
    return x


calls = []
real_grid_sample = F.grid_sample
F.grid_sample = lambda *a, **k: calls.append(1) or real_grid_sample(*a, **k)
ours()
F.grid_sample = real_grid_sample
rows = {"lamella aug_transforms": images_per_s(ours)}

v2 = peer("torchvision.transforms.v2")
if v2 is not None:
    per_image = v2.Compose([
        v2.RandomHorizontalFlip(0.5), v2.RandomPerspective(distortion_scale=0.2, p=0.75),
        v2.RandomApply([v2.RandomAffine(degrees=10, scale=(1.0, 1.1))], p=0.75),
        v2.RandomApply([v2.ColorJitter(brightness=0.2, contrast=0.2)], p=0.75),
        v2.Resize((224, 224), antialias=False),
    ])  # fmt: skip
    rows["torchvision v2, per image"] = images_per_s(lambda: torch.stack([per_image(im) for im in batch]))
kornia_aug = peer("kornia.augmentation")
if kornia_aug is not None:
    seq = kornia_aug.AugmentationSequential(
        kornia_aug.RandomHorizontalFlip(p=0.5), kornia_aug.RandomPerspective(0.2, p=0.75),
        kornia_aug.RandomAffine(degrees=10, scale=(1.0, 1.1), p=0.75),
        kornia_aug.ColorJitter(brightness=0.2, contrast=0.2, p=0.75), kornia_aug.Resize((224, 224)),
    )  # fmt: skip
    rows["kornia AugmentationSequential"] = images_per_s(lambda: seq(batch))
fa = peer("fastai.vision.all")
if fa is not None:
    fa_tfms = fa.Pipeline(fa.aug_transforms(size=224), split_idx=0)
    rows["fastai aug_transforms"] = images_per_s(lambda: fa_tfms(fa.TensorImage(batch)))

ours_rate = rows["lamella aug_transforms"]
print(f"\n{args.bs}x3x256x256 -> 224, {device}, {torch.get_num_threads()} threads (fastest of 3)")
print(f"lamella resamples per batch: {len(calls)} grid_sample call(s)")
for name, rate in rows.items():
    print(f"  {name:<32}{rate:9.1f} images/s   lamella is {ours_rate / rate:.2f}x")
for name in ("torchvision v2, per image", "kornia AugmentationSequential", "fastai aug_transforms"):
    if name not in rows:
        print(f"  {name:<32}not installed")
