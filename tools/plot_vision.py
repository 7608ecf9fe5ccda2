"""Train the vision examples of the docs and draw their figures into docs/img/.

Classification (mnist_tiny), segmentation and key points and boxes (bccd, MIT licensed: its
masks are painted here from the cell boxes, so every published figure comes from data we may
show). Prints the metric tables the docs pages quote.
Run: .venv/bin/python tools/plot_vision.py
"""

import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

import lamella.samples  # noqa: E402
from lamella.data import ColReader, DataBlock, RandomSplitter  # noqa: E402
from lamella.data.augment import aug_transforms  # noqa: E402
from lamella.learner import ClassificationInterpretation, accuracy, foreground_acc  # noqa: E402
from lamella.vision import (  # noqa: E402
    BBoxBlock,
    BBoxLblBlock,
    ImageBlock,
    ImageDataLoaders,
    PointBlock,
    Resize,
    SegmentationDataLoaders,
    get_image_files,
    resnet18,
    unet_learner,
    vision_learner,
)

IMG = Path(__file__).resolve().parent.parent / "docs" / "img"
BCCD = lamella.samples.path("bccd")
CODES = ["background", "RBC", "Platelets", "WBC"]


def save(name: str) -> None:
    plt.gcf().savefig(IMG / name, dpi=70, bbox_inches="tight")
    plt.close("all")
    print(f"wrote {IMG / name}")


def classification() -> None:
    path = lamella.samples.path("mnist_tiny")
    dls = ImageDataLoaders.from_folder(
        path,
        valid="valid",
        item_tfms=Resize(28),
        batch_tfms=aug_transforms(do_flip=False),
        seed=0,
        device="cpu",
    )
    dls.show_batch(max_n=6, nrows=2, figsize=(6, 4))
    save("vision_mnist_batch.png")
    torch.manual_seed(0)
    learn = vision_learner(dls, resnet18, metrics=accuracy, pretrained=False)
    with learn.no_bar():
        learn.fit_one_cycle(5, 1e-2)
    learn.show_results(max_n=6, nrows=2, figsize=(6, 4))
    save("vision_mnist_results.png")
    interp = ClassificationInterpretation.from_learner(learn)
    interp.plot_top_losses(6, nrows=2, figsize=(7, 4))
    save("vision_mnist_top_losses.png")
    interp.plot_confusion_matrix()
    save("vision_mnist_confusion.png")


def paint_masks(folder: Path) -> list[Path]:
    """Masks painted from the boxes: RBC, then platelets, then WBC on top; unboxed pixels are background."""
    boxes = pd.read_csv(BCCD / "all_boxes.csv")
    files = []
    for name, g in boxes.groupby("filename"):
        mask = np.zeros((480, 640), dtype=np.uint8)
        for code in (1, 2, 3):
            for r in g[g["cell_type"] == CODES[code]].itertuples():
                mask[r.ymin : r.ymax, r.xmin : r.xmax] = code
        Image.fromarray(mask).save(folder / f"{Path(name).stem}.png")
        files.append(BCCD / "JPEGImages" / name)
    return sorted(files)


def segmentation(folder: Path) -> None:
    files = paint_masks(folder)
    dls = SegmentationDataLoaders.from_label_func(
        BCCD,
        files,
        lambda f: folder / f"{f.stem}.png",
        codes=CODES,
        item_tfms=Resize((96, 128), method="squish"),
        bs=16,
        seed=0,
        device="cpu",
    )
    torch.manual_seed(0)
    learn = unet_learner(dls, resnet18, pretrained=False, metrics=foreground_acc)
    with learn.no_bar():
        learn.fit_one_cycle(6, 1e-2)
    learn.show_results(max_n=3, figsize=(6, 7))
    save("vision_bccd_segmentation.png")


def key_points() -> None:
    df = pd.read_csv(BCCD / "wbc_centers.csv")
    dblock = DataBlock(
        blocks=(ImageBlock, PointBlock),
        get_x=ColReader("fname", pref=BCCD),
        get_y=lambda r: [r["x"], r["y"]],
        splitter=RandomSplitter(seed=0),
        item_tfms=Resize((64, 80), method="squish"),
        batch_tfms=aug_transforms(max_rotate=10, max_warp=0),
    )
    dls = dblock.dataloaders(df, bs=32, device="cpu", seed=0)
    torch.manual_seed(0)
    learn = vision_learner(dls, resnet18, pretrained=False, y_range=(-1, 1))
    with learn.no_bar():
        learn.fit_one_cycle(8, 1e-2)
    learn.show_results(max_n=6, nrows=2, figsize=(7, 4))
    save("vision_bccd_points.png")


def boxes() -> None:
    table = pd.read_csv(BCCD / "all_boxes.csv")
    by_file = {f: g for f, g in table.groupby("filename")}
    dblock = DataBlock(
        blocks=(ImageBlock, BBoxBlock, BBoxLblBlock),
        get_y=[
            lambda f: by_file[f.name][["xmin", "ymin", "xmax", "ymax"]].values.tolist(),
            lambda f: by_file[f.name]["cell_type"].tolist(),
        ],
        n_inp=1,
        splitter=RandomSplitter(seed=0),
        item_tfms=Resize((240, 320), method="squish"),
        batch_tfms=aug_transforms(max_rotate=5),
    )
    files = [f for f in get_image_files(BCCD / "JPEGImages") if f.name in by_file]
    dls = dblock.dataloaders(files, bs=8, device="cpu", seed=0)
    dls.show_batch(max_n=4, figsize=(8, 6))
    save("vision_bccd_boxes.png")


if __name__ == "__main__":
    classification()
    boxes()
    key_points()
    with tempfile.TemporaryDirectory() as tmp:
        segmentation(Path(tmp))
