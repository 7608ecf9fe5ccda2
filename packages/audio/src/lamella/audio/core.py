"""Signals: `TensorAudio` (channels x samples, with its sample rate), reading files, finding them."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf
import torch

from lamella.data import FileGetter, get_files
from lamella.typedtensor import TensorBase, TensorImageBase, subplots

from .functional import hz_to_mel, mel_to_hz

__all__ = [
    "AudioGetter",
    "AudioReadError",
    "AudioTensor",
    "TensorAudio",
    "audio_extensions",
    "get_audio_files",
    "load_audio",
    "TensorSpec",
    "AudioSpectrogram",
]


class AudioReadError(ValueError):
    """A sound file that cannot be read whole: the message names the file and what is wrong with it.

    Examples:
        >>> try:
        ...     load_audio(b"not a sound file")
        ... except AudioReadError as e:
        ...     print(str(e)[:42])
        cannot read the audio file the given bytes
    """


#: libsndfile's log line for a WAV whose data chunk runs past the end of the file.
_TRUNCATED = re.compile(r"^data : (\d+) \(should be (\d+)\)", re.MULTILINE)

#: The suffixes `get_audio_files` looks for: every container soundfile reads.
audio_extensions: tuple[str, ...] = tuple(
    sorted({f".{f.lower()}" for f in sf.available_formats()} | {".aif", ".aiff", ".oga", ".opus", ".wave"})
)


def get_audio_files(
    path: str | Path, recurse: bool = True, folders: Sequence[str] | None = None
) -> list[Path]:
    """The audio files under `path` (sorted), recursively, only in `folders` if given.

    Examples:
        >>> import lamella.samples
        >>> files = get_audio_files(lamella.samples.path("fsdd_subset"))
        >>> len(files), files[0].name
        (600, '0_george_0.wav')
    """
    return get_files(path, extensions=audio_extensions, recurse=recurse, folders=folders)


def AudioGetter(  # noqa: N802  (fastaudio's name: a factory that reads like a class)
    suf: str = "", recurse: bool = True, folders: Sequence[str] | None = None
) -> Callable[[Any], list[Path]]:
    """A `get_items` for DataBlock: the audio files of `path / suf` (picklable, so learners export).

    Examples:
        >>> import lamella.samples
        >>> len(AudioGetter("recordings")(lamella.samples.path("fsdd_subset")))
        600
    """
    return FileGetter(suf, audio_extensions, recurse, folders)


def load_audio(fn: str | Path | bytes | io.BytesIO) -> tuple[np.ndarray, int]:
    """Read a sound file as float32 `(channels, samples)` and its sample rate; the error names the file.

    WAV, FLAC, OGG/Vorbis, Opus, MP3 and the other containers of libsndfile (through soundfile).

    Examples:
        >>> import lamella.samples
        >>> sig, sr = load_audio(lamella.samples.path("fsdd_subset") / "recordings/0_george_0.wav")
        >>> sig.shape[0], sr
        (1, 8000)
    """
    src = io.BytesIO(fn) if isinstance(fn, (bytes, bytearray)) else fn
    what = "the given bytes" if isinstance(src, io.BytesIO) else str(fn)
    try:
        with sf.SoundFile(src) as f:
            data, sr, log = f.read(dtype="float32", always_2d=True), f.samplerate, f.extra_info
            floats = f.subtype in ("FLOAT", "DOUBLE")  # only float samples can be NaN or infinite
    except (sf.LibsndfileError, RuntimeError, TypeError) as e:
        if isinstance(src, (str, Path)) and not Path(src).is_file():  # checked on failure only: no cost
            where = " (a folder)" if Path(src).is_dir() else ""
            raise FileNotFoundError(f"no audio file at {what}{where}") from e
        kind = (
            "?" if isinstance(src, io.BytesIO) else (Path(str(fn)).suffix.lstrip(".").upper() or "no suffix")
        )
        raise AudioReadError(
            f"cannot read the audio file {what} (format {kind}): {e}. soundfile reads "
            "WAV, FLAC, OGG, MP3 and the other libsndfile formats; remove or convert the file."
        ) from e
    if data.shape[0] == 0:
        raise AudioReadError(f"the audio file {what} holds no samples")
    n = int((~np.isfinite(data)).sum()) if floats else 0
    if n:
        raise AudioReadError(
            f"the audio file {what} holds {n} NaN or infinite samples (a float file written badly)"
        )
    cut = (
        _TRUNCATED.search(log) if "should be" in log else None
    )  # libsndfile reads a cut WAV and only logs it
    if cut and 0 < int(cut[1]) < 0xFFFFFFFF:  # 0 and 0xFFFFFFFF: a stream written before its length
        declared, present = int(cut[1]), int(cut[2])
        raise AudioReadError(
            f"the audio file {what} is truncated: its WAV header declares {declared} bytes of samples "
            f"but only {present} follow ({present / declared:.0%} of the recording); the copy or download "
            "was cut short: fetch the file again"
        )
    return np.ascontiguousarray(data.T), int(sr)


class TensorAudio(TensorBase):
    """A signal, `channels x samples` (`bs x channels x samples` in a batch), with its sample rate `sr`.

    The sample rate is metadata: it survives torch ops, batching and transforms.

    Examples:
        >>> a = TensorAudio(torch.zeros(1, 8000), sr=8000)
        >>> a.nchannels, a.nsamples, a.duration, (a * 2).sr
        (1, 8000, 1.0, 8000)
    """

    sr: int

    @classmethod
    def create(cls, fn: Any, **kwargs: Any) -> TensorAudio:
        """Read a file (a path or its bytes), or wrap an array or tensor (`sr=` then needed).

        Examples:
            >>> import lamella.samples
            >>> a = TensorAudio.create(lamella.samples.path("fsdd_subset") / "recordings/0_george_0.wav")
            >>> a.sr, a.nchannels, a.dtype
            (8000, 1, torch.float32)
        """
        if isinstance(fn, TensorAudio):
            return fn
        if isinstance(fn, (torch.Tensor, np.ndarray)):
            if "sr" not in kwargs:
                raise ValueError("TensorAudio.create of an array or tensor needs its sample rate: sr=...")
            t = torch.as_tensor(fn)
            return cls(t[None] if t.ndim == 1 else t, **kwargs)
        data, sr = load_audio(fn)
        return cls(torch.from_numpy(data), sr=sr, **kwargs)

    @property
    def nsamples(self) -> int:
        """Samples per channel (the last dimension).

        Examples:
            >>> TensorAudio(torch.zeros(2, 100), sr=10).nsamples
            100
        """
        return self.shape[-1]

    @property
    def nchannels(self) -> int:
        """Channels (the dimension before the samples).

        Examples:
            >>> TensorAudio(torch.zeros(2, 100), sr=10).nchannels
            2
        """
        return self.shape[-2]

    @property
    def duration(self) -> float:
        """Length in seconds.

        Examples:
            >>> TensorAudio(torch.zeros(1, 4000), sr=8000).duration
            0.5
        """
        return self.nsamples / float(self.sr)

    def hear(self) -> Any:
        """A player for notebooks: an `IPython.display.Audio` of the signal (needs IPython).

        Examples:
            >>> player = TensorAudio(torch.zeros(1, 800), sr=8000).hear()  # needs IPython
            >>> type(player).__name__, player.data[:4]  # a WAV file for the browser
            ('Audio', b'RIFF')
        """
        try:
            from IPython.display import Audio
        except ImportError as e:
            raise ImportError("hear() needs IPython: pip install 'lamella-audio[play]'") from e
        signal = self.as_plain().detach().cpu().float().numpy()
        # IPython scales the signal to its peak: a silent one (peak 0) is passed as it is
        return Audio(signal, rate=self.sr, normalize=bool(abs(signal).max(initial=0.0) > 0))

    def show(self, ctx: Any = None, title: str | None = None, **kwargs: Any) -> Any:
        """Draw the waveform on `ctx` (a new axes when None), time in seconds; channels overlaid.

        Examples:
            >>> ax = TensorAudio(torch.zeros(1, 800), sr=8000).show()
            >>> ax.get_xlabel()
            'time (s)'
        """
        ax = ctx if ctx is not None else subplots(figsize=kwargs.pop("figsize", (6, 2)))[1][0]
        sig = self.as_plain().detach().cpu().float()
        sig = sig.reshape(-1, sig.shape[-1])
        t = np.arange(sig.shape[-1]) / float(self.sr)
        for i, ch in enumerate(sig):
            ax.plot(t, ch.numpy(), linewidth=0.6, label=f"channel {i}" if len(sig) > 1 else None, **kwargs)
        ax.set_xlim(0, max(t[-1], 1e-9) if len(t) else 1)
        ax.set_xlabel("time (s)")
        if len(sig) > 1:
            ax.legend(loc="upper right", fontsize="small")
        if title is not None:
            ax.set_title(title)
        return ax


#: fastaudio's name for `TensorAudio`.
AudioTensor = TensorAudio


class TensorSpec(TensorImageBase):
    """A spectrogram, `channels x freq x time` (`bs x ...` in a batch), carrying the `settings` that made it.

    Image transforms (flips, rotations, lighting) do not reach it: it is an image-like grid, not a
    photo. `show()` draws time in seconds and frequency in Hz.

    Examples:
        >>> sg = TensorSpec(torch.zeros(1, 40, 63), settings={"sr": 8000, "hop_length": 128, "mel": True})
        >>> sg.nchannels, sg.height, sg.width, sg.hop_length, round(sg.duration, 3)
        (1, 40, 63, 128, 0.992)
    """

    settings: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("_"):
            settings = self.__dict__.get("settings")
            if settings is not None and name in settings:
                return settings[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    @property
    def nchannels(self) -> int:
        """Channels (the dimension before frequency).

        Examples:
            >>> TensorSpec(torch.zeros(2, 4, 5)).nchannels
            2
        """
        return self.shape[-3]

    @property
    def height(self) -> int:
        """Frequency bins (or mel bands, or coefficients).

        Examples:
            >>> TensorSpec(torch.zeros(1, 4, 5)).height
            4
        """
        return self.shape[-2]

    @property
    def width(self) -> int:
        """Time frames.

        Examples:
            >>> TensorSpec(torch.zeros(1, 4, 5)).width
            5
        """
        return self.shape[-1]

    @property
    def duration(self) -> float:
        """Seconds covered: one hop a frame (centred frames: the last one reaches half a hop past).

        Examples:
            >>> TensorSpec(torch.zeros(1, 4, 11), settings={"sr": 100, "hop_length": 10}).duration
            1.0
        """
        return self.hop_length * (self.width - 1) / self.sr

    def show(self, ctx: Any = None, title: str | None = None, cmap: str = "magma", **kwargs: Any) -> Any:
        """Draw the spectrogram: time (s) across, frequency (Hz) up; channels stacked vertically.

        Examples:
            >>> sg = TensorSpec(torch.rand(1, 40, 63), settings={"sr": 8000, "hop_length": 128, "n_fft": 512,
            ...                 "mel": True, "n_mels": 40, "f_min": 0.0, "f_max": None, "mel_scale": "htk"})
            >>> ax = sg.show()
            >>> ax.get_xlabel(), ax.get_ylabel()
            ('time (s)', 'frequency (Hz)')
        """
        ax = ctx if ctx is not None else subplots(figsize=kwargs.pop("figsize", (5, 3)))[1][0]
        data = self.as_plain().detach().cpu().float()
        data = data.reshape(-1, *data.shape[-2:])
        s = self.__dict__.get("settings") or {}
        sr, hop = s.get("sr"), s.get("hop_length")
        t_end = hop * (data.shape[-1] - 1) / sr if sr and hop else data.shape[-1]
        stacked = torch.cat(list(data), dim=0).numpy()  # channel 0 at the bottom
        ax.imshow(
            stacked,
            origin="lower",
            aspect="auto",
            cmap=cmap,
            extent=(0, t_end, 0, stacked.shape[0]),
            interpolation="nearest",
            **kwargs,
        )
        ax.set_xlabel("time (s)" if sr and hop else "frame")
        self._label_frequency(ax, s, data.shape[-2], len(data))
        if title is not None:
            ax.set_title(title)
        return ax

    @staticmethod
    def _label_frequency(ax: Any, s: dict, height: int, nch: int) -> None:
        sr = s.get("sr")
        if s.get("n_mfcc") is not None or sr is None:
            ax.set_ylabel("coefficient" if s.get("n_mfcc") is not None else "bin")
            return
        f_min, f_max = float(s.get("f_min") or 0.0), float(s.get("f_max") or sr / 2)
        ticks = np.linspace(0, height, 5)
        if s.get("mel"):
            htk = s.get("mel_scale", "htk") == "htk"
            lo, hi = hz_to_mel(torch.tensor([f_min, f_max], dtype=torch.float64), htk).tolist()
            hz = mel_to_hz(torch.tensor(lo + (hi - lo) * ticks / height), htk).tolist()
        else:
            hz = (f_min + (f_max - f_min) * ticks / height).tolist()
        ax.set_yticks([t + c * height for c in range(nch) for t in ticks[:-1]] + [nch * height])
        ax.set_yticklabels([f"{h:.0f}" for _ in range(nch) for h in hz[:-1]] + [f"{hz[-1]:.0f}"])
        ax.set_ylabel("frequency (Hz)")


#: fastaudio's name for `TensorSpec`.
AudioSpectrogram = TensorSpec
