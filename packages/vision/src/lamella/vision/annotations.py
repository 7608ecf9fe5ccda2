"""`get_annotations`: the boxes and labels of a COCO-style JSON file, per image (fastai's name and shape)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["get_annotations"]


def get_annotations(
    fname: str | Path, prefix: str | None = None
) -> tuple[list[str], list[tuple[list, list]]]:
    """Read COCO annotations: `(image file names, [(boxes, labels) per image])`.

    Boxes come as `[x1, y1, x2, y2]` in pixels (COCO stores `[x, y, width, height]`); labels are
    the category names. `prefix` is put before every file name. Images without annotations are left out.

    Examples:
        >>> import json, tempfile
        >>> coco = {"images": [{"id": 1, "file_name": "a.jpg"}], "categories": [{"id": 3, "name": "cell"}],
        ...         "annotations": [{"image_id": 1, "category_id": 3, "bbox": [10, 20, 30, 40]}]}
        >>> fname = Path(tempfile.mkdtemp()) / "train.json"; _ = fname.write_text(json.dumps(coco))
        >>> images, lbl_bbox = get_annotations(fname)
        >>> images, lbl_bbox[0]
        (['a.jpg'], ([[10, 20, 40, 60]], ['cell']))
    """
    data: dict[str, Any] = json.loads(Path(fname).read_text())
    for key in ("images", "annotations", "categories"):
        if key not in data:
            raise ValueError(f"{fname} is not a COCO annotation file: it has no '{key}' list")
    names = {c["id"]: c["name"] for c in data["categories"]}
    files = {img["id"]: (prefix or "") + img["file_name"] for img in data["images"]}
    per_image: dict[Any, tuple[list, list]] = {}
    for a in data["annotations"]:
        x, y, w, h = a["bbox"]
        boxes, labels = per_image.setdefault(a["image_id"], ([], []))
        boxes.append([x, y, x + w, y + h])
        labels.append(names[a["category_id"]])
    ids = [i for i in files if i in per_image]
    return [files[i] for i in ids], [per_image[i] for i in ids]
