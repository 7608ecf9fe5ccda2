"""Label transforms: categories, multi-label and regression targets, and their decoded forms.

`Categorize` learns a vocabulary from the training labels and encodes a label as a
`TensorCategory`; it decodes back to a `Category`, a `str` that can show itself as a title.
`MultiCategorize` + `OneHotEncode` do the same for several labels per item, and
`EncodedMultiCategorize` for labels that come one-hot already. `RegressionSetup` makes float
targets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import torch

from lamella.transforms import DisplayedTransform
from lamella.typedtensor import TensorCategory, TensorMultiCategory, show_title, tensor

__all__ = [
    "LabelError",
    "UnknownLabelError",
    "Category",
    "CategoryMap",
    "Categorize",
    "EncodedMultiCategorize",
    "MultiCategorize",
    "MultiCategory",
    "OneHotEncode",
    "RegressionSetup",
    "TitledFloat",
    "one_hot",
    "one_hot_decode",
]


class LabelError(ValueError):
    """Labels that cannot make a vocabulary: missing (None or NaN) or of types that do not sort together.

    Examples:
        >>> try:
        ...     CategoryMap(["cat", None])
        ... except LabelError as e:
        ...     print(str(e)[:32])
        1 of 2 labels are missing (None
    """


class UnknownLabelError(KeyError):
    """A label the training set never showed (a validation or new item's); the message names it.

    Examples:
        >>> from lamella.transforms import TransformError
        >>> try:
        ...     Categorize(vocab=["cat", "dog"])("cow")
        ... except TransformError as e:  # a transform's error names the transform; its cause is this
        ...     print(type(e.__cause__).__name__)
        UnknownLabelError
    """


class Category(str):
    """A decoded label: a `str` that shows itself as the title of an axes.

    Examples:
        >>> Category("dog").upper()
        'DOG'
    """

    def show(self, ctx: Any = None, **kwargs: Any) -> Any:
        """Write the label as the title of `ctx`.

        Examples:
            >>> ax = Category("dog").show()  # doctest: +NEEDS_MATPLOTLIB
        """
        return show_title(str(self), ctx=ctx, **kwargs)


class MultiCategory(list):
    """Decoded labels of one item: a `list` that shows itself as a ';'-joined title.

    Examples:
        >>> MultiCategory(["cat", "dog"])
        ['cat', 'dog']
    """

    def show(self, ctx: Any = None, **kwargs: Any) -> Any:
        """Write the labels, joined by ';', as the title of `ctx`.

        Examples:
            >>> ax = MultiCategory(["a", "b"]).show()  # doctest: +NEEDS_MATPLOTLIB
        """
        return show_title(";".join(str(o) for o in self), ctx=ctx, **kwargs)


class TitledFloat(float):
    """A decoded regression target that shows itself as a title.

    Examples:
        >>> TitledFloat(2.5) + 1
        3.5
    """

    def show(self, ctx: Any = None, **kwargs: Any) -> Any:
        """Write the value as the title of `ctx`.

        Examples:
            >>> ax = TitledFloat(1.0).show()  # doctest: +NEEDS_MATPLOTLIB
        """
        return show_title(f"{self:.4g}", ctx=ctx, **kwargs)


class CategoryMap(list):
    """The vocabulary of a categorical target: its values in order, and `o2i` from value to index.

    Args:
        items: the labels seen in training (repeats are fine).
        sort: sort the values (else keep first-seen order).
        add_na: put `#na#` first; unknown labels then map to it (index 0).

    Examples:
        >>> vocab = CategoryMap(["dog", "cat", "dog"])
        >>> list(vocab), vocab.o2i["dog"]
        (['cat', 'dog'], 1)
        >>> CategoryMap(["b", "a"], add_na=True).o2i["zebra"]
        0
    """

    def __init__(self, items: Iterable[Any], sort: bool = True, add_na: bool = False) -> None:
        labels = [_plain(o) for o in items]
        if not add_na:  # with add_na a missing label is what `#na#` stands for
            missing = [i for i, o in enumerate(labels) if _is_missing(o)]
            if missing:
                raise LabelError(
                    f"{len(missing)} of {len(labels)} labels are missing (None or NaN), the first at "
                    f"position {missing[0]} of the training labels: drop those items or fill their labels"
                )
        values = list(dict.fromkeys(labels))
        if sort:
            try:
                values = sorted(values)
            except TypeError:
                kinds = sorted({type(v).__name__ for v in values})
                raise LabelError(
                    f"the labels mix types {kinds} (for example {values[:4]!r}), which cannot be sorted into "
                    "one vocabulary: convert them to one type first (e.g. str)"
                ) from None
        if add_na:
            values = ["#na#"] + [v for v in values if v != "#na#"]
        super().__init__(values)
        self.add_na = add_na
        self.o2i: dict[Any, int] = _NaDict(values) if add_na else {v: i for i, v in enumerate(values)}

    def __reduce__(self) -> Any:
        return (_rebuild_map, (list(self), self.add_na))


def _rebuild_map(values: list, add_na: bool) -> CategoryMap:
    return CategoryMap(values, sort=False, add_na=add_na)


class _NaDict(dict):
    """Index of each value; anything unknown maps to 0, the `#na#` slot."""

    def __init__(self, values: list) -> None:
        super().__init__((v, i) for i, v in enumerate(values))

    def __missing__(self, key: Any) -> int:
        return 0


def _is_missing(o: Any) -> bool:
    """None, a float NaN or pandas' NA: not a label."""
    return o is None or (isinstance(o, float) and o != o) or type(o).__name__ == "NAType"


def _plain(o: Any) -> Any:
    """A hashable label: 0-d tensors and numpy scalars become Python scalars."""
    item = getattr(o, "item", None)
    if item is not None and getattr(o, "ndim", 1) == 0:
        return item()
    return o


class Categorize(DisplayedTransform):
    """Encode a label as a `TensorCategory` index into a vocabulary learnt from the training labels.

    Args:
        vocab: a fixed vocabulary (else learnt in `setups`).
        sort: sort the learnt vocabulary.
        add_na: reserve index 0 for `#na#`, where unknown labels go.

    Examples:
        >>> tfm = Categorize(); tfm.setup(["dog", "cat", "dog"])
        >>> tfm("dog"), tfm.decode(TensorCategory(0))
        (TensorCategory(1), 'cat')
    """

    order = 1

    def __init__(self, vocab: Iterable[Any] | None = None, sort: bool = True, add_na: bool = False) -> None:
        super().__init__()
        self.sort, self.add_na = sort, add_na
        self.vocab = None if vocab is None else CategoryMap(vocab, sort=False, add_na=add_na)

    def setups(self, items):  # noqa: D102  (the class documents its cases)
        if self.vocab is None and items is not None:
            self.vocab = CategoryMap(items, sort=self.sort, add_na=self.add_na)
        self.c = len(self.vocab) if self.vocab is not None else None

    @property
    def _vocab(self) -> CategoryMap:
        if self.vocab is None:
            raise ValueError(
                f"{type(self).__name__} has no vocabulary: set it up on the training labels or pass vocab="
            )
        return self.vocab

    def encodes(self, o):  # noqa: D102
        try:
            return TensorCategory(self._vocab.o2i[_plain(o)])
        except KeyError:
            raise UnknownLabelError(
                f"label {o!r} is not in the vocabulary learnt from the training set ({_short(self.vocab)}); "
                "pass add_na=True to map unknown labels to '#na#'"
            ) from None

    def decodes(self, o: TensorCategory):  # noqa: D102
        if o.ndim:
            return [Category(self._vocab[int(i)]) for i in o]
        return Category(self._vocab[int(o)])


def _short(vocab: list) -> str:
    return repr(list(vocab)) if len(vocab) <= 10 else f"{list(vocab)[:10]!r}... ({len(vocab)} values)"


class MultiCategorize(Categorize):
    """Encode a list of labels as a `TensorMultiCategory` of indices (vocabulary from training).

    Examples:
        >>> tfm = MultiCategorize(); tfm.setup([["cat"], ["dog", "cat"]])
        >>> tfm(["dog", "cat"]), tfm.decode(TensorMultiCategory([1]))
        (TensorMultiCategory([1, 0]), ['dog'])
    """

    order = 1

    def __init__(self, vocab: Iterable[Any] | None = None, add_na: bool = False) -> None:
        super().__init__(vocab=vocab, sort=True, add_na=add_na)

    def setups(self, items):  # noqa: D102
        if self.vocab is None and items is not None:
            self.vocab = CategoryMap((label for o in items for label in o), sort=True, add_na=self.add_na)
        self.c = len(self.vocab) if self.vocab is not None else None

    def encodes(self, o):  # noqa: D102
        missing = [x for x in o if _plain(x) not in self.vocab.o2i] if not self.add_na else []
        if missing:
            raise UnknownLabelError(
                f"labels {missing!r} are not in the vocabulary learnt from the training set "
                f"({_short(self.vocab)})"
            )
        return TensorMultiCategory([self.vocab.o2i[_plain(x)] for x in o])

    def decodes(self, o: TensorMultiCategory):  # type: ignore[override]  # noqa: D102  (a dispatch case)
        return MultiCategory(self._vocab[int(i)] for i in o)


class OneHotEncode(DisplayedTransform):
    """One-hot encode a `TensorMultiCategory` of indices over `c` classes (float, for BCE losses).

    Examples:
        >>> OneHotEncode(c=4)(TensorMultiCategory([0, 2]))
        TensorMultiCategory([1., 0., 1., 0.])
    """

    order = 2

    def __init__(self, c: int | None = None) -> None:
        super().__init__()
        self.c = c

    def setups(self, items):  # noqa: D102
        if self.c is None:
            vocab = getattr(items, "vocab", None)
            if vocab is None:
                raise ValueError(
                    "OneHotEncode needs c= or a MultiCategorize before it to take the vocabulary from"
                )
            self.c = len(vocab)

    def encodes(self, o: TensorMultiCategory):  # noqa: D102
        if self.c is None:
            raise ValueError(
                "OneHotEncode has no number of classes: set it up after a MultiCategorize or pass c="
            )
        return TensorMultiCategory(one_hot(o.as_plain(), self.c).float())

    def decodes(self, o: TensorMultiCategory):  # noqa: D102
        return TensorMultiCategory(torch.nonzero(o.as_plain() > 0.5).flatten())


def one_hot(x: Any, c: int) -> torch.Tensor:
    """A `uint8` vector of length `c` with a 1 at each class index in `x` (fastai's `one_hot`).

    Examples:
        >>> one_hot([0, 2], 4), one_hot(torch.tensor([]), 2)
        (tensor([1, 0, 1, 0], dtype=torch.uint8), tensor([0, 0], dtype=torch.uint8))
    """
    idx = torch.as_tensor(x if isinstance(x, torch.Tensor) else list(_as_indices(x))).long().flatten()
    if idx.numel() and (int(idx.min()) < 0 or int(idx.max()) >= c):
        raise ValueError(f"one_hot: class indices must lie in [0, {c}), got {idx.tolist()}")
    out = torch.zeros(c, dtype=torch.uint8)
    out[idx] = 1
    return out


def _as_indices(x: Any) -> Iterable[Any]:
    return x if isinstance(x, Iterable) and not isinstance(x, str) else [x]


def one_hot_decode(x: Any, vocab: Sequence[Any] | None = None) -> list[Any]:
    """The positions of the ones in `x` (or their names in `vocab`): `one_hot`'s inverse.

    Examples:
        >>> one_hot_decode([1, 0, 1]), one_hot_decode(torch.tensor([0, 1, 1]), vocab=["a", "b", "c"])
        ([0, 2], ['b', 'c'])
    """
    return [vocab[i] if vocab is not None else i for i, v in enumerate(x) if v == 1]


class EncodedMultiCategorize(Categorize):
    """Labels that come one-hot already: encode as a float `TensorMultiCategory`, decode to names.

    Examples:
        >>> tfm = EncodedMultiCategorize(vocab=["a", "b", "c"])
        >>> tfm([1, 0, 1]), tfm.decode(TensorMultiCategory([0.0, 1.0, 1.0]))
        (TensorMultiCategory([1., 0., 1.]), ['b', 'c'])
    """

    order = 1

    def __init__(self, vocab: Iterable[Any]) -> None:
        super().__init__(vocab=vocab, sort=False)
        self.c = len(self._vocab)

    def setups(self, items):  # noqa: D102
        pass

    def encodes(self, o):  # noqa: D102
        return TensorMultiCategory(tensor(o).float())

    def decodes(self, o: TensorMultiCategory):  # type: ignore[override]  # noqa: D102  (a dispatch case)
        return MultiCategory(self._vocab[int(i)] for i in torch.nonzero(o.as_plain() > 0.5).flatten())


class RegressionSetup(DisplayedTransform):
    """Make a float target; `c` (the number of outputs) is learnt from the training targets.

    Examples:
        >>> tfm = RegressionSetup(); tfm.setup([1.0, 2.0])
        >>> tfm(2), tfm.c, tfm.decode(tfm(2))
        (tensor(2.), 1, 2.0)
    """

    def __init__(self, c: int | None = None) -> None:
        super().__init__()
        self.c = c

    def setups(self, items):  # noqa: D102
        if self.c is None and items is not None and len(items):
            first = tensor(items[0])
            self.c = first.shape[-1] if first.ndim else 1

    def encodes(self, o):  # noqa: D102
        return tensor(o).float()

    def decodes(self, o: torch.Tensor):  # noqa: D102
        return TitledFloat(o.item()) if o.ndim == 0 else [TitledFloat(v) for v in o.tolist()]
