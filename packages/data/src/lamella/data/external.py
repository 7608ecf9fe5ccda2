"""Downloading datasets: `download_url` and `untar_data`, with a cache, checksums and atomic steps.

Nothing half-done is ever used: a download goes to a `.part` file that is renamed only once it
is complete (and its checksum matches), and an archive is extracted into a temporary folder that
is renamed into place only once extraction succeeded. The cache lives in `~/.lamella` (move it
with the `LAMELLA_HOME` environment variable): archives in `archive/`, extracted data in `data/`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

__all__ = ["URLs", "download_url", "lamella_home", "load_pickle", "untar_data"]


class URLs:
    """Addresses of fastai's public sample datasets (the same archives fastai's `URLs` names).

    Offline, the small ones ship in `lamella-samples` (`lamella.samples.path("mnist_tiny")`).

    Examples:
        >>> URLs.MNIST_TINY.endswith("mnist_tiny.tgz")
        True
    """

    S3 = "https://s3.amazonaws.com/fast-ai-"
    MNIST_TINY = f"{S3}sample/mnist_tiny.tgz"
    MNIST_SAMPLE = f"{S3}sample/mnist_sample.tgz"
    ADULT_SAMPLE = f"{S3}sample/adult_sample.tgz"
    HUMAN_NUMBERS = f"{S3}sample/human_numbers.tgz"
    IMDB_SAMPLE = f"{S3}sample/imdb_sample.tgz"
    CAMVID_TINY = f"{S3}sample/camvid_tiny.tgz"
    ML_SAMPLE = f"{S3}sample/movie_lens_sample.tgz"
    PETS = f"{S3}imageclas/oxford-iiit-pet.tgz"
    IMAGENETTE_160 = f"{S3}imageclas/imagenette2-160.tgz"
    IMAGENETTE = f"{S3}imageclas/imagenette2.tgz"
    MNIST = f"{S3}imageclas/mnist_png.tgz"
    CIFAR = f"{S3}imageclas/cifar10.tgz"
    CAMVID = f"{S3}imagelocal/camvid.tgz"
    PASCAL_2007 = f"{S3}imagelocal/pascal_2007.tgz"
    PASCAL_2012 = f"{S3}imagelocal/pascal_2012.tgz"
    BIWI_SAMPLE = f"{S3}sample/biwi_sample.tgz"
    BIWI_HEAD_POSE = f"{S3}imagelocal/biwi_head_pose.tgz"
    COCO_TINY = f"{S3}sample/coco_tiny.tgz"
    COCO_SAMPLE = f"{S3}coco/coco_sample.tgz"
    IMDB = f"{S3}nlp/imdb.tgz"
    WIKITEXT_TINY = f"{S3}nlp/wikitext-2.tgz"
    WT103_FWD = f"{S3}modelzoo/wt103-fwd.tgz"
    WT103_BWD = f"{S3}modelzoo/wt103-bwd.tgz"
    ML_100k = "https://files.grouplens.org/datasets/movielens/ml-100k.zip"


def lamella_home() -> Path:
    """The cache folder: `$LAMELLA_HOME`, else `~/.lamella`.

    Examples:
        >>> lamella_home().name in (".lamella", os.environ.get("LAMELLA_HOME", "").rstrip("/").split("/")[-1])
        True
    """
    return Path(os.environ.get("LAMELLA_HOME", Path.home() / ".lamella")).expanduser()


def _checksum(path: Path, algo: str) -> str:
    h = hashlib.new(algo)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check(path: Path, checksum: str | None, url: str) -> None:
    if checksum is None:
        return
    algo, _, want = checksum.rpartition(":")
    got = _checksum(path, algo or "sha256")
    if got != want.lower():
        raise ValueError(
            f"{url} downloaded with {algo or 'sha256'} {got}, expected {want}: the file is corrupt or has "
            "changed upstream. Nothing was kept; retry, or pass the new checksum."
        )


def download_url(
    url: str, dest: str | Path, checksum: str | None = None, show_progress: bool = True, timeout: float = 30
) -> Path:
    """Download `url` to `dest` atomically, checking `checksum` (`"sha256:<hex>"` or `"md5:<hex>"`).

    Args:
        url: an `http(s)://` or `file://` address.
        dest: the file to write; its folder is created.
        checksum: the expected digest, `"algo:hex"` (sha256 when no algo is given).
        show_progress: print the progress to stderr.
        timeout: seconds to wait for the server.

    Raises:
        ConnectionError: the download failed (offline, not found...); the message says what to do.
        ValueError: the checksum did not match; nothing is left at `dest`.

    Examples:
        >>> src = Path(tempfile.mkdtemp()) / "a.txt"; _ = src.write_text("hi")
        >>> download_url(src.as_uri(), src.with_name("b.txt"), show_progress=False).read_text()
        'hi'
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp, open(part, "wb") as out:
            total, done = int(resp.headers.get("Content-Length") or 0), 0
            for block in iter(lambda: resp.read(1 << 20), b""):
                out.write(block)
                done += len(block)
                if show_progress:
                    pct = f" {100 * done / total:5.1f}%" if total else ""
                    print(f"\rdownloading {dest.name}: {done / 1e6:.1f} MB{pct}", end="", file=sys.stderr)
        if show_progress:
            print(file=sys.stderr)
        _check(part, checksum, url)
    except (urllib.error.URLError, OSError) as e:
        part.unlink(missing_ok=True)
        reason = (
            f"HTTP {e.code} {e.reason}" if isinstance(e, urllib.error.HTTPError) else getattr(e, "reason", e)
        )
        raise ConnectionError(
            f"could not download {url}: {reason}. Check the address and the network; offline, use a dataset "
            "shipped in lamella-samples (lamella.samples.path(...)) or a local copy."
        ) from e
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, dest)
    return dest


