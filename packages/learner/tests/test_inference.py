"""get_preds, predict and decoding, for single- and multi-label targets."""

import torch
from torch import nn

from lamella.learner import (
    BCEWithLogitsLossFlat,
    Learner,
)
from lamella.typedtensor import TensorCategory

from .conftest import block_dls, toy_dls


def test_get_preds_predict_and_decoding():
    dls = block_dls()
    learn = Learner(dls, nn.Linear(2, 2), lr=0.1)
    learn.progress.show_bars = learn.progress.show_table = False
    learn.fit(3)
    inp, preds, targs, dec, losses = learn.get_preds(with_input=True, with_decoded=True, with_loss=True)
    assert preds.shape == (50, 2) and torch.allclose(preds.sum(1), torch.ones(50))
    assert type(dec) is TensorCategory and losses.shape == (50,) and inp.shape == (50, 2)
    assert (dec == targs).float().mean() > 0.85
    label, idx, probs = learn.predict([2.0, 1.0])
    assert label == "pos" and int(idx) == 1 and probs.shape == (2,) and probs[1] > 0.5


def test_predict_with_input():
    learn = Learner(block_dls(), nn.Linear(2, 2), lr=0.1)
    x, label, idx, probs = learn.predict([1.0, 1.0], with_input=True)
    assert x.tolist() == [1.0, 1.0] and label in ("pos", "neg") and probs.shape == (2,)


def test_multi_label_learner():
    learn = Learner(toy_dls(), nn.Linear(2, 2), loss_func=BCEWithLogitsLossFlat())
    assert learn.loss_func.decodes(torch.tensor([[0.9, 0.1]])).tolist() == [[True, False]]
