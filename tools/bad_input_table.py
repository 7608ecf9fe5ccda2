"""Run every case of integration-tests/bad_inputs.py and print the outcome table (issue 27).

    .venv/bin/python tools/bad_input_table.py            # counts by layer and outcome, then each case
    .venv/bin/python tools/bad_input_table.py --markdown # the same as markdown tables

Outcomes: clear (a lamella error naming what and where), handled (a correct result), obscure (a
foreign error, or one that does not say where), silent (no error, a wrong result). Exit 1 if any
case is obscure or silent.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import warnings
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration-tests"))
from bad_inputs import OUTCOMES, run_all  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--markdown", action="store_true", help="print markdown tables")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as root, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = run_all(Path(root))
    layers = list(dict.fromkeys(c.layer for c, _, _ in results))
    counts = Counter((c.layer, o) for c, o, _ in results)
    sep = " | " if args.markdown else "  "
    head = ["layer", *OUTCOMES, "cases"]
    rows = [
        [la, *(str(counts[la, o]) for o in OUTCOMES), str(sum(counts[la, o] for o in OUTCOMES))]
        for la in layers
    ]
    rows.append(["all", *(str(sum(counts[la, o] for la in layers)) for o in OUTCOMES), str(len(results))])
    if args.markdown:
        print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
        for r in rows:
            print("| " + " | ".join(r) + " |")
        print("\n| layer | case | outcome | what the user gets |\n|---|---|---|---|")
        for c, o, d in results:
            print(f"| {c.layer} | {c.name} | {o} | {d[:160].replace('|', '/')} |")
    else:
        print(sep.join(f"{h:>8}" for h in head))
        for r in rows:
            print(sep.join(f"{v:>8}" for v in r))
        for c, o, d in results:
            print(f"{o:8} {c.layer:10} {c.name:42} {d[:150]}")
    return int(any(o in ("obscure", "silent") for _, o, _ in results))


if __name__ == "__main__":
    sys.exit(main())