def _stem(url: str) -> str:
    name = url.rstrip("/").split("/")[-1]
    for ext in (".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar", ".zip"):
        if name.endswith(ext):
            return name[: -len(ext)]
    return name


def _extract(archive: Path, into: Path) -> None:
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as z:
                z.extractall(into)
        else:
            with tarfile.open(archive) as t:
                t.extractall(into, filter="data")  # refuses absolute paths and `..` escapes
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as e:
        raise ValueError(f"cannot extract {archive}: {e}. Delete it or pass force_download=True.") from e


def untar_data(
    url: str, data_dir: str | Path | None = None, force_download: bool = False, checksum: str | None = None
) -> Path:
    """Download (once) and extract (once) the archive at `url`; return the folder of its data.

    The archive is cached in `lamella_home()/archive` and extracted to `data_dir` (default
    `lamella_home()/data`) under its name without extension (`mnist_tiny.tgz` -> `mnist_tiny`).

    Args:
        url: the archive's address (`.tgz`, `.tar.*`, `.zip`; `file://` works).
        data_dir: where to extract.
        force_download: download and extract again even when cached.
        checksum: expected digest of the archive, `"sha256:<hex>"` or `"md5:<hex>"`.

    Examples:
        >>> import io
        >>> tmp = Path(tempfile.mkdtemp()); payload = b"3,7"
        >>> with tarfile.open(tmp / "tiny.tgz", "w:gz") as t:
        ...     info = tarfile.TarInfo("tiny/labels.csv"); info.size = len(payload)
        ...     t.addfile(info, io.BytesIO(payload))
        >>> path = untar_data((tmp / "tiny.tgz").as_uri(), data_dir=tmp / "data")
        >>> path.name, (path / "labels.csv").read_text()
        ('tiny', '3,7')
    """
    name = _stem(url)
    archive = lamella_home() / "archive" / url.rstrip("/").split("/")[-1]
    dest = Path(data_dir) if data_dir is not None else lamella_home() / "data"
    final = dest / name
    if final.exists() and not force_download:
        return final
    if force_download or not archive.exists():
        download_url(url, archive, checksum=checksum)
    else:
        _check(archive, checksum, url)
    dest.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=dest))
    try:
        _extract(archive, tmp)
        entries = list(tmp.iterdir())
        src = entries[0] if len(entries) == 1 and entries[0].is_dir() and entries[0].name == name else tmp
        if final.exists():
            shutil.rmtree(final)
        os.replace(src, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def load_pickle(fn: str | Path) -> Any:
    """Unpickle the file `fn` (fastai's `load_pickle`); like any pickle, only for a file you trust.

    Examples:
        >>> import pickle, tempfile
        >>> with tempfile.NamedTemporaryFile(suffix=".pkl", delete=False) as f: pickle.dump({"a": 1}, f)
        >>> load_pickle(f.name)
        {'a': 1}
    """
    import pickle

    with open(fn, "rb") as f:
        return pickle.load(f)
