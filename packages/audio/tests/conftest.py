"""Shared fixtures of the audio tests: the shipped spoken-digit recordings."""

import pytest

import lamella.samples


@pytest.fixture(scope="session")
def fsdd():
    """The `fsdd_subset` folder (600 WAVs, 8 kHz mono, official split by recording index)."""
    return lamella.samples.path("fsdd_subset")
