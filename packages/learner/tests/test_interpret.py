import pytest
import torch
from torch import nn

from lamella.learner import ClassificationInterpretation, Interpretation, Learner

from .conftest import block_dls


@pytest.fixture
def trained():
    learn = Learner(block_dls(), nn.Linear(2, 2), lr=0.1)
    learn.progress.show_bars = learn.progress.show_table = False
    learn.fit(2)
    return learn


def test_top_losses(trained):
    interp = Interpretation.from_learner(trained)
    losses, idx = interp.top_losses(5)
    assert losses.shape == (5,) and (losses[:-1] >= losses[1:]).all()
    assert torch.allclose(losses, interp.losses[idx])


def test_an_empty_validation_set_is_named_not_a_none_error():
    dls = block_dls(valid=False)
    learn = Learner(dls, nn.Linear(2, 2))
    with pytest.raises(ValueError, match=r"Interpretation.from_learner: dls\[1\] holds no items"):
        ClassificationInterpretation.from_learner(learn)
    with pytest.raises(ValueError, match=r"from_learner: the given DataLoader holds no items"):
        Interpretation.from_learner(learn, dl=dls.test_dl([]))


def test_confusions_and_report(trained, capsys):
    interp = ClassificationInterpretation.from_learner(trained)
    cm = interp.confusion_matrix()
    assert cm.sum() == 50 and interp.vocab == ["neg", "pos"]
    for actual, predicted, count in interp.most_confused():
        assert actual != predicted and cm[interp.vocab.index(actual), interp.vocab.index(predicted)] == count
    interp.print_classification_report()
    out = capsys.readouterr().out
    assert "precision" in out and "neg" in out and "accuracy" in out


def test_plots(trained):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    interp = ClassificationInterpretation.from_learner(trained)
    assert len(interp.plot_confusion_matrix().texts) == 4
    axs = interp.plot_top_losses(4)
    assert len(axs) == 4 and all(" / " in ax.get_title() for ax in axs)
    plt.close("all")


def test_show_results_of_chosen_items_and_segmentation_name():
    import pytest

    pytest.importorskip("matplotlib").use("Agg")
    from torch import nn

    from lamella.learner import Interpretation, Learner, SegmentationInterpretation

    from .conftest import block_dls

    learn = Learner(block_dls(), nn.Linear(2, 2), lr=0.1)
    interp = Interpretation.from_learner(learn)
    interp.show_results([0, 3])
    assert issubclass(SegmentationInterpretation, Interpretation)
