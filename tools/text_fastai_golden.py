"""Record fastai's tokens for the text tests: `packages/text/tests/fastai_tokens.json`.

Run in the benchmark venv, where fastai is installed: `.venv-bench/bin/python tools/text_fastai_golden.py`.
Stores fastai's tokens of the first lines of the shipped WikiText-2 sample and of crafted strings, and
only an MD5 of the tokens of each IMDB review (those reviews may not be redistributed).
"""

import hashlib
import json
import os
from pathlib import Path

import pandas as pd
from fastai.text.core import SpacyTokenizer, tokenize1

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LAMELLA_SHARED_DATA", ROOT.parent / "shared" / "data"))
OUT = ROOT / "packages" / "text" / "tests" / "fastai_tokens.json"

CRAFTED = [
    "I AM SHOUTING and I am not!!!! Sooooo GOOD...",
    "word word word word and this this this",
    "<br /><br />It&#39;s a &quot;film&quot; #1 / 10 - A+ - http://imdb.com/title",
    "Mr. Smith's U.S.A. trip cost $3.50 (or 3,000 yen) -- wasn't it?",
    "  many   spaces\t\tand tabs\nand\nlines ",
    "CAPS-LOCK HELL: WHY??? ALL CAPS. Then Normal Text. McDonald's iPhone",
    "Ça va? Très BIEN! naïve café — “quotes” and ‘single’ 😀 emoji",
    "",
    "a",
    "The End.",
]


def toks(text, tok):
    return [str(t) for t in tokenize1(text, tok)]


def main():
    tok = SpacyTokenizer()
    raw = (SHARED / "wikitext2_raw_small" / "valid.txt").read_text(encoding="utf8")
    lines = [line for line in raw.splitlines() if line.strip()]
    golden = {
        "crafted": [[t, toks(t, tok)] for t in CRAFTED],
        "wikitext_valid_first_lines": [toks(line, tok) for line in lines[:80]],
    }
    imdb = SHARED / "imdb_sample" / "texts.csv"
    if imdb.exists():
        texts = pd.read_csv(imdb).text.tolist()[:200]
        golden["imdb_md5"] = [hashlib.md5(" ".join(toks(t, tok)).encode()).hexdigest() for t in texts]
    OUT.write_text(json.dumps(golden, ensure_ascii=False, indent=0))
    n_wiki, n_imdb = len(golden["wikitext_valid_first_lines"]), len(golden.get("imdb_md5", []))
    print(f"wrote {OUT}: {len(golden['crafted'])} crafted, {n_wiki} wikitext lines, {n_imdb} imdb hashes")


if __name__ == "__main__":
    main()
