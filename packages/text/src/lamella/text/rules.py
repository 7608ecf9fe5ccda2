"""fastai's special tokens and text rules: what text becomes before and after it is split into tokens.

The rules give the same tokens as fastai's on the same text (`tests/test_core.py` checks them
against fastai's own output).

Examples:
    >>> replace_rep("cccc"), text_spec_tok[:2]
    (' xxrep 4 c ', ['xxunk', 'xxpad'])
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

__all__ = [
    "BOS",
    "EOS",
    "FLD",
    "PAD",
    "TK_MAJ",
    "TK_REP",
    "TK_UP",
    "TK_WREP",
    "UNK",
    "fix_html",
    "lowercase",
    "replace_all_caps",
    "replace_maj",
    "replace_rep",
    "replace_space",
    "replace_wrep",
    "rm_useless_spaces",
    "spec_add_spaces",
    "text_postproc_rules",
    "text_proc_rules",
    "text_spec_tok",
]

UNK, PAD, BOS, EOS, FLD, TK_REP, TK_WREP, TK_UP, TK_MAJ = (
    "xxunk xxpad xxbos xxeos xxfld xxrep xxwrep xxup xxmaj".split()
)
#: fastai's special tokens, in fastai's order (they open every vocabulary).
text_spec_tok = [UNK, PAD, BOS, EOS, FLD, TK_REP, TK_WREP, TK_UP, TK_MAJ]

_re_spec = re.compile(r"([/#\\])")
_re_space = re.compile(" {2,}")
_re_rep = re.compile(r"(\S)(\1{2,})")
_re_wrep = re.compile(r"(?:\s|^)(\w+)\s+((?:\1\s+)+)\1(\s|\W|$)")
_re_all_caps = re.compile(r"(\s|^)([A-Z]+[^a-z\s]*)(?=(\s|$))")
_re_maj = re.compile(r"(\s|^)([A-Z][^A-Z\s]*)(?=(\s|$))")


def spec_add_spaces(t: str) -> str:
    r"""Put spaces around `/`, `#` and `\\`.

    Examples:
        >>> spec_add_spaces("#fastai/lamella")
        ' # fastai / lamella'
    """
    return _re_spec.sub(r" \1 ", t)


def rm_useless_spaces(t: str) -> str:
    """Collapse runs of spaces into one.

    Examples:
        >>> rm_useless_spaces("a  b   c")
        'a b c'
    """
    return _re_space.sub(" ", t)


def replace_rep(t: str) -> str:
    """Character repetitions: `cccc` becomes `xxrep 4 c`.

    Examples:
        >>> replace_rep("I'm so excited!!!!!!!!")
        "I'm so excited xxrep 8 ! "
    """

    def _sub(m: re.Match) -> str:
        c, cc = m.groups()
        return f" {TK_REP} {len(cc) + 1} {c} "

    return _re_rep.sub(_sub, t)


def replace_wrep(t: str) -> str:
    """Word repetitions: `word word word word` becomes `xxwrep 4 word`.

    Examples:
        >>> replace_wrep("I'm so so so so so excited")
        "I'm xxwrep 5 so  excited"
    """

    def _sub(m: re.Match) -> str:
        c, cc, e = m.groups()
        return f" {TK_WREP} {len(cc.split()) + 2} {c} {e}"

    return _re_wrep.sub(_sub, t)


_HTML = [
    ("#39;", "'"),
    ("amp;", "&"),
    ("#146;", "'"),
    ("nbsp;", " "),
    ("#36;", "$"),
    ("\\n", "\n"),
    ("quot;", "'"),
    ("<br />", "\n"),
    ('\\"', '"'),
    ("<unk>", UNK),
    (" @.@ ", "."),
    (" @-@ ", "-"),
    ("...", " …"),
]


def fix_html(x: str) -> str:
    r"""Repair the HTML debris of scraped text (`<br />`, `&amp;`...), as fastai's list.

    Examples:
        >>> fix_html("#39;bad#39; <br />movie")
        "'bad' \nmovie"
    """
    for a, b in _HTML:
        x = x.replace(a, b)
    return html.unescape(x)


def _lowered_behind(tok: str) -> Callable[[re.Match], str]:
    """A substitution lowercasing the matched word behind `tok` (a one-letter word only lowercased)."""

    def _sub(m: re.Match) -> str:
        space, word = m.group(1), m.group(2)
        return f"{space}{tok + ' ' if len(word) > 1 else ''}{word.lower()}"

    return _sub


def replace_all_caps(t: str) -> str:
    """Words in capitals are lowercased behind `xxup`.

    Examples:
        >>> replace_all_caps("I AM SHOUTING")  # one letter alone is only lowercased
        'i xxup am xxup shouting'
    """
    return _re_all_caps.sub(_lowered_behind(TK_UP), t)


def replace_maj(t: str) -> str:
    """Capitalised words are lowercased behind `xxmaj`.

    Examples:
        >>> replace_maj("Jeremy Howard")
        'xxmaj jeremy xxmaj howard'
    """
    return _re_maj.sub(_lowered_behind(TK_MAJ), t)


def lowercase(t: str, add_bos: bool = True, add_eos: bool = False) -> str:
    """Lowercase and strip, opening with `xxbos` (and closing with `xxeos` on request).

    Examples:
        >>> lowercase("The END ")
        'xxbos the end'
    """
    return (f"{BOS} " if add_bos else "") + t.lower().strip() + (f" {EOS}" if add_eos else "")


def replace_space(t: str) -> str:
    """A token's inner spaces as `▁`, so tokens join and split on spaces.

    Examples:
        >>> replace_space("new york")
        'new▁york'
    """
    return t.replace(" ", "▁")


#: The rules applied to text before tokenizing, fastai's defaults in fastai's order.
text_proc_rules: list[Callable[[str], str]] = [
    fix_html,
    replace_rep,
    replace_wrep,
    spec_add_spaces,
    rm_useless_spaces,
    replace_all_caps,
    replace_maj,
    lowercase,
]
#: The rules applied to each token after tokenizing.
text_postproc_rules: list[Callable[[str], str]] = [replace_space]
