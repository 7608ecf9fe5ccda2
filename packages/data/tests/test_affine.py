import pickle

import pytest
import torch
import torch.nn.functional as F

from lamella.data import DataLoader
from lamella.data.augment import (
    AffineCoordTfm,
    CropPadBatch,
    Dihedral,
    Flip,
    RandomResizedCropGPU,
    ResizeBatch,
    Rotate,
    Warp,
    Zoom,
    affine_bboxes,
    affine_points,
    setup_aug_tfms,
)
from lamella.typedtensor import TensorBBox, TensorImage, TensorMask, TensorPoint


@pytest.fixture
def count_grid_sample(monkeypatch):
    calls = []
    real = F.grid_sample

    def counting(*args, **kwargs):
        calls.append(kwargs.get("mode"))
        return real(*args, **kwargs)

    monkeypatch.setattr(F, "grid_sample", counting)
    return calls


def run(tfms, b, split_idx=0):
    for t in tfms:
        b = t(b, split_idx=split_idx)
    return b


def test_a_chain_of_affine_transforms_resamples_once(count_grid_sample):
    chain = [Flip(p=0.5), Warp(p=0.75), Rotate(p=0.75), Zoom(max_zoom=1.2, p=0.75)]
    merged = setup_aug_tfms(chain)
    assert len(merged) == 1
    img, mask = TensorImage(torch.rand(4, 3, 32, 32)), TensorMask(torch.randint(0, 3, (4, 32, 32)))
    out_img, out_mask = run(merged, (img, mask))
    assert count_grid_sample == ["bilinear", "nearest"]  # one per target type, whatever the chain length
    assert type(out_img) is TensorImage and type(out_mask) is TensorMask and out_mask.dtype == mask.dtype


def test_aug_transforms_in_a_dataloader_resample_once_per_batch(count_grid_sample):
    ds = [(TensorImage(torch.rand(3, 16, 16)),) for _ in range(8)]
    dl = DataLoader(ds, bs=4, after_batch=[Flip(), Rotate(), Zoom(max_zoom=1.3), Warp()])
    assert [type(t).__name__ for t in dl.after_batch.fs] == ["AffineCoordTfm"]
    dl.after_batch.split_idx = 0
    list(dl)
    assert count_grid_sample == ["bilinear", "bilinear"]


@pytest.mark.parametrize("align_corners", [True, False])
def test_identity_parameters_give_the_input_back(align_corners):
    img = TensorImage(torch.rand(2, 3, 16, 12))
    tfms = setup_aug_tfms([Rotate(max_deg=0, p=1.0, align_corners=align_corners),
                           Zoom(1.0, 1.0, p=1.0, align_corners=align_corners),
                           Warp(magnitude=0.0, p=1.0, align_corners=align_corners)])  # fmt: skip
    torch.testing.assert_close(run(tfms, img).as_plain(), img.as_plain(), atol=1e-5, rtol=0)


def test_seed_reproduces_the_batch():
    img = TensorImage(torch.rand(6, 3, 16, 16))

    def once():
        return run(setup_aug_tfms([Flip(seed=1), Rotate(p=1.0, seed=2), Warp(p=1.0, seed=3)]), img)

    a, b = once(), once()
    assert torch.equal(a, b)
    other = run(setup_aug_tfms([Flip(seed=1), Rotate(p=1.0, seed=9), Warp(p=1.0, seed=3)]), img)
    assert not torch.equal(a, other)


def test_each_item_gets_its_own_parameters():
    img = TensorImage(torch.rand(1, 3, 16, 16).expand(8, 3, 16, 16).clone())
    out = Rotate(max_deg=45, p=1.0, seed=0)(img, split_idx=0)
    assert len({round(float(o.sum()), 3) for o in out}) == 8


def test_augmentation_skips_validation_batches():
    img = TensorImage(torch.rand(2, 3, 8, 8))
    assert Rotate(p=1.0)(img, split_idx=1) is img and Flip(p=1.0)(img) is img


