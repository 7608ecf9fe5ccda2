"""fastai's tabular and collaborative-filtering tutorials and the book's chapters 8 and 9, imports changed."""

import lamella.samples
from lamella.collab.all import *
from lamella.tabular.all import *

adult = lamella.samples.path("adult_sample")


def test_tutorial_tabular_from_csv_and_predict(capsys, threshold):
    dls = TabularDataLoaders.from_csv(
        adult / "adult.csv", path=adult, y_names="salary",
        cat_names=["workclass", "education", "marital-status", "occupation", "relationship", "race"],
        cont_names=["age", "fnlwgt", "education-num"],
        procs=[Categorify, FillMissing, Normalize],
    )  # fmt: skip
    dls.show_batch()
    learn = tabular_learner(dls, metrics=accuracy)
    learn.fit_one_cycle(1)
    learn.show_results()
    df = pd.read_csv(adult / "adult.csv")
    row, clas, probs = learn.predict(df.iloc[0])
    assert clas.item() in (0, 1) and len(probs) == 2
    threshold(learn.recorder.values[-1][2], above=0.8, name="accuracy")  # the majority class scores 0.76
    assert (
        row["salary"].iloc[0] in dls.vocab if hasattr(row["salary"], "iloc") else row["salary"] in dls.vocab
    )


def test_tutorial_tabular_tabularpandas_and_test_dl():
    df = pd.read_csv(adult / "adult.csv")
    splits = RandomSplitter(valid_pct=0.2)(range_of(df))
    to = TabularPandas(
        df, procs=[Categorify, FillMissing, Normalize],
        cat_names=["workclass", "education", "marital-status", "occupation", "relationship", "race"],
        cont_names=["age", "fnlwgt", "education-num"], y_names="salary", splits=splits,
    )  # fmt: skip
    dls = to.dataloaders(bs=64)
    learn = tabular_learner(dls, metrics=accuracy)
    learn.fit(1)
    dl = learn.dls.test_dl(df.iloc[:100])
    preds, _ = learn.get_preds(dl=dl)
    assert preds.shape == (100, 2) and len(to.train) + len(to.valid) == len(df)


def test_book_chapter9_xs_and_y_for_scikit_learn():
    df = pd.read_csv(adult / "adult.csv")
    cont, cat = cont_cat_split(df, 1, dep_var="salary")
    procs = [Categorify, FillMissing]
    splits = RandomSplitter(seed=42)(range_of(df))
    to = TabularPandas(df, procs, cat, cont, y_names="salary", splits=splits)
    xs, y = to.train.xs, to.train.y
    valid_xs, valid_y = to.valid.xs, to.valid.y
    assert len(xs) == len(y) == len(splits[0]) and len(valid_xs) == len(valid_y) == len(splits[1])
    assert set(y.unique()) <= {0, 1} and "age" in cont and "education" in cat
    assert df_shrink(df).memory_usage().sum() < df.memory_usage().sum()


def test_book_chapter9_add_datepart():
    df = pd.DataFrame({"saledate": pd.date_range("2011-01-01", periods=10, freq="17D"), "price": range(10)})
    df = add_datepart(df, "saledate")
    assert " ".join(o for o in df.columns if o.startswith("sale")).startswith("saleYear saleMonth saleWeek")


def _ratings(shared_sample):
    path = shared_sample("ml_100k")
    ratings = pd.read_csv(
        path / "u.data", delimiter="\t", header=None, names=["user", "movie", "rating", "timestamp"]
    )
    movies = pd.read_csv(
        path / "u.item",
        delimiter="|",
        encoding="latin-1",
        usecols=(0, 1),
        names=("movie", "title"),
        header=None,
    )
    return ratings.merge(movies)


def test_book_chapter8_collab_and_pca(capsys, shared_sample, threshold):
    ratings = _ratings(shared_sample).iloc[:20000]
    dls = CollabDataLoaders.from_df(ratings, item_name="title", bs=64)
    dls.show_batch()
    learn = collab_learner(dls, n_factors=50, y_range=(0, 5.5))
    learn.fit_one_cycle(1, 5e-3, wd=0.1)
    movie_bias = learn.model.i_bias.weight.squeeze()
    idxs = movie_bias.argsort()[:5]
    worst = [dls.classes["title"][i] for i in idxs]
    movie_w = learn.model.i_weight.weight
    fac0, fac1, fac2 = pca(movie_w, 3).t()
    assert len(worst) == 5 and fac0.shape == (len(dls.classes["title"]),)
    threshold(learn.recorder.values[-1][1], below=_mean_rating_mse(dls), name="valid MSE vs the mean's")


def test_tutorial_collab_embedding_nn(shared_sample, threshold):
    ratings = _ratings(shared_sample).iloc[:20000]
    dls = CollabDataLoaders.from_df(ratings, item_name="title", bs=64)
    learn = collab_learner(dls, use_nn=True, y_range=(0, 5.5), layers=[100, 50])
    learn.fit_one_cycle(1, 5e-3, wd=0.1)
    threshold(learn.recorder.values[-1][1], below=_mean_rating_mse(dls), name="valid MSE vs the mean's")


def _mean_rating_mse(dls):
    """The validation MSE of always answering the mean training rating: a model must beat it."""
    train = torch.cat([y for _, y in dls.train]).float()
    valid = torch.cat([y for _, y in dls.valid]).float()
    return ((valid - train.mean()) ** 2).mean().item()
