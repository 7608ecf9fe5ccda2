"""fastprogress's progress_bar and master_bar calls, drawn by tqdm only where watched."""

import sys

import pytest

from lamella.learner import master_bar, progress_bar


def test_fastprogress_loop_as_fastai_writes_it(capsys, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)  # as in a terminal
    mb = master_bar(range(2))
    mb.names = ["train", "valid"]
    seen = []
    for epoch in mb:
        pb = progress_bar(range(4), parent=mb)
        assert mb.child is pb
        for b in pb:
            mb.child.comment = f"loss {b}"
            seen.append((epoch, b))
        mb.write([epoch, f"{0.5:.3f}"], table=True)
        mb.update_graph([[range(epoch + 1), [1.0] * (epoch + 1)]], x_bounds=[0, 2])
    assert seen == [(e, b) for e in range(2) for b in range(4)]
    out = capsys.readouterr()
    assert out.out.splitlines() == ["0          0.500", "1          0.500"]
    assert "0/4" in out.err and "2/2" in out.err  # the child and the main bar, drawn on stderr
    assert mb.total == 2 and len(mb.graphs) == 1 and mb.graphs[0][0] == [0, 1]


def test_nothing_but_written_lines_in_a_log(capsys):
    for _ in progress_bar(range(50), comment="quiet"):
        pass
    mb = master_bar(range(1))
    for _ in mb:
        mb.write("epoch done")
    out = capsys.readouterr()
    assert out.out == "epoch done\n" and out.err == ""


def test_update_total_and_len():
    pb = progress_bar(iter([1, 2, 3]), total=3, display=False)
    assert len(pb) == 3 and list(pb) == [1, 2, 3] and pb.last_v == 3
    pb.update(1)
    assert pb.last_v == 1
    with pytest.raises(TypeError, match="no length"):
        len(progress_bar(iter([1])))
