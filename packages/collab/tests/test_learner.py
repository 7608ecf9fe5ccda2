import pytest
import torch

from lamella.collab import CollabDataLoaders, EmbeddingDotBias, EmbeddingNN, collab_learner


def test_movielens_mse_after_five_epochs(movielens):
    dls = CollabDataLoaders.from_df(movielens, item_name="title", bs=64, seed=42, device="cpu")
    torch.manual_seed(42)
    learn = collab_learner(dls, n_factors=50, y_range=(0, 5.5))
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(5, 5e-3, wd=0.1)
    mse = learn.validate()[0]
    assert mse <= 0.83, mse
    # the analysis of fastai's lesson: biases and factors of movies by title
    titles = ["Star Wars (1977)", "Children of the Revolution (1996)"]
    assert learn.model.bias(titles).shape == (2,) and learn.model.weight(titles).shape == (2, 50)
    row, rating, _ = learn.predict(movielens.iloc[0])
    assert 0 < float(rating) < 5.5 and row["title"] == movielens["title"].iloc[0]


def test_neural_collab_trains(small):
    dls = CollabDataLoaders.from_df(small, seed=0, bs=4, device="cpu")
    learn = collab_learner(dls, use_nn=True, layers=[8], y_range=(0, 5.5))
    assert isinstance(learn.model, EmbeddingNN)
    with learn.no_bar(), learn.no_logging():
        learn.fit(3, 1e-2)
    assert len(learn.recorder.losses) == 3 * len(dls.train)


def test_dot_model_sized_from_vocab(small):
    learn = collab_learner(CollabDataLoaders.from_df(small, seed=0, bs=4), n_factors=7)
    assert isinstance(learn.model, EmbeddingDotBias) and learn.model.i_weight.weight.shape == (6, 7)
    assert type(learn.loss_func).__name__ == "MSELossFlat"
    with pytest.raises(KeyError):
        learn.model.bias(["zzz"])
