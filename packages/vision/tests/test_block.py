import numpy as np
from PIL import Image

from lamella.data import DataBlock, IndexSplitter
from lamella.vision import ImageBlock, MaskBlock, PILImageBW, PointBlock


def test_image_and_mask_blocks_give_typed_float_batches(tmp_path):
    items = []
    for i in range(4):
        Image.fromarray(np.full((8, 8, 3), i * 10, dtype=np.uint8)).save(tmp_path / f"{i}.png")
        Image.fromarray((np.arange(64).reshape(8, 8) % 3).astype(np.uint8)).save(tmp_path / f"{i}_m.png")
        items.append(tmp_path / f"{i}.png")
    dblock = DataBlock(
        blocks=(ImageBlock(), MaskBlock(["a", "b", "c"])),
        get_y=lambda p: p.with_name(p.stem + "_m.png"),
        splitter=IndexSplitter([3]),
    )
    x, y = dblock.dataloaders(items, bs=2, device="cpu").one_batch()
    assert type(x).__name__ == "TensorImage" and x.dtype.is_floating_point and x.max() <= 1
    assert type(y).__name__ == "TensorMask" and y.shape == (2, 8, 8) and int(y.max()) == 2
    dls = dblock.dataloaders(items, bs=2, device="cpu")
    assert dls.valid.decode_batch(dls.valid.one_batch())[0][1].codes == ["a", "b", "c"]


def test_bw_image_block_and_points():
    block = ImageBlock(PILImageBW)
    img = block.type_tfms[0](np.zeros((3, 3), dtype=np.uint8))
    assert img.img.mode == "L"
    assert PointBlock().type_tfms[0]([[1.0, 2.0]]).tolist() == [[1.0, 2.0]]


def test_the_seed_datablock_on_mnist_tiny():
    import lamella.samples
    from lamella.data import CategoryBlock, GrandparentSplitter, parent_label
    from lamella.vision import get_image_files

    mnist = DataBlock(
        blocks=(ImageBlock(cls=PILImageBW), CategoryBlock),
        get_items=get_image_files,
        splitter=GrandparentSplitter(),
        get_y=parent_label,
    )
    dls = mnist.dataloaders(lamella.samples.path("mnist_tiny"), bs=32, device="cpu")
    x, y = dls.one_batch()
    assert (
        len(dls.train_ds) == 709 and len(dls.valid_ds) == 699
    )  # the 20 unlabelled test images are in neither
    assert (
        x.shape == (32, 1, 28, 28)
        and type(x).__name__ == "TensorImageBW"
        and dls.train_ds.vocab == ["3", "7"]
    )


def _bccd_boxes(n=12):
    import pandas as pd

    import lamella.samples
    from lamella.vision import get_image_files

    path = lamella.samples.path("bccd")
    boxes = pd.read_csv(path / "all_boxes.csv")
    by_file = {f: g for f, g in boxes.groupby("filename")}
    files = [f for f in sorted(get_image_files(path / "JPEGImages")) if f.name in by_file][:n]
    return files, by_file


def test_box_blocks_on_bccd_pad_scale_and_decode():
    import torch

    from lamella.data import RandomSplitter
    from lamella.vision import BBoxBlock, BBoxLblBlock, Resize

    files, by_file = _bccd_boxes()
    dblock = DataBlock(
        blocks=(ImageBlock, BBoxBlock, BBoxLblBlock),
        get_y=[
            lambda f: by_file[f.name][["xmin", "ymin", "xmax", "ymax"]].values.tolist(),
            lambda f: by_file[f.name]["cell_type"].tolist(),
        ],
        n_inp=1,
        splitter=RandomSplitter(seed=0),
        item_tfms=Resize((120, 160), method="squish"),
    )
    dls = dblock.dataloaders(files, bs=4, device="cpu", seed=0)
    x, boxes, labels = dls.valid.one_batch()
    most = max(len(by_file[f.name]) for f in dls.valid_ds.items)
    assert boxes.shape == (len(dls.valid_ds), most, 4) and labels.shape == boxes.shape[:2]
    assert boxes.min() >= -1 and boxes.max() <= 1 and type(boxes).__name__ == "TensorBBox"
    assert list(dls.train_ds.vocab) == ["#na#", "Platelets", "RBC", "WBC"]
    first = dls.valid_ds.items[0]
    decoded = dls.valid.decode_batch((x, boxes, labels), max_n=1)[0]
    raw = torch.tensor(by_file[first.name][["xmin", "ymin", "xmax", "ymax"]].values, dtype=torch.float32)
    expected = raw * torch.tensor([160 / 640, 120 / 480] * 2)
    torch.testing.assert_close(decoded[1][: len(raw)].as_plain(), expected, rtol=1e-4, atol=1e-3)
    assert list(decoded[2][: len(raw)]) == by_file[first.name]["cell_type"].tolist()


def _mask_dblock(tmp_path, mask_size, code, codes):
    import pytest  # noqa: F401

    img, msk = tmp_path / "a.png", tmp_path / "a_mask.png"
    Image.new("RGB", (37, 29)).save(img)
    m = np.zeros(mask_size[::-1], np.uint8)
    m[2:5, 2:5] = code
    Image.fromarray(m).save(msk)
    dblock = DataBlock(
        blocks=(ImageBlock, MaskBlock(codes)), get_y=lambda f: f.with_name("a_mask.png"),
        splitter=IndexSplitter([]),
    )  # fmt: skip
    return dblock.dataloaders([img, img], bs=2, device="cpu")


def test_a_mask_code_beyond_the_codes_is_named_and_255_is_void(tmp_path):
    import pytest

    from lamella.transforms import TransformError
    from lamella.vision import MaskError

    with pytest.raises(TransformError, match="a_mask.png holds class code 7, but codes names 3") as e:
        _mask_dblock(tmp_path, (37, 29), 7, ["bg", "a", "b"]).one_batch()
    assert isinstance(e.value.__cause__, MaskError)
    assert _mask_dblock(tmp_path, (37, 29), 255, ["bg", "a", "b"]).one_batch()[1].max() == 255


def test_a_mask_of_another_size_than_its_image_is_named(tmp_path):
    import pytest

    from lamella.transforms import TransformError

    with pytest.raises(
        TransformError, match=r"a_mask.png is 20x20 \(width x height\) but its image .*a.png is 37x29"
    ):
        _mask_dblock(tmp_path, (20, 20), 1, ["bg", "a"]).one_batch()
