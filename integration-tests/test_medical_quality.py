"""Issue 18's end-to-end bar: DICOM files to a trained classifier with fastai's SIIM lines, imports changed.

The shipped mnist_tiny PNGs (3s and 7s, 709 training images) are written as CT-like DICOM files by
pydicom: stored values offset by 1000 with a rescale intercept of -1000, so the model sees the digits'
0..255 only if the modality LUT is applied. The medical tutorial's lines (fastai's SIIM lines,
imports changed) train on them; accuracy must reach 0.95. `write_dicom` also serves test_end_to_end.
"""

import numpy as np
import pydicom
import pytest
from pages import run_page
from PIL import Image
from pydicom.dataset import FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid


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


@pytest.mark.slow
def test_the_tutorials_scans_train_to_ninety_five_percent(tmp_path, monkeypatch, seed, threshold):
    """The medical tutorial, run here (and only here) from its page: SIIM's lines on mnist_tiny as CT."""
    from lamella.medical import dcmread

    monkeypatch.chdir(tmp_path)  # the page names its files relative to where it ran
    page = run_page("docs/tutorials/medical.md", tmp_path, seed)
    dls, learn, scans, labels = page["dls"], page["learn"], tmp_path / page["scans"], page["labels"]
    x, _ = dls.one_batch()
    # stored 1000..1255, rescaled by the intercept back to 0..255, and not divided by 255 either
    assert float(x.min()) == 0.0 and float(x.max()) == 255.0
    assert len(labels) == 709 and dcmread(scans / labels.file.iloc[0]).RescaleIntercept == -1000
    label, _, probs = learn.predict(scans / labels.file.iloc[0])
    assert label == labels.label.iloc[0] and probs.shape == (2,)
    threshold(page["acc"], above=0.95, name="accuracy")  # 3s and 7s: chance is 0.5
