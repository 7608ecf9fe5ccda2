"""The text learners: RNN callbacks, fastai's parameter groups, encoders, pretrained weights, generation."""

import pickle
import tarfile

import pandas as pd
import pytest
import torch

from lamella.data import URLs
from lamella.learner import Perplexity, accuracy
from lamella.text import (
    AWD_LSTM,
    LMLearner,
    RNNRegularizer,
    TextDataLoaders,
    TextLearner,
    TransformerLM,
    awd_lstm_clas_config,
    awd_lstm_lm_config,
    clean_raw_keys,
    decode_spec_tokens,
    get_language_model,
    language_model_learner,
    match_embeds,
    text_classifier_learner,
    text_model_meta,
    transformer_clas_config,
    transformer_lm_config,
)
from lamella.transforms import TransformError

SMALL_LM = dict(awd_lstm_lm_config, emb_sz=16, n_hid=24, n_layers=2)
SMALL_CLAS = dict(awd_lstm_clas_config, emb_sz=16, n_hid=24, n_layers=2)
WORDS = "the cat sat on the mat and the dog ate the bone while the bird sang a song".split()


def _frame(n=48, seed=0):
    g = torch.Generator().manual_seed(seed)
    texts, labels = [], []
    for i in range(n):
        idx = torch.randint(0, len(WORDS), (12,), generator=g).tolist()
        good = i % 2 == 0
        texts.append(
            " ".join([WORDS[j] for j in idx] + (["Wonderful", "great"] if good else ["awful", "bad"]))
        )
        labels.append("pos" if good else "neg")
    return pd.DataFrame({"text": texts, "label": labels, "is_valid": [i >= n - 12 for i in range(n)]})


@pytest.fixture(scope="module")
def dls_lm():
    return TextDataLoaders.from_df(
        _frame(),
        text_col="text",
        is_lm=True,
        valid_col="is_valid",
        bs=4,
        seq_len=8,
        device="cpu",
        n_workers=0,
        min_freq=1,
    )


@pytest.fixture(scope="module")
def dls_clas(dls_lm):
    return TextDataLoaders.from_df(
        _frame(),
        text_col="text",
        label_col="label",
        valid_col="is_valid",
        bs=8,
        text_vocab=dls_lm.vocab,
        device="cpu",
        n_workers=0,
    )


def _quiet(learn):
    learn.progress.show_bars = learn.progress.show_table = False
    return learn


def test_language_model_trains_generates_and_saves_its_encoder(dls_lm, tmp_path):
    torch.manual_seed(0)
    learn = _quiet(
        language_model_learner(
            dls_lm,
            AWD_LSTM,
            config=SMALL_LM,
            pretrained=False,
            path=tmp_path,
            metrics=[accuracy, Perplexity()],
        )
    )
    assert isinstance(learn, LMLearner) and learn.moms == (0.8, 0.7, 0.8)
    assert len(learn.splitter(learn.model)) == 3  # 2 LSTM layers, then the embeddings with the decoder
    before = learn.validate()[0]
    learn.fit_one_cycle(3, 1e-2)
    loss, acc, ppl = learn.validate()
    assert loss < before and abs(ppl - torch.tensor(loss).exp().item()) < 1e-3 * ppl
    text = learn.predict("The cat", n_words=5, temperature=0.5)
    assert text.startswith("The cat") and len(text.split(" ")) >= 5
    dest = learn.save_encoder("enc")
    assert dest.name == "enc.pth" and "encoder.weight" in torch.load(dest, weights_only=True)


def test_classifier_loads_the_encoder_frozen_and_trains(dls_lm, dls_clas, tmp_path):
    torch.manual_seed(0)
    lm = _quiet(language_model_learner(dls_lm, AWD_LSTM, config=SMALL_LM, pretrained=False, path=tmp_path))
    lm.save_encoder("enc")
    learn = _quiet(
        text_classifier_learner(
            dls_clas, AWD_LSTM, config=SMALL_CLAS, pretrained=False, path=tmp_path, metrics=accuracy
        )
    )
    assert isinstance(learn, TextLearner) and len(learn.splitter(learn.model)) == 4
    learn.load_encoder("enc")
    assert torch.equal(learn.model[0].module.encoder.weight, lm.model[0].encoder.weight)
    frozen = [not p.requires_grad for p in learn.model[0].module.rnns.parameters()]
    assert all(frozen) and all(p.requires_grad for p in learn.model[1].parameters())
    learn.fit_one_cycle(2, 3e-2)
    learn.freeze_to(-2)
    assert not any(p.requires_grad for p in learn.model[0].module.rnns[0].parameters())
    assert all(p.requires_grad for p in learn.model[0].module.rnns[1].parameters())
    learn.fit_one_cycle(1, slice(1e-2 / 2.6**4, 1e-2))
    label, idx, probs = learn.predict("the cat sat on the mat Wonderful great")
    assert label in ("pos", "neg") and learn.dls.vocab[1][int(idx)] == label and probs.shape == (2,)
    for blank in ("", "  \n"):  # nothing to classify: an error, not the prior's favourite class
        with pytest.raises(TransformError, match="item 0 .* is empty; nothing to tokenize or predict"):
            learn.predict(blank)


