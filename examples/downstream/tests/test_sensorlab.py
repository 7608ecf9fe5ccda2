"""sensorlab trains with lamella's Learner, and only the layers it depends on are installed."""

import importlib.util
import os
import pickle

import pytest
import torch
from sensorlab import SignalBlock, Standardize, TensorSignal, make_waves, signal_learner

from lamella.data import CategoryBlock, DataBlock, ItemGetter, RandomSplitter


def test_the_typed_tensor_and_the_transform_round_trip():
    x = TensorSignal.create([[1.0, 3.0]], sr=10)
    t = Standardize(mean=2.0, std=0.5)
    assert type(t(x)) is TensorSignal and t(x).sr == 10 and torch.equal(t.decode(t(x)), x)


def test_a_datablock_of_signals_trains_with_learner():
    torch.manual_seed(0)
    items = make_waves(600, seed=0)
    dls = DataBlock(
        blocks=(SignalBlock(sr=64), CategoryBlock), get_x=ItemGetter(0), get_y=ItemGetter(1),
        splitter=RandomSplitter(seed=0),
    ).dataloaders(items, bs=32, device="cpu")  # fmt: skip
    x, y = dls.one_batch()
    assert type(x) is TensorSignal and x.shape == (32, 1, 64) and x.sr == 64
    learn = signal_learner(dls)
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(4, 1e-2)
    assert float(learn.validate()[1]) > 0.9
    label, _, probs = learn.predict(items[1])  # an item as the DataBlock's source holds it
    assert label in dls.vocab and probs.shape == (3,)
    pickle.loads(pickle.dumps(learn.dls))  # loaders with the library's transforms pickle


@pytest.mark.skipif(
    not os.environ.get("LAMELLA_DOWNSTREAM_CHECK"), reason="checked in check_foundation's fresh venv"
)
def test_only_the_layers_it_depends_on_are_installed():
    for layer in ("lamella.data", "lamella.learner"):
        assert importlib.util.find_spec(layer) is not None
    for absent in ("lamella.vision", "lamella.tabular", "lamella.text", "torchvision", "pandas"):
        try:
            found = importlib.util.find_spec(absent)
        except ModuleNotFoundError:
            found = None
        assert found is None, f"{absent} is installed beside sensorlab"
