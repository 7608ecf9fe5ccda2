"""Train the text examples of the docs (ULMFiT at toy scale) and draw their figures into docs/img/.

1. A language model from scratch on wikitext2_raw_small (CC BY-SA 3.0): its validation perplexity
   against the unigram model's on the same text, a generated sample, the loss plot.
2. ULMFiT on imdb_sample: that language model fine-tuned on the reviews, its encoder loaded into a
   classifier trained with gradual unfreezing, against the same classifier without the encoder.
Prints the tables the docs page quotes.
Run: LAMELLA_SHARED_DATA=shared/data .venv/bin/python tools/plot_text.py
"""

import math
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration-tests"))
from text_recipes import lm_recipe, ulmfit_recipe  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "docs" / "img"


def main() -> None:
    torch.manual_seed(0)
    res = lm_recipe(Path("/tmp/lamella-text-docs"), show=True)
    print(f"\nunigram perplexity {res['unigram']:.1f}; language model {res['perplexity']:.1f} "
          f"({res['perplexity'] / res['unigram']:.2f} of the unigram's)")  # fmt: skip
    for prompt in ("The war", "In 1998 , the"):
        print(f"sample: {res['learn'].predict(prompt, n_words=30, temperature=0.75)}")
    rec = res["learn"].recorder
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(rec.losses, label="train (per batch)", alpha=0.6)
    n = len(rec.losses) // max(1, len(rec.values))
    ax.plot([n * (i + 1) for i in range(len(rec.values))], [v[1] for v in rec.values], "o-", label="valid")
    ax.set(xlabel="batch", ylabel="cross-entropy", title="AWD-LSTM on wikitext2_raw_small")
    ax.axhline(math.log(res["unigram"]), ls="--", c="gray", label="unigram model")
    ax.legend()
    fig.tight_layout()
    fig.savefig(OUT / "text_lm_loss.png", dpi=110)
    out = ulmfit_recipe(Path("/tmp/lamella-text-docs"), res["learn"], show=True)
    print(f"\nULMFiT accuracy {out['ulmfit']:.3f}; without the pretrained encoder {out['scratch']:.3f}")
    print(out["learn"].predict("This movie was wonderful, the acting superb and the story moving."))


if __name__ == "__main__":
    main()
