import importlib.util

import pytest

from lamella.learner import CSVLogger, TensorBoardCallback


def test_csv_logger_writes_and_appends(learn, tmp_path):
    learn.path = tmp_path
    learn.fit(2, cbs=CSVLogger())
    rows = (tmp_path / "history.csv").read_text().splitlines()
    assert rows[0] == "epoch,train_loss,valid_loss,time" and len(rows) == 3
    pytest.importorskip("pandas")
    learn.add_cb(CSVLogger(append=True))
    learn.fit(1)
    log = learn.csv_logger.read_log()  # fastai's attribute name and a DataFrame
    assert len(log) == 3 and log.iloc[-1]["epoch"] == 0 and list(log.columns)[:2] == ["epoch", "train_loss"]


@pytest.mark.skipif(importlib.util.find_spec("tensorboard") is not None, reason="tensorboard is installed")
def test_tensorboard_without_the_package_says_what_to_install(learn):
    with pytest.raises(Exception, match="pip install tensorboard"):
        learn.fit(1, cbs=TensorBoardCallback())
