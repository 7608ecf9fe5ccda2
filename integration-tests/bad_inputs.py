"""Bad inputs and faults a user meets, one case each, across every layer and app (issue 27).

Each case does what a user would (builds loaders from a broken folder, trains on a frame with a
wrong column, loads a truncated file) and says where the problem is: the words an error must name
(a file, a column, a row, a callback). `outcome(case, folder)` runs it and sorts the result:

- **clear**: a lamella error, or a builtin one (`ValueError`, `KeyError`, ...) raised by lamella,
  whose message names every word of `where`;
- **handled**: no error, and the case's `check` of the result holds (a correct answer);
- **obscure**: an error from deeper down (torch, PIL, pandas) or one that does not say where;
- **silent**: no error and a wrong (or unchecked) result.

`test_bad_inputs.py` requires clear or handled of every case; `tools/bad_input_table.py` prints
the table by layer and outcome.
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import nn

import lamella.samples

OUTCOMES = ("clear", "handled", "obscure", "silent")


@dataclass
class Case:
    """One bad input: `run(folder)` does what the user did; `where` must appear in the error."""

    layer: str
    name: str
    run: Callable[[Path], Any]
    where: tuple[str, ...] = ()
    check: Callable[[Any], bool] | None = None
    kinds: tuple[type[BaseException], ...] = field(default=(Exception,))


CASES: list[Case] = []


def case(layer: str, where: tuple[str, ...] | str = (), check: Callable[[Any], bool] | None = None):
    """Register the decorated function as a case of `layer`."""

    def deco(fn: Callable[[Path], Any]) -> Callable[[Path], Any]:
        w = (where,) if isinstance(where, str) else tuple(where)
        CASES.append(Case(layer, fn.__name__, fn, w, check))
        return fn

    return deco


def _ours(e: BaseException) -> bool:
    """Raised by lamella: a lamella class, or a builtin one whose innermost frame is in a lamella package.

    The frame's file must lie in one of the `lamella` namespace's folders: a checkout in a folder
    named `lamella` (where this file also is) must not count as lamella's code.
    """
    import lamella

    if type(e).__module__.startswith("lamella."):
        return True
    if type(e).__module__ != "builtins":
        return False
    frames = traceback.extract_tb(e.__traceback__)
    roots = [Path(p).resolve() for p in lamella.__path__]
    return bool(frames) and any(Path(frames[-1].filename).resolve().is_relative_to(r) for r in roots)


def outcome(c: Case, folder: Path) -> tuple[str, str]:
    """(`clear` | `handled` | `obscure` | `silent`, what happened in a line)."""
    try:
        res = c.run(folder)
    except Exception as e:  # noqa: BLE001 - sorting every error is the point
        msg = f"{type(e).__name__}: {e}"
        missing = [w for w in c.where if w.lower() not in str(e).lower()]
        if not _ours(e):
            return "obscure", f"foreign {msg}"[:300]
        if missing:
            return "obscure", f"does not name {missing}: {msg}"[:300]
        return "clear", msg[:300]
    if c.check is not None and c.check(res):
        return "handled", repr(res)[:120]
    return "silent", f"no error, result {res!r}"[:300]


# --- helpers ---------------------------------------------------------------------------------


def _images(folder: Path, n: int = 4, size: tuple[int, int] = (37, 29), classes=("cat", "dog")) -> Path:
    """`folder/<class>/<i>.png`: `n` small RGB images per class, of an odd size (w, h)."""
    from PIL import Image

    rng = np.random.default_rng(0)
    for c in classes:
        (folder / c).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            Image.fromarray(rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)).save(
                folder / c / f"{i}.png"
            )
    return folder


def _frame(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "age": rng.normal(40, 10, n),
            "hours": rng.normal(40, 5, n),
            "job": rng.choice(["a", "b", "c"], n),
            "y": rng.choice(["<50k", ">=50k"], n),
        }
    )


def _tab_dls(df: pd.DataFrame, **kw: Any) -> Any:
    from lamella.tabular.all import Categorify, FillMissing, Normalize, TabularDataLoaders  # fastai's names

    args = dict(
        cat_names=["job"], cont_names=["age", "hours"], y_names="y",
        procs=[Categorify, FillMissing, Normalize], valid_idx=list(range(len(df) - 8, len(df))), bs=8,
    )  # fmt: skip
    args.update(kw)
    return TabularDataLoaders.from_df(df, **args)


def _tiny_learner() -> Any:
    from lamella.data import DataLoaders
    from lamella.learner import Learner

    x = torch.randn(32, 3)
    y = (x.sum(1) > 0).long()
    ds = list(zip(x, y))
    dls = DataLoaders.from_dsets(ds[:24], ds[24:], bs=8, device="cpu")
    learn = Learner(dls, nn.Linear(3, 2), loss_func=nn.functional.cross_entropy)
    learn.progress.show_bars = learn.progress.show_table = False
    return learn


def _wav(fn: Path, samples: np.ndarray, sr: int = 8000, subtype: str = "PCM_16") -> Path:
    import soundfile as sf

    sf.write(fn, samples, sr, subtype=subtype)
    return fn


# --- data ------------------------------------------------------------------------------------


@case("data", where="no items")
def empty_folder_to_datablock(d: Path) -> Any:
    from lamella.data import CategoryBlock, DataBlock, RandomSplitter, parent_label
    from lamella.vision import ImageBlock, get_image_files

    (d / "empty").mkdir()
    return DataBlock(
        (ImageBlock, CategoryBlock), get_items=get_image_files, get_y=parent_label, splitter=RandomSplitter()
    ).dataloaders(d / "empty", bs=2)


@case("data", where=("nope",))
def missing_folder_to_get_image_files(d: Path) -> Any:
    from lamella.vision import get_image_files

    return get_image_files(d / "nope")


@case("data", where=("valid_pct", "1.5"))
def valid_pct_above_one(d: Path) -> Any:
    from lamella.data import RandomSplitter

    return RandomSplitter(valid_pct=1.5)(list(range(10)))


@case("data", where=("position 2",))
def labels_with_nan(d: Path) -> Any:
    from lamella.data import Categorize

    return Categorize().setup([3.0, 7.0, float("nan")])


@case("data", where=("regex", "0.png"))
def regex_labeller_that_does_not_match(d: Path) -> Any:
    from lamella.data import RegexLabeller

    return RegexLabeller(r"^(\d+)_\w+\.png$")(d / "0.png")


@case("data", where=("unknown",))
def category_unseen_in_training(d: Path) -> Any:
    from lamella.data import Categorize

    cat = Categorize()
    cat.setup(["a", "b"])
    return cat("unknown")


@case("data", where=("bs",))
def batch_size_not_a_whole_number(d: Path) -> Any:
    from lamella.data import DataLoader

    return DataLoader(list(range(10)), bs=2.5)


@case("data", where=("is_valid",))
def col_splitter_missing_column(d: Path) -> Any:
    from lamella.data import ColSplitter

    return ColSplitter("is_valid")(pd.DataFrame({"a": [1, 2]}))


@case("data", where=("label",))
def col_reader_missing_column(d: Path) -> Any:
    from lamella.data import ColReader

    return ColReader("label")(pd.DataFrame({"a": [1]}).iloc[0])


@case("data", where=("collate", "shape"))
def items_of_different_shapes_collated(d: Path) -> Any:
    from lamella.data import DataLoader

    dl = DataLoader([torch.zeros(3, 4), torch.zeros(3, 5)], bs=2)
    return next(iter(dl))


# --- vision ----------------------------------------------------------------------------------


@case("vision", where=("broken.jpg",))
def text_file_named_jpg(d: Path) -> Any:
    from lamella.vision import PILImage

    (d / "broken.jpg").write_text("not an image")
    return PILImage.create(d / "broken.jpg")


@case("vision", where=("empty.png",))
def empty_png(d: Path) -> Any:
    from lamella.vision import PILImage

    (d / "empty.png").write_bytes(b"")
    return PILImage.create(d / "empty.png")


@case("vision", where=("cut.png",))
def truncated_png_in_a_folder(d: Path) -> Any:
    from lamella.vision import ImageDataLoaders, Resize

    _images(d / "imgs")
    f = d / "imgs" / "cat" / "cut.png"
    data = (d / "imgs" / "cat" / "0.png").read_bytes()
    f.write_bytes(data[: len(data) // 2])
    dls = ImageDataLoaders.from_folder(d / "imgs", valid_pct=0.0, item_tfms=Resize(16), bs=4, device="cpu")
    return [dls.train_ds[i] for i in range(len(dls.train_ds))]


@case("vision", where=("24", "5"))
def from_lists_labels_shorter_than_files(d: Path) -> Any:
    from lamella.vision import ImageDataLoaders

    _images(d / "imgs", n=12)
    files = sorted((d / "imgs").rglob("*.png"))
    return ImageDataLoaders.from_lists(d / "imgs", files, ["cat"] * 5, device="cpu")


@case("vision", check=lambda r: r[0] > 200 and r[1] < 10)
def sixteen_bit_png_keeps_its_range(d: Path) -> Any:
    from PIL import Image

    from lamella.vision import PILImageBW

    ramp = np.tile(np.linspace(0, 4095, 64).astype(np.uint16), (8, 1)) * 16
    Image.fromarray(ramp).save(d / "deep.png")
    g = np.asarray(PILImageBW.create(d / "deep.png").img)
    return int(g.max()), int(g[:, 0].max())


@case("vision", check=lambda r: r == (3, 29, 37))
def odd_sized_rgba_png(d: Path) -> Any:
    from PIL import Image

    from lamella.vision import PILImage

    Image.new("RGBA", (37, 29), (10, 20, 30, 0)).save(d / "a.png")
    return tuple(PILImage.create(d / "a.png").to_tensor().shape)


@case("vision", check=lambda r: r[0] in ("cat", "dog") and abs(float(sum(r[2])) - 1) < 1e-4)
def predict_on_a_float_array(d: Path) -> Any:
    from lamella.vision import ImageDataLoaders, Resize, resnet18, vision_learner

    _images(d / "imgs")
    dls = ImageDataLoaders.from_folder(
        d / "imgs", valid_pct=0.25, seed=0, item_tfms=Resize(16), bs=2, device="cpu"
    )
    learn = vision_learner(dls, resnet18, pretrained=False)
    return learn.predict(np.random.default_rng(0).random((29, 37, 3)))


@case("vision", where=("mask", "7", "codes"))
def mask_code_beyond_codes(d: Path) -> Any:
    from PIL import Image

    from lamella.vision import SegmentationDataLoaders

    _images(d / "imgs", n=3, classes=("x",))
    (d / "masks").mkdir()
    files = sorted((d / "imgs" / "x").glob("*.png"))
    for f in files:
        m = np.zeros((29, 37), np.uint8)
        m[5:9, 5:9] = 7
        Image.fromarray(m).save(d / "masks" / f.name)
    dls = SegmentationDataLoaders.from_label_func(
        d / "imgs", files, lambda f: d / "masks" / f.name, codes=["bg", "a", "b"], valid_pct=0.34, seed=0,
        bs=2, device="cpu",
    )  # fmt: skip
    return dls.one_batch()[1].unique().tolist()


@case("vision", where=("size",))
def mask_of_another_size_than_its_image(d: Path) -> Any:
    from PIL import Image

    from lamella.vision import SegmentationDataLoaders

    _images(d / "imgs", n=3, classes=("x",))
    (d / "masks").mkdir()
    files = sorted((d / "imgs" / "x").glob("*.png"))
    for f in files:
        Image.fromarray(np.zeros((20, 20), np.uint8)).save(d / "masks" / f.name)
    dls = SegmentationDataLoaders.from_label_func(
        d / "imgs", files, lambda f: d / "masks" / f.name, codes=["bg", "a"], valid_pct=0.34, seed=0, bs=2,
        device="cpu",
    )  # fmt: skip
    return dls.one_batch()


# --- tabular ---------------------------------------------------------------------------------


@case("tabular", where=("age",))
def text_in_a_continuous_column(d: Path) -> Any:
    df = _frame()
    df["age"] = df["age"].astype(object)
    df.loc[3, "age"] = "forty"
    return _tab_dls(df)


@case("tabular", where=("hours", "inf"))
def inf_in_a_continuous_column(d: Path) -> Any:
    df = _frame()
    df.loc[5, "hours"] = math.inf
    return _tab_dls(df)


@case("tabular", where=("salary",))
def missing_column(d: Path) -> Any:
    return _tab_dls(_frame(), cont_names=["age", "salary"])


@case("tabular", where=("y",))
def target_also_an_input(d: Path) -> Any:
    df = _frame()
    df["y"] = df["age"] * 2
    return _tab_dls(df, cont_names=["age", "hours", "y"], y_block=None)


@case("tabular", where=("y", "row"))
def missing_target(d: Path) -> Any:
    df = _frame()
    df.loc[2, "y"] = None
    return _tab_dls(df)


@case("tabular", check=lambda r: r == "#na#")
def unseen_category_at_test_time(d: Path) -> Any:
    dls = _tab_dls(_frame())
    new = _frame(4)
    new.loc[0, "job"] = "astronaut"
    tdl = dls.test_dl(new)
    return dls.train_ds.classes["job"][int(tdl.dataset.cats[0, 0])]


@case("tabular", where=("bs", "8"))
def batch_larger_than_training_set(d: Path) -> Any:
    from lamella.tabular import tabular_learner

    df = _frame(12)
    dls = _tab_dls(df, valid_idx=list(range(6, 12)), bs=8)
    learn = tabular_learner(dls)
    learn.fit(1)
    return learn.recorder.values


# --- text ------------------------------------------------------------------------------------


@case("text", where=("text", "1"))
def missing_text_in_a_row(d: Path) -> Any:
    from lamella.text import TextDataLoaders

    df = pd.DataFrame({"text": ["a good film", None, "bad"] * 4, "label": ["pos", "neg", "neg"] * 4})
    return TextDataLoaders.from_df(df, text_col="text", label_col="label", valid_pct=0.25, seed=0, bs=2)


@case("text", where=("empty",))
def predict_on_empty_text(d: Path) -> Any:
    from lamella.text import AWD_LSTM, TextDataLoaders, awd_lstm_clas_config, text_classifier_learner

    df = pd.DataFrame({"text": ["a good film", "bad bad", "fine film", "dull"] * 4, "label": ["p", "n"] * 8})
    dls = TextDataLoaders.from_df(df, text_col="text", label_col="label", valid_pct=0.25, seed=0, bs=2)
    cfg = dict(awd_lstm_clas_config, emb_sz=8, n_hid=8, n_layers=1)
    learn = text_classifier_learner(dls, AWD_LSTM, config=cfg, pretrained=False)
    return learn.predict("")


@case("text", where=("review",))
def text_column_misnamed(d: Path) -> Any:
    from lamella.text import TextDataLoaders

    df = pd.DataFrame({"text": ["a good film", "bad"] * 4, "label": ["p", "n"] * 4})
    return TextDataLoaders.from_df(df, text_col="review", label_col="label", valid_pct=0.25, seed=0, bs=2)


# --- collab ----------------------------------------------------------------------------------


@case("collab", where=("rating",))
def ratings_that_are_text(d: Path) -> Any:
    from lamella.collab import CollabDataLoaders

    df = pd.DataFrame({"user": [1, 2, 3, 1] * 5, "item": [1, 1, 2, 2] * 5, "rating": ["good"] * 20})
    return CollabDataLoaders.from_df(df, bs=4, seed=0)


@case("collab", where=("user",))
def missing_user_ids(d: Path) -> Any:
    from lamella.collab import CollabDataLoaders

    df = pd.DataFrame({"user": [1, None, 3, 1] * 5, "item": [1, 1, 2, 2] * 5, "rating": [3.0] * 20})
    return CollabDataLoaders.from_df(df, bs=4, seed=0)


# --- medical ---------------------------------------------------------------------------------


@case("medical", where=("scan.dcm",))
def jpeg_named_dcm(d: Path) -> Any:
    from lamella.medical import PILDicom

    (d / "scan.dcm").write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    return PILDicom.create(d / "scan.dcm")


@case("medical", where=("cut.dcm",))
def truncated_dicom(d: Path) -> Any:
    from lamella.medical import PILDicom

    src = lamella.samples.path("dicom_samples") / "image_dfl.dcm"
    data = src.read_bytes()
    (d / "cut.dcm").write_bytes(data[: len(data) * 2 // 3])
    return PILDicom.create(d / "cut.dcm")


# --- audio -----------------------------------------------------------------------------------


@case("audio", where=("cut.wav",))
def truncated_wav(d: Path) -> Any:
    from lamella.audio import TensorAudio

    fn = _wav(d / "whole.wav", np.zeros(8000, np.int16))
    data = fn.read_bytes()
    (d / "cut.wav").write_bytes(data[: len(data) // 3])
    return TensorAudio.create(d / "cut.wav")


@case("audio", where=("noise.wav",))
def random_bytes_named_wav(d: Path) -> Any:
    from lamella.audio import TensorAudio

    (d / "noise.wav").write_bytes(np.random.default_rng(0).bytes(500))
    return TensorAudio.create(d / "noise.wav")


@case("audio", where=("nan.wav", "NaN"))
def float_wav_with_nan(d: Path) -> Any:
    from lamella.audio import TensorAudio

    x = np.zeros(800, np.float32)
    x[10] = np.nan
    return TensorAudio.create(_wav(d / "nan.wav", x, subtype="FLOAT"))


@case("audio", check=lambda r: r == (1, 8000))
def other_rate_resampled(d: Path) -> Any:
    from lamella.audio import Resample, TensorAudio

    _wav(d / "a.wav", np.zeros(16000, np.int16), sr=16000)
    return tuple(Resample(8000)(TensorAudio.create(d / "a.wav")).shape)


@case("audio", where=("empty.wav",))
def wav_without_samples(d: Path) -> Any:
    from lamella.audio import TensorAudio

    return TensorAudio.create(_wav(d / "empty.wav", np.zeros(0, np.int16)))


# --- learner ---------------------------------------------------------------------------------


@case("learner", where=("learning rate",))
def negative_learning_rate(d: Path) -> Any:
    return _tiny_learner().fit(1, -1e-3)


@case("learner", where=("n_epoch",))
def negative_epochs(d: Path) -> Any:
    return _tiny_learner().fit(-1)


@case("learner", where=("garbage.safetensors",))
def load_a_file_that_is_not_a_checkpoint(d: Path) -> Any:
    learn = _tiny_learner()
    learn.path = d
    (d / "models").mkdir()
    (d / "models" / "garbage.safetensors").write_bytes(b"\x00" * 100)
    return learn.load("garbage")


@case("learner", where=("weight", "shape"))
def load_weights_of_another_model(d: Path) -> Any:
    learn = _tiny_learner()
    learn.path = d
    learn.save("small")
    other = _tiny_learner()
    other.model = nn.Linear(3, 5)
    other.path = d
    return other.load("small")


@case("learner", where=("cut.pkl",))
def load_learner_from_a_truncated_export(d: Path) -> Any:
    from lamella.learner import load_learner

    learn = _tiny_learner()
    learn.path = d
    learn.export(d / "whole.pkl")
    data = (d / "whole.pkl").read_bytes()
    (d / "cut.pkl").write_bytes(data[: len(data) // 2])
    return load_learner(d / "cut.pkl", trusted=True)


@case("learner", where=("Boom", "after_batch"))
def callback_that_raises(d: Path) -> Any:
    from lamella.learner import Callback

    class Boom(Callback):
        def after_batch(self) -> None:
            raise ZeroDivisionError("no")

    learn = _tiny_learner()
    learn.add_cb(Boom())
    return learn.fit(1)


@case("learner", where=("loss", "nan"))
def loss_that_becomes_nan(d: Path) -> Any:
    learn = _tiny_learner()
    learn.loss_func = lambda out, y: out.sum() * float("nan")
    learn.fit(1)
    return learn.recorder.values


# --- optim -----------------------------------------------------------------------------------


@case("optim", where=("lr", "nan"))
def optimizer_with_nan_lr(d: Path) -> Any:
    from lamella.optim import Adam

    return Adam([nn.Parameter(torch.zeros(2))], lr=float("nan"))


@case("optim", where=("parameters",))
def optimizer_without_parameters(d: Path) -> Any:
    from lamella.optim import SGD

    return SGD([], lr=0.1)


@case("transforms", where=("halve", "'seven'"))
def transform_that_fails_on_an_item(d: Path) -> Any:
    from lamella.transforms import Pipeline

    def halve(x: Any) -> Any:
        return x / 2

    return Pipeline([halve])("seven")


@case("data", where=("label",))
def missing_label_in_a_frame(d: Path) -> Any:
    from lamella.data import CategoryBlock, ColReader, DataBlock, RandomSplitter

    df = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], "label": ["a", "b", None, "a", "b", "a"]})
    dsets = DataBlock(
        (None, CategoryBlock),
        get_x=ColReader("x"),
        get_y=ColReader("label"),
        splitter=RandomSplitter(0.34, seed=0),
    ).datasets(df)
    return [ds[i] for ds in (dsets.train, dsets.valid) for i in range(len(ds))]


@case("learner", check=lambda r: r[0] is not None and r[1] is None)
def fit_without_a_validation_set(d: Path) -> Any:
    from lamella.data import DataLoaders
    from lamella.learner import Learner

    x = torch.randn(16, 3)
    ds = list(zip(x, (x.sum(1) > 0).long()))
    learn = Learner(DataLoaders.from_dsets(ds, [], bs=8, device="cpu"), nn.Linear(3, 2),
                    loss_func=nn.functional.cross_entropy)  # fmt: skip
    with learn.no_bar(), learn.no_logging():
        learn.fit(1)
    return learn.recorder.values[-1][0], learn.recorder.values[-1][1]


@case("learner", where=("broken_metric",))
def metric_that_raises(d: Path) -> Any:
    def broken_metric(inp: Any, targ: Any) -> Any:
        raise RuntimeError("cannot")

    learn = _tiny_learner()
    learn.metrics = [broken_metric]
    with learn.no_bar(), learn.no_logging():
        return learn.fit(1)


@case("vision", check=lambda r: r == (3, 20, 20))
def one_pixel_image_resized(d: Path) -> Any:
    from PIL import Image

    from lamella.vision import PILImage, Resize

    Image.new("RGB", (1, 1), (200, 10, 10)).save(d / "dot.png")
    return tuple(Resize(20)(PILImage.create(d / "dot.png")).to_tensor().shape)


@case("vision", check=lambda r: r == 2)
def upper_case_extensions_and_stray_files(d: Path) -> Any:
    from PIL import Image

    from lamella.vision import get_image_files

    (d / "imgs").mkdir()
    Image.new("RGB", (5, 4)).save(d / "imgs" / "a.JPG", format="jpeg")
    Image.new("RGB", (5, 4)).save(d / "imgs" / "b.PNG", format="png")
    (d / "imgs" / "notes.txt").write_text("labels to do")
    return len(get_image_files(d / "imgs"))


@case("tabular", where=("age",))
def continuous_column_entirely_missing(d: Path) -> Any:
    df = _frame()
    df["age"] = np.nan
    return _tab_dls(df)


@case("tabular", where=("age", "twice"))
def frame_with_a_duplicated_column(d: Path) -> Any:
    df = _frame()
    df = pd.concat([df, df[["age"]]], axis=1)
    return _tab_dls(df)


@case("text", where=("label", "2"))
def missing_label_in_a_text_frame(d: Path) -> Any:
    from lamella.text import TextDataLoaders

    df = pd.DataFrame(
        {"text": ["a good film", "bad", "dull film", "fine"] * 3, "label": ["p", "n", None, "p"] * 3}
    )
    return TextDataLoaders.from_df(df, text_col="text", label_col="label", valid_pct=0.25, seed=0, bs=2)


@case("text", where=("bs", "tokens"))
def language_model_on_too_little_text(d: Path) -> Any:
    from lamella.text import TextDataLoaders

    df = pd.DataFrame({"text": ["a tiny corpus", "of three lines", "and no more"]})
    dls = TextDataLoaders.from_df(df, text_col="text", is_lm=True, valid_pct=0.34, seed=0, bs=64, seq_len=72)
    return dls.one_batch()


@case("medical", where=("nopix.dcm", "pixel"))
def dicom_without_pixels(d: Path) -> Any:
    import pydicom

    from lamella.medical import PILDicom

    ds = pydicom.dcmread(lamella.samples.path("dicom_samples") / "CT_small.dcm")
    del ds.PixelData
    ds.save_as(d / "nopix.dcm")
    return PILDicom.create(d / "nopix.dcm")


@case("audio", check=lambda r: r == (1, 800))
def stereo_file_mixed_to_mono(d: Path) -> Any:
    from lamella.audio import DownmixMono, TensorAudio

    fn = _wav(d / "st.wav", np.zeros((800, 2), np.int16))
    return tuple(DownmixMono()(TensorAudio.create(fn)).shape)


def run_all(root: Path) -> list[tuple[Case, str, str]]:
    """Every case in its own folder under `root`: (case, outcome, detail)."""
    out = []
    for i, c in enumerate(CASES):
        folder = root / f"{i:03d}_{c.name}"
        folder.mkdir(parents=True)
        out.append((c, *outcome(c, folder)))
    return out
