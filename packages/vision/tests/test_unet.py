import pytest
import torch

import lamella.samples
from lamella.learner import foreground_acc
from lamella.vision import (
    DynamicUnet,
    Resize,
    SegmentationDataLoaders,
    create_body,
    get_image_files,
    resnet18,
    unet_learner,
    unet_splitter,
)


def test_dynamic_unet_keeps_the_input_size():
    unet = DynamicUnet(create_body(resnet18()), n_out=3, img_size=(64, 64)).eval()
    assert unet(torch.zeros(2, 3, 48, 80)).shape == (2, 3, 48, 80)
    encoder, decoder = unet_splitter(unet)
    assert len(encoder) + len(decoder) == len(list(unet.parameters()))
    assert (
        DynamicUnet(create_body(resnet18()), 1, (32, 32), y_range=(0, 2))
        .eval()(torch.zeros(1, 3, 32, 32))
        .max()
        <= 2
    )


class _Labels:
    def __init__(self, path):
        self.path = path

    def __call__(self, o):
        return self.path / "labels" / f"{o.stem}_P{o.suffix}"


def test_unet_learner_on_camvid_tiny(shared_sample, seed, threshold):
    path = shared_sample("camvid_tiny")
    codes = (path / "codes.txt").read_text().split()
    torch.manual_seed(seed)
    dls = SegmentationDataLoaders.from_label_func(
        path,
        get_image_files(path / "images"),
        _Labels(path),
        codes=codes,
        item_tfms=Resize((48, 64)),
        bs=8,
        seed=0,
        device="cpu",
    )
    x, y = dls.one_batch()
    assert x.shape == (8, 3, 48, 64) and y.shape == (8, 48, 64) and type(y).__name__ == "TensorMask"
    learn = unet_learner(dls, resnet18, pretrained=False, metrics=foreground_acc, lr=1e-2)
    learn.progress.show_bars = learn.progress.show_table = False
    learn.fit_one_cycle(4, 1e-2)
    accs = [row[2] for row in learn.recorder.values]
    threshold(accs[-1] - _commonest_share(dls), above=0.0, name="foreground_acc - commonest share")
    with pytest.raises(ValueError, match="could not find the mask codes"):
        from lamella.vision import ImageDataLoaders

        unet_learner(
            ImageDataLoaders.from_folder(
                lamella.samples.path("mnist_tiny"), item_tfms=Resize(28), device="cpu"
            ),
            resnet18,
            pretrained=False,
        )


def test_unet_learner_offline_pretrained_says_what_to_do(monkeypatch, tmp_path, shared_sample):
    import torch.hub

    path = shared_sample("camvid_tiny")
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr(
        torch.hub, "load_state_dict_from_url", lambda *a, **k: (_ for _ in ()).throw(OSError("offline"))
    )
    codes = (path / "codes.txt").read_text().split()
    fnames = get_image_files(path / "images")[:8]
    dls = SegmentationDataLoaders.from_label_func(
        path, fnames, _Labels(path), codes=codes, item_tfms=Resize(32), bs=4, device="cpu"
    )
    with pytest.raises(RuntimeError, match="pass pretrained=False"):
        unet_learner(dls, resnet18, pretrained=True)


@pytest.mark.slow
def test_unet_learner_on_masks_painted_from_bccd_boxes(tmp_path, mpl, seed, threshold):
    """A segmentation run on shippable data (bccd is MIT; CamVid is read only where shared/data is)."""
    import numpy as np
    import pandas as pd
    from PIL import Image

    from lamella.typedtensor import TensorMask

    path = lamella.samples.path("bccd")
    boxes = pd.read_csv(path / "all_boxes.csv")
    codes = ["background", "RBC", "Platelets", "WBC"]
    files = []
    for name, g in boxes.groupby("filename"):
        mask = np.zeros((480, 640), dtype=np.uint8)
        for code in (1, 2, 3):
            for r in g[g["cell_type"] == codes[code]].itertuples():
                mask[r.ymin : r.ymax, r.xmin : r.xmax] = code
        Image.fromarray(mask).save(tmp_path / f"{name[:-4]}.png")
        files.append(path / "JPEGImages" / name)
    dls = SegmentationDataLoaders.from_label_func(
        path, files, lambda f: tmp_path / f"{f.stem}.png", codes=codes,
        item_tfms=Resize((48, 64), method="squish"), bs=16, seed=0, device="cpu",
    )  # fmt: skip
    torch.manual_seed(seed)
    learn = unet_learner(dls, resnet18, pretrained=False, metrics=foreground_acc)
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(6, 1e-2)
    # against answering the commonest code (background) on every pixel
    preds, targs = learn.get_preds()
    pixel_acc = (preds.argmax(1) == targs).float().mean().item()
    share = torch.bincount(targs.flatten()).max().item() / targs.numel()
    threshold(pixel_acc - share, above=0.05, name="pixel accuracy - commonest share")
    axs = learn.show_results(max_n=2)
    assert [a.get_title() for a in axs] == ["target", "prediction"] * 2
    mask, decoded, probs = learn.predict(files[0])
    assert isinstance(decoded, TensorMask) and decoded.shape == (48, 64) and probs.shape == (4, 48, 64)


def _commonest_share(dls):
    """The foreground accuracy of answering the commonest non-background code on every pixel."""
    codes = torch.cat([y.flatten() for _, y in dls.valid]).as_subclass(torch.Tensor)
    counts = torch.bincount(codes[codes > 0])  # foreground_acc leaves out code 0
    return counts.max().item() / counts.sum().item()
