import pandas as pd
import pytest


@pytest.fixture
def small():
    """Ratings of 6 users on 5 movies, by name."""
    users = [1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 6, 6, 6]
    movies = list("abcabcdeabcdeabe")
    return pd.DataFrame({"user": users, "title": movies, "rating": [float(i % 5 + 1) for i in range(16)]})


@pytest.fixture(scope="session")
def movielens(shared_sample):
    """MovieLens 100k with titles (GroupLens forbids shipping it: read from shared/data, else skip)."""
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
