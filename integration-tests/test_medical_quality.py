"""Issue 18's end-to-end bar: DICOM files to a trained classifier with fastai's SIIM lines, imports changed.

The shipped mnist_tiny PNGs (3s and 7s, 709 training images) are written as CT-like DICOM files by
pydicom: stored values offset by 1000 with a rescale intercept of -1000, so the model sees the digits'
0..255 only if the modality LUT is applied. The issue's lines train on them; accuracy must reach 0.95.
"""

import numpy as np
import pandas as pd
import pydicom
import torch
from PIL import Image
from pydicom.dataset import FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

import lamella.samples


def write_dicom(png, fn, uid_root="1.2.826.0.1.3680043.10.1234."):
    arr = np.asarray(Image.open(png).convert("L"), dtype=np.uint16) + 1000
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = pydicom.uid.CTImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid(uid_root)
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = pydicom.Dataset()
    ds.file_meta = meta
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.Modality, ds.PatientID, ds.SeriesInstanceUID = "CT", "mnist", generate_uid(uid_root)
    ds.Rows, ds.Columns = arr.shape
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    ds.RescaleSlope, ds.RescaleIntercept = 1, -1000
    ds.PixelData = arr.tobytes()
    ds.save_as(fn, enforce_file_format=True)


def test_dicom_classification_end_to_end(tmp_path):
    from lamella.medical.all import (
        CategoryBlock,
        ColReader,
        DataBlock,
        ImageBlock,
        PILDicom,
        RandomSplitter,
        Resize,
        accuracy,
        dcmread,
        get_dicom_files,
        resnet18,
        vision_learner,
    )  # fmt: skip

    mnist = lamella.samples.path("mnist_tiny")
    rows = []
    for digit in ("3", "7"):
        for png in sorted((mnist / "train" / digit).glob("*.png")):
            name = f"{digit}_{png.stem}.dcm"
            write_dicom(png, tmp_path / name)
            rows.append({"file": name, "label": digit})
    pd.DataFrame(rows).to_csv(tmp_path / "labels.csv", index=False)
    path = tmp_path
    torch.manual_seed(0)

    items = get_dicom_files(path)
    df = pd.read_csv(path / "labels.csv")
    dls = DataBlock(blocks=(ImageBlock(cls=PILDicom), CategoryBlock), get_x=ColReader("file", pref=path),
                    get_y=ColReader("label"), splitter=RandomSplitter(seed=42),
                    item_tfms=Resize(28)).dataloaders(df, bs=16, device="cpu")  # fmt: skip
    learn = vision_learner(dls, resnet18, n_in=1, metrics=accuracy, pretrained=False)
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(3)
    acc = float(learn.validate()[1])
    print(f"DICOM mnist 3 vs 7: accuracy {acc:.3f}")
    assert acc >= 0.95
    x, _ = dls.one_batch()
    # stored 1000..1255, rescaled by the intercept back to 0..255, and not divided by 255 either
    assert float(x.min()) == 0.0 and float(x.max()) == 255.0
    assert len(items) == 709 and dcmread(items[0]).RescaleIntercept == -1000
    label, _, probs = learn.predict(items[0])
    assert label == items[0].name[0] and probs.shape == (2,)
