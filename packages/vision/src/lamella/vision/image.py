"""Images as items: `PILImage`, `PILImageBW`, `PILMask` (Pillow, EXIF orientation honoured), their tensors.

An image item wraps a `PIL.Image.Image` (in `.img`) rather than patching Pillow's class; it knows
its `size` (width, height) and `shape` (height, width), can `show()` itself, and becomes a
`TensorImage` (or `TensorImageBW`, `TensorMask`) through `to_tensor()`, which the data layer's
`ToTensor` calls.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError

from lamella.data import get_files
from lamella.typedtensor import TensorImage, TensorImageBase, TensorImageBW, TensorMask

__all__ = [
    "ImageReadError",
    "PILBase",
    "PILImage",
    "PILImageBW",
    "PILMask",
    "get_image_files",
    "image2tensor",
    "image_extensions",
    "load_image",
]

#: File suffixes Pillow reads, lower case.
image_extensions = {ext for ext, fmt in Image.registered_extensions().items() if fmt in Image.OPEN}


class ImageReadError(ValueError):
    """An image that cannot be read or made: the message names the file (or array) and what is wrong.

    Examples:
        >>> try:
        ...     PILImage.create(np.full((2, 2), 3.5))
        ... except ImageReadError as e:
        ...     print(str(e)[:48])
        an image array of floats must hold values in [0,
    """


def load_image(fn: str | Path | io.BytesIO, mode: str | None = None, codes: bool = False) -> Image.Image:
    """Open an image file fully (EXIF orientation applied), converted to `mode`; the error names the file.

    A 16-bit image (Pillow's `I;16` and `I` modes) converted to an 8-bit mode is scaled by the
    16-bit range (65535 to 255, as torchvision converts uint16 to uint8): Pillow's own conversion
    clips every value above 255. A 32-bit float image (`F`) must hold values in [0, 1], scaled to
    0-255. With `codes` (a mask's class codes) nothing is scaled: values must be whole, 0 to 255.

    Examples:
        >>> import lamella.samples
        >>> load_image(lamella.samples.path("mnist_tiny") / "train/3/7463.png").size
        (28, 28)
    """
    what = "from the given bytes" if isinstance(fn, io.BytesIO) else str(fn)
    try:
        with Image.open(fn) as im:
            im.load()
            img = ImageOps.exif_transpose(im) or im
            if mode is not None and img.mode in (*_WIDE_MODES, "F") and mode not in (*_WIDE_MODES, "F"):
                try:
                    img = _from_array(np.asarray(img), codes) if codes or img.mode == "F" else _to_8bit(img)
                except ImageReadError as e:
                    raise ImageReadError(f"the image {what} ({img.mode} mode): {e}") from None
            return img.convert(mode) if mode is not None and img.mode != mode else img.copy()
    except (UnidentifiedImageError, OSError, SyntaxError) as e:
        if isinstance(fn, (str, Path)) and not Path(fn).is_file():  # checked on failure only: no cost
            where = " (a folder)" if Path(fn).is_dir() else ""
            raise FileNotFoundError(f"no image file at {fn}{where}") from e
        raise ImageReadError(f"cannot read the image {what}: {e}. Remove or replace the file.") from e


_WIDE_MODES = ("I;16", "I;16L", "I;16B", "I;16N", "I")


def _to_8bit(img: Image.Image) -> Image.Image:
    """A 16-bit grey image as 8-bit grey, scaled by the 16-bit range (`I` read as 16-bit, clipped)."""
    arr = np.clip(np.asarray(img, dtype=np.float64), 0, 65535) / 257.0
    return Image.fromarray(np.round(arr).astype(np.uint8), "L")


def _from_array(arr: np.ndarray, codes: bool = False) -> Image.Image:
    """A Pillow image from an `H×W(×C)` array: uint8/bool as they are, floats in [0, 1], ints in [0, 255].

    With `codes` (masks), floats are class codes: whole numbers in [0, 255], not scaled.
    """
    shape = arr.shape
    if arr.ndim == 3 and shape[-1] == 1:
        arr = arr[..., 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and shape[-1] not in (3, 4)) or 0 in shape:
        raise ImageReadError(
            f"an image array must be H×W or H×W×C with C 1, 3 or 4 (a tensor: C×H×W), got shape {shape}"
        )
    if arr.dtype == np.bool_:
        arr = arr.astype(np.uint8) * 255
    elif arr.dtype.kind == "f" and codes:
        if not (np.isfinite(arr).all() and (arr == np.round(arr)).all()):
            raise ImageReadError("a mask array of floats must hold whole class codes, got fractions or NaN")
        return _from_array(arr.astype(np.int64), codes)
    elif arr.dtype.kind == "f":
        lo, hi = (float(arr.min()), float(arr.max())) if np.isfinite(arr).all() else (np.nan, np.nan)
        if not 0.0 <= lo <= hi <= 1.0:
            raise ImageReadError(
                f"an image array of floats must hold values in [0, 1] (as TensorImage and torchvision's "
                f"ToTensor do), got {lo:g} to {hi:g}; for 0-255 values pass a uint8 array "
                "(arr.astype('uint8'))"
            )
        arr = np.round(arr * 255).astype(np.uint8)
    elif arr.dtype.kind in "iu" and arr.dtype != np.uint8:
        lo, hi = int(arr.min()), int(arr.max())
        if not 0 <= lo <= hi <= 255:
            raise ImageReadError(
                f"a mask holds class codes 0 to 255, got {lo} to {hi}"
                if codes
                else f"an image array of {arr.dtype} must hold values in [0, 255], got {lo} to {hi}; "
                "scale it to uint8 first"
            )
        arr = arr.astype(np.uint8)
    elif arr.dtype != np.uint8:
        raise ImageReadError(f"an image array must hold numbers, got dtype {arr.dtype}")
    return Image.fromarray(np.ascontiguousarray(arr))


def image2tensor(img: Any) -> torch.Tensor:
    """A `C×H×W` uint8 tensor from a PIL image or an `H×W(×C)` array.

    Examples:
        >>> image2tensor(Image.new("RGB", (4, 2))).shape
        torch.Size([3, 2, 4])
    """
    arr = np.asarray(img)
    t = torch.from_numpy(arr.copy())
    return t.unsqueeze(0) if t.ndim == 2 else t.permute(2, 0, 1)


class PILBase:
    """An image item: a Pillow image (`img`) with a `create` that reads files, arrays and images.

    Examples:
        >>> PILImage.create(np.zeros((2, 3, 3), dtype=np.uint8)).shape
        (2, 3)
    """

    _mode: str | None = "RGB"
    _codes = False  # arrays hold class codes (masks), not intensities
    _tensor_cls: type = TensorImage
    _int_pixels: bool = True  # 8-bit pixels, which ImageBlock turns into floats in [0, 1]

    def __init__(self, img: Image.Image, path: Path | None = None) -> None:
        self.img, self.path = img, path

    @classmethod
    def create(cls, fn: Any) -> PILBase:
        """Read `fn`: a path, a PIL image, an array, a tensor (`C×H×W`), the bytes of a file or another item.

        Examples:
            >>> PILImageBW.create(Image.new("RGB", (3, 2))).img.mode
            'L'
        """
        if isinstance(fn, PILBase):
            return cls(
                fn.img if cls._mode is None or fn.img.mode == cls._mode else fn.img.convert(cls._mode),
                fn.path,
            )
        if isinstance(fn, torch.Tensor):
            fn = fn.detach().cpu()
            fn = fn.permute(1, 2, 0).numpy() if fn.ndim == 3 else fn.numpy()
        if isinstance(fn, np.ndarray):
            img = _from_array(fn, cls._codes)
            return cls(img.convert(cls._mode) if cls._mode and img.mode != cls._mode else img)
        if isinstance(fn, Image.Image):
            return cls(fn.convert(cls._mode) if cls._mode and fn.mode != cls._mode else fn)
        if isinstance(fn, (bytes, bytearray, memoryview)):  # an upload's contents, as fastai accepts
            return cls(load_image(io.BytesIO(fn), cls._mode, cls._codes))
        return cls(load_image(fn, cls._mode, cls._codes), Path(fn))

    @property
    def size(self) -> tuple[int, int]:
        """(width, height), as Pillow says.

        Examples:
            >>> PILImage(Image.new("RGB", (4, 2))).size
            (4, 2)
        """
        return self.img.size

    @property
    def shape(self) -> tuple[int, int]:
        """(height, width), as torch says.

        Examples:
            >>> PILImage(Image.new("RGB", (4, 2))).shape
            (2, 4)
        """
        return self.img.size[1], self.img.size[0]

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        arr = np.asarray(self.img)
        return arr.astype(dtype) if dtype is not None else arr

    def to_tensor(self) -> TensorImageBase:
        """The image as a typed `C×H×W` uint8 tensor (`ToTensor` calls this).

        Examples:
            >>> type(PILImage(Image.new("RGB", (4, 2))).to_tensor()).__name__
            'TensorImage'
        """
        return self._tensor_cls(image2tensor(self.img))

    def show(self, ctx: Any = None, **kwargs: Any) -> Any:
        """Draw the image on `ctx` (a matplotlib axes).

        Examples:
            >>> ax = PILImage(Image.new("RGB", (4, 2))).show()  # doctest: +NEEDS_MATPLOTLIB
        """
        return self.to_tensor().show(ctx=ctx, **kwargs)

    def to_thumb(self, h: int, w: int | None = None) -> PILBase:
        """A copy shrunk to fit `h x w` (default square), keeping the aspect ratio, as fastai's.

        Examples:
            >>> PILImage(Image.new("RGB", (40, 20))).to_thumb(10).size
            (10, 5)
        """
        img = self.img.copy()
        img.thumbnail((h if w is None else w, h))
        return type(self)(img, self.path)

    def _repr_png_(self) -> bytes:
        # Notebooks draw the item itself, as they draw a Pillow image.
        buf = io.BytesIO()
        self.img.save(buf, format="PNG")
        return buf.getvalue()

    def __getattr__(self, name: str) -> Any:
        # Pillow's interface (`width`, `mode`, `resize`, `crop`, `convert`...) on the wrapped image,
        # as fastai's PIL types are Pillow images; nothing is added to Pillow's own classes.
        if name.startswith("__") or name == "img":
            raise AttributeError(name)
        return getattr(self.img, name)

    def __repr__(self) -> str:
        return f"{type(self).__name__} mode={self.img.mode} size={self.size[0]}x{self.size[1]}"


class PILImage(PILBase):
    """An RGB image item.

    Examples:
        >>> PILImage.create(np.zeros((2, 2), dtype=np.uint8)).img.mode
        'RGB'
    """


class PILImageBW(PILBase):
    """A single-channel (grey) image item.

    Examples:
        >>> type(PILImageBW.create(np.zeros((2, 2), dtype=np.uint8)).to_tensor()).__name__
        'TensorImageBW'
    """

    _mode = "L"
    _tensor_cls = TensorImageBW


class PILMask(PILBase):
    """A segmentation mask item: one class code per pixel; its tensor is a `TensorMask` of `H×W` codes.

    Examples:
        >>> PILMask.create(np.ones((2, 3), dtype=np.uint8)).to_tensor().shape
        torch.Size([2, 3])
    """

    _mode = "L"
    _tensor_cls = TensorMask
    _codes = True

    def to_tensor(self) -> TensorImageBase:  # noqa: D102  (the class documents it)
        return TensorMask(image2tensor(self.img)[0].long())


def get_image_files(
    path: str | Path, recurse: bool = True, folders: Sequence[str] | None = None
) -> list[Path]:
    """The image files under `path` (by suffix), sorted.

    Examples:
        >>> import lamella.samples
        >>> len(get_image_files(lamella.samples.path("mnist_tiny"), folders=["train", "valid"]))
        1408
    """
    return get_files(path, extensions=image_extensions, recurse=recurse, folders=folders)
