from pathlib import Path

import pytest

import lamella.samples
from lamella.data import AttrGetter, ColReader, FileGetter, ItemGetter, RegexLabeller, get_files, parent_label
from lamella.transforms import TransformError


def test_get_files_filters_and_sorts(tmp_path):
    for name in ["b/2.PNG", "a/1.png", "a/notes.txt", ".hidden/3.png", "c/d/4.png"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    rel = [p.relative_to(tmp_path).as_posix() for p in get_files(tmp_path, extensions="png")]
    assert rel == ["a/1.png", "b/2.PNG", "c/d/4.png"]
    assert [p.name for p in get_files(tmp_path, extensions=[".png"], recurse=False)] == []
    assert [p.name for p in get_files(tmp_path, folders=["a"])] == ["1.png", "notes.txt"]
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        get_files(tmp_path / "missing")


def test_file_getter_on_mnist_tiny():
    path = lamella.samples.path("mnist_tiny")
    files = FileGetter(extensions=".png", folders=["train", "valid"])(path)
    assert len(files) == 709 + 699 and {parent_label(f) for f in files} == {"3", "7"}


def test_file_getter_pickles_for_export():
    import pickle

    path = lamella.samples.path("mnist_tiny")
    getter = pickle.loads(pickle.dumps(FileGetter("valid", extensions=".png")))
    assert len(getter(path)) == 699


def test_item_and_attr_getters():
    assert ItemGetter(0)(("x", "y")) == "x"
    assert ItemGetter("a")({"a": 1}) == 1
    with pytest.raises(TransformError, match=r"ItemGetter\('b'\) cannot index dict"):
        ItemGetter("b")({"a": 1})
    assert AttrGetter("stem")(Path("a/b.png")) == "b" and AttrGetter("nope", 3)(1) == 3


def test_col_reader_on_pandas_rows():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"name": ["a", "b"], "tags": ["x y", float("nan")]})
    assert ColReader("name", pref=Path("imgs"), suff=".png")(df.iloc[0]) == str(Path("imgs") / "a") + ".png"
    assert ColReader(0)(df.iloc[1]) == "b"
    assert ColReader("tags", label_delim=" ")(df.iloc[0]) == ["x", "y"]
    assert ColReader("tags", label_delim=" ")(df.iloc[1]) == []
    assert ColReader(["name", "tags"])(df.iloc[0]) == ["a", "x y"]
    with pytest.raises(TransformError, match="column 'nam' is not in the row; it has: \\['name', 'tags'\\]"):
        ColReader("nam")(df.iloc[0])


def test_labellers():
    assert parent_label(Path("train/7/1.png")) == "7"
    lab = RegexLabeller(r"([a-z_]+)_\d+\.jpg$")
    assert lab("x/great_pyrenees_17.jpg") == "great_pyrenees"
    assert RegexLabeller(r"^x/(\w)", match=True)("x/abc") == "a"
    with pytest.raises(ValueError, match="does not match 'x/y.png'"):
        lab("x/y.png")


def test_a_regex_without_a_group_is_refused_when_built():
    from lamella.data import RegexLabeller

    with pytest.raises(ValueError, match="has no group; put the label's part in parentheses"):
        RegexLabeller(r"\d_\w+\.wav$")


def test_get_files_is_indexed_by_positions_and_masks_as_fastais_L(tmp_path):
    import numpy as np
    import torch

    from lamella.data import FileList, get_files

    for n in "cab":
        (tmp_path / f"{n}.txt").write_text(n)
    files = get_files(tmp_path)
    assert isinstance(files, FileList) and isinstance(files, list)
    assert [f.name for f in files[np.array([2, 0])]] == ["c.txt", "a.txt"]
    assert [f.name for f in files[torch.tensor([1])]] == ["b.txt"]
    assert [f.name for f in files[[False, True, True]]] == ["b.txt", "c.txt"]
    assert files[np.int64(0)].name == "a.txt" and isinstance(files[:2], FileList)
    with pytest.raises(IndexError, match="a boolean mask of 2 values for 3 files"):
        files[[True, False]]