def _bright_dot_batch(bs, h, w, gen):
    xs = torch.randint(w // 4, 3 * w // 4, (bs,), generator=gen)
    ys = torch.randint(h // 4, 3 * h // 4, (bs,), generator=gen)
    img = torch.zeros(bs, 1, h, w)
    img[torch.arange(bs), 0, ys, xs] = 1.0
    pts = torch.stack([xs + 0.5, ys + 0.5], dim=-1)[:, None].float()  # pixel centres
    return TensorImage(img), TensorPoint(pts, img_size=(h, w))


@pytest.mark.parametrize("align_corners", [True, False])
def test_points_follow_their_image(align_corners):
    gen = torch.Generator().manual_seed(0)
    img, pts = _bright_dot_batch(16, 64, 48, gen)
    tfms = setup_aug_tfms([
        Flip(p=0.5, seed=1, align_corners=align_corners, pad_mode="zeros"),
        Rotate(max_deg=30, p=1.0, seed=2, align_corners=align_corners, pad_mode="zeros"),
        Zoom(1.0, 1.3, p=1.0, seed=3, align_corners=align_corners, pad_mode="zeros"),
        Warp(magnitude=0.2, p=1.0, seed=4, align_corners=align_corners, pad_mode="zeros", size=(56, 40)),
    ])  # fmt: skip
    out_img, out_pts = run(tfms, (img, pts))
    assert out_pts.img_size == (56, 40) and out_img.shape[-2:] == (56, 40)
    for im, p in zip(out_img, out_pts):
        if im.max() < 0.05:  # the dot left the image
            continue
        flat = int(im[0].argmax())
        y, x = divmod(flat, im.shape[-1])
        assert abs(x + 0.5 - float(p[0, 0])) <= 1.5 and abs(y + 0.5 - float(p[0, 1])) <= 1.5


def test_masks_follow_their_image():
    img = torch.zeros(8, 1, 32, 32)
    img[:, :, 8:20, 10:24] = 1.0
    mask = TensorMask((img[:, 0] > 0.5).long())
    tfms = setup_aug_tfms(
        [Rotate(max_deg=40, p=1.0, seed=0, pad_mode="zeros"), Warp(p=1.0, seed=1, pad_mode="zeros")]
    )
    out_img, out_mask = run(tfms, (TensorImage(img), mask))
    agree = ((out_img[:, 0] > 0.5).long() == out_mask).float().mean()
    assert agree > 0.97


def test_boxes_follow_a_bright_square():
    img = torch.zeros(6, 1, 40, 40)
    img[:, :, 10:22, 14:30] = 1.0
    boxes = TensorBBox(torch.tensor([[[14.0, 10.0, 30.0, 22.0]]]).repeat(6, 1, 1), img_size=(40, 40))
    tfms = setup_aug_tfms(
        [Flip(p=0.5, seed=0, pad_mode="zeros"), Rotate(max_deg=20, p=1.0, seed=1, pad_mode="zeros"),
         Zoom(1.0, 1.2, p=1.0, seed=2, pad_mode="zeros")]
    )  # fmt: skip
    out_img, out_boxes = run(tfms, (TensorImage(img), boxes))
    for im, (x1, y1, x2, y2) in zip(out_img, out_boxes[:, 0].tolist()):
        ys, xs = torch.nonzero(im[0] > 0.5, as_tuple=True)
        assert x1 - 1.5 <= xs.min() and xs.max() + 1 <= x2 + 1.5
        assert y1 - 1.5 <= ys.min() and ys.max() + 1 <= y2 + 1.5


def test_points_and_boxes_leaving_the_image():
    flip = torch.diag(torch.tensor([-1.0, 1.0, 1.0]))[None]
    shift = torch.tensor(
        [[[1.0, 0.0, 3.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]]
    )  # samples far right: content moves left
    pts = affine_points(torch.tensor([[[1.0, 1.0]]]), shift, (4, 4), (4, 4), align_corners=False)
    assert pts[0, 0, 0] < 0  # kept, outside the image, as fastai does
    gone = affine_bboxes(torch.tensor([[[0.0, 0.0, 2.0, 2.0]]]), shift, (4, 4), (4, 4), align_corners=False)
    assert gone.tolist() == [[[0.0, 0.0, 0.0, 0.0]]]
    flipped = affine_bboxes(torch.tensor([[[0.0, 0.0, 1.0, 1.0]]]), flip, (4, 4), (4, 4), align_corners=False)
    assert flipped.tolist() == [[[3.0, 0.0, 4.0, 1.0]]]


def test_dihedral_keeps_pixels():
    img = TensorImage(torch.rand(8, 3, 6, 6))
    out = Dihedral(p=1.0, seed=0)(img, split_idx=0)
    torch.testing.assert_close(
        out.sum((1, 2, 3)).as_plain(), img.sum((1, 2, 3)).as_plain(), atol=1e-4, rtol=0
    )


def test_resize_crop_pad_and_random_resized_crop():
    img = TensorImage(torch.arange(64.0).view(1, 1, 8, 8).repeat(2, 1, 1, 1))
    assert ResizeBatch(4)(img, split_idx=1).shape == (2, 1, 4, 4)
    crop = CropPadBatch(4, align_corners=False)(img, split_idx=1)
    assert crop[0, 0, 0].tolist() == [18.0, 19.0, 20.0, 21.0]
    assert CropPadBatch(10, align_corners=False)(img)[0, 0, 0].tolist() == [0.0] * 10
    rrc = RandomResizedCropGPU(4, min_scale=0.3, seed=0)
    assert rrc(img, split_idx=0).shape == (2, 1, 4, 4)
    valid = rrc(TensorImage(torch.ones(2, 1, 8, 8)), split_idx=1)
    torch.testing.assert_close(valid.as_plain(), torch.ones(2, 1, 4, 4))


def test_uint8_images_stay_uint8():
    img = TensorImage(torch.randint(0, 255, (2, 3, 8, 8), dtype=torch.uint8))
    assert Rotate(p=1.0, seed=0)(img, split_idx=0).dtype == torch.uint8


def test_no_image_and_no_size_is_an_error():
    from lamella.transforms import TransformError

    with pytest.raises((ValueError, TransformError), match="no image and its points or boxes no img_size"):
        Flip(p=1.0)(TensorPoint(torch.zeros(2, 1, 2)), split_idx=0)


def test_pickles_with_its_generator():
    t = Rotate(p=1.0, seed=5)
    t.rand(3)
    back = pickle.loads(pickle.dumps(t))
    assert torch.equal(back.rand(4), t.rand(4))


def test_repr_shows_parameters():
    assert repr(Rotate(max_deg=20)).startswith("Rotate(max_deg=20, p=0.5")
    assert repr(AffineCoordTfm(size=4)).startswith("AffineCoordTfm(aff_fs=[], size=(4, 4)")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_matches_cpu_for_a_seed():
    img = TensorImage(torch.rand(4, 3, 16, 16))
    cpu = run(setup_aug_tfms([Rotate(p=1.0, seed=0), Warp(p=1.0, seed=1)]), img)
    gpu = run(setup_aug_tfms([Rotate(p=1.0, seed=0), Warp(p=1.0, seed=1)]), img.cuda())
    torch.testing.assert_close(gpu.cpu().as_plain(), cpu.as_plain(), atol=1e-4, rtol=0)


# -- properties over any image size, train and valid (issue 15) ------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from lamella.data.augment import aug_transforms  # noqa: E402


def _scene(bs, h, w, code):
    """Images with a bright rectangle, masks coding it `code`, its centre and its box, per item."""
    x1, y1 = w // 4, h // 4
    x2, y2 = max(x1 + 1, (3 * w) // 4), max(y1 + 1, (3 * h) // 4)
    img = torch.zeros(bs, 3, h, w)
    img[:, :, y1:y2, x1:x2] = 1.0
    mask = torch.zeros(bs, h, w, dtype=torch.long)
    mask[:, y1:y2, x1:x2] = code
    if not (y1 == 0 and x1 == 0):  # a pixel of another class, outside the rectangle
        mask[:, 0, 0] = 1
    pts = torch.tensor([[[(x1 + x2) / 2, (y1 + y2) / 2]]]).repeat(bs, 1, 1)
    boxes = torch.tensor([[[x1, y1, x2, y2]]], dtype=torch.float).repeat(bs, 1, 1)
    return (
        TensorImage(img),
        TensorMask(mask),
        TensorPoint(pts, img_size=(h, w)),
        TensorBBox(boxes, img_size=(h, w)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    h=st.integers(1, 1000), w=st.integers(1, 1000), size=st.one_of(st.none(), st.integers(1, 200)),
    split_idx=st.sampled_from([0, 1]), code=st.integers(2, 30), seed=st.integers(0, 2**16),
    min_scale=st.sampled_from([1.0, 0.5]),
)  # fmt: skip
def test_aug_transforms_on_any_size(h, w, size, split_idx, code, seed, min_scale):
    bs = 1 if h * w > 250_000 else 3  # big images one to a batch
    tfms = aug_transforms(size=size, min_scale=min_scale if size else 1.0, pad_mode="zeros")
    torch.manual_seed(seed)  # aug_transforms returns merged transforms drawing from torch's global RNG
    b = _scene(bs, h, w, code)
    img, mask, pts, boxes = run(setup_aug_tfms(tfms), b, split_idx=split_idx)
    out = (size, size) if size is not None else (h, w)
    assert img.shape == (bs, 3, *out) and mask.shape == (bs, *out) and torch.isfinite(img).all()
    assert set(mask.unique().tolist()) <= {0, 1, code}  # codes kept, none made up
    assert torch.isfinite(pts).all() and torch.isfinite(boxes).all()
    assert pts.img_size == boxes.img_size == out
    for k in range(bs):
        px, py = pts[k, 0].tolist()
        bx1, by1, bx2, by2 = boxes[k, 0].tolist()
        i, j = int(py // 1), int(px // 1)
        # the point stays on its rectangle where the rectangle is wide around it (3 pixels)
        if (
            bx1 + 3 <= j
            and j + 4 <= bx2
            and by1 + 3 <= i
            and i + 4 <= by2
            and 0 <= i < out[0]
            and 0 <= j < out[1]
        ):
            assert img[k, 0, i, j] > 0.5 and mask[k, i, j] == code
