"""Train the tabular and collab examples of the docs and draw their loss curves into docs/img/.

Prints the tables the docs pages quote (show_batch, the metric table, show_results, predict).
Run: .venv/bin/python tools/plot_tabular.py   (MovieLens is read from shared/data; skipped when absent)
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402

import lamella.samples  # noqa: E402
from lamella.collab import CollabDataLoaders, collab_learner  # noqa: E402
from lamella.data import Normalize  # noqa: E402
from lamella.learner import accuracy  # noqa: E402
from lamella.tabular import Categorify, FillMissing, TabularDataLoaders, tabular_learner  # noqa: E402

IMG = Path(__file__).resolve().parent.parent / "docs" / "img"
pd.set_option("display.width", 200)


def save(ax, name: str) -> None:
    ax.figure.set_size_inches(6, 3.2)
    ax.figure.tight_layout()
    ax.figure.savefig(IMG / name, dpi=80)
    plt.close(ax.figure)
    print(f"wrote {IMG / name}")


path = lamella.samples.path("adult_sample")
dls = TabularDataLoaders.from_csv(
    path / "adult.csv", y_names="salary",
    cat_names=["workclass", "education", "marital-status", "occupation", "relationship", "race"],
    cont_names=["age", "fnlwgt", "education-num"], procs=[Categorify, FillMissing, Normalize],
    seed=42, device="cpu",
)  # fmt: skip
dls.show_batch(max_n=3)
torch.manual_seed(0)
learn = tabular_learner(dls, metrics=accuracy)
with learn.no_bar():
    learn.fit_one_cycle(3)
learn.show_results(max_n=3)
print(learn.predict(pd.read_csv(path / "adult.csv", skipinitialspace=True).iloc[0]))
save(learn.recorder.plot_loss(), "tabular_adult_loss.png")

try:
    ml = lamella.samples.path("ml_100k")
except lamella.samples.SampleNotAvailable as e:
    print(f"collab skipped: {e}")
else:
    ratings = pd.read_csv(
        ml / "u.data", delimiter="\t", header=None, names=["user", "movie", "rating", "timestamp"]
    )
    movies = pd.read_csv(
        ml / "u.item",
        delimiter="|",
        encoding="latin-1",
        usecols=(0, 1),
        names=("movie", "title"),
        header=None,
    )
    ratings = ratings.merge(movies)
    dls = CollabDataLoaders.from_df(ratings, item_name="title", bs=64, seed=42, device="cpu")
    dls.show_batch(max_n=3)
    torch.manual_seed(42)
    learn = collab_learner(dls, n_factors=50, y_range=(0, 5.5))
    with learn.no_bar():
        learn.fit_one_cycle(5, 5e-3, wd=0.1)
    counts = ratings["title"].value_counts()
    top = counts.index[:1000].tolist()
    bias = learn.model.bias(top)
    order = bias.argsort(descending=True)[:5].tolist()
    print("highest bias:", [top[i] for i in order])
    order = bias.argsort()[:5].tolist()
    print("lowest bias:", [top[i] for i in order])
    save(learn.recorder.plot_loss(), "collab_ml100k_loss.png")
