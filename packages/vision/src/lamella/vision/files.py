"""Image files on disk: find the broken ones, shrink a folder, download a list of URLs (fastai's helpers).

Downloads use the standard library (`urllib`), in a thread pool, each file written under a
temporary name and renamed when complete, so an interrupted run leaves no half-written image.
"""

from __future__ import annotations

import os
import tempfile
import urllib.request
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image

from .image import get_image_files, load_image

__all__ = ["download_images", "resize_images", "verify_image", "verify_images"]


def verify_image(fn: str | Path) -> bool:
    """Whether `fn` opens and decodes as an image.

    Examples:
        >>> import lamella.samples
        >>> verify_image(lamella.samples.path("mnist_tiny") / "labels.csv")
        False
    """
    try:
        load_image(fn)
    except ValueError:
        return False
    return True


def verify_images(fns: Iterable[str | Path]) -> list[Path]:
    """The files of `fns` that are not readable images, as fastai's (`failed = ...`, then unlink them).

    Examples:
        >>> import lamella.samples
        >>> verify_images(get_image_files(lamella.samples.path("mnist_tiny") / "valid" / "3")[:5])
        []
    """
    return [Path(fn) for fn in fns if not verify_image(fn)]


def resize_images(
    path: str | Path,
    max_size: int,
    dest: str | Path,
    recurse: bool = False,
    resample: int = Image.Resampling.BILINEAR,
) -> list[Path]:
    """Copy the images under `path` to `dest` (same sub-folders), shrunk so neither side exceeds `max_size`.

    Images already small enough are copied as they are; unreadable files are skipped. Returns the
    written files.

    Examples:
        >>> root = Path(tempfile.mkdtemp()); (root / "photos").mkdir()
        >>> Image.new("RGB", (800, 600)).save(root / "photos" / "big.jpg")
        >>> out = resize_images(root / "photos", 400, root / "photos_400")
        >>> with Image.open(out[0]) as im: [p.name for p in out], im.size
        (['big.jpg'], (400, 300))
    """
    path, dest = Path(path), Path(dest)
    written = []
    for fn in get_image_files(path, recurse=recurse):
        try:
            img = load_image(fn)
        except ValueError:
            continue
        if max(img.size) > max_size:
            img.thumbnail((max_size, max_size), Image.Resampling(resample))
        out = dest / fn.relative_to(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        img.save(out)
        written.append(out)
    return written


def _download(url: str, dest: Path, timeout: float) -> Path | None:
    suffix = Path(url.split("?")[0]).suffix.lower()
    out = dest.with_suffix(suffix if suffix in (".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp") else ".jpg")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as f, urllib.request.urlopen(url, timeout=timeout) as resp:
            f.write(resp.read())
        os.replace(tmp, out)
        return out
    except (OSError, ValueError):  # unreachable, refused, timed out, or not a URL: skip it, as fastai
        if os.path.exists(tmp):
            os.remove(tmp)
        return None


def download_images(
    dest: str | Path, url_file: str | Path | None = None, urls: Sequence[str] | None = None,
    max_pics: int = 1000, n_workers: int = 8, timeout: float = 4.0,
) -> list[Path]:  # fmt: skip
    """Download the images at `urls` (or listed one per line in `url_file`) into `dest`, as fastai's.

    Files are named by position (`00000000.jpg`...); failed downloads are skipped. Returns the
    files written. Check them with `verify_images` afterwards: a URL may serve something else.

    Examples:
        >>> download_images("bears", urls=["https://example.com/bear.jpg"])  # downloads  # doctest: +SKIP
    """
    if urls is None:
        if url_file is None:
            raise ValueError("download_images needs urls= or url_file=")
        urls = [u.strip() for u in Path(url_file).read_text().splitlines() if u.strip()]
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    jobs = [(u, dest / f"{i:08d}") for i, u in enumerate(list(urls)[:max_pics])]
    with ThreadPoolExecutor(max(1, n_workers)) as pool:
        done = list(pool.map(lambda job: _download(job[0], job[1], timeout), jobs))
    return [p for p in done if p is not None]
