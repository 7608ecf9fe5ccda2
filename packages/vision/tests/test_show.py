import torch

from lamella.data import show_batch, show_results
from lamella.typedtensor import TensorBBox, TensorImage, TensorMask, TensorPoint
from lamella.vision import show_boxes


def test_show_boxes_leaves_out_padding(mpl):
    ax = show_boxes(
        TensorBBox(torch.tensor([[1.0, 1, 5, 5], [0, 0, 0, 0], [2, 2, 3, 3]])), ["cell", "#na#", "#na#"]
    )
    assert len(ax.patches) == 1 and [t.get_text() for t in ax.texts] == ["cell"]


def test_box_batches_draw_boxes_and_labels(mpl):
    img = TensorImage(torch.rand(2, 3, 8, 8))
    samples = [(TensorImage(torch.rand(3, 8, 8)), TensorBBox(torch.tensor([[1.0, 1, 4, 4]])), ["RBC"])] * 2
    axs = show_batch(img, TensorBBox(torch.zeros(2, 1, 4)), samples)
    assert len(axs) == 2 and len(axs[0].patches) == 1 and axs[0].texts[0].get_text() == "RBC"


def test_mask_results_in_two_columns(mpl):
    img = TensorImage(torch.rand(3, 8, 8))
    mask, pred = (
        TensorMask(torch.zeros(8, 8, dtype=torch.long)),
        TensorMask(torch.ones(8, 8, dtype=torch.long)),
    )
    axs = show_results(
        TensorImage(torch.rand(2, 3, 8, 8)),
        TensorMask(torch.zeros(2, 8, 8)),
        [(img, mask)] * 2,
        [(pred,)] * 2,
    )
    assert [a.get_title() for a in axs] == ["target", "prediction"] * 2
    assert len(axs[0].images) == 2  # the image and its mask overlaid


def test_point_results_on_one_image(mpl):
    img = TensorImage(torch.rand(3, 8, 8))
    target, pred = TensorPoint(torch.tensor([[2.0, 3.0]])), TensorPoint(torch.tensor([[4.0, 5.0]]))
    axs = show_results(
        TensorImage(torch.rand(1, 3, 8, 8)), TensorPoint(torch.zeros(1, 1, 2)), [(img, target)], [(pred,)]
    )
    assert len(axs) == 1 and len(axs[0].collections) == 2
    assert "prediction: red" in axs[0].figure._suptitle.get_text()
