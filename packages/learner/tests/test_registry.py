"""ArchRegistry: a dict as fastai's model_meta, registration (also as a decorator), defaults, bad keys."""

import pytest

from lamella.learner import ArchRegistry


def test_register_merges_reads_with_defaults_and_refuses_unknown_keys():
    reg = ArchRegistry(defaults={"cut": None, "split": "default"})

    @reg.register(cut=-2)
    def arch_a(pretrained=False): ...

    reg.register(arch_a, split="mine")
    assert reg[arch_a] == {"cut": -2, "split": "mine"} and reg.meta(arch_a) == {"cut": -2, "split": "mine"}
    reg[len] = {"cut": 1}  # fastai's `model_meta[arch] = {...}`
    assert reg.meta(len) == {"cut": 1, "split": "default"} and reg.meta(abs) == {
        "cut": None,
        "split": "default",
    }
    with pytest.raises(
        TypeError, match=r"unknown metadata \['stat'\]; this registry takes \['cut', 'split'\]"
    ):
        reg.register(arch_a, stat=1)
    assert "arch_a" in repr(reg)
