"""Every factory and block type, end to end, as a user runs them (issue 15).

Each case builds loaders, trains on a few batches, shows a batch and the results, predicts one
raw item, exports, then loads the learner in a fresh process (nothing of this one's imports or
state) and predicts the same item again: the answer must be the same.
"""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import e2e_getters  # pytest.ini's pythonpath: learners pickle `e2e_getters.*` by a name a fresh process finds
import numpy as np
import pandas as pd
import pytest
import torch

import lamella.samples
from lamella.data import ColReader, DataBlock, RandomSplitter, RegressionBlock

HERE = Path(__file__).resolve().parent

MNIST = lamella.samples.path("mnist_tiny")
BCCD = lamella.samples.path("bccd")

# One fresh interpreter serves the whole module (imports take seconds): it has none of this process's
# imports or state, and loads each exported learner from its file alone. A request is a line of three
# paths (export, pickled item, where to write the pickled prediction); the answer is "ok" or an error.
_PREDICT = """
import pickle, sys, traceback
from lamella.learner import load_learner
for line in sys.stdin:
    export, item, out = line.rstrip("\\n").split("\\t")
    try:
        learn = load_learner(export, trusted=True)
        with open(item, "rb") as f:
            prediction = learn.predict(pickle.load(f))
        with open(out, "wb") as f:
            pickle.dump(prediction, f)
        print("ok", flush=True)
    except Exception:
        print(repr(traceback.format_exc()), flush=True)
"""


