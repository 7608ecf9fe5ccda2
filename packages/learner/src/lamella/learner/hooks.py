"""Hooks: look inside a model while it runs (`Hook`, `hook_outputs`), and `ActivationStats`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch import Tensor, nn

from .callback import Callback

__all__ = ["ActivationStats", "Hook", "Hooks", "hook_output", "hook_outputs", "model_sizes"]


class Hook:
    """Run `hook_func(module, input, output)` on each forward (or backward) pass; keep the result in `stored`.

    A context manager: the hook is removed on exit (or with `remove()`).

    Examples:
        >>> lin = nn.Linear(2, 3)
        >>> with Hook(lin, lambda m, i, o: o.shape) as h:
        ...     _ = lin(torch.zeros(4, 2))
        >>> h.stored
        torch.Size([4, 3])
    """

    def __init__(
        self, m: nn.Module, hook_func: Callable[..., Any], is_forward: bool = True, detach: bool = True,
        cpu: bool = False,
    ) -> None:  # fmt: skip
        self.hook_func, self.detach, self.cpu, self.stored = hook_func, detach, cpu, None
        register = m.register_forward_hook if is_forward else m.register_full_backward_hook
        self.handle = register(self._call)

    def _call(self, m: nn.Module, inp: Any, out: Any) -> None:
        if self.detach:
            inp = tuple(o.detach() if isinstance(o, Tensor) else o for o in inp)
            if isinstance(out, tuple):
                out = tuple(o.detach() if isinstance(o, Tensor) else o for o in out)
            elif isinstance(out, Tensor):
                out = out.detach()
        if self.cpu:
            out = out.cpu() if isinstance(out, Tensor) else out
        self.stored = self.hook_func(m, inp, out)

    def remove(self) -> None:
        """Stop hooking the module.

        Examples:
            >>> h = Hook(nn.Linear(1, 1), lambda m, i, o: o); h.remove()
        """
        self.handle.remove()

    def __enter__(self) -> Hook:
        return self

    def __exit__(self, *args: Any) -> None:
        self.remove()


class Hooks:
    """One `Hook` per module, removed together.

    Examples:
        >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
        >>> with Hooks(model, lambda m, i, o: o.shape) as hs:
        ...     _ = model(torch.zeros(1, 2))
        >>> hs.stored
        [torch.Size([1, 3]), torch.Size([1, 3])]
    """

    def __init__(self, modules: Iterable[nn.Module], hook_func: Callable[..., Any], is_forward: bool = True,
                 detach: bool = True, cpu: bool = False) -> None:  # fmt: skip
        self.hooks = [Hook(m, hook_func, is_forward, detach, cpu) for m in modules]

    @property
    def stored(self) -> list[Any]:
        """What each hook stored.

        Examples:
            >>> Hooks([], lambda m, i, o: o).stored
            []
        """
        return [h.stored for h in self.hooks]

    def remove(self) -> None:
        """Remove every hook.

        Examples:
            >>> Hooks([nn.Linear(1, 1)], lambda m, i, o: o).remove()
        """
        for h in self.hooks:
            h.remove()

    def __len__(self) -> int:
        return len(self.hooks)

    def __enter__(self) -> Hooks:
        return self

    def __exit__(self, *args: Any) -> None:
        self.remove()


def _output(m: nn.Module, i: Any, o: Any) -> Any:
    return o


def hook_output(module: nn.Module, detach: bool = True, cpu: bool = False, grad: bool = False) -> Hook:
    """Keep the output (or output gradient, `grad=True`) of `module` in `hook.stored`.

    Examples:
        >>> lin = nn.Linear(2, 1)
        >>> with hook_output(lin) as h: _ = lin(torch.ones(1, 2))
        >>> h.stored.shape
        torch.Size([1, 1])
    """
    return Hook(module, _output, is_forward=not grad, detach=detach, cpu=cpu)


def hook_outputs(
    modules: Iterable[nn.Module], detach: bool = True, cpu: bool = False, grad: bool = False
) -> Hooks:
    """`hook_output` on several modules.

    Examples:
        >>> model = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
        >>> with hook_outputs(model) as hs: _ = model(torch.ones(1, 2))
        >>> [o.shape[-1] for o in hs.stored]
        [3, 1]
    """
    return Hooks(modules, _output, is_forward=not grad, detach=detach, cpu=cpu)


def model_sizes(model: nn.Module, *inputs: Tensor) -> list[tuple[str, str, Any, int, bool]]:
    """`(name, type, output shape, parameters, trainable)` of every leaf module for a forward of `inputs`.

    Examples:
        >>> model_sizes(nn.Sequential(nn.Linear(2, 3)), torch.zeros(1, 2))[0][1:]
        ('Linear', (1, 3), 9, True)
    """
    leaves = [(n, m) for n, m in model.named_modules() if not list(m.children())]
    shapes = Hooks([m for _, m in leaves], lambda m, i, o: tuple(o.shape) if isinstance(o, Tensor) else None)
    try:
        with torch.no_grad():
            model.eval()(*inputs)
    finally:
        shapes.remove()
    rows = []
    for (name, m), shape in zip(leaves, shapes.stored):
        params = list(m.parameters(recurse=False))
        rows.append((name, type(m).__name__, shape, sum(p.numel() for p in params),
                     any(p.requires_grad for p in params)))  # fmt: skip
    return rows


class ActivationStats(Callback):
    """Record the mean and std of every leaf module's output (or of `modules`) for each training batch.

    `stats[i]` is a list (one per module) of `(mean, std, fraction near zero)`; `plot_layer_stats(k)`
    draws them for module `k`.

    Examples:
        >>> ActivationStats().every
        1
    """

    order = -20
    run_valid = False

    def __init__(self, modules: Iterable[nn.Module] | None = None, every: int = 1) -> None:
        self.modules, self.every = modules, every

    def before_fit(self) -> None:  # noqa: D102  (the class documents its events)
        modules = self.modules
        if modules is None:
            modules = [
                m for m in self.learn.model.modules() if not list(m.children()) and list(m.parameters())
            ]
        self.hooks = Hooks(modules, self._stats)
        self.stats: list[list[tuple[float, float, float]]] = []

    @staticmethod
    def _stats(m: nn.Module, i: Any, o: Any) -> tuple[float, float, float] | None:
        if not isinstance(o, Tensor):
            return None
        o = o.float()
        return o.mean().item(), o.std().item(), (o.abs() < 0.2).float().mean().item()

    def after_batch(self) -> None:  # noqa: D102
        if self.learn.train_iter % self.every == 0:
            self.stats.append(self.hooks.stored)

    def after_fit(self) -> None:  # noqa: D102
        self.hooks.remove()

    def plot_layer_stats(self, idx: int) -> Any:
        """Plot the mean, std and near-zero fraction of module `idx` over the batches.

        Examples:
            >>> learn.add_cb(ActivationStats()).fit(1)
            >>> axs = learn.activation_stats.plot_layer_stats(0)  # doctest: +NEEDS_MATPLOTLIB
        """
        from .callbacks.recorder import _plt

        _, axs = _plt().subplots(1, 3, figsize=(12, 3))
        for k, (ax, title) in enumerate(zip(axs, ("mean", "std", "% near zero"))):
            ax.plot([s[idx][k] for s in self.stats])
            ax.set_title(title)
        return axs
