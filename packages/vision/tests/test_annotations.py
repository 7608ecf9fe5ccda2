import json

import pytest

from lamella.vision import get_annotations


def test_coco_boxes_become_corners_per_image(tmp_path):
    coco = {
        "images": [
            {"id": 1, "file_name": "a.jpg"},
            {"id": 2, "file_name": "b.jpg"},
            {"id": 3, "file_name": "c.jpg"},
        ],
        "categories": [{"id": 7, "name": "chair"}, {"id": 9, "name": "tv"}],
        "annotations": [
            {"image_id": 1, "bbox": [10, 20, 5, 6], "category_id": 7},
            {"image_id": 1, "bbox": [0, 0, 1, 1], "category_id": 9},
            {"image_id": 2, "bbox": [3, 4, 10, 10], "category_id": 9},
        ],
    }
    fn = tmp_path / "train.json"
    fn.write_text(json.dumps(coco))
    images, lbl_bbox = get_annotations(fn, prefix="train/")
    assert images == ["train/a.jpg", "train/b.jpg"]  # c.jpg has no annotation
    assert lbl_bbox[0] == ([[10, 20, 15, 26], [0, 0, 1, 1]], ["chair", "tv"])
    fn.write_text(json.dumps({"images": []}))
    with pytest.raises(ValueError, match="no 'annotations' list"):
        get_annotations(fn)
