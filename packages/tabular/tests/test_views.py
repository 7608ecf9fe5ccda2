import numpy as np
import pandas as pd
import torch

from lamella.tabular import Categorify, TabularPandas

from .conftest import make


def test_decode_round_trips_the_raw_values(frame):
    to = make(frame)
    decoded = to.decode()
    assert decoded["color"].tolist()[:2] == ["red", "blue"]
    np.testing.assert_allclose(decoded["size"].tolist(), [1, 3.5, 3, 4, 5, 3.5, 7, 8], rtol=1e-5)
    assert to.decode_row(to.items.iloc[1])["size_na"] == True  # noqa: E712  (numpy bool)
    assert to.decode_y(torch.tensor([1, 0])) == ["b", "a"]


def test_show_prints_readable_rows(frame, capsys):
    make(frame).show(max_n=2)
    out = capsys.readouterr().out
    assert "red" in out and "blue" in out and "#na#" not in out


def test_frame_views_for_scikit_learn():

    df = pd.DataFrame({"c": ["x", "y", "x", "y"], "n": [1.0, 2.0, 3.0, 4.0], "t": ["no", "yes", "no", "yes"]})
    to = TabularPandas(df, [Categorify], cat_names="c", cont_names="n", y_names="t", splits=([0, 1, 2], [3]))
    assert to.train.xs.to_dict("list") == {"c": [1, 2, 1], "n": [1.0, 2.0, 3.0]}
    assert to.valid.ys.to_dict("list") == {"t": [1]} and to.train.y.tolist() == [0, 1, 0]
