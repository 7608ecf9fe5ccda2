"""Draw the medical docs page's figures into docs/img/ and print its tables.

pydicom's sample files (MIT; shipped in lamella-samples): a CT slice through fastai's windows, a
header table, a series ordered in space; and the mnist-as-DICOM training run of the integration test.
Run: .venv/bin/python tools/plot_medical.py
"""

import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402

import lamella.samples  # noqa: E402
from lamella.data import CategoryBlock, ColReader, DataBlock, RandomSplitter  # noqa: E402
from lamella.learner import accuracy  # noqa: E402
from lamella.medical import (  # noqa: E402
    PILDicom,
    dcmread,
    dicom_series,
    dicom_windows,
    from_dicoms,
    get_dicom_files,
)
from lamella.vision import ImageBlock, Resize, resnet18, vision_learner  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
SAMPLES = lamella.samples.path("dicom_samples")


def save(name: str) -> None:
    plt.gcf().tight_layout()
    plt.gcf().savefig(IMG / name, dpi=70, bbox_inches="tight")
    plt.close("all")
    print(f"wrote {IMG / name}")


def windows() -> None:
    dcm = dcmread(SAMPLES / "CT_small.dcm")
    names = ["lungs", "mediastinum", "brain", "spine_bone"]
    _, axs = plt.subplots(1, 5, figsize=(15, 3.4))
    dcm.show(ctx=axs[0], title="hist_scaled")
    for ax, name in zip(axs[1:], names):
        dcm.show(window=getattr(dicom_windows, name), ctx=ax, title=f"{name} {getattr(dicom_windows, name)}")
    save("medical_ct_windows.png")


def header_table() -> None:
    df = from_dicoms(get_dicom_files(SAMPLES)[:12], n_workers=2)
    cols = [
        "fname",
        "Modality",
        "Rows",
        "Columns",
        "PhotometricInterpretation",
        "img_min",
        "img_max",
        "img_mean",
    ]
    df = df[cols].assign(fname=df.fname.map(lambda f: Path(f).name))
    print(df.round(1).to_string(index=False))


def series() -> None:
    (mr,) = dicom_series(SAMPLES / "series/98892003/MR700")
    (ct,) = dicom_series(SAMPLES / "series/98892001/CT5N")
    print("MR700 files in name order:", sorted(f.name for f in mr.files))
    print(
        "MR700 in space:", [(f.name, int(d.InstanceNumber)) for f, d in zip(mr.files, mr.slices)], mr.problems
    )
    print("CT5N spacing:", ct.spacing, "volume", tuple(ct.volume().shape))
    vol = ct.volume()
    _, axs = plt.subplots(1, len(vol), figsize=(3 * len(vol), 3.2))
    for i, (ax, sl) in enumerate(zip(axs, vol)):
        ax.imshow(sl.numpy(), cmap="bone")
        ax.set_title(f"z = {ct.positions[i]:.1f} mm")
        ax.axis("off")
    save("medical_series_volume.png")


def training() -> None:
    sys.path.insert(0, str(ROOT / "integration-tests"))
    from test_medical_quality import write_dicom

    path = Path(tempfile.mkdtemp())
    mnist = lamella.samples.path("mnist_tiny")
    rows = []
    for digit in ("3", "7"):
        for png in sorted((mnist / "train" / digit).glob("*.png")):
            write_dicom(png, path / f"{digit}_{png.stem}.dcm")
            rows.append({"file": f"{digit}_{png.stem}.dcm", "label": digit})
    pd.DataFrame(rows).to_csv(path / "labels.csv", index=False)
    torch.manual_seed(0)
    df = pd.read_csv(path / "labels.csv")
    dls = DataBlock(
        blocks=(ImageBlock(cls=PILDicom), CategoryBlock),
        get_x=ColReader("file", pref=path),
        get_y=ColReader("label"),
        splitter=RandomSplitter(seed=42),
        item_tfms=Resize(28),
    ).dataloaders(df, bs=16, device="cpu")
    dls.show_batch(max_n=6, figsize=(7, 5))
    save("medical_dicom_batch.png")
    learn = vision_learner(dls, resnet18, n_in=1, metrics=accuracy, pretrained=False)
    with learn.no_bar():
        learn.fit_one_cycle(3)


if __name__ == "__main__":
    windows()
    header_table()
    series()
    training()
