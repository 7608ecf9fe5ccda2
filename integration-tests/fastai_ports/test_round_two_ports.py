"""Issue 31's last names, as fastai's book, docs and fastprogress's README write them (imports changed).

The book's chapter 2 cleans a bear dataset with `ImageClassifierCleaner`; here a copy of the shipped
mnist_tiny stands in for it. The rest are fastai's own doc examples for `sequential`, `one_hot`,
`pad_input`, `SubwordTokenizer` (book chapter 10), `doc`, and fastprogress's nested bars.
"""

import shutil

from fastcore.all import first  # fastcore's own utilities come from fastcore (see "Coming from fastai")

import lamella.samples
from lamella.text.all import SubwordTokenizer, pad_input
from lamella.vision.all import *


def test_book_chapter2_cleaner_then_retrain(tmp_path):
    path = tmp_path / "digits"
    shutil.copytree(lamella.samples.path("mnist_tiny") / "train", path)
    digits = DataBlock(
        blocks=(ImageBlock, CategoryBlock),
        get_items=get_image_files,
        splitter=RandomSplitter(valid_pct=0.2, seed=42),
        get_y=parent_label,
        item_tfms=Resize(28),
    )
    dls = digits.dataloaders(path, bs=64)
    learn = Learner(dls, sequential(Flatten(), nn.Linear(3 * 28 * 28, 2)), metrics=error_rate)
    learn.fit(1, 1e-2)
    cleaner = ImageClassifierCleaner(learn)
    # in the notebook: a click per image; here the two worst-scored threes
    cleaner.choose(0, "<Delete>")
    cleaner.choose(1, "7")
    before = len(get_image_files(path))
    moved = cleaner.fns[1]
    for idx in cleaner.delete():
        cleaner.fns[idx].unlink()
    for idx, cat in cleaner.change():
        shutil.move(str(cleaner.fns[idx]), path / cat)
    assert len(get_image_files(path)) == before - 1 and (path / "7" / moved.name).exists()
    dls = digits.dataloaders(path, bs=64)  # the book rebuilds its loaders from the cleaned folder
    assert len(dls.train_ds) + len(dls.valid_ds) == before - 1


def test_layers_doc_sequential_and_lambda():
    model = sequential(nn.Conv2d(3, 4, 3), nn.AdaptiveAvgPool2d(1), Lambda(lambda x: x.view(x.size(0), -1)))
    assert model(torch.randn(2, 3, 8, 8)).shape == (2, 4)
    assert isinstance(sequential(nn.ReLU(), torch.sigmoid)[1], Lambda)
    assert NormType.Spectral.name == "Spectral"


def test_torch_core_doc_one_hot():
    assert torch.equal(one_hot([1, 4], 5), tensor(0, 1, 0, 0, 1).byte())
    assert torch.equal(one_hot(torch.tensor([]), 5), tensor(0, 0, 0, 0, 0).byte())
    assert torch.equal(one_hot(2, 5), tensor(0, 0, 1, 0, 0).byte())
    assert one_hot_decode(tensor(0, 1, 0, 0, 1)) == [1, 4]
    assert one_hot_decode(tensor(0, 1, 0, 0, 1), vocab=["a", "b", "c", "d", "e"]) == ["b", "e"]


def test_text_data_doc_pad_input():
    test = pad_input([(tensor([1, 2, 3]), 1), (tensor([4, 5]), 2), (tensor([6]), 3)], pad_idx=0)
    assert [(x.tolist(), y) for x, y in test] == [([1, 2, 3], 1), ([4, 5, 0], 2), ([6, 0, 0], 3)]
    pairs = [(tensor([1, 2, 3]), tensor([6])), (tensor([4, 5]), tensor([4, 5]))]
    pairs.append((tensor([6]), tensor([1, 2, 3])))
    test = pad_input(pairs, pad_idx=0, pad_fields=1)
    assert [y.tolist() for _, y in test] == [[6, 0, 0], [4, 5, 0], [1, 2, 3]]
    samples = [(tensor([1, 2, 3]), 1), (tensor([4, 5]), 2), (tensor([6]), 3)]
    test = pad_input(samples, pad_idx=0, pad_first=True)
    assert [x.tolist() for x, _ in test] == [[1, 2, 3], [0, 4, 5], [0, 0, 6]]


def test_book_chapter10_subword(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the tokenizer's model goes to ./tmp, as in the book
    text = (lamella.samples.path("wikitext2_raw_small") / "valid.txt").read_text(encoding="utf-8")
    txts = [line for line in text.splitlines() if len(line.split()) > 20][:400]
    txt = txts[0]

    def subword(sz):
        sp = SubwordTokenizer(vocab_sz=sz)
        sp.setup(txts)
        return " ".join(first(sp([txt]))[:40])

    small, large = subword(200), subword(1000)
    # a smaller vocabulary cuts the same text into more, shorter pieces
    assert len(small.split()) == 40 and small.startswith("▁")
    assert sum(map(len, small.split())) < sum(map(len, large.split()))


def test_doc_of_a_learner_method(capsys):
    doc(Learner.fit_one_cycle)
    out = capsys.readouterr().out.splitlines()
    assert ".fit_one_cycle(self, n_epoch: int" in out[0]  # defined on Learner's part `Schedules`
    assert out[-1].endswith("/packages/learner/")


def test_fastprogress_readme_loop(capsys):
    mb = master_bar(range(3))
    for i in mb:
        for _ in progress_bar(range(20), parent=mb):
            mb.child.comment = "second bar stat"
        mb.main_bar.comment = "first bar stat"
        mb.write(f"Finished loop {i}.")
    assert capsys.readouterr().out.splitlines() == [f"Finished loop {i}." for i in range(3)]
