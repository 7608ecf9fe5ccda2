"""`Groups`: the optimizer over the model's parameter groups, and freezing them (transfer learning).

The splitter cuts the model into groups (a body and a head for a pretrained CNN); each group gets
its own learning rate from a `slice`, and `freeze` trains the last alone. Norm layers and biases
are flagged at creation: no weight decay on them (`wd_bn_bias=False`), and trained even when
frozen (`train_bn=True`), as in fastai.

Examples:
    >>> learn.create_opt(); learn.freeze(); learn.unfreeze()
"""

from __future__ import annotations

from torch import nn

from .base import LearnerBase

__all__ = ["Groups", "trainable_params"]

_NORM = (nn.modules.batchnorm._BatchNorm, nn.GroupNorm, nn.LayerNorm, nn.modules.instancenorm._InstanceNorm)


def trainable_params(model: nn.Module) -> list[nn.Parameter]:
    """The parameters of `model` that require a gradient: one group (the default splitter).

    Examples:
        >>> len(trainable_params(nn.Linear(2, 1)))
        2
    """
    return [p for p in model.parameters() if p.requires_grad]


def _norm_bias_params(model: nn.Module, with_bias: bool = True) -> list[nn.Parameter]:
    params = []
    for m in model.modules():
        if isinstance(m, _NORM):
            params += list(m.parameters(recurse=False))
        elif with_bias and getattr(m, "bias", None) is not None and isinstance(m.bias, nn.Parameter):
            params.append(m.bias)
    return params


class Groups(LearnerBase):
    """Build the optimizer from the splitter's groups; freeze and unfreeze them.

    Examples:
        >>> learn.freeze_to(-1); learn.unfreeze()
    """

    def create_opt(self) -> None:
        """Build the optimizer over the splitter's parameter groups, flagging norm layers and biases.

        Examples:
            >>> learn.create_opt(); learn.opt
            Optimizer(1 groups; parts: ...)
        """
        self.opt = self.opt_func(self.splitter(self.model), lr=self.lr)
        state = getattr(self.opt, "state", None)
        if state is None or not hasattr(self.opt, "freeze_to"):
            return
        if not self.wd_bn_bias:
            for p in _norm_bias_params(self.model, with_bias=True):
                state[p]["do_wd"] = False
        if self.train_bn:
            for p in _norm_bias_params(self.model, with_bias=False):
                if hasattr(self.opt, "mark_force_train"):
                    self.opt.mark_force_train([p])
                else:
                    state[p]["force_train"] = True

    def freeze_to(self, n: int) -> None:
        """Freeze the parameter groups before `n` (norm layers stay trainable with `train_bn`).

        Examples:
            >>> learn.freeze_to(-1)
        """
        if self.opt is None:
            self.create_opt()
        self.opt.freeze_to(n)
        self.opt.clear_state()

    def freeze(self) -> None:
        """Freeze every parameter group but the last (the head).

        Examples:
            >>> learn.freeze()
        """
        self.freeze_to(-1)

    def unfreeze(self) -> None:
        """Make every parameter group trainable.

        Examples:
            >>> learn.unfreeze()
        """
        self.freeze_to(0)
