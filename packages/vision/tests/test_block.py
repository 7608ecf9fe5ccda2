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
