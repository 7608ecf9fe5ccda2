def test_table_rows_and_bars(learn, capsys):
    learn.progress.show_table = True
    learn.progress.show_bars = True
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
