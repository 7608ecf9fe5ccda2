"""How text batches show: a table in a notebook, wrapped rows in a terminal; results beside the targets."""

import pandas as pd
import torch

from lamella.text import TextDataLoaders


def _loaders():
    words = ["good film", "bad film", "great acting and a long story about a town", "dull and slow"]
    df = pd.DataFrame({"text": words * 3, "label": ["pos", "neg", "pos", "neg"] * 3})
    return TextDataLoaders.from_df(df, text_col="text", label_col="label", bs=4, valid_pct=0.25, seed=0,
                                   device="cpu", n_workers=0, min_freq=1)  # fmt: skip


def test_a_terminal_gets_each_row_then_its_text_wrapped(capsys):
    dls = _loaders()
    shown = dls.show_batch(max_n=2, trunc_at=3)
    out = capsys.readouterr().out.splitlines()
    assert list(shown.columns) == ["text", "category"] and len(shown) == 2
    assert out[0].startswith("[0] category: ") and out[1].startswith("  text: xxbos")
    assert all(len(t.split()) <= 4 for t in shown["text"])  # three words, then " ..."


def test_results_stand_beside_the_targets(capsys):
    dls = _loaders()
    x, y = dls.valid.one_batch()
    outs = [(("pos" if i % 2 else "neg"),) for i in range(len(y))]
    samples = dls.valid.decode_batch((x, y))
    from lamella.data import show_results

    table = show_results(x, y, samples, outs, max_n=3)
    assert list(table.columns) == ["text", "category", "category_"] and len(table) == min(3, len(y))
    assert torch.is_tensor(x)
