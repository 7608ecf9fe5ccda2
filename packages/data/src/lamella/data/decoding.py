"""`Decoding`: what a loader's batches mean: decoding them to items, showing them, their classes.

Decoding undoes the batch transforms and then the item transforms, then the dataset decodes each
item until its parts can show themselves (fastai's rule); `show_batch` and `show_results` draw
through the type-dispatched cases in `lamella.data.show`.

Examples:
    >>> from lamella.data import Categorize, DataLoader, Datasets
    >>> dl = DataLoader(Datasets(["a", "b"], [[], [Categorize()]]), bs=2)
    >>> dl.decode_batch(dl.one_batch()), dl.c
    ([('a', 'a'), ('b', 'b')], 2)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamella.transforms import Pipeline
from lamella.typedtensor import to_cpu

from .order import BatchOrder
from .show import show_batch as show_batch_dispatch
from .show import show_results as show_results_dispatch

__all__ = ["Decoding"]


class Decoding(BatchOrder):
    """The decoding part of `DataLoader`: `decode`, `decode_batch`, `show_batch`, `show_results`, `c`.

    Examples:
        >>> from lamella.data import DataLoader
        >>> dl = DataLoader([(1, 2)], bs=1)
        >>> dl.decode_batch(dl.one_batch())
        [(tensor(1), tensor(2))]
    """

    after_item: Pipeline
    before_batch: Pipeline
    after_batch: Pipeline
    indexed: bool

    if TYPE_CHECKING:  # defined by DataLoader

        def one_batch(self) -> Any: ...  # noqa: D102
        def make_batch(self, idxs: list[int]) -> Any: ...  # noqa: D102
        def _finish(self, b: Any) -> Any: ...

    @property
    def target_vocab(self) -> Any:
        """The target's vocabulary (the last pipeline's), else the dataset's `vocab`, else None.

        A text classifier's dataset has two vocabularies (`vocab` gives both, as fastai's); the
        classes are the target's.

        Examples:
        >>> from lamella.data import DataLoader
            >>> from lamella.data import Categorize, Datasets, ItemGetter
            >>> items = [("x", "b"), ("y", "a")]
            >>> ds = Datasets(items, [[ItemGetter(0), Categorize()], [ItemGetter(1), Categorize()]])
            >>> DataLoader(ds, bs=2).vocab, DataLoader(ds, bs=2).target_vocab
            ([['x', 'y'], ['a', 'b']], ['a', 'b'])
        """
        tls = getattr(self.dataset, "tls", None)
        return tls[-1].vocab if tls else getattr(self.dataset, "vocab", None)

    @property
    def c(self) -> int:
        """The number of outputs (fastai's `dls.c`): the target vocabulary's length, or a regression's width.

        Examples:
        >>> from lamella.data import DataLoader
            >>> from lamella.data import Categorize, Datasets, RegressionSetup
            >>> DataLoader(Datasets(["a", "b", "a"], [[Categorize()]]), bs=2).c
            2
            >>> DataLoader(Datasets([[1.0, 2.0], [3.0, 4.0]], [[RegressionSetup()]]), bs=2).c
            2
        """
        vocab = self.target_vocab
        if vocab is not None:
            return len(vocab)
        tls = getattr(self.dataset, "tls", None)
        found = (getattr(f, "c", None) for f in reversed(tls[-1].tfms.fs)) if tls else iter(())
        c = next((v for v in found if v is not None), None)
        if c is None:
            raise AttributeError(
                "this DataLoader's target has no vocab and no transform that knows its width, so no `c`"
            )
        return c

    @property
    def n_inp(self) -> int:
        """How many elements of a batch are inputs (from the dataset; 1 otherwise).

        Examples:
        >>> from lamella.data import DataLoader
            >>> DataLoader([(1, 2)], bs=1).n_inp
            1
        """
        return getattr(self.dataset, "n_inp", 1)

    def decode(self, b: Any) -> Any:
        """Undo `after_batch` (then `before_batch`) on a batch, and bring it to the CPU.

        Examples:
        >>> from lamella.data import DataLoader
            >>> from lamella.transforms import Transform
            >>> scale = Transform(lambda b: b * 10, lambda b: b // 10)
            >>> dl = DataLoader(list(range(4)), bs=2, after_batch=[scale])
            >>> dl.decode(dl.one_batch())
            tensor([0, 1])
        """
        return self.before_batch.decode(to_cpu(self.after_batch.decode(b)))

    def decode_batch(self, b: Any, max_n: int = 9, full: bool = True) -> list[Any]:
        """Decode a batch into a list of (at most `max_n`) decoded items.

        Examples:
        >>> from lamella.data import DataLoader
            >>> from lamella.data import Categorize, Datasets
            >>> from lamella.typedtensor import TensorCategory
            >>> dsets = Datasets(["a", "b"], [[], [Categorize()]])
            >>> DataLoader(dsets, bs=2).decode_batch(((["a", "b"]), TensorCategory([1, 0])))
            [('a', 'b'), ('b', 'a')]
        """
        return self._decode_samples(self.decode(b), max_n, full)

    def _decode_samples(self, b: Any, max_n: int, full: bool) -> list[Any]:
        fields = b if type(b) is tuple or hasattr(b, "_fields") else (b,)
        n = min(_batch_len(fields[0]), max_n)
        samples = [tuple(_nth(f, i) for f in fields) for i in range(n)]
        decode = getattr(self.dataset, "decode", None)
        samples = [self.after_item.decode(s) for s in samples]
        return [decode(s, full=full) for s in samples] if decode is not None else samples

    def show_batch(
        self, b: Any = None, max_n: int = 9, ctxs: Any = None, show: bool = True, unique: bool = False,
        **kwargs: Any,
    ) -> Any:  # fmt: skip
        """Show a batch (a new one when None) in a grid, each item decoded until it can show itself.

        Args:
            b: the batch.
            max_n: at most this many items.
            ctxs: axes to draw on.
            show: False returns the decoded items without drawing.
            unique: a batch of one item repeated, to see its augmentations (fastai's `unique=True`).
            **kwargs: passed to the `show_batch` case for these types (`nrows`, `ncols`, `figsize`).

        Examples:
        >>> from lamella.data import DataLoader
            >>> from lamella.data import Categorize, Datasets
            >>> size = lambda x: "big" if x > 2 else "small"
            >>> dsets = Datasets([1.0, 2.0, 3.0, 4.0], [[], [size, Categorize()]])
            >>> axs = DataLoader(dsets, bs=4).show_batch(max_n=4)  # doctest: +NEEDS_MATPLOTLIB
            >>> [ax.get_title() for ax in axs]  # doctest: +NEEDS_MATPLOTLIB
            ['small', 'small', 'big', 'big']
        """
        if b is None and unique:
            if not self.indexed or self.n == 0:
                raise ValueError("show_batch(unique=True) needs an indexable, non-empty dataset")
            first = self._index_batches(self._epoch_generator())[0][0]
            b = self._finish(self.make_batch([first] * self.bs))
        b = self.one_batch() if b is None else b
        decoded = self.decode(b)
        samples = self._decode_samples(decoded, max_n, full=False)
        if not show:
            return samples
        fields = decoded if isinstance(decoded, tuple) else (decoded,)
        x, y = fields[0], (fields[self.n_inp] if len(fields) > self.n_inp else None)
        return show_batch_dispatch(x, y, samples, ctxs=ctxs, max_n=max_n, **kwargs)

    def show_results(self, b: Any, out: Any, max_n: int = 9, ctxs: Any = None, **kwargs: Any) -> Any:
        """Show a batch's items beside the decoded predictions `out` (one per item).

        Examples:
        >>> from lamella.data import DataLoader
            >>> from lamella.data import Categorize, Datasets
            >>> dsets = Datasets([1.0, 2.0, 3.0], [[], [lambda x: "big" if x > 2 else "small", Categorize()]])
            >>> dl = DataLoader(dsets, bs=3); b = dl.one_batch()
            >>> from lamella.typedtensor import TensorCategory
            >>> axs = dl.show_results(b, TensorCategory([1, 1, 0]))  # doctest: +NEEDS_MATPLOTLIB
            >>> [ax.get_title() for ax in axs]  # target / prediction  # doctest: +NEEDS_MATPLOTLIB
            ['small / small', 'small / small', 'big / big']
        """
        decoded = self.decode(b)
        samples = self._decode_samples(decoded, max_n, full=False)
        fields = decoded if isinstance(decoded, tuple) else (decoded,)
        # predictions live where the targets do (points in [-1, 1]...): decode them the same way
        inputs = (b if isinstance(b, tuple) else (b,))[: self.n_inp]
        outs = self._decode_samples(
            self.decode(inputs + (out if isinstance(out, tuple) else (out,))), max_n, False
        )
        x, y = fields[0], (fields[self.n_inp] if len(fields) > self.n_inp else None)
        return show_results_dispatch(
            x, y, samples, [o[self.n_inp :] for o in outs], ctxs=ctxs, max_n=max_n, **kwargs
        )


def _batch_len(f: Any) -> int:
    """The batch size of a field: a tuple field (an `ImageTuple` of batches) has its elements' length."""
    return _batch_len(f[0]) if isinstance(f, tuple) and f else len(f)


def _nth(f: Any, i: int) -> Any:
    """Item `i` of a batch field; a tuple field gives a tuple of the same type (its elements' item `i`)."""
    if isinstance(f, tuple) and not hasattr(f, "_fields"):
        items = tuple(_nth(e, i) for e in f)
        return items if type(f) is tuple else type(f)(items)
    return f[i]
