"""One training epoch of the four-line mnist_tiny classifier, and the image data pipeline alone.

Targets (issue 9): the epoch (decode, resize, batch augmentation, forward, backward, step) at most
0.8x fastai's identical pipeline; images/s of the data pipeline alone at least 1x torchvision
ImageFolder + transforms.v2 with equivalent augmentation. CPU, fastest of 3.
Run: .venv-bench/bin/python tools/bench/vision_epoch.py
"""

import warnings

import torch
from common import best_s, peer

import lamella.samples
from lamella.data.augment import aug_transforms
from lamella.learner import accuracy
from lamella.vision import ImageDataLoaders, Resize, resnet18, vision_learner

warnings.filterwarnings("ignore")
PATH = lamella.samples.path("mnist_tiny")


def ours_dls():
    return ImageDataLoaders.from_folder(
        PATH,
        valid="valid",
        item_tfms=Resize(28),
        bs=64,
        batch_tfms=aug_transforms(do_flip=False),
        device="cpu",
    )


dls = ours_dls()
learn = vision_learner(dls, resnet18, metrics=accuracy, pretrained=False)
learn.progress.show_bars = learn.progress.show_table = False
rows = {"lamella fit 1 epoch": best_s(warmup=True, f=lambda: learn.fit(1, 1e-3))}
rows["lamella data pipeline (train epoch)"] = best_s(warmup=True, f=lambda: [b for b in dls.train])

fa = peer("fastai.vision.all")
if fa is not None:
    fdls = fa.ImageDataLoaders.from_folder(
        PATH,
        valid="valid",
        item_tfms=fa.Resize(28),
        bs=64,
        batch_tfms=fa.aug_transforms(do_flip=False),
        device=torch.device("cpu"),
    )
    flearn = fa.vision_learner(fdls, fa.resnet18, metrics=fa.accuracy, pretrained=False)
    with flearn.no_bar(), flearn.no_logging():
        rows["fastai fit 1 epoch"] = best_s(warmup=True, f=lambda: flearn.fit(1, 1e-3))
    rows["fastai data pipeline (train epoch)"] = best_s(warmup=True, f=lambda: [b for b in fdls.train])

tv = peer("torchvision.datasets")
v2 = peer("torchvision.transforms.v2")
if tv is not None and v2 is not None:
    tfm = v2.Compose(
        [
            v2.PILToTensor(),
            v2.Resize((28, 28), antialias=True),
            v2.RandomPerspective(0.2, p=0.75),
            v2.RandomApply([v2.RandomAffine(degrees=10, scale=(1.0, 1.1))], p=0.75),
            v2.ToDtype(torch.float32, scale=True),
            v2.RandomApply([v2.ColorJitter(brightness=0.2, contrast=0.2)], p=0.75),
        ]
    )
    folder = tv.ImageFolder(str(PATH / "train"), transform=tfm)
    loader = torch.utils.data.DataLoader(folder, batch_size=64, shuffle=True, drop_last=True)
    rows["torchvision ImageFolder + v2 (train epoch)"] = best_s(warmup=True, f=lambda: [b for b in loader])

n = len(dls.train) * 64
print(
    "\nmnist_tiny, 709 train images at 28x28, resnet18 untrained, bs=64, CPU, "
    f"{torch.get_num_threads()} threads"
)
for name, s in rows.items():
    extra = f"{n / s:8.0f} images/s" if "pipeline" in name or "ImageFolder" in name else ""
    print(f"  {name:<44}{s * 1000:8.0f} ms  {extra}")
if "fastai fit 1 epoch" in rows:
    print(
        f"  lamella / fastai epoch: {rows['lamella fit 1 epoch'] / rows['fastai fit 1 epoch']:.2f}x "
        "(target <= 0.8x)"
    )
if "torchvision ImageFolder + v2 (train epoch)" in rows:
    ratio = rows["torchvision ImageFolder + v2 (train epoch)"] / rows["lamella data pipeline (train epoch)"]
    print(f"  lamella data pipeline speed vs torchvision: {ratio:.2f}x (target >= 1x)")