def test_an_encoder_of_another_vocabulary_is_refused_with_both_sizes(dls_lm, tmp_path):
    other = TextDataLoaders.from_df(
        _frame(seed=1),
        text_col="text",
        label_col="label",
        bs=8,
        device="cpu",
        n_workers=0,
        min_freq=1,
        max_vocab=16,
    )
    _quiet(
        language_model_learner(dls_lm, AWD_LSTM, config=SMALL_LM, pretrained=False, path=tmp_path)
    ).save_encoder("enc")
    learn = text_classifier_learner(other, AWD_LSTM, config=SMALL_CLAS, pretrained=False, path=tmp_path)
    sizes = f"vocabulary of {len(dls_lm.vocab)} tokens, this model's has {len(other.vocab[0])}"
    with pytest.raises(ValueError, match=sizes):
        learn.load_encoder("enc")
    with pytest.raises(FileNotFoundError, match="no saved encoder"):
        learn.load_encoder("missing")


def test_ar_and_tar_add_to_the_training_loss_only(dls_lm, tmp_path):
    torch.manual_seed(0)
    learn = _quiet(language_model_learner(dls_lm, AWD_LSTM, config=SMALL_LM, pretrained=False, path=tmp_path))
    seen = []

    class Spy(RNNRegularizer):
        order = RNNRegularizer.order + 1

        def after_loss(self):
            seen.append((self.learn.training, self.learn.loss_grad.item(), self.learn.loss.item()))

    learn.fit(1, 1e-3, cbs=[Spy()])
    train = [(g, plain) for t, g, plain in seen if t]
    assert train and all(g > plain for g, plain in train)  # alpha=2, beta=1 added to the gradient's loss
    assert all(g == plain for t, g, plain in seen if not t)


def test_pretrained_weights_with_fastais_names_load_and_match_the_vocab(dls_lm, tmp_path, monkeypatch):
    torch.manual_seed(0)
    src = get_language_model(AWD_LSTM, 40, config=SMALL_LM)
    wgts = {k: v.clone() for k, v in src.state_dict().items()}
    wgts["0.rnns.0.module.weight_hh_l0"] = wgts["0.rnns.0.weight_hh_l0_raw"].clone()  # older fastai files
    old_vocab = list(dls_lm.vocab[:12]) + [f"old{i}" for i in range(28)]
    folder = tmp_path / "wt103"
    folder.mkdir()
    torch.save(wgts, folder / "lstm_fwd.pth")
    with open(folder / "itos_wt103.pkl", "wb") as f:
        pickle.dump(old_vocab, f)
    archive = tmp_path / "wt103-fwd.tgz"
    with tarfile.open(archive, "w:gz") as t:
        t.add(folder, arcname="wt103-fwd")
    monkeypatch.setenv("LAMELLA_HOME", str(tmp_path / "home"))
    monkeypatch.setitem(text_model_meta[AWD_LSTM], "url", archive.as_uri())
    learn = language_model_learner(dls_lm, AWD_LSTM, config=SMALL_LM, path=tmp_path)
    emb, old = learn.model[0].encoder.weight.detach(), wgts["0.encoder.weight"]
    for i, w in enumerate(dls_lm.vocab):
        want = old[old_vocab.index(w)] if w in old_vocab else old.mean(0)  # a new token: the mean row
        assert torch.allclose(emb[i], want), w
    assert any(w not in old_vocab for w in dls_lm.vocab)
    assert not any(p.requires_grad for p in learn.model[0].rnns.parameters())  # starts frozen
    clas = TextDataLoaders.from_df(
        _frame(), text_col="text", label_col="label", text_vocab=dls_lm.vocab, bs=8, device="cpu", n_workers=0
    )
    clf = text_classifier_learner(clas, AWD_LSTM, config=SMALL_CLAS, path=tmp_path)
    assert torch.equal(clf.model[0].module.rnns[1].weight_hh_l0_raw, wgts["0.rnns.1.weight_hh_l0_raw"])


