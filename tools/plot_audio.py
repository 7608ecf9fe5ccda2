"""Train the audio examples of the docs and draw their figures into docs/img/.

Spoken digits and speakers of the shipped FSDD subset (CC BY-SA 4.0), official split; a
waveform, its mel spectrogram, SpecAugment before and after, a batch and the results.
Prints the training tables the docs page quotes.
Run: .venv/bin/python tools/plot_audio.py
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402

import lamella.samples  # noqa: E402
from lamella.audio import (  # noqa: E402
    AudioBlock,
    AudioConfig,
    AudioToSpec,
    MaskFreq,
    MaskTime,
    TensorAudio,
    audio_learner,
    get_audio_files,
)
from lamella.data import CategoryBlock, DataBlock, FuncSplitter, RegexLabeller  # noqa: E402
from lamella.learner import ClassificationInterpretation, accuracy  # noqa: E402

IMG = Path(__file__).resolve().parent.parent / "docs" / "img"
PATH = lamella.samples.path("fsdd_subset")


def save(name: str) -> None:
    plt.gcf().tight_layout()
    plt.gcf().savefig(IMG / name, dpi=70, bbox_inches="tight")
    plt.close("all")
    print(f"wrote {IMG / name}")


def is_test(fn: Path) -> bool:
    return int(fn.stem.split("_")[-1]) < 5


def signals() -> None:
    sig = TensorAudio.create(PATH / "recordings/7_jackson_0.wav")
    fig, (a, b) = plt.subplots(2, 1, figsize=(7, 5))
    sig.show(ctx=a, title="7_jackson_0.wav: 'seven', 8 kHz")
    cfg = AudioConfig.BasicMelSpectrogram(sample_rate=8000, n_fft=512, hop_length=64, n_mels=64)
    AudioToSpec.from_cfg(cfg)(sig).show(ctx=b, title="mel spectrogram (dB)")
    fig.tight_layout()
    save("audio_waveform_spectrogram.png")
    sg = AudioToSpec.from_cfg(cfg)(TensorAudio(torch.stack([sig] * 3), sr=8000))
    augmented = MaskTime(num_masks=2, size=10, seed=1)(
        MaskFreq(num_masks=2, size=8, seed=1)(sg, split_idx=0), split_idx=0
    )
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3))
    sg[0].show(ctx=a, title="before")
    augmented[0].show(ctx=b, title="MaskFreq + MaskTime (SpecAugment)")
    fig.tight_layout()
    save("audio_specaugment.png")


def train(task: str, label_re: str) -> None:
    torch.manual_seed(0)
    dls = DataBlock(
        blocks=(AudioBlock(sample_rate=8000, crop_signal_to=1000), CategoryBlock),
        get_items=get_audio_files,
        get_y=RegexLabeller(label_re),
        splitter=FuncSplitter(is_test),
        batch_tfms=AudioToSpec(sample_rate=8000, n_fft=512, hop_length=64, n_mels=40),
    ).dataloaders(PATH, bs=32, device="cpu", seed=0)
    if task == "digit":
        dls.show_batch(max_n=6, figsize=(9, 5))
        save("audio_fsdd_batch.png")
    learn = audio_learner(dls, metrics=accuracy)
    print(f"\n{task}: {len(dls.train_ds)} train, {len(dls.valid_ds)} test recordings")
    with learn.no_bar():
        learn.fit_one_cycle(20, 1e-2)
    if task == "digit":
        learn.show_results(max_n=6, figsize=(9, 5))
        save("audio_fsdd_results.png")
        ClassificationInterpretation.from_learner(learn).plot_confusion_matrix(figsize=(5, 5))
        save("audio_fsdd_confusion.png")
    print(f"{task}: prediction for 4_george_2.wav:", learn.predict(PATH / "recordings/4_george_2.wav")[0])


if __name__ == "__main__":
    signals()
    train("digit", r"(\d)_\w+_\d+\.wav$")
    train("speaker", r"\d_([a-z]+)_\d+\.wav$")
