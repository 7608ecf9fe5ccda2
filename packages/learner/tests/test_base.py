"""LearnerBase names what the parts of Learner share: every attribute a part reads is declared or defined."""

import ast
import inspect

import lamella.learner.base as base
from lamella.learner import Learner
from lamella.learner.base import LearnerBase

PARTS = [c for c in Learner.__mro__ if c not in (object, LearnerBase)]


def _self_attributes(cls):
    """The `self.<name>` a class's own methods read or write."""
    tree = ast.parse(inspect.getsource(inspect.getmodule(cls)))
    (node,) = [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == cls.__name__]
    return {
        n.attr
        for n in ast.walk(node)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "self"
    }


def test_every_attribute_a_part_uses_is_declared_or_defined_by_a_part():
    tree = ast.parse(inspect.getsource(base))
    declared = {
        n.target.id for n in ast.walk(tree) if isinstance(n, ast.AnnAssign)
    }  # also under TYPE_CHECKING
    declared |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    assert set(LearnerBase.__annotations__) <= declared
    defined = {name for part in PARTS for name in vars(part)}
    # set on the learner by a part's own code (`self.x = ...` in __init__ or a method) or by callbacks
    assigned = {
        n.attr
        for part in PARTS
        for n in ast.walk(ast.parse(inspect.getsource(inspect.getmodule(part))))
        if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store)
    }
    for part in PARTS:
        unknown = _self_attributes(part) - declared - defined - assigned - {"__class__"}
        assert not unknown, (
            f"{part.__name__} uses {sorted(unknown)}, which no part defines or LearnerBase declares"
        )


def test_the_parts_compose_in_one_order_and_keep_the_public_api():
    assert [c.__name__ for c in Learner.__mro__[1:-2]] == [
        "Loop", "Callbacks", "Groups", "Schedules", "Inference", "Persist", "Modes",
    ]  # fmt: skip
    public = {n for n in dir(Learner) if not n.startswith("_")}
    api = "fit fit_one_cycle fine_tune lr_find get_preds predict tta save load export freeze unfreeze to_fp16"
    for name in (*api.split(), "summary", "add_cb", "no_bar"):
        assert name in public, name
    assert Learner.__module__ == "lamella.learner.learner"  # where exported pickles find the class
