"""fastprogress's `progress_bar` and `master_bar`, drawn by tqdm, for the loops a notebook writes itself.

The calls are fastprogress's (`for e in mb: for b in progress_bar(dl, parent=mb): ...`,
`mb.child.comment = ...`, `mb.write(...)`, `mb.update_graph(...)`), so code written against fastai
runs unchanged. As with the learner's own bars (`ProgressCallback`), a bar is drawn only to a
terminal or in a notebook; to a file or a CI log only `write`'s lines appear.

Examples:
    >>> mb = master_bar(range(2))
    >>> for epoch in mb:
    ...     for batch in progress_bar(range(3), parent=mb):
    ...         mb.child.comment = f"batch {batch}"
    ...     mb.write(f"epoch {epoch} done")
    epoch 0 done
    epoch 1 done
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .callbacks.progress import watched

__all__ = ["master_bar", "progress_bar"]


class progress_bar:  # noqa: N801  (fastprogress's name, called like a function)
    """Iterate over `gen` with a bar (fastprogress's `progress_bar`); `comment` is shown beside it.

    `total` defaults to `len(gen)`; `display=False` draws nothing; `leave=False` removes the bar
    when done; `parent` is the `master_bar` this bar runs under (it becomes `parent.child`).

    Examples:
        >>> pb = progress_bar(range(3), comment="loss 0.1")
        >>> list(pb), pb.total, pb.comment
        ([0, 1, 2], 3, 'loss 0.1')
    """

    def __init__(
        self, gen: Iterable[Any], total: int | None = None, display: bool = True, leave: bool = True,
        parent: master_bar | None = None, master: master_bar | None = None, comment: str = "",
    ) -> None:  # fmt: skip
        self.gen, self.display, self.leave = gen, display, leave
        self.total = len(gen) if total is None and hasattr(gen, "__len__") else total  # type: ignore[arg-type]
        self.parent = parent if parent is not None else master
        self._comment, self.last_v = comment, 0
        self._bar: Any = None
        if self.parent is not None:
            self.parent.child = self

    def __len__(self) -> int:
        if self.total is None:
            raise TypeError("progress_bar: this generator has no length (pass total=)")
        return self.total

    @property
    def comment(self) -> str:
        """The text shown beside the bar (`pb.comment = f"loss {loss:.3f}"`)."""
        return self._comment

    @comment.setter
    def comment(self, text: str) -> None:
        self._comment = text
        if self._bar is not None:
            self._bar.set_postfix_str(text, refresh=False)

    def _open(self) -> None:
        if self.display and watched(sys.stderr):
            from tqdm.auto import tqdm

            nested = self.parent is not None
            self._bar = tqdm(
                total=self.total, leave=self.leave and not nested, position=int(nested), file=sys.stderr
            )
            if self._comment:
                self._bar.set_postfix_str(self._comment, refresh=False)

    def update(self, val: int) -> None:
        """Move the bar to `val` items done (fastprogress's `update`)."""
        if self._bar is not None:
            self._bar.update(val - self.last_v)
        self.last_v = val

    def __iter__(self) -> Iterator[Any]:
        self._open()
        try:
            for i, item in enumerate(self.gen):
                yield item
                self.update(i + 1)
        finally:
            if self._bar is not None:
                self._bar.close()
                self._bar = None


class master_bar:  # noqa: N801  (fastprogress's name)
    """The outer loop's bar, with child bars under it, lines written above them and a live graph.

    `mb.write(line)` prints a line (`table=True`: a list of cells as one padded row, as fastai's
    results table); `mb.update_graph(graphs, x_bounds, y_bounds)` keeps the curves and, in a
    notebook, redraws them (each graph a pair of x and y sequences; `mb.names` labels them).

    Examples:
        >>> mb = master_bar(range(1))
        >>> mb.write(["epoch", "train_loss"], table=True)
        epoch      train_loss
        >>> for e in mb: mb.update_graph([[[0, 1], [0.9, 0.5]]])
        >>> len(mb.graphs)
        1
    """

    def __init__(
        self, gen: Iterable[Any], total: int | None = None, hide_graph: bool = False, order: Any = None,
        clean_on_interrupt: bool = False, total_time: bool = False,
    ) -> None:  # fmt: skip
        self.main_bar = progress_bar(gen, total=total, leave=True)
        self.child: progress_bar | None = None
        self.hide_graph, self.total_time = hide_graph, total_time
        self.names: list[str] = []
        self.graphs: list[Any] = []
        self._display: Any = None

    @property
    def total(self) -> int | None:
        """The number of iterations of the outer loop."""
        return self.main_bar.total

    def __iter__(self) -> Iterator[Any]:
        yield from self.main_bar

    def write(self, line: str | Sequence[Any], table: bool = False) -> None:
        """Print `line` above the bars (`table=True`: the cells padded into columns)."""
        if table:
            line = "  ".join(str(cell).ljust(max(len(str(cell)), 9)) for cell in line).rstrip()
        if self.main_bar._bar is not None:
            self.main_bar._bar.write(str(line), file=sys.stdout)
        else:
            print(line)

    def update_graph(
        self, graphs: Sequence[Any], x_bounds: Sequence[float] | None = None,
        y_bounds: Sequence[float] | None = None, figsize: tuple[float, float] = (6, 4),
    ) -> None:  # fmt: skip
        """Keep the curves `graphs` ([(xs, ys), ...]); in a notebook, draw them in place."""
        self.graphs = [(list(x), list(y)) for x, y in graphs]
        if self.hide_graph or "ipykernel" not in sys.modules:
            return
        import matplotlib.pyplot as plt
        from IPython.display import display

        fig, ax = plt.subplots(figsize=figsize)
        for i, (x, y) in enumerate(self.graphs):
            ax.plot(x, y, label=self.names[i] if i < len(self.names) else None)
        if self.names:
            ax.legend(loc="upper right")
        if x_bounds is not None:
            ax.set_xlim(*x_bounds)
        if y_bounds is not None:
            ax.set_ylim(*y_bounds)
        plt.close(fig)
        if self._display is None:
            self._display = display(fig, display_id=True)
        else:
            self._display.update(fig)
