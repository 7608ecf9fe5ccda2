import hashlib
import http.server
import io
import socket
import tarfile
import threading
import zipfile
from functools import partial

import pytest

from lamella.data import URLs, download_url, lamella_home, untar_data


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("LAMELLA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def make_tgz(path, top="tiny", files=None):
    files = files or {"labels.csv": b"name,label\na.png,3\n", "train/3/a.png": b"\x89PNG"}
    with tarfile.open(path, "w:gz") as t:
        for name, data in files.items():
            info = tarfile.TarInfo(f"{top}/{name}" if top else name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def server(tmp_path):
    """A file server on loopback, serving tmp_path/www."""
    root = tmp_path / "www"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = partial(Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_home_follows_the_environment(home):
    assert lamella_home() == home


def test_untar_from_a_loopback_server_is_cached(server, tmp_path):
    root, base = server
    make_tgz(root / "tiny.tgz")
    path = untar_data(f"{base}/tiny.tgz")
    assert path == lamella_home() / "data" / "tiny"
    assert (path / "labels.csv").read_text().startswith("name,label")
    (root / "tiny.tgz").unlink()  # a second call needs neither the server nor a download
    assert untar_data(f"{base}/tiny.tgz") == path


def test_force_download_refreshes(tmp_path):
    src = make_tgz(tmp_path / "tiny.tgz")
    path = untar_data(src.as_uri(), data_dir=tmp_path / "data")
    make_tgz(src, files={"labels.csv": b"new"})
    assert (untar_data(src.as_uri(), data_dir=tmp_path / "data") / "labels.csv").read_text() != "new"
    assert (
        untar_data(src.as_uri(), data_dir=tmp_path / "data", force_download=True) / "labels.csv"
    ).read_text() == "new"
    assert path.exists()


def test_archive_without_a_top_folder_and_zip(tmp_path):
    flat = make_tgz(tmp_path / "flat.tar.gz", top=None)
    assert (untar_data(flat.as_uri(), data_dir=tmp_path / "d") / "labels.csv").exists()
    z = tmp_path / "z.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("z/a.txt", "A")
    assert (untar_data(z.as_uri(), data_dir=tmp_path / "d") / "a.txt").read_text() == "A"


def test_checksum(tmp_path):
    src = make_tgz(tmp_path / "tiny.tgz")
    good = "sha256:" + hashlib.sha256(src.read_bytes()).hexdigest()
    assert untar_data(src.as_uri(), data_dir=tmp_path / "ok", checksum=good).exists()
    md5 = "md5:" + hashlib.md5(src.read_bytes()).hexdigest()
    assert download_url(src.as_uri(), tmp_path / "copy.tgz", checksum=md5, show_progress=False).exists()
    with pytest.raises(ValueError, match="is corrupt or has changed upstream"):
        download_url(src.as_uri(), tmp_path / "bad.tgz", checksum="sha256:" + "0" * 64, show_progress=False)
    assert not (tmp_path / "bad.tgz").exists() and not (tmp_path / "bad.tgz.part").exists()


def test_a_leftover_partial_download_is_never_used(tmp_path, home):
    src = make_tgz(tmp_path / "tiny.tgz")
    (home / "archive").mkdir(parents=True)
    (home / "archive" / "tiny.tgz.part").write_bytes(b"half an archive")
    path = untar_data(src.as_uri(), data_dir=tmp_path / "data")
    assert (path / "labels.csv").exists() and not (home / "archive" / "tiny.tgz.part").exists()


def test_offline_gives_a_clear_error_and_leaves_nothing(tmp_path):
    with socket.socket() as s:  # a loopback port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(
        ConnectionError, match=rf"could not download http://127.0.0.1:{port}/x.tgz: .*offline"
    ):
        untar_data(f"http://127.0.0.1:{port}/x.tgz", data_dir=tmp_path / "data")
    assert not list((lamella_home() / "archive").glob("*"))
    assert not (tmp_path / "data" / "x").exists()


def test_missing_file_on_the_server(server, tmp_path):
    _, base = server
    with pytest.raises(ConnectionError, match="nope.tgz: HTTP 404"):
        download_url(f"{base}/nope.tgz", tmp_path / "nope.tgz", show_progress=False)


def test_corrupt_archive_leaves_no_half_extracted_folder(tmp_path):
    bad = tmp_path / "broken.tgz"
    bad.write_bytes(b"this is not a tar file")
    with pytest.raises(ValueError, match="cannot extract .*broken.tgz"):
        untar_data(bad.as_uri(), data_dir=tmp_path / "data")
    assert list((tmp_path / "data").iterdir()) == []


def test_archive_escaping_its_folder_is_refused(tmp_path):
    evil = make_tgz(tmp_path / "evil.tgz", top=None, files={"../outside.txt": b"x"})
    with pytest.raises(ValueError, match="cannot extract"):
        untar_data(evil.as_uri(), data_dir=tmp_path / "data")
    assert not (tmp_path / "outside.txt").exists()


def test_progress_goes_to_stderr(tmp_path, capsys):
    src = make_tgz(tmp_path / "tiny.tgz")
    download_url(src.as_uri(), tmp_path / "out.tgz")
    assert "downloading out.tgz" in capsys.readouterr().err


def test_urls_are_fastais_names():
    assert URLs.MNIST_TINY.endswith("/mnist_tiny.tgz") and URLs.PETS.endswith("oxford-iiit-pet.tgz")
