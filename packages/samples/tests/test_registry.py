import pytest

import lamella.samples as samples

SHIPPED = [
    "adult_sample",
    "bccd",
    "dicom_samples",
    "fsdd_subset",
    "human_numbers",
    "mnist_tiny",
    "sklearn_digits",
    "wikitext2_raw_small",
]


def test_names_lists_every_shipped_dataset():
    assert samples.names() == SHIPPED
    assert not set(samples.names()) & set(samples.NOT_SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_each_shipped_dataset_has_data_and_origin(name):
    p = samples.path(name)
    readme = (p / "README.md").read_text()
    assert "icens" in readme and "rigin" in readme
    assert len(list(p.iterdir())) > 1


def test_mnist_tiny_layout():
    p = samples.path("mnist_tiny")
    assert len(list((p / "train" / "3").glob("*.png"))) == 346
    assert len(list((p / "valid" / "7").glob("*.png"))) == 353


def test_unknown_name_lists_what_exists():
    with pytest.raises(KeyError, match="mnist_tiny"):
        samples.path("cifar")


def test_not_shipped_found_through_env(tmp_path, monkeypatch):
    (tmp_path / "ml_100k").mkdir()
    monkeypatch.setenv("LAMELLA_SHARED_DATA", str(tmp_path))
    assert samples.path("ml_100k") == tmp_path / "ml_100k"


def test_not_shipped_missing_says_why(tmp_path, monkeypatch):
    monkeypatch.delenv("LAMELLA_SHARED_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(samples.SampleNotAvailable, match="GroupLens forbids"):
        samples.path("ml_100k")


def test_the_working_directory_is_not_searched(tmp_path, monkeypatch):
    # An installed package must answer the same wherever it is called from (issue 15).
    (tmp_path / "shared" / "data" / "ml_100k").mkdir(parents=True)
    monkeypatch.delenv("LAMELLA_SHARED_DATA", raising=False)
    monkeypatch.chdir(tmp_path / "shared")
    with pytest.raises(samples.SampleNotAvailable, match="LAMELLA_SHARED_DATA"):
        samples.path("ml_100k")


def test_available_says_what_path_will_find(tmp_path, monkeypatch):
    monkeypatch.delenv("LAMELLA_SHARED_DATA", raising=False)
    assert samples.available("mnist_tiny") and not samples.available("ml_100k")
    assert not samples.available("cifar")  # unknown: no error, just not available
    (tmp_path / "ml_100k").mkdir()
    monkeypatch.setenv("LAMELLA_SHARED_DATA", str(tmp_path))
    assert samples.available("ml_100k") and samples.path("ml_100k") == tmp_path / "ml_100k"