def test_offline_the_download_error_says_what_to_do(dls_lm, tmp_path, monkeypatch):
    monkeypatch.setenv("LAMELLA_HOME", str(tmp_path / "home"))
    monkeypatch.setitem(text_model_meta[AWD_LSTM], "url", (tmp_path / "absent.tgz").as_uri())
    with pytest.raises(ConnectionError, match="pretrained=False"):
        language_model_learner(dls_lm, AWD_LSTM, config=SMALL_LM, path=tmp_path)
    assert URLs.WT103_FWD.endswith("wt103-fwd.tgz")


def test_match_embeds_gives_new_tokens_the_mean_and_clean_raw_keys():
    wgts = {
        "0.encoder.weight": torch.tensor([[1.0, 2.0], [3.0, 4.0]]),
        "0.encoder_dp.emb.weight": torch.zeros(2, 2),
        "1.decoder.weight": torch.zeros(2, 2),
        "1.decoder.bias": torch.tensor([1.0, 2.0]),
    }
    out = match_embeds(wgts, ["a", "b"], ["b", "z", "a"])
    assert out["0.encoder.weight"].tolist() == [[3.0, 4.0], [2.0, 3.0], [1.0, 2.0]]
    assert torch.equal(out["0.encoder_dp.emb.weight"], out["1.decoder.weight"])
    assert out["1.decoder.bias"].tolist() == [2.0, 1.5, 1.0]
    assert set(clean_raw_keys({"x.module.w": 1, "x.w_raw": 2, "y.module.v": 3})) == {"x.w_raw", "y.module.v"}


def test_decode_spec_tokens_undoes_the_rules():
    toks = ["xxmaj", "hello", "xxup", "big", "xxrep", "3", "!", "xxwrep", "2", "very", "end"]
    assert decode_spec_tokens(toks) == ["Hello", "BIG", "!!!", "very", "very", "end"]


def test_the_transformer_works_in_the_same_calls(dls_lm, dls_clas, tmp_path):
    torch.manual_seed(0)
    cfg = dict(transformer_lm_config, emb_sz=16, n_layers=1, n_heads=2, max_len=72)
    learn = _quiet(language_model_learner(dls_lm, TransformerLM, config=cfg, pretrained=False, path=tmp_path))
    before = learn.validate()[0]
    learn.fit_one_cycle(2, 1e-2)
    assert learn.validate()[0] < before and learn.predict("the cat", n_words=3).startswith("the cat")
    learn.save_encoder("tenc")
    ccfg = dict(transformer_clas_config, emb_sz=16, n_layers=1, n_heads=2, max_len=72)
    clf = _quiet(
        text_classifier_learner(
            dls_clas, TransformerLM, config=ccfg, pretrained=False, path=tmp_path, metrics=accuracy
        )
    )
    clf.load_encoder("tenc")
    clf.fit_one_cycle(1, 1e-2)
    assert clf.get_preds()[0].shape == (12, 2)


def test_export_and_load_learner_in_a_fresh_process_predicts(dls_clas, tmp_path):
    import subprocess
    import sys

    learn = _quiet(
        text_classifier_learner(dls_clas, AWD_LSTM, config=SMALL_CLAS, pretrained=False, path=tmp_path)
    )
    learn.fit(1, 1e-3)
    learn.export("export.pkl")
    code = (
        "from lamella.learner import load_learner; "
        f"l = load_learner({str(tmp_path / 'export.pkl')!r}, trusted=True); "
        "print(l.predict('the cat sat Wonderful great')[0])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() in ("pos", "neg")


def test_interpretation_of_a_text_classifier_names_the_labels(dls_clas, tmp_path):
    from lamella.learner import ClassificationInterpretation

    learn = _quiet(
        text_classifier_learner(dls_clas, AWD_LSTM, config=SMALL_CLAS, pretrained=False, path=tmp_path)
    )
    interp = ClassificationInterpretation.from_learner(learn)
    assert interp.vocab == ["neg", "pos"] and interp.confusion_matrix().shape == (2, 2)
    assert len(interp.top_losses(k=3)[0]) == 3
