"""The resampling kernels: the identity changes nothing, and images, masks, points and boxes move together."""

import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from lamella.data.augment import affine_bboxes, affine_image, affine_mask, affine_points, homography_grid


def _shift(dx: float, dy: float) -> torch.Tensor:
    """An output->input matrix that samples `(dx, dy)` (normalised units) away: the content moves by -d."""
    return torch.tensor([[[1.0, 0.0, dx], [0.0, 1.0, dy], [0.0, 0.0, 1.0]]])


@settings(max_examples=50, deadline=None)
@given(h=st.integers(1, 12), w=st.integers(1, 12), align=st.booleans())
def test_the_identity_gives_images_masks_and_points_back(h, w, align):
    grid = homography_grid(torch.eye(3)[None], (h, w), align)
    img = torch.rand(2, 3, h, w)
    assert torch.allclose(affine_image(img, grid.expand(2, h, w, 2), align_corners=align), img, atol=1e-5)
    mask = torch.randint(0, 5, (1, h, w))
    assert torch.equal(affine_mask(mask, grid, align_corners=align), mask)
    pts = torch.rand(1, 6, 2) * torch.tensor([w, h])
    assert torch.allclose(affine_points(pts, torch.eye(3)[None], (h, w), (h, w), align), pts, atol=1e-4)


def test_the_grid_is_affine_grids_for_affine_matrices():
    mat = torch.tensor([[[0.8, 0.2, 0.1], [-0.3, 1.1, -0.2], [0.0, 0.0, 1.0]]])
    for align in (True, False):
        expected = F.affine_grid(mat[:, :2], [1, 1, 5, 7], align_corners=align)
        assert torch.allclose(homography_grid(mat, (5, 7), align), expected, atol=1e-6)


def test_a_bright_pixel_and_its_point_and_box_move_together():
    h = w = 9
    img = torch.zeros(1, 1, h, w)
    img[0, 0, 4, 4] = 1.0  # pixel (x=4, y=4): its centre is (4.5, 4.5)
    mat = _shift(-0.5, 0.25)  # align_corners: 8 pixels per 2 units, so x +2 pixels, y -1 pixel
    out = affine_image(img, homography_grid(mat, (h, w)), mode="nearest", pad_mode="zeros")
    y, x = (int(v) for v in (out[0, 0] == 1).nonzero()[0])
    moved = affine_points(torch.tensor([[[4.5, 4.5]]]), mat, (h, w), (h, w))
    assert (x, y) == (6, 3) and torch.allclose(moved, torch.tensor([[[6.5, 3.5]]]), atol=1e-5)
    box = affine_bboxes(torch.tensor([[[4.0, 4.0, 5.0, 5.0]]]), mat, (h, w), (h, w))
    assert torch.allclose(box, torch.tensor([[[6.0, 3.0, 7.0, 4.0]]]), atol=1e-5)


def test_masks_keep_their_codes_and_integer_images_their_dtype():
    mask = torch.randint(0, 4, (2, 10, 10))
    grid = homography_grid(
        torch.tensor([[[0.7, 0.3, 0.1], [-0.2, 0.9, 0.0], [0.0, 0.0, 1.0]]]).repeat(2, 1, 1), (10, 10)
    )
    out = affine_mask(mask, grid)
    assert out.dtype == mask.dtype and set(out.unique().tolist()) <= set(mask.unique().tolist()) | {0}
    img = torch.randint(0, 256, (2, 3, 10, 10), dtype=torch.uint8)
    assert affine_image(img, grid).dtype == torch.uint8


def test_boxes_leaving_the_image_are_clipped_or_emptied():
    boxes = torch.tensor([[[1.0, 1.0, 3.0, 3.0], [6.0, 6.0, 8.0, 8.0]]])
    mat = _shift(0.75, 0.0)  # align_corners False, 8 wide: content moves 3 pixels left
    out = affine_bboxes(boxes, mat, (8, 8), (8, 8), align_corners=False)
    assert out[0, 0].tolist() == [0.0, 0.0, 0.0, 0.0]  # x from -2 to 0: no area left
    assert torch.allclose(out[0, 1], torch.tensor([3.0, 6.0, 5.0, 8.0]))
