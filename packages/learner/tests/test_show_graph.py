from lamella.learner import ShowGraphCallback


def test_draws_both_losses_each_epoch(learn):
    import pytest

    pytest.importorskip("matplotlib").use("Agg")
    cb = ShowGraphCallback()
    learn.fit(2, cbs=cb)
    labels = [line.get_label() for line in cb.graph_ax.get_lines()]
    assert labels == ["train", "valid"] and len(cb.graph_ax.get_lines()[1].get_xdata()) == 2
