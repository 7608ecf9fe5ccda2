"""fastai's mid-level API tutorials (tutorial.pets, tutorial.siamese) and core docs, imports changed.

Paths point at the shipped mnist_tiny instead of the Oxford pets; the code is fastai's.
"""

from fastcore.all import fastuple  # fastcore's own utilities come from fastcore (see "Coming from fastai")

import lamella.samples
from lamella.vision.all import *

path = lamella.samples.path("mnist_tiny")
items = get_image_files(path, folders=["train", "valid"])


def test_pets_tfmdlists_with_a_labeller_and_splits(mpl):
    def label_func(fname):
        return parent_label(fname)

    tfms = [[PILImage.create], [label_func, Categorize()]]
    splits = GrandparentSplitter()(items)
    dsets = Datasets(items, tfms, splits=splits)
    x, y = dsets.valid[0]
    assert isinstance(x, PILImage) and dsets.vocab == ["3", "7"]
    dls = dsets.dataloaders(bs=16, after_item=[Resize(28), ToTensor], after_batch=[IntToFloatTensor])
    xb, yb = dls.one_batch()
    show_at(dsets.train, 0)
    assert xb.shape == (16, 3, 28, 28) and dls.c == 2 and dls.vocab == ["3", "7"]


def test_pets_transform_pipeline_and_decode(mpl):
    class LabelFromPath(Transform):
        def encodes(self, o: Path):
            return o.parent.name

    tfm = Pipeline([LabelFromPath(), Categorize(vocab=["3", "7"])])
    t = tfm(items[0])
    assert tfm.decode(t) == "3" and tfm.vocab == ["3", "7"]


def test_pets_tfmdlists_dataloaders(mpl):
    cut = len(items) // 2
    tl = TfmdLists(items, [PILImage.create], splits=[list(range(cut)), list(range(cut, len(items)))])
    dls = tl.dataloaders(after_item=[Resize(28), ToTensor], after_batch=[IntToFloatTensor], bs=8)
    b = dls.one_batch()
    assert type(b).__name__ == "TensorImage" and b.shape == (8, 3, 28, 28)


class ImageTuple(fastuple):
    def show(self, ctx=None, **kwargs):
        t1, t2 = self
        if not isinstance(t1, Tensor) or not isinstance(t2, Tensor) or t1.shape != t2.shape:
            return ctx
        line = t1.new_zeros(t1.shape[0], t1.shape[1], 10)
        return show_image(torch.cat([t1, line, t2], dim=2), ctx=ctx, **kwargs)


@typedispatch
def show_batch(x: ImageTuple, y, samples, ctxs=None, max_n=6, nrows=None, ncols=2, figsize=None, **kwargs):
    if figsize is None:
        figsize = (ncols * 6, max_n // ncols * 3)
    if ctxs is None:
        ctxs = get_grid(min(len(samples), max_n), nrows=nrows, ncols=ncols, figsize=figsize)
    ctxs = show_batch[object](x, y, samples, ctxs=ctxs, max_n=max_n, **kwargs)
    return ctxs


def test_siamese_tutorial_custom_type_and_show_batch(mpl):
    class SiameseTransform(Transform):
        def __init__(self, files, splits):
            self.splbl2files = [
                {lbl: [f for f in files[splits[i]] if parent_label(f) == lbl] for lbl in ["3", "7"]}
                for i in range(2)
            ]
            self.valid = {f: self._draw(f, 1) for f in files[splits[1]]}

        def encodes(self, f):
            f2, same = self.valid.get(f, self._draw(f, 0))
            img1, img2 = PILImage.create(f), PILImage.create(f2)
            return ImageTuple((img1, img2)), int(same)

        def _draw(self, f, split=0):
            same = random.random() < 0.5
            cls = parent_label(f)
            if not same:
                cls = "7" if cls == "3" else "3"
            return random.choice(self.splbl2files[split][cls]), same

    files = np.array(items)
    splits = GrandparentSplitter()(items)
    tfm = SiameseTransform(files, splits)
    tls = TfmdLists(list(files), tfm, splits=splits)
    dls = tls.dataloaders(after_item=[Resize(28), ToTensor], after_batch=[IntToFloatTensor], bs=8)
    b = dls.one_batch()
    axs = dls.show_batch(max_n=2)
    assert type(b[0]).__name__ == "ImageTuple" and b[0][0].shape == (8, 3, 28, 28) and len(axs) == 2
    assert axs[0].get_images()[0].get_array().shape[:2] == (28, 66)  # ImageTuple.show: both, a line between


def test_core_docs_show_at_with_image_keywords_and_a_bound_callback(mpl):
    # fastai's data.core docs: `show_at(dsets.train, 0, cmap='Greys', figsize=(2,2))`
    dsets = Datasets(items[:4], [[PILImageBW.create], [parent_label, Categorize()]])
    ax = show_at(dsets, 0, cmap="Greys", figsize=(2, 2))
    assert ax.images[0].get_cmap().name == "Greys" and tuple(ax.figure.get_size_inches()) == (2, 2)
    assert ax.get_title() == parent_label(items[0])

    # fastai's callback docs: keyword handlers are bound to the callback, so they take `self`
    def before_fit(self):
        self.learn.started = True

    learn = Learner(
        DataLoaders.from_dsets(list(range(4)), list(range(2)), bs=2), nn.Linear(1, 1), loss_func=MSELossFlat()
    )
    cb = Callback(before_fit=before_fit)
    cb.learn = learn
    cb.before_fit()
    assert learn.started


def test_core_docs_datasets_of_a_frame_with_one_callable_and_overlapping_splits():
    from operator import attrgetter

    import pandas as pd

    df = pd.DataFrame(dict(a=[1, 2, 3], b=[2, 3, 4]))
    dsets = Datasets(df, tfms=attrgetter("a"))  # fastai's data.core docs
    assert [dsets[i][0] for i in range(3)] == [1, 2, 3]
    tl = TfmdLists(items, [PILImage.create], splits=GrandparentSplitter()(items))
    assert not tl.overlapping_splits()


def test_siamese_tutorial_indexes_the_files_by_a_permutation():
    idxs = np.random.default_rng(0).permutation(
        len(items)
    )  # fastai: np.random.permutation(range(len(files)))
    cut = int(0.8 * len(items))
    train_files, valid_files = items[idxs[:cut]], items[idxs[cut:]]
    assert len(train_files) + len(valid_files) == len(items) and not set(train_files) & set(valid_files)
