"""What several test modules of the text package share: small classifier loaders, a slice of IMDb."""

import pandas as pd
import pytest

from lamella.text import TextDataLoaders


def small_loaders(df, **kwargs):
    """Classifier loaders for a dozen-row frame: every word kept, a quarter for validation, one process."""
    settings = dict(bs=4, device="cpu", valid_pct=0.25, seed=0, n_workers=0, min_freq=1)
    return TextDataLoaders.from_df(df, **{**settings, **kwargs})


@pytest.fixture(scope="module")
def reviews(shared_sample):
    """120 training and 40 validation reviews of the IMDb sample."""
    df = pd.read_csv(shared_sample("imdb_sample") / "texts.csv")
    return pd.concat([df[~df.is_valid].head(120), df[df.is_valid].head(40)], ignore_index=True)
