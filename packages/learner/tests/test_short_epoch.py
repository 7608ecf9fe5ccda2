from lamella.learner import ShortEpochCallback


def test_each_epoch_stops_early(learn):
    learn.fit(2, cbs=[ShortEpochCallback(pct=0.3)])
    n = len(learn.dls.train)
    assert len(learn.recorder.losses) == 2 * max(1, int(0.3 * n))
    learn.fit(1, cbs=[ShortEpochCallback(pct=0.3, short_valid=False)])
    assert len(learn.recorder.values[0]) == 2  # validation ran: a train and a valid loss
