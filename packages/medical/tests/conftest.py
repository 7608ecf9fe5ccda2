"""Shared fixtures of the medical tests: pydicom's sample files shipped in lamella-samples."""

import pytest

import lamella.samples


@pytest.fixture(scope="session")
def samples():
    """The `dicom_samples` folder (CT, MR in four encodings, RGB ultrasound, SEG, RTDOSE, series)."""
    return lamella.samples.path("dicom_samples")
