"""`Inference`: what a learner says about data: `validate`, `get_preds`, `predict`, `tta`, `show_results`.

Each runs the validation half of the loop (no gradients) over a loader, with a callback gathering
what it needs; predictions are activated by the loss's activation and decoded by its `decodes`,
then typed as the targets so the data pipeline can decode them to labels.

Examples:
    >>> preds, targs = learn.get_preds(); preds.shape
    torch.Size([30, 2])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

from lamella.typedtensor import TensorBase, cast

from .base import LearnerBase

__all__ = ["Inference"]


class Inference(LearnerBase):
    """Evaluation and prediction with a learner.

    Examples:
        >>> loss, acc = learn.validate(); 0 <= acc <= 1
        True
    """

    def validate(self, ds_idx: int = 1, dl: Any = None, cbs: Any = None) -> list[Any]:
        """The validation loss and metrics on `dls[ds_idx]` (or `dl`).

        Examples:
            >>> loss, acc = learn.validate(); 0 <= acc <= 1
            True
        """
        with self.added_cbs(cbs), self.no_logging(), self.no_bar():
            self.n_epoch, self.epoch = 1, 0
            self._do_epoch_validate(ds_idx, dl)
        return [self.recorder.valid_loss.value] + [m.value for m in self.metrics]

    def get_preds(
        self,
        ds_idx: int = 1,
        dl: Any = None,
        with_input: bool = False,
        with_decoded: bool = False,
        with_loss: bool = False,
        act: Callable[[Tensor], Tensor] | None = None,
        reorder: bool = True,
    ) -> tuple:
        """Predictions (activated) and targets of a dataset; optionally inputs, decoded predictions, losses.

        Returns `(inputs?, preds, targets, decoded?, losses?)` in that order, the optional parts
        present when asked for. Items come in dataset order (`reorder` is accepted for fastai's
        signature: no lamella validation loader reorders its items). Inside `distrib_ctx` every
        process gets the whole dataset's results, gathered from the processes' shares, as in fastai.

        Examples:
            >>> preds, targs = learn.get_preds(); preds.shape, targs.shape
            (torch.Size([30, 2]), torch.Size([30]))
        """
        from .callbacks.gather import GatherPredsCallback

        dl = self.dls[ds_idx] if dl is None else dl
        gather = GatherPredsCallback(with_input=with_input, with_loss=with_loss)
        with self.added_cbs([gather]), self.no_logging(), self.no_bar():
            self.n_epoch, self.epoch = 1, 0
            self._do_epoch_validate(dl=dl)
        act = act or getattr(self.loss_func, "activation", None) or (lambda x: x)
        parts = [gather.preds, gather.targets, gather.inputs if with_input else None]
        parts.append(gather.losses if with_loss else None)
        if getattr(dl, "world_size", 1) > 1:  # inside `distrib_ctx`: every rank gets every item, in order
            from .distributed import gather_shards

            parts = gather_shards(parts, dl.world_size)
        preds = act(parts[0])
        res: list[Any] = [preds, parts[1]]
        if with_input:
            res.insert(0, parts[2])
        if with_decoded:
            decoded = getattr(self.loss_func, "decodes", lambda x: x)(preds)
            target_type = gather.target_type or self._target_type()
            if (
                target_type is not None
                and issubclass(target_type, TensorBase)
                and isinstance(decoded, Tensor)
            ):
                decoded = cast(decoded, target_type)
            res.append(decoded)
        if with_loss:
            res.append(parts[3])
        return tuple(res)

    def _target_type(self) -> type | None:
        if getattr(self, "_target_cls", None) is None and len(getattr(self.dls.valid, "dataset", [])):
            self._split(self.dls.valid.one_batch())
        return getattr(self, "_target_cls", None)

    def predict(self, item: Any, with_input: bool = False) -> tuple:
        """Predict one raw item: `(decoded, decoded tensor, probabilities)`, e.g. `('dog', tensor(1), probs)`.

        With `with_input`, the decoded input comes first, as in fastai.

        Examples:
            >>> label, idx, probs = learn.predict((torch.tensor([1.0, 1.0]), "pos")); label in ("neg", "pos")
            True
        """
        dl = self.dls.test_dl([item])
        inp, preds, _, dec = self.get_preds(dl=dl, with_input=True, with_decoded=True)
        n_inp = len(inp) if isinstance(inp, tuple) else 1
        inputs = inp if isinstance(inp, tuple) else (inp,)
        decoded = self.dls.valid.decode_batch((*inputs, dec), max_n=1)[0]
        dec_targ = decoded[n_inp:]
        res = ((dec_targ[0] if len(dec_targ) == 1 else dec_targ), dec[0], preds[0])
        if with_input:
            dec_inp = decoded[:n_inp]
            return ((dec_inp[0] if n_inp == 1 else dec_inp), *res)
        return res

    def show_results(
        self, ds_idx: int = 1, dl: Any = None, max_n: int = 9, shuffle: bool = True, **kwargs: Any
    ) -> Any:
        """Show a batch's inputs and targets beside the decoded predictions.

        The batch is drawn at random from `dls[ds_idx]` (`shuffle`, as fastai), not its first items.

        Examples:
            >>> axs = learn.show_results(max_n=4)  # doctest: +NEEDS_MATPLOTLIB
        """
        dl = self.dls[ds_idx].new(shuffle=shuffle) if dl is None else dl
        b = dl.one_batch()
        inp, _, _, dec = self.get_preds(dl=[b], with_input=True, with_decoded=True)
        return dl.show_results(b, dec, max_n=max_n, **kwargs)

    def tta(
        self, ds_idx: int = 1, dl: Any = None, n: int = 4, beta: float | None = 0.25, use_max: bool = False
    ) -> tuple[Any, Tensor]:
        """Test-time augmentation: predictions averaged over `n` passes with training augmentation.

        The result blends the mean of the augmented predictions with the plain ones, `beta` of
        the plain ones (fastai's rule and default); `beta=None` gives `((augmented, plain), targets)`
        and `use_max` the elementwise maximum.

        Examples:
            >>> preds, targs = learn.tta(n=2); preds.shape
            torch.Size([30, 2])
        """
        dl = self.dls[ds_idx] if dl is None else dl
        aug = dl.new(shuffle=False, drop_last=False)
        for name in ("after_item", "after_batch"):
            getattr(aug, name).split_idx = 0  # the training-time random transforms
        aug_preds = torch.stack([self.get_preds(dl=aug)[0] for _ in range(n)])
        aug_preds = aug_preds.max(0).values if use_max else aug_preds.mean(0)
        preds, targs = self.get_preds(dl=dl)
        if use_max:
            return torch.maximum(preds, aug_preds), targs
        if beta is None:
            return (aug_preds, preds), targs
        return torch.lerp(aug_preds, preds, beta), targs  # as fastai: `beta` of the plain predictions
