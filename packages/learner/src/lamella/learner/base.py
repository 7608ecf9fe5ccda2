"""`LearnerBase`: what every part of `Learner` may read on it, declared once for readers and type checkers.

`Learner` is put together from parts, each a class in its own module: `Callbacks` and `Loop`
(adding callbacks and firing events; the batch, epoch and fit loop), `Groups` (the optimizer,
parameter groups, freezing), `Schedules` (one-cycle and the other fit variants, `lr_find`),
`Inference` (`validate`, `get_preds`, `predict`, `tta`, `show_results`), `Persist` (`save`,
`load`, `export`) and `Modes` (precision, compilation, distributed training, `summary`). Each part
reaches the others' attributes and methods through `self`; this class names them (the methods
only for the type checker).

Examples:
    >>> from lamella.learner import Learner
    >>> issubclass(Learner, LearnerBase), [c.__name__ for c in Learner.__mro__[1:8]]
    (True, ['Loop', 'Callbacks', 'Groups', 'Schedules', 'Inference', 'Persist', 'Modes'])
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from torch import Tensor, nn

if TYPE_CHECKING:
    from .callback import Callback
    from .callbacks.progress import ProgressCallback
    from .callbacks.recorder import Recorder
    from .metrics import Metric

__all__ = ["LearnerBase"]


class LearnerBase:
    """The state a learner's parts share (set by `Learner.__init__` and the loop).

    Examples:
        >>> [name for name in ("dls", "model", "opt", "loss") if name in LearnerBase.__annotations__]
        ['dls', 'model', 'opt', 'loss']
    """

    dls: Any
    model: nn.Module
    loss_func: Any
    opt_func: Callable[..., Any]
    opt: Any
    lr: float
    splitter: Callable[[nn.Module], Any]
    wd: float | None
    wd_bn_bias: bool
    train_bn: bool
    moms: tuple[float, float, float]
    path: Path
    model_dir: Path
    n_inp: int | None
    cbs: list[Callback]
    training: bool
    epoch: int
    n_epoch: int
    iter: int
    n_iter: int
    dl: Any
    xb: tuple
    yb: tuple
    pred: Any
    loss: Tensor
    loss_grad: Tensor
    _handlers: dict[str, list[tuple[Callback, Callable]]]
    _start_epoch: int
    _batch_offset: int

    if TYPE_CHECKING:  # defined by one part, used by others
        recorder: Recorder
        progress: ProgressCallback

        @property
        def metrics(self) -> list[Metric]: ...  # noqa: D102
        @property
        def xb_plain(self) -> tuple: ...  # noqa: D102
        def __call__(self, event: str) -> None: ...  # noqa: D102
        def add_cb(self, cb: Any) -> Any: ...  # noqa: D102
        def remove_cb(self, cb: Any) -> Any: ...  # noqa: D102
        def add_cbs(self, cbs: Any) -> Any: ...  # noqa: D102
        def remove_cbs(self, cbs: Any) -> Any: ...  # noqa: D102
        def added_cbs(self, cbs: Any) -> AbstractContextManager[Any]: ...  # noqa: D102
        def no_bar(self) -> AbstractContextManager[Any]: ...  # noqa: D102
        def no_logging(self) -> AbstractContextManager[Any]: ...  # noqa: D102
        def _split(self, b: Any) -> None: ...  # noqa: D102
        def _do_epoch_validate(self, ds_idx: int = 1, dl: Any = None) -> None: ...  # noqa: D102
        def fit(  # noqa: D102
            self,
            n_epoch: int,
            lr: Any = None,
            wd: float | None = None,
            cbs: Any = None,
            reset_opt: bool = False,
        ) -> None: ...
        def create_opt(self) -> None: ...  # noqa: D102
        def freeze(self) -> None: ...  # noqa: D102
        def unfreeze(self) -> None: ...  # noqa: D102
        def _target_type(self) -> type | None: ...  # noqa: D102
        def _plain_model(self) -> nn.Module: ...  # noqa: D102
