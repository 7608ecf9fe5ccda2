"""The text rules one by one, as fastai's (test_core checks the whole chain against fastai's tokens)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from lamella.text.rules import (
    TK_REP,
    TK_WREP,
    fix_html,
    lowercase,
    replace_all_caps,
    replace_maj,
    replace_rep,
    replace_space,
    replace_wrep,
    rm_useless_spaces,
    spec_add_spaces,
    text_postproc_rules,
    text_proc_rules,
    text_spec_tok,
)


def test_default_rules_are_fastais_in_fastais_order():
    assert [f.__name__ for f in text_proc_rules] == [
        "fix_html", "replace_rep", "replace_wrep", "spec_add_spaces", "rm_useless_spaces",
        "replace_all_caps", "replace_maj", "lowercase",
    ]  # fmt: skip
    assert text_postproc_rules == [replace_space]
    assert text_spec_tok == ["xxunk", "xxpad", "xxbos", "xxeos", "xxfld", "xxrep", "xxwrep", "xxup", "xxmaj"]


@settings(max_examples=60, deadline=None)
@given(ch=st.sampled_from("!?.ab#z"), n=st.integers(3, 40))
def test_replace_rep_counts_any_run_of_three_or_more(ch, n):
    assert replace_rep(f"x{ch * n}y").split() == ["x", TK_REP, str(n), ch, "y"]
    assert replace_rep(f"x{ch * 2}y") == f"x{ch * 2}y"  # two is not a repetition


@settings(max_examples=40, deadline=None)
@given(word=st.sampled_from(["so", "very", "no"]), n=st.integers(3, 12))
def test_replace_wrep_counts_words_said_three_times_or_more(word, n):
    text = " ".join(["I'm"] + [word] * n + ["happy"])
    assert replace_wrep(text).split() == ["I'm", TK_WREP, str(n), word, "happy"]
    assert replace_wrep(f"I'm {word} {word} happy") == f"I'm {word} {word} happy"  # twice is left, as fastai


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab  /#\t", max_size=30))
def test_space_rules_settle_in_one_pass(t):
    once = rm_useless_spaces(spec_add_spaces(t))
    assert rm_useless_spaces(spec_add_spaces(once)) == once and "  " not in once


def test_case_rules_mark_then_lower():
    assert replace_all_caps("HELLO there") == "xxup hello there"
    assert replace_maj("Hello There") == "xxmaj hello xxmaj there"
    assert lowercase("ABC", add_bos=False, add_eos=True) == "abc xxeos"
    assert fix_html("a &amp; b<br />c") == "a && b\nc"  # fastai's table turns `amp;` into `&`
    assert replace_space("new york") == "new▁york"
