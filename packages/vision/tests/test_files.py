import http.server
import io
import threading
from functools import partial

import pytest
from PIL import Image

from lamella.vision import download_images, resize_images, verify_images


def _png(size=(40, 30)):
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def server(tmp_path):
    """A local web server with two images and a broken file (this machine has no internet)."""
    root = tmp_path / "www"
    root.mkdir()
    (root / "one.png").write_bytes(_png())
    (root / "two.png").write_bytes(_png((10, 10)))
    (root / "broken.jpg").write_bytes(b"not an image")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = partial(Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_download_then_verify_then_resize(server, tmp_path):
    urls = [f"{server}/one.png", f"{server}/missing.png", f"{server}/broken.jpg", f"{server}/two.png"]
    (tmp_path / "urls.txt").write_text("\n".join(urls))
    got = download_images(tmp_path / "bears", url_file=tmp_path / "urls.txt", n_workers=2)
    assert sorted(p.name for p in got) == ["00000000.png", "00000002.jpg", "00000003.png"]  # the 404 skipped
    assert not [p for p in (tmp_path / "bears").iterdir() if p.name.startswith(".")]  # no partial file left
    failed = verify_images(got)
    assert [p.name for p in failed] == ["00000002.jpg"]
    failed[0].unlink()
    out = resize_images(tmp_path / "bears", 20, tmp_path / "small")
    sizes = []
    for p in out:
        with Image.open(p) as im:
            sizes.append(im.size)
    sizes.sort()
    assert sizes == [(10, 10), (20, 15)]
