import importlib.util

import pytest

from lamella.learner import CSVLogger, TensorBoardCallback


def test_csv_logger_writes_and_appends(learn, tmp_path):
    learn.path = tmp_path
    learn.fit(2, cbs=CSVLogger())
    rows = (tmp_path / "history.csv").read_text().splitlines()
    assert rows[0] == "epoch,train_loss,valid_loss,time" and len(rows) == 3
    logger = CSVLogger(append=True)
    learn.fit(1, cbs=logger)
    log = logger.read_log()
    assert len(log) == 3 and log[-1]["epoch"] == "0"


@pytest.mark.skipif(importlib.util.find_spec("tensorboard") is not None, reason="tensorboard is installed")
def test_tensorboard_without_the_package_says_what_to_install(learn):
    with pytest.raises(Exception, match="pip install tensorboard"):
        learn.fit(1, cbs=TensorBoardCallback())
