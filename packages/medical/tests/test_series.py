"""Series: grouped by UID, ordered in space, problems reported, volumes stacked only when clean."""

import pydicom
import pytest

from lamella.medical.series import DicomSeriesError, dicom_series


def test_the_series_folder_groups_by_uid(samples):
    series = dicom_series(samples / "series")
    assert len(series) == 13 and sum(len(s) for s in series) == 31
    assert [s.uid for s in series] == sorted(s.uid for s in series)


def test_mr700_comes_out_in_anatomical_order_not_file_order(samples):
    (mr,) = dicom_series(samples / "series/98892003/MR700")
    assert [f.name for f in mr.files] != sorted(f.name for f in mr.files)
    assert [int(d.InstanceNumber) for d in mr.slices] == [7, 6, 5, 4, 3, 2, 1]
    assert mr.positions == sorted(mr.positions) and mr.spacing[0] == pytest.approx(25.9, abs=0.1)
    assert mr.problems and "not parallel" in mr.problems[0]  # a radial sweep: ordered, but no volume
    with pytest.raises(DicomSeriesError, match="not parallel"):
        mr.volume()
    assert tuple(mr.volume(strict=False).shape) == (7, 16, 16)


def test_a_clean_series_stacks_into_a_volume_with_its_spacing(samples):
    (ct,) = dicom_series(samples / "series/98892001/CT5N")
    vol = ct.volume()
    assert tuple(vol.shape) == (5, 16, 16) and ct.problems == []
    assert ct.spacing == pytest.approx((2.5, 0.488281, 0.488281), abs=1e-5)
    assert torch_equal_slices(vol, ct)


def torch_equal_slices(vol, series):
    return all((vol[i] == d.scaled_px).all() for i, d in enumerate(series.slices))


def test_a_missing_slice_is_reported_not_stacked(samples):
    (ct,) = dicom_series(samples / "series/77654033/CT2")
    assert [int(d.InstanceNumber) for d in ct.slices] == [18, 180, 181, 182]
    with pytest.raises(
        DicomSeriesError, match=r"gap between 17106 and 17136 is 202\.50 mm where the median is 1\.25"
    ):
        ct.volume()


def test_mixed_sizes_are_named(tmp_path, samples):
    (ct,) = dicom_series(samples / "series/98892001/CT5N")
    for i, d in enumerate(ct.slices):
        ds = pydicom.dcmread(d.filename)
        if i == 2:
            ds.PixelData = ds.pixel_array[:8, :8].tobytes()
            ds.Rows = ds.Columns = 8
        ds.save_as(tmp_path / f"s{i}.dcm")
    (s,) = dicom_series(tmp_path)
    assert any("mixed sizes" in p and "s2.dcm" in p for p in s.problems)
    with pytest.raises(DicomSeriesError, match="mixed sizes"):
        s.volume()
