import sys


def test_table_rows_and_bars(learn, capsys, monkeypatch):
    learn.progress.show_table = True
    learn.progress.show_bars = True
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)  # as in a terminal
    learn.fit(2)
    out = capsys.readouterr()
    lines = out.out.strip().splitlines()
    assert lines[0].split() == ["epoch", "train_loss", "valid_loss", "time"]
    assert [line.split()[0] for line in lines[1:]] == ["0", "1"]
    assert "train" in out.err  # tqdm bars on stderr


def test_validate_prints_nothing(learn, capsys):
    learn.progress.show_table = True
    learn.validate()
    assert capsys.readouterr().out == ""


def test_the_time_column_reads_like_fastai(learn, capsys):
    learn.progress.show_table, learn.progress.show_bars = True, False
    learn.fit(1)
    time_cell = capsys.readouterr().out.strip().splitlines()[1].split()[-1]
    assert len(time_cell) == 5 and time_cell[2] == ":" and time_cell.replace(":", "").isdigit()
    assert isinstance(learn.recorder.log[-1], float)  # the recorder keeps seconds


def test_a_log_file_gets_one_line_per_epoch_and_no_carriage_returns(learn, capsys):
    learn.progress.show_table = learn.progress.show_bars = True  # the defaults, written to a non-terminal
    learn.fit(3)
    out = capsys.readouterr()
    assert "\r" not in out.out + out.err and out.err == ""
    assert len(out.out.strip().splitlines()) == 1 + 3  # the header, then one row per epoch
