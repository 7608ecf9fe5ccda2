"""The split and CSV helpers every application's factories share."""

import pytest

from lamella.data import pick_splitter, read_csv


def test_pick_splitter_column_rows_or_share():
    assert pick_splitter(valid_idx=[-1, 2])(range(5)) == ([0, 1, 3], [2, 4])
    train, valid = pick_splitter(valid_pct=0.25, seed=3)(range(8))
    assert len(valid) == 2 and (train, valid) == pick_splitter(valid_pct=0.25, seed=3)(range(8))
    assert len(pick_splitter(valid_pct=None)(range(10))[1]) == 2  # fastai's 0.2
    with pytest.raises(ValueError, match="give valid_col or valid_idx, not both"):
        pick_splitter("is_valid", valid_idx=[0])
    with pytest.raises(KeyError, match=r"ImageDataLoaders.from_df: no column 'valid' \(valid_col\)"):
        pick_splitter("valid", columns=["name", "label"], caller="ImageDataLoaders.from_df")


def test_read_csv_names_the_caller_and_reads_options(tmp_path):
    pytest.importorskip("pandas")
    (tmp_path / "t.csv").write_text("a; b\n1; 2\n")
    df = read_csv(tmp_path / "t.csv", "from_csv", delimiter=";", skipinitialspace=True)
    assert list(df.columns) == ["a", "b"] and df["b"].tolist() == [2]
    with pytest.raises(FileNotFoundError, match="TabularDataLoaders.from_csv: no CSV file at"):
        read_csv(tmp_path / "none.csv", "TabularDataLoaders.from_csv")
    import pandas as pd

    rows = pd.DataFrame({"a": [1, 3, 5], "is_valid": [True, False, True]})
    assert pick_splitter("is_valid", columns=rows.columns)(rows) == ([1], [0, 2])
