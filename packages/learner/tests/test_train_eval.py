def test_modes_and_progress_counters(learn):
    seen = []

    from lamella.learner import Callback

    class Watch(Callback):
        def before_batch(self):
            seen.append((self.training, self.model.training, round(self.pct_train, 4)))

    learn.fit(2, cbs=Watch())
    n = len(learn.dls.train)
    train = [s for s in seen if s[0]]
    assert all(m for _, m, _ in train) and all(not m for t, m, _ in seen if not t)
    assert train[0][2] == 0 and train[n][2] == 0.5  # epoch 2 starts half way
    assert learn.train_iter == 2 * n and learn.pct_train == 1.0 or abs(learn.pct_train - 1.0) < 1e-9
