"""`ImageClassifierCleaner`: the images a classifier finds hardest, each with keep, delete or relabel.

fastai's data-cleaning step (book chapter 2): train a model, then look at the images of each
category with the highest loss, which are mislabelled or not what the dataset is about more
often than the rest. In a notebook the cleaner is a widget (two menus: category and split; under
each image a menu: `<Keep>`, `<Delete>` or another category; needs `ipywidgets`, the `widgets`
extra). Without one the same decisions are made with `choose`, and `delete()` and `change()`
return the same lists in both cases. fastai's book then applies them to the files:

    cleaner = ImageClassifierCleaner(learn)
    cleaner  # in a notebook: the widget; pick <Delete> or a category under the images
    for idx in cleaner.delete(): cleaner.fns[idx].unlink()
    for idx, cat in cleaner.change(): shutil.move(str(cleaner.fns[idx]), path / cat)

(`ImageClassifierCleaner`'s own example runs.)
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import torch
from PIL import Image

__all__ = ["ImageClassifierCleaner", "KEEP", "DELETE"]

#: The choice that leaves an image as it is, and the one that marks it for deletion (fastai's labels).
KEEP, DELETE = "<Keep>", "<Delete>"
_SPLITS = ("Train", "Valid")


class ImageClassifierCleaner:
    """The images of one category and split, highest loss first, each with a choice (fastai's cleaner).

    `select(category, split)` picks what is shown (`split` is `"Train"`/`"Valid"` or 0/1; first
    category and the training set to begin with, as fastai's); `fns` are its files, at most
    `files_max`. `choose(i, KEEP | DELETE | a category)` decides for `fns[i]`, as the widget's
    menu under the image does. `delete()` gives the positions marked for deletion, `change()`
    the `(position, new category)` pairs; both read the current selection, so apply them before
    selecting another.

    Examples:
        >>> import lamella.samples
        >>> from torch import nn
        >>> from lamella.learner import Learner
        >>> from lamella.vision import ImageDataLoaders
        >>> dls = ImageDataLoaders.from_folder(lamella.samples.path("mnist_tiny"), valid="valid", bs=64)
        >>> learn = Learner(dls, nn.Sequential(nn.Flatten(), nn.Linear(3 * 28 * 28, 2)))
        >>> cleaner = ImageClassifierCleaner(learn, files_max=3)
        >>> cleaner.categories, len(cleaner.fns), cleaner.split
        (['3', '7'], 3, 'Train')
        >>> cleaner.choose(0, "<Delete>"); cleaner.choose(2, "7")
        >>> cleaner.delete(), cleaner.change()
        ([0], [(2, '7')])
    """

    def __init__(
        self, learn: Any, files_max: int = 200, max_n: int | None = None, height: int = 128, width: int = 256
    ) -> None:
        vocab = getattr(learn.dls, "vocab", None)
        if vocab is None or not len(vocab) or isinstance(vocab[0], (list, tuple)):
            raise ValueError(
                "ImageClassifierCleaner needs a single-label classifier: learn.dls has no flat vocab "
                f"(got {type(vocab).__name__}); regression, segmentation and tuple targets have no "
                "category to relabel"
            )
        self.learn, self.files_max = learn, max_n or files_max
        self.height, self.width = height, width
        self.categories = [str(c) for c in vocab]
        self._losses: dict[int, list[tuple[Any, str, float]]] = {}
        self._widget: Any = None
        self.select(self.categories[0], 0)

    def _ranked(self, ds_idx: int) -> list[tuple[Any, str, float]]:
        """Every item of split `ds_idx` with its label and loss, computed once per split."""
        if ds_idx not in self._losses:
            dl = self.learn.dls[ds_idx].new(shuffle=False, drop_last=False)
            items = list(dl.dataset.items)
            if not items:
                self._losses[ds_idx] = []
                return []
            _, targets, losses = self.learn.get_preds(dl=dl, with_loss=True)
            if targets.ndim != 1 or len(targets) != len(items):
                raise ValueError(
                    f"ImageClassifierCleaner: the {_SPLITS[ds_idx]} targets have shape "
                    f"{tuple(targets.shape)}; one category index per item was expected (multi-label "
                    "targets cannot be relabelled to one category)"
                )
            labels = [self.categories[int(t)] for t in targets]
            self._losses[ds_idx] = list(zip(items, labels, losses.tolist()))
        return self._losses[ds_idx]

    def select(self, category: str, split: str | int = 0) -> None:
        """Show `category`'s images of `split` ("Train"/"Valid" or 0/1), highest loss first; choices reset."""
        ds_idx = _SPLITS.index(split) if isinstance(split, str) and split in _SPLITS else split
        if ds_idx not in (0, 1):
            raise ValueError(f"ImageClassifierCleaner: split {split!r} is not one of {_SPLITS} or 0/1")
        if str(category) not in self.categories:
            raise ValueError(
                f"ImageClassifierCleaner: {category!r} is not a category; they are {self.categories}"
            )
        self.category, self.split = str(category), _SPLITS[int(ds_idx)]
        rows = [r for r in self._ranked(int(ds_idx)) if r[1] == self.category]
        rows.sort(key=lambda r: -r[2])
        rows = rows[: self.files_max]
        self.fns = [Path(r[0]) if isinstance(r[0], (str, Path)) else r[0] for r in rows]
        self.losses = [r[2] for r in rows]
        self.values = [KEEP] * len(self.fns)
        if self._widget is not None:
            self._fill_images()

    def choose(self, idx: int, value: str) -> None:
        """Decide for `fns[idx]`: `KEEP`, `DELETE` or a category to move it to."""
        if value not in (KEEP, DELETE, *self.categories):
            raise ValueError(
                f"ImageClassifierCleaner: {value!r} is not {KEEP!r}, {DELETE!r} "
                f"or a category {self.categories}"
            )
        if not -len(self.fns) <= idx < len(self.fns):
            raise IndexError(
                f"ImageClassifierCleaner: position {idx} is outside the {len(self.fns)} images shown"
            )
        self.values[idx] = value

    def delete(self) -> list[int]:
        """The positions in `fns` marked `<Delete>`."""
        return [i for i, v in enumerate(self.values) if v == DELETE]

    def change(self) -> list[tuple[int, str]]:
        """`(position in fns, new category)` for each image given another category than its own."""
        return [(i, v) for i, v in enumerate(self.values) if v not in (KEEP, DELETE) and v != self.category]

    def __len__(self) -> int:
        return len(self.fns)

    def __repr__(self) -> str:
        return (
            f"ImageClassifierCleaner({self.category!r}, {self.split}: {len(self.fns)} images, "
            f"{len(self.delete())} to delete, {len(self.change())} to relabel)"
        )

    # The notebook widget: built on first display.
    @property
    def widget(self) -> Any:
        """The ipywidgets `VBox` a notebook shows (the `widgets` extra)."""
        if self._widget is None:
            try:
                import ipywidgets as w
            except ImportError as e:
                raise ImportError(
                    "ImageClassifierCleaner's widget needs ipywidgets: pip install 'lamella-vision[widgets]' "
                    "(without a notebook, decide with cleaner.choose(i, ...))"
                ) from e
            self._w = w
            self._dd_cat = w.Dropdown(options=self.categories, value=self.category)
            self._dd_split = w.Dropdown(options=list(_SPLITS), value=self.split)
            self._dd_cat.observe(self._on_select, "value")
            self._dd_split.observe(self._on_select, "value")
            self._grid = w.Box(layout=w.Layout(display="flex", flex_flow="row wrap"))
            self._widget = w.VBox([w.HBox([self._dd_cat, self._dd_split]), self._grid])
            self._fill_images()
        return self._widget

    def _on_select(self, _: Any) -> None:
        self.select(self._dd_cat.value, self._dd_split.value)

    def _fill_images(self) -> None:
        w, boxes = self._w, []
        for i, fn in enumerate(self.fns):
            menu = w.Dropdown(
                options=[KEEP, DELETE, *self.categories],
                value=self.values[i],
                layout={"width": "max-content"},
            )
            menu.observe(lambda change, i=i: self.choose(i, change["new"]), "value")
            image = w.Image(value=_thumbnail(fn, self.height, self.width), format="png")
            boxes.append(w.VBox([image, menu]))
        self._grid.children = boxes

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def _thumbnail(item: Any, height: int, width: int) -> bytes:
    """PNG bytes of `item` (a file, a PIL image or an image tensor) shrunk to fit `width` x `height`."""
    if isinstance(item, (str, Path)):
        with Image.open(item) as im:
            image = im.convert("RGB")
    elif isinstance(item, Image.Image):
        image = item.convert("RGB")
    else:
        x = torch.as_tensor(item)
        x = x[None] if x.ndim == 2 else x
        image = Image.fromarray(x.permute(1, 2, 0).squeeze(-1).to(torch.uint8).numpy())
    image.thumbnail((width, height))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()
