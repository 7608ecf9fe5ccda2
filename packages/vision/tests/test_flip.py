import numpy as np
import pytest
from PIL import Image

from lamella.typedtensor import TensorBBox, TensorPoint
from lamella.vision import DihedralItem, FlipItem, PILImage, PILMask, dihedral, flip_lr


def _scene():
    arr = np.zeros((6, 9, 3), dtype=np.uint8)
    arr[1, 2] = 255
    mask = np.zeros((6, 9), dtype=np.uint8)
    mask[1, 2] = 4
    return (
        PILImage(Image.fromarray(arr)),
        PILMask(Image.fromarray(mask)),
        TensorPoint([[2.5, 1.5]]),  # no img_size: taken from the image of the item
        TensorBBox([[2.0, 1.0, 3.0, 2.0]]),
    )


@pytest.mark.parametrize("tfm", [FlipItem(p=1.0), DihedralItem(p=1.0)], ids=["flip", "dihedral"])
def test_image_mask_points_and_boxes_move_together(tfm):
    for _ in range(12):
        img, mask, pts, box = tfm(_scene(), split_idx=0)
        x, y = (int(v) for v in pts[0].tolist())
        assert np.asarray(img.img)[y, x, 0] == 255 and np.asarray(mask.img)[y, x] == 4
        assert box[0].tolist() == [x, y, x + 1.0, y + 1.0] and pts.img_size == img.shape


def test_validation_items_are_left_alone_and_functions_match_tensors():
    img, *_ = _scene()
    assert FlipItem(p=1.0)(img, split_idx=1) is img
    flipped = np.asarray(flip_lr(img).img)
    assert flipped[1, 6, 0] == 255 and dihedral(img, 6).size == (6, 9)
    with pytest.raises(ValueError, match="k in 0..7"):
        dihedral(img, 8)
