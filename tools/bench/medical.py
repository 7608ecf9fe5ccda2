"""DICOM loading, header tables and histogram scaling, against bare pydicom and fastai in the same run.

Targets (issue 18):
- per-item DICOM loading through the data pipeline (`ImageBlock(cls=PILDicom)`) within 1.1x of a
  bare `pydicom.dcmread` + `apply_modality_lut` torch Dataset on the same files; fastai's
  `PILDicom` path measured beside them;
- `from_dicoms` over 1,000 files with 2 workers at least 1.6x faster than with one process;
- `hist_scaled` of a batch of 64 512x512 slices: the batch transform at least 5x fastai's per-item path.
Files are written by pydicom into a temporary folder: CT-like 16-bit slices (the shipped CT_small
resized), with a rescale intercept, so the modality LUT matters.
Run: .venv-bench/bin/python tools/bench/medical.py
"""

import tempfile
import time
from pathlib import Path

import numpy as np
import pydicom
import torch
import torch.nn.functional as F
from common import interleaved_s, peer, report
from pydicom.pixels import apply_modality_lut
from pydicom.uid import generate_uid

import lamella.samples
from lamella.data import CategoryBlock, DataBlock
from lamella.medical import HistScaled, PILDicom, TensorDicom, from_dicoms
from lamella.vision import ImageBlock

torch.set_num_threads(1)
fastai_medical = peer("fastai.medical.imaging")

tmp = Path(tempfile.mkdtemp())
src = pydicom.dcmread(lamella.samples.path("dicom_samples") / "CT_small.dcm")
base = torch.from_numpy(src.pixel_array.astype(np.float32))[None, None]


def write(n: int, size: int, folder: Path) -> list[Path]:
    folder.mkdir()
    files = []
    for i in range(n):
        arr = F.interpolate(base, size=(size, size), mode="bilinear", align_corners=False)[0, 0]
        arr = (arr + (i % 7)).round().numpy().astype(np.int16)
        ds = src.copy()
        ds.SOPInstanceUID = generate_uid()
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.Rows, ds.Columns, ds.PixelData = size, size, arr.tobytes()
        fn = folder / f"{i:04d}.dcm"
        ds.save_as(fn, enforce_file_format=True)
        files.append(fn)
    return files


# -- per-item loading -------------------------------------------------------------------------------
files = write(256, 256, tmp / "load")


class Bare(torch.utils.data.Dataset):
    def __len__(self):
        return len(files)

    def __getitem__(self, i):
        ds = pydicom.dcmread(files[i])
        px = torch.from_numpy(apply_modality_lut(ds.pixel_array, ds).astype(np.float32))[None]
        return px, torch.tensor(0)


def bare_epoch():
    for _ in torch.utils.data.DataLoader(Bare(), batch_size=32):
        pass


def label(_):
    return "ct"


dls = DataBlock(
    blocks=(ImageBlock(cls=PILDicom), CategoryBlock),
    get_y=label,
    splitter=lambda items: (list(range(len(items))), []),
).dataloaders(files, bs=32, device="cpu")
dl = dls.train.new(shuffle=False, drop_last=False)


def ours_epoch():
    for _ in dl:
        pass


fs = {"bare pydicom + apply_modality_lut": bare_epoch, "lamella ImageBlock(cls=PILDicom)": ours_epoch}
if fastai_medical is not None:
    from fastai.data.block import CategoryBlock as FCategoryBlock
    from fastai.data.block import DataBlock as FDataBlock
    from fastai.vision.data import ImageBlock as FImageBlock

    fdls = FDataBlock(
        blocks=(FImageBlock(cls=fastai_medical.PILDicom), FCategoryBlock),
        get_y=label,
        splitter=lambda items: (list(range(len(items))), []),
    ).dataloaders(files, bs=32, device="cpu")
    fdl = fdls.train.new(shuffle=False, drop_last=False)

    def fastai_epoch():
        for _ in fdl:
            pass

    fs["fastai ImageBlock(cls=PILDicom)"] = fastai_epoch
t = interleaved_s(fs, rounds=5)
b = t.pop("bare pydicom + apply_modality_lut")
report(
    f"loading {len(files)} 256x256 CT slices, batches of 32 (fastest of 5)",
    "bare pydicom + apply_modality_lut",
    b * 1e3,
    {k: v * 1e3 for k, v in t.items()} | ({} if fastai_medical else {"fastai": None}),
    unit="ms",
)

# -- header table -----------------------------------------------------------------------------------
many = write(1000, 128, tmp / "headers")
runs = {}
for workers in (0, 2):
    best = float("inf")
    for _ in range(3):
        s = time.perf_counter()
        from_dicoms(many, n_workers=workers)
        best = min(best, time.perf_counter() - s)
    runs[workers] = best
report(
    "from_dicoms over 1,000 files (fastest of 3)", "one process", runs[0], {"2 workers": runs[2]}, unit="s"
)
print(f"  speed-up with 2 workers: {runs[0] / runs[2]:.2f}x")

# -- histogram scaling ------------------------------------------------------------------------------
g = torch.Generator().manual_seed(0)
slices = (F.interpolate(base, size=(512, 512), mode="bilinear") - 1024).round().repeat(64, 1, 1, 1)
slices = slices + torch.randint(-20, 20, slices.shape, generator=g).float()
batch = TensorDicom(slices)
tfm = HistScaled()
fs = {"lamella HistScaled (one batch)": lambda: tfm(batch)}
if fastai_medical is not None:
    from fastai.torch_core import TensorBase as FTensorBase

    items = [FTensorBase(s[0].clone()) for s in slices]

    def fastai_items():
        return [o.hist_scaled() for o in items]

    fs["fastai Tensor.hist_scaled (per item)"] = fastai_items
    ours, ref = tfm(batch), torch.stack([torch.as_tensor(o) for o in fastai_items()])
    print(f"\nmax |ours - fastai| over the batch: {float((ours.as_plain()[:, 0] - ref).abs().max()):.2e}")
t = interleaved_s(fs, rounds=3)
b = t.pop("lamella HistScaled (one batch)")
report(
    "hist_scaled of 64 x 512x512 slices, CPU, 1 thread (fastest of 3)",
    "lamella HistScaled (one batch)",
    b * 1e3,
    {k: v * 1e3 for k, v in t.items()} | ({} if fastai_medical else {"fastai": None}),
    unit="ms",
)
