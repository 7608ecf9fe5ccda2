"""Headers as a table: every element a column, pixel summaries, parallel reading, bad files as rows."""

import pandas as pd

from lamella.medical.core import dcmread, get_dicom_files
from lamella.medical.header import as_dict, from_dicoms


def test_as_dict_flattens_the_header(samples):
    d = as_dict(dcmread(samples / "CT_small.dcm"))
    assert d["Modality"] == "CT" and d["fname"].endswith("CT_small.dcm") and "PixelData" not in d
    assert d["MultiImagePositionPatient"] == 1 and isinstance(d["ImagePositionPatient2"], float)
    assert d["img_min"] < -800 < d["img_mean"] < d["img_max"] and 0 <= d["img_pct_window"] <= 1
    assert "img_min" not in as_dict(dcmread(samples / "CT_small.dcm"), px_summ=False)


def test_from_dicoms_in_parallel_gives_the_same_table(samples, tmp_path):
    files = get_dicom_files(samples)
    (tmp_path / "bad.dcm").write_text("not dicom")
    files = files + [tmp_path / "bad.dcm"]
    one = from_dicoms(files)
    two = from_dicoms(files, n_workers=2)
    assert len(one) == len(files) and "Modality" in one.columns and "img_mean" in one.columns
    pd.testing.assert_frame_equal(one, two)
    bad = one[one.fname == str(tmp_path / "bad.dcm")]
    assert "is not a DICOM file" in bad.read_error.iloc[0]
