"""Mel spectrograms of a batch against librosa's per-item loop, and audio loading against bare soundfile.

Targets (issue 19):
- mel spectrograms (dB) of a batch of 64 one-second 16 kHz signals on the CPU: at least 5x faster
  than a librosa `melspectrogram` + `power_to_db` loop over the items, with the same numbers;
- loading and batching the fsdd_subset files through `AudioBlock` within 1.2x of a bare soundfile +
  torch `Dataset` + `DataLoader` loop doing the same work (read, crop/pad to 1 s, stack).
Run: .venv-bench/bin/python tools/bench/audio_spectrogram.py
"""

import numpy as np
import soundfile as sf
import torch
from common import interleaved_s, peer, report

import lamella.samples
from lamella.audio import AudioBlock, AudioToSpec, TensorAudio, get_audio_files
from lamella.data import CategoryBlock, DataBlock, RegexLabeller

torch.set_num_threads(1)
librosa = peer("librosa")
SR, BS, N_FFT, HOP, N_MELS = 16000, 64, 1024, 256, 128

# -- spectrograms ---------------------------------------------------------------------------------
sig = torch.randn(BS, 1, SR) * 0.1
batch = TensorAudio(sig, sr=SR)
tfm = AudioToSpec(
    sample_rate=SR,
    n_fft=N_FFT,
    hop_length=HOP,
    n_mels=N_MELS,
    mel_scale="slaney",
    norm="slaney",
    pad_mode="constant",
    top_db=80.0,
)
ours = tfm(batch)
arrays = sig[:, 0].numpy()


def lib_loop():
    return [
        librosa.power_to_db(
            librosa.feature.melspectrogram(y=a, sr=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS)
        )
        for a in arrays
    ]


if librosa is not None:
    ref = np.stack(lib_loop())
    err = float(np.abs(ours[:, 0].numpy() - ref).max())
    print(f"max |ours - librosa| over the batch: {err:.2e} dB (float32)")
fs = {"lamella AudioToSpec (one batch)": lambda: tfm(batch)}
if librosa is not None:
    fs["librosa loop (per item)"] = lib_loop
t = interleaved_s(fs, rounds=7)
base = t.pop("lamella AudioToSpec (one batch)")
report(
    f"mel spectrogram, {BS} x 1 s at {SR} Hz, CPU, 1 thread (fastest of 7)",
    "lamella AudioToSpec (one batch)",
    base * 1e3,
    {k: v * 1e3 for k, v in t.items()} | ({} if librosa else {"librosa loop (per item)": None}),
    unit="ms",
)

# -- loading --------------------------------------------------------------------------------------
path = lamella.samples.path("fsdd_subset")
files = get_audio_files(path)
vocab = sorted({f.name[0] for f in files})
WIDTH = 8000  # 1 s at 8 kHz


class Plain(torch.utils.data.Dataset):
    def __len__(self):
        return len(files)

    def __getitem__(self, i):
        data, _ = sf.read(files[i], dtype="float32", always_2d=True)
        x = torch.from_numpy(data.T.copy())
        x = x[:, :WIDTH] if x.shape[-1] >= WIDTH else torch.nn.functional.pad(x, (0, WIDTH - x.shape[-1]))
        return x, torch.tensor(vocab.index(files[i].name[0]))


def plain_epoch():
    for _ in torch.utils.data.DataLoader(Plain(), batch_size=64):
        pass


dls = DataBlock(
    blocks=(AudioBlock(crop_signal_to=1000), CategoryBlock),
    get_items=get_audio_files,
    get_y=RegexLabeller(r"(\d)_\w+_\d+\.wav$"),
    splitter=lambda items: (list(range(len(items))), []),
).dataloaders(path, bs=64, device="cpu")
dl = dls.train.new(shuffle=False, drop_last=False)


def ours_epoch():
    for _ in dl:
        pass


t = interleaved_s({"torch Dataset + soundfile": plain_epoch, "lamella AudioBlock": ours_epoch}, rounds=7)
report(
    f"loading {len(files)} fsdd files, crop/pad to 1 s, batches of 64 (fastest of 7)",
    "torch Dataset + soundfile",
    t["torch Dataset + soundfile"] * 1e3,
    {"lamella AudioBlock": t["lamella AudioBlock"] * 1e3},
    unit="ms",
)
