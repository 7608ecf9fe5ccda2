"""Reading DICOM: every sample file, the modality LUT, photometric interpretations, bad files."""

import numpy as np
import pydicom
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from pydicom.pixels import apply_modality_lut

from lamella.medical.core import DcmDataset, DicomReadError, dcmread, get_dicom_files, is_dicom


def test_every_sample_reads_and_scaled_px_is_pydicoms_modality_lut(samples):
    files = get_dicom_files(samples)
    assert len(files) == 41
    for f in files:
        dcm = dcmread(f)
        ref = apply_modality_lut(pydicom.dcmread(f).pixel_array, pydicom.dcmread(f))
        if dcm._is_colour():
            ref = pydicom.dcmread(f).pixel_array
        px = dcm.scaled_px
        assert px.dtype == torch.float32 and np.allclose(px.numpy(), ref), f


def test_ct_is_in_hounsfield_units(samples):
    dcm = dcmread(samples / "CT_small.dcm")
    raw, hu = dcm.pixels, dcm.scaled_px
    assert float(dcm.RescaleIntercept) == -1024 and torch.equal(hu, raw - 1024)
    assert -1100 < float(hu.min()) < -800 and float(hu.max()) < 3000  # air and bone where they belong


def test_encodings_give_the_same_image(samples):
    ref = dcmread(samples / "MR_small.dcm").scaled_px
    for name in ("MR_small_RLE.dcm", "MR_small_bigendian.dcm", "MR_small_implicit.dcm"):
        assert torch.equal(dcmread(samples / name).scaled_px, ref), name
    assert dcmread(samples / "image_dfl.dcm").shape == (512, 512)  # deflated


def test_colour_keeps_three_channels_and_frames_can_be_picked(samples):
    rgb = dcmread(samples / "examples_rgb_color.dcm")
    assert rgb.photometric == "RGB" and tuple(rgb.image_px().shape) == (240, 320, 3)
    dose = dcmread(samples / "rtdose.dcm")
    assert dose.n_frames == 15 and tuple(dose.scaled_px.shape) == (15, 10, 10)
    assert torch.equal(dose.scaled(frames=3), dose.scaled_px[3])
    assert tuple(dose.scaled(frames=[1, 2]).shape) == (2, 10, 10)
    with pytest.raises(IndexError, match="one frame"):
        dcmread(samples / "CT_small.dcm").scaled(frames=2)


def test_ybr_and_palette_colour_come_out_as_rgb(tmp_path, samples):
    from pydicom.pixels import convert_color_space

    ds = pydicom.dcmread(samples / "examples_rgb_color.dcm")
    rgb = ds.pixel_array
    ds.PixelData = convert_color_space(rgb, "RGB", "YBR_FULL").tobytes()
    ds.PhotometricInterpretation = "YBR_FULL"
    ds.save_as(tmp_path / "ybr.dcm")
    assert (
        np.abs(dcmread(tmp_path / "ybr.dcm").image_px().numpy() - rgb).max() <= 1
    )  # rounding of the round trip
    pal = pydicom.dcmread(samples / "MR_small.dcm")
    idx = (pal.pixel_array.astype(np.int32) * 255 // int(pal.pixel_array.max())).astype(np.uint8)
    pal.PixelData, pal.BitsAllocated, pal.BitsStored, pal.HighBit = idx.tobytes(), 8, 8, 7
    pal.PixelRepresentation, pal.PhotometricInterpretation = 0, "PALETTE COLOR"
    ramp = (np.arange(256, dtype=np.uint16) * 257).tobytes()
    for c in ("Red", "Green", "Blue"):
        setattr(pal, f"{c}PaletteColorLookupTableDescriptor", [256, 0, 16])
        pal[f"{c}PaletteColorLookupTableDescriptor"].VR = "US"
        setattr(pal, f"{c}PaletteColorLookupTableData", ramp)
    pal.save_as(tmp_path / "palette.dcm")
    out = dcmread(tmp_path / "palette.dcm").image_px()
    assert tuple(out.shape) == (64, 64, 3) and torch.equal(out[..., 0], torch.from_numpy(idx * 257.0).float())


def test_monochrome1_is_inverted_for_viewing(samples):
    (cr,) = get_dicom_files(samples / "series/77654033/CR1")
    dcm = dcmread(cr)
    assert dcm.photometric == "MONOCHROME1"
    px, img = dcm.scaled_px, dcm.image_px()
    assert torch.allclose(img, px.max() + px.min() - px)


def test_voi_window_from_the_header_when_asked(samples):
    dcm = dcmread(samples / "examples_overlay.dcm")
    plain, voi = dcm.image_px(), dcm.image_px(voi=True)
    # the header's window (centre 450, width 200) stretched over the stored range, as pydicom's apply_voi_lut
    assert not torch.equal(plain, voi) and float(voi.max()) == 2 ** int(dcm.BitsStored) - 1
    assert float((voi == 0).float().mean()) > float((plain == 0).float().mean())


def test_header_reads_through_and_pydicom_is_untouched(samples):
    dcm = dcmread(samples / "CT_small.dcm")
    assert dcm.PatientName == dcm.dataset.PatientName and dcm["Modality"].value == "CT" and "Rows" in dcm
    assert not hasattr(pydicom.Dataset, "scaled_px") and not hasattr(pydicom.Dataset, "windowed")
    assert isinstance(dcmread((samples / "CT_small.dcm").read_bytes()), DcmDataset)


def test_get_dicom_files_skips_foreign_files(tmp_path, samples):
    (tmp_path / "notes.txt").write_text("not an image")
    (tmp_path / "noext").write_bytes(b"\x00" * 200)
    (tmp_path / "scan").write_bytes((samples / "CT_small.dcm").read_bytes())
    (tmp_path / "a.DCM").write_bytes((samples / "MR_small.dcm").read_bytes())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "tiny").write_bytes(b"DICM")
    assert [f.name for f in get_dicom_files(tmp_path)] == ["a.DCM", "scan"]
    assert not is_dicom(tmp_path / "missing") and not is_dicom(tmp_path / "sub")