@pytest.fixture(scope="module")
def fresh_process(tmp_path_factory):
    """Predict with an exported learner in another interpreter: `fresh_process(export, item, out)`."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _PREDICT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        cwd=tmp_path_factory.mktemp("fresh"),
        env={**os.environ, "PYTHONPATH": str(HERE), "MPLBACKEND": "Agg"},
    )  # fmt: skip

    def predict(*paths):
        proc.stdin.write("\t".join(map(str, paths)) + "\n")
        proc.stdin.flush()
        answer = proc.stdout.readline().strip()
        assert answer == "ok", answer or f"the predicting process ended with code {proc.wait()}"

    yield predict
    proc.stdin.close()
    proc.wait(timeout=60)
    proc.stdout.close()


def _mnist_files(n=24):
    files = sorted(MNIST.glob("train/3/*.png"))[:n] + sorted(MNIST.glob("train/7/*.png"))[:n]
    return files


def _vision(dls):
    from lamella.vision import resnet18, vision_learner

    return vision_learner(dls, resnet18, pretrained=False)


def folder():
    from lamella.vision import ImageDataLoaders, Resize

    dls = ImageDataLoaders.from_folder(MNIST, item_tfms=Resize(28), bs=64, device="cpu", seed=0)
    return _vision(dls), MNIST / "valid/7/9294.png"


def name_func():
    from lamella.vision import ImageDataLoaders, Resize

    files = _mnist_files()
    dls = ImageDataLoaders.from_name_func(MNIST, files, e2e_getters.is_even, item_tfms=Resize(28), bs=16)
    return _vision(dls), files[0]


def name_re():
    from lamella.vision import ImageDataLoaders, Resize

    files = _mnist_files()
    dls = ImageDataLoaders.from_name_re(MNIST, files, r"^(\d)", item_tfms=Resize(28), bs=16, device="cpu")
    return _vision(dls), files[-1]


def path_re():
    from lamella.vision import ImageDataLoaders, Resize

    files = _mnist_files()
    dls = ImageDataLoaders.from_path_re(MNIST, files, r"/(\d)/", item_tfms=Resize(28), bs=16, device="cpu")
    return _vision(dls), files[0]


def path_func():
    from lamella.data import parent_label
    from lamella.vision import ImageDataLoaders, Resize

    files = _mnist_files()
    dls = ImageDataLoaders.from_path_func(
        MNIST, files, parent_label, item_tfms=Resize(28), bs=16, device="cpu"
    )
    return _vision(dls), files[0]


def lists():
    from lamella.vision import ImageDataLoaders, Resize

    files = _mnist_files()
    labels = [f.parent.name for f in files]
    dls = ImageDataLoaders.from_lists(MNIST, files, labels, item_tfms=Resize(28), bs=16, device="cpu")
    return _vision(dls), files[0]


def csv():
    from lamella.vision import ImageDataLoaders, Resize

    dls = ImageDataLoaders.from_csv(MNIST, "labels.csv", item_tfms=Resize(28), bs=64, device="cpu", seed=0)
    return _vision(dls), MNIST / "valid/3/9882.png"


def multi_label():
    from lamella.vision import ImageDataLoaders, Resize

    df = pd.read_csv(MNIST / "labels.csv").iloc[::20].reset_index(drop=True)
    df["label"] = [
        f"{d} {'odd' if int(n.split('/')[-1][:-4]) % 2 else 'even'}" for d, n in zip(df.label, df.name)
    ]
    dls = ImageDataLoaders.from_df(df, MNIST, label_delim=" ", item_tfms=Resize(28), bs=16, device="cpu")
    return _vision(dls), MNIST / df.name[0]


def regression():
    from lamella.vision import ImageBlock, Resize, load_image

    df = pd.read_csv(MNIST / "labels.csv").iloc[::20].reset_index(drop=True)
    df["ink"] = [float(np.asarray(load_image(MNIST / n)).mean() / 255) for n in df.name]
    dls = DataBlock(
        blocks=(ImageBlock, RegressionBlock),
        get_x=ColReader("name", pref=f"{MNIST}/"),
        get_y=ColReader("ink"),
        splitter=RandomSplitter(seed=0),
        item_tfms=Resize(28),
    ).dataloaders(df, bs=16, device="cpu")
    return _vision(dls), MNIST / df.name[0]


def points():
    from lamella.vision import ImageBlock, PointBlock, Resize

    df = pd.read_csv(BCCD / "wbc_centers.csv").iloc[:40]
    dls = DataBlock(
        blocks=(ImageBlock, PointBlock),
        get_x=ColReader("fname", pref=BCCD),
        get_y=ColReader(["x", "y"]),
        splitter=RandomSplitter(seed=0),
        item_tfms=Resize((48, 64), method="squish"),
    ).dataloaders(df, bs=16, device="cpu")
    return _vision(dls), BCCD / df.fname[0]


def one_box():
    from lamella.vision import BBoxBlock, ImageBlock, Resize

    boxes = pd.read_csv(BCCD / "all_boxes.csv")
    wbc = boxes[boxes["cell_type"] == "WBC"].groupby("filename").filter(lambda g: len(g) == 1).iloc[:40]
    wbc = wbc.assign(fname=[f"JPEGImages/{f}" for f in wbc.filename]).reset_index(drop=True)
    dls = DataBlock(
        blocks=(ImageBlock, BBoxBlock),
        get_x=ColReader("fname", pref=BCCD),
        get_y=e2e_getters.one_box,
        splitter=RandomSplitter(seed=0),
        item_tfms=Resize((48, 64), method="squish"),
    ).dataloaders(wbc, bs=16, device="cpu")
    return _vision(dls), BCCD / wbc.fname[0]


def segmentation(shared_sample):
    from lamella.vision import Resize, SegmentationDataLoaders, get_image_files, resnet18, unet_learner

    path = shared_sample("camvid_tiny")
    codes = (path / "codes.txt").read_text().split()
    files = get_image_files(path / "images")[:12]
    dls = SegmentationDataLoaders.from_label_func(
        path,
        files,
        e2e_getters.CamvidLabel(path),
        codes=codes,
        item_tfms=Resize((48, 64)),
        bs=4,
        device="cpu",
    )
    return unet_learner(dls, resnet18, pretrained=False), files[0]


def tabular():
    from lamella.tabular import Categorify, FillMissing, NormalizeTab, TabularDataLoaders, tabular_learner

    df = pd.read_csv(lamella.samples.path("adult_sample") / "adult.csv").iloc[:400]
    dls = TabularDataLoaders.from_df(
        df, y_names="salary", cat_names=["workclass", "education"], cont_names=["age", "fnlwgt"],
        procs=[Categorify, FillMissing, NormalizeTab], valid_pct=0.25, seed=0, bs=64, device="cpu",
    )  # fmt: skip
    return tabular_learner(dls, layers=[20, 10]), df.iloc[3]


def collab(shared_sample):
    from lamella.collab import CollabDataLoaders, collab_learner

    path = shared_sample("ml_100k")
    ratings = pd.read_csv(path / "u.data", sep="\t", header=None, names=["user", "movie", "rating", "ts"])
    ratings = ratings.iloc[:2000]
    dls = CollabDataLoaders.from_df(ratings, valid_pct=0.1, seed=0, bs=256, device="cpu")
    return collab_learner(dls, n_factors=8, y_range=(0, 5.5)), ratings.iloc[0]


def audio():
    from lamella.audio import AudioBlock, AudioToSpec, MaskFreq, audio_learner, get_audio_files
    from lamella.data import CategoryBlock, FuncSplitter, RegexLabeller

    path = lamella.samples.path("fsdd_subset")
    dls = DataBlock(
        blocks=(AudioBlock(sample_rate=8000, crop_signal_to=1000), CategoryBlock), get_items=get_audio_files,
        get_y=RegexLabeller(r"(\d)_\w+_\d+\.wav$"), splitter=FuncSplitter(e2e_getters.fsdd_is_test),
        batch_tfms=[AudioToSpec(n_fft=512, hop_length=64, n_mels=32), MaskFreq(size=4)],
    ).dataloaders(path, bs=32, device="cpu")  # fmt: skip
    return audio_learner(dls), path / "recordings/4_george_2.wav"


def dicom():
    import tempfile

    from test_medical_quality import write_dicom

    from lamella.data import CategoryBlock, ColReader, RandomSplitter
    from lamella.medical import PILDicom
    from lamella.vision import ImageBlock, Resize

    path = Path(tempfile.mkdtemp())
    rows = []
    for png in _mnist_files(12):
        write_dicom(png, path / f"{png.parent.name}_{png.stem}.dcm")
        rows.append({"file": f"{png.parent.name}_{png.stem}.dcm", "label": png.parent.name})
    df = pd.DataFrame(rows)
    dls = DataBlock(
        blocks=(ImageBlock(cls=PILDicom), CategoryBlock), get_x=ColReader("file", pref=path),
        get_y=ColReader("label"), splitter=RandomSplitter(seed=0), item_tfms=Resize(28),
    ).dataloaders(df, bs=8, device="cpu")  # fmt: skip
    from lamella.vision import resnet18, vision_learner

    return vision_learner(dls, resnet18, n_in=1, pretrained=False), path / rows[0]["file"]


NEEDS_SHARED_DATA = (segmentation, collab)
CASES = [
    folder, name_func, name_re, path_re, path_func, lists, csv, multi_label, regression, points, one_box,
    segmentation, tabular, collab, audio, dicom,
]  # fmt: skip


def _same(a, b, where="result"):
    if isinstance(a, torch.Tensor):
        torch.testing.assert_close(a.as_subclass(torch.Tensor), b.as_subclass(torch.Tensor), msg=where)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b)
    elif isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, (tuple, list)):
        assert type(a) is type(b) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_build_train_show_predict_export_and_load_in_a_fresh_process(
    case, tmp_path, mpl, shared_sample, fresh_process
):
    torch.manual_seed(0)
    learn, item = case(shared_sample) if case in NEEDS_SHARED_DATA else case()
    learn.path = tmp_path
    with learn.no_bar(), learn.no_logging():
        learn.fit(1, 1e-3)
    learn.dls.show_batch(max_n=4)
    learn.show_results(max_n=4)
    mpl.pyplot.close("all")
    before = learn.predict(item)
    fname = learn.export("export.pkl")
    (tmp_path / "item.pkl").write_bytes(pickle.dumps(item))
    fresh_process(fname, tmp_path / "item.pkl", tmp_path / "out.pkl")
    after = pickle.loads((tmp_path / "out.pkl").read_bytes())
    _same(before, after)


def test_multi_label_top_losses(mpl):
    from lamella.learner import Interpretation

    learn, _ = multi_label()
    _, _, losses = learn.get_preds(with_loss=True)
    assert losses.shape == (len(learn.dls.valid_ds),)  # one loss per item, not per label
    axs = Interpretation.from_learner(learn).plot_top_losses(4)
    assert len(axs) == 4 and all(ax.get_title().count(" / ") == 3 for ax in axs)
