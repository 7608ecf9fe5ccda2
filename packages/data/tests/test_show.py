import torch

from lamella.data import get_grid, show_batch, show_results
from lamella.data.labels import Category
from lamella.typedtensor import TensorImage, TensorMask


def test_grid_shapes(mpl):
    assert len(get_grid(5)) == 5 and len(get_grid(4, ncols=4)) == 4 and len(get_grid(3, nrows=1)) == 3


def test_default_show_batch_draws_each_sample(mpl):
    samples = [
        (TensorImage(torch.rand(3, 4, 4)), Category("cat")),
        (TensorImage(torch.rand(3, 4, 4)), Category("dog")),
    ]
    axs = show_batch(None, None, samples, max_n=1)
    assert len(axs) == 1 and axs[0].get_title() == "cat"


def test_apps_register_cases_for_their_types(mpl):
    calls = []

    @show_batch.register
    def _(x: TensorImage, y: TensorMask, samples, ctxs=None, max_n=9, **kwargs):
        calls.append(len(samples))
        return "custom"

    try:
        assert show_batch(TensorImage(torch.zeros(1)), TensorMask(torch.zeros(1)), [1, 2]) == "custom"
        assert calls == [2]
        assert show_batch(TensorImage(torch.zeros(1)), None, [(Category("a"),)])[0].get_title() == "a"
    finally:
        show_batch.cases.pop((TensorImage, TensorMask))


def test_show_results_titles_target_and_prediction(mpl):
    samples = [(TensorImage(torch.rand(3, 4, 4)), Category("cat"))]
    axs = show_results(None, None, samples, [(Category("dog"),)])
    assert axs[0].get_title() == "cat / dog"


def test_a_users_typedispatch_show_batch_gets_its_own_batch_type(mpl):
    # fastai's Siamese tutorial: `@typedispatch def show_batch(x: ImageTuple, ...)` in a notebook
    # must be the case DataLoader.show_batch calls, with the batch still an ImageTuple (issue 15).
    from lamella.data import DataLoader, Datasets
    from lamella.transforms import typedispatch

    class ImageTuple(tuple):
        pass

    seen = []
    notebook = {"ImageTuple": ImageTuple, "seen": seen}
    exec(
        "def show_batch(x: ImageTuple, y, samples, ctxs=None, max_n=9, **kwargs):\n"
        "    seen.append((type(x), len(samples)))\n"
        "    return 'siamese'",
        notebook,
    )
    typedispatch(notebook["show_batch"])
    try:
        items = [
            ImageTuple((TensorImage(torch.rand(3, 4, 4)), TensorImage(torch.rand(3, 4, 4)))) for _ in range(4)
        ]
        dl = DataLoader(Datasets(items, [[], [lambda t: 1.0]]), bs=2)
        b = dl.one_batch()
        assert type(b[0]) is ImageTuple and b[0][0].shape == (2, 3, 4, 4)
        assert dl.show_batch(max_n=2) == "siamese" and seen == [(ImageTuple, 2)]
    finally:
        show_batch.cases.pop((ImageTuple, object))
