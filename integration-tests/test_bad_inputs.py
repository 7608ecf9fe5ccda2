"""Issue 27's standing survey: every bad input in bad_inputs.py ends clear (a lamella error naming
what and where) or handled (a correct result), never obscure or silent."""

import pytest
from bad_inputs import CASES, outcome


@pytest.mark.parametrize("case", CASES, ids=[f"{c.layer}-{c.name}" for c in CASES])
def test_bad_input_is_named_or_handled(case, tmp_path):
    kind, detail = outcome(case, tmp_path)
    assert kind in ("clear", "handled"), f"{case.layer}/{case.name}: {kind}: {detail}"


def test_the_survey_can_tell_obscure_and_silent_apart(tmp_path):
    from bad_inputs import Case

    def foreign(d):
        return int("x")  # a builtin error from outside lamella

    def quiet(d):
        return 1

    assert outcome(Case("t", "foreign", foreign, ("x",)), tmp_path)[0] == "obscure"
    assert outcome(Case("t", "quiet", quiet), tmp_path)[0] == "silent"
    assert outcome(Case("t", "right", quiet, check=lambda r: r == 1), tmp_path)[0] == "handled"
