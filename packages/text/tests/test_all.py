"""The star import brings the text names and the data, learner and optim layers."""


def test_star_import_brings_text_and_the_layers_beneath():
    ns = {}
    exec("from lamella.text.all import *", ns)
    names = ("tokenize_df", "Numericalize", "LMDataLoader", "AWD_LSTM", "Learner", "DataBlock", "Adam", "pd")
    names += ("SubwordTokenizer", "pad_input", "Pad_Input", "progress_bar", "doc")
    for name in names:
        assert name in ns, name