def test_bad_files_say_what_is_wrong(tmp_path, samples):
    (tmp_path / "x.dcm").write_text("plain text")
    with pytest.raises(DicomReadError, match=r"x\.dcm is not a DICOM file"):
        dcmread(tmp_path / "x.dcm")
    data = (samples / "CT_small.dcm").read_bytes()
    (tmp_path / "cut.dcm").write_bytes(data[: len(data) // 2])
    with pytest.raises(DicomReadError, match=r"cut\.dcm.*truncated or damaged"):
        _ = dcmread(tmp_path / "cut.dcm").pixels
    ds = pydicom.dcmread(samples / "CT_small.dcm")
    del ds.PixelData
    ds.save_as(tmp_path / "header.dcm")
    with pytest.raises(DicomReadError, match=r"header\.dcm: the DICOM file has no pixel data"):
        _ = dcmread(tmp_path / "header.dcm").scaled_px


def test_compressed_data_without_a_decoder_names_the_extra(tmp_path, samples):
    from pydicom.encaps import encapsulate
    from pydicom.uid import JPEGLSLossless

    ds = pydicom.dcmread(samples / "MR_small.dcm")
    ds.file_meta.TransferSyntaxUID = JPEGLSLossless
    ds.PixelData = encapsulate([b"\xff\xd8 not really JPEG-LS \xff\xd9"])
    ds["PixelData"].VR = "OB"
    ds.save_as(tmp_path / "jls.dcm", enforce_file_format=True)
    try:
        import pylibjpeg  # noqa: F401

        pytest.skip("the JPEG decoders are installed here")
    except ImportError:
        pass
    with pytest.raises(DicomReadError, match=r"jls\.dcm.*JPEG-LS Lossless.*lamella-medical\[jpeg\]"):
        _ = dcmread(tmp_path / "jls.dcm").pixels


def test_zoom_to_rewrites_the_pixels(samples):
    dcm = dcmread(samples / "CT_small.dcm")
    small = dcm.zoom_to((64, 32))
    assert small.shape == (64, 32) and small.pixel_array().dtype == dcm.pixel_array().dtype
    assert dcm.shape == (128, 128)  # the original is untouched
    assert abs(float(small.scaled_px.mean()) - float(dcm.scaled_px.mean())) < 20


def test_a_dicom_pickles_for_worker_processes(samples):
    import pickle

    dcm = pickle.loads(pickle.dumps(dcmread(samples / "CT_small.dcm")))
    assert dcm.Modality == "CT" and torch.equal(dcm.scaled_px, dcmread(samples / "CT_small.dcm").scaled_px)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([b"", b"\x00" * 128 + b"DICM"]))
def test_random_bytes_are_a_dicom_error_naming_the_file(tmp_path_factory, data, preamble):
    fn = tmp_path_factory.mktemp("bytes") / "scan.dcm"
    fn.write_bytes(preamble + data)
    try:
        px = dcmread(fn).pixels
    except DicomReadError as e:
        assert "scan.dcm" in str(e)
    else:  # the bytes made a real image after all
        assert px.ndim >= 2 and torch.isfinite(px.float()).all()


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, 0.99])
def test_a_truncated_sample_names_the_file_or_reads_whole_pixels(tmp_path, samples, cut):
    for src in sorted(samples.glob("*.dcm"))[:4]:
        data = src.read_bytes()
        fn = tmp_path / f"cut_{src.name}"
        fn.write_bytes(data[: int(len(data) * cut)])
        try:
            px = dcmread(fn).pixels
        except DicomReadError as e:
            assert f"cut_{src.name}" in str(e)
        else:  # the cut took trailing bytes after the pixels only: the image must be whole
            assert torch.equal(px, dcmread(src).pixels), f"{src.name} cut to {cut} reads other pixels"


def test_a_cut_deflated_dicom_is_named(tmp_path):
    import lamella.samples

    data = (lamella.samples.path("dicom_samples") / "image_dfl.dcm").read_bytes()
    (tmp_path / "cut.dcm").write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(DicomReadError, match="cut.dcm: Error -5 while decompressing"):
        dcmread(tmp_path / "cut.dcm")
