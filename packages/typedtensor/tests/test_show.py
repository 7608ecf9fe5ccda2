import pytest
import torch

from lamella.typedtensor import (
    TensorBBox,
    TensorCategory,
    TensorImage,
    TensorImageBW,
    TensorMask,
    TensorMultiCategory,
    TensorPoint,
    TensorText,
    show_image,
    show_images,
    show_title,
    show_titled_image,
    subplots,
)

mpl = pytest.importorskip("matplotlib", reason="showing needs the 'show' extra (matplotlib)")
mpl.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.mark.parametrize(
    "im",
    [
        torch.rand(3, 8, 8),
        torch.rand(8, 8, 3),
        torch.rand(1, 8, 8),
        torch.rand(8, 8),
        torch.randn(3, 8, 8) * 5,
    ],
    ids=["chw", "hwc", "bw", "hw", "normalised"],
)
def test_show_image_layouts(im):
    ax = show_image(im, title="t")
    arr = ax.get_images()[0].get_array()
    assert arr.shape[:2] == (8, 8) and ax.get_title() == "t"
    assert float(arr.min()) >= 0 and float(arr.max()) <= 1


def test_show_image_rejects_what_it_cannot_draw():
    with pytest.raises(ValueError, match=r"got shape \(2, 3, 8, 8\)"):
        show_image(torch.rand(2, 3, 8, 8))


def test_types_show_on_one_axes():
    ax = TensorImage(torch.rand(3, 8, 8)).show()
    TensorMask(torch.randint(0, 3, (8, 8))).show(ctx=ax)
    TensorPoint([[1.0, 2.0], [3.0, 4.0]]).show(ctx=ax)
    TensorBBox([[0.0, 0.0, 4.0, 4.0]]).show(ctx=ax)
    TensorCategory(1).show(ctx=ax)
    assert len(ax.get_images()) == 2 and len(ax.collections) == 1 and len(ax.patches) == 1
    assert ax.get_title() == "1"
    assert ax.get_images()[1].get_alpha() == 0.5


def test_titles_and_grids():
    assert TensorMultiCategory([0, 2]).show().get_title() == "0;2"
    assert TensorText([3, 4]).show().get_title() == "3 4"
    assert show_title("dog").get_title() == "dog"
    assert show_titled_image((torch.rand(3, 4, 4), "cat")).get_title() == "cat"
    assert TensorImageBW(torch.rand(1, 4, 4)).show().get_images()[0].get_cmap().name == "Greys"
    fig, axs = subplots(2, 3)
    assert axs.shape == (6,)
    axs = show_images([torch.rand(3, 4, 4)] * 3, nrows=2, titles=["a", "b", "c"])
    assert [a.get_title() for a in axs[:3]] == ["a", "b", "c"]


def test_show_title_leaves_image_keywords_and_appends_to_a_title(mpl):
    from lamella.typedtensor.show import show_title

    ax = show_title("dog", cmap="Greys", figsize=(2, 2), color="red")
    assert ax.get_title() == "dog" and ax.title.get_color() == "red"
    assert show_title("brown", ctx=ax).get_title() == "dog\nbrown"
