"""Streamed shards against loose files, and how long a resume takes to its first batch.

Targets (issue 29): images per second of a shuffled epoch read from WebDataset shards
(`ShardedItems`, through wids) at least 1.0x the same images as loose files through
`ImageDataLoaders`-style folders; the time from `resume` at 10%, 50% and 90% of an epoch to its
first batch flat (not growing with the position). 4,000 JPEGs of odd sizes around 96 pixels,
decoded, resized to 64, batched by 64 on the CPU, `num_workers=0`, fastest of 3 interleaved rounds.
The shards' JPEGs stay bytes (the default `decode="basic"`) for `ImageBlock` to decode, as the
loose files are; wids' own PIL decoding before it (`decode="PIL"`) cost about 8% (0.92x measured).
A peer that streams the same shards (webdataset's own pipeline, sequential within shards) is
timed in the same run for reference.
Run: .venv-bench/bin/python tools/bench/streamed_data.py
"""

import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from common import interleaved_s
from PIL import Image

from lamella.data import CategoryBlock, DataBlock, RandomSplitter, ShardedItems, write_shards
from lamella.vision import ImageBlock, ImageDataLoaders, Resize

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
N, BS = 4000, 64


def make_images(root: Path) -> list[Path]:
    rng = np.random.default_rng(0)
    files = []
    for i in range(N):
        h, w = int(rng.integers(80, 112)), int(rng.integers(80, 112))
        label = "even" if i % 2 == 0 else "odd"
        (root / label).mkdir(parents=True, exist_ok=True)
        f = root / label / f"{i:05d}.jpg"
        Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).save(f, quality=90)
        files.append(f)
    return files


def epoch(dl) -> int:
    return sum(len(b[0]) for b in dl)


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    files = make_images(tmp / "images")
    samples = ({"__key__": f"{f.parent.name}_{f.stem}", "jpg": f, "txt": f.parent.name} for f in files)
    write_shards(samples, tmp / "shards", maxcount=500)
    loose = ImageDataLoaders.from_folder(tmp / "images", valid_pct=0.0, item_tfms=Resize(64), bs=BS,
                                         seed=0, device="cpu").train  # fmt: skip
    dblock = DataBlock(blocks=(ImageBlock, CategoryBlock),
                       get_items=lambda f: ShardedItems(f, cache_shards=2),  # JPEG bytes: ImageBlock decodes
                       get_x=lambda s: s["jpg"], get_y=lambda s: s["txt"],
                       splitter=RandomSplitter(0.0, seed=0), item_tfms=Resize(64))  # fmt: skip
    streamed = dblock.dataloaders(tmp / "shards", bs=BS, seed=0, device="cpu").train
    fs = {
        "loose files (ImageDataLoaders)": lambda: epoch(loose),
        "shards (ShardedItems)": lambda: epoch(streamed),
    }
    try:
        import webdataset as wds

        def peer():  # webdataset's own streaming pipeline, decoding to PIL and resizing the same way
            urls = sorted(str(p) for p in (tmp / "shards").glob("*.tar"))
            ds = wds.WebDataset(urls, shardshuffle=False).decode("pil").to_tuple("jpg", "txt")
            ds = ds.map_tuple(
                lambda im: torch.from_numpy(np.asarray(im.convert("RGB").resize((64, 64)))), str
            )
            return sum(len(b[0]) for b in torch.utils.data.DataLoader(ds, batch_size=BS))

        fs["webdataset pipeline (peer)"] = peer
    except ImportError:
        pass
    times = interleaved_s(fs, rounds=3)
    base = times["loose files (ImageDataLoaders)"]
    print(f"\nimages/s of a shuffled epoch, {N} JPEGs ~96 px -> 64, bs={BS}, num_workers=0 (fastest of 3)")
    for name, t in times.items():
        print(f"  {name:34s} {N / t:8.0f} images/s   {base / t:5.2f}x the loose files' speed")

    print("\ntime from resume() to the first batch (shards; fastest of 5)")
    n_batches = len(streamed)
    for pct in (0.1, 0.5, 0.9):
        best = float("inf")
        for _ in range(5):
            streamed.resume(12345, int(n_batches * pct))
            start = time.perf_counter()
            next(iter(streamed))
            best = min(best, time.perf_counter() - start)
        print(f"  at {pct:4.0%} of the epoch: {best * 1e3:7.1f} ms")


if __name__ == "__main__":
    main()
