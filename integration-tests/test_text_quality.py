"""Quality of the text recipes on real text (issue 17), trained from scratch on a CPU.

- A language model on wikitext2_raw_small reaches a validation perplexity at most a third of the
  unigram model's on the same validation tokens.
- ULMFiT on imdb_sample (that model fine-tuned on the reviews, then a classifier with gradual
  unfreezing) reaches an accuracy above 0.57, 0.05 above the same classifier without it.

The language model trains once for both (a module fixture).
"""

import pytest
from text_recipes import lm_recipe, ulmfit_recipe

pytestmark = pytest.mark.slow(minutes=12)  # the longest file: it starts first, on a worker of its own


@pytest.fixture(scope="module")
def lm(tmp_path_factory, seed):
    # wikitext2_raw_small ships in lamella-samples. Its validation file alone for 2 epochs reached
    # only 0.47 of the unigram perplexity: the claim needs both files (2 epochs, about 4 minutes)
    return lm_recipe(tmp_path_factory.mktemp("text"), seed=seed)


def test_language_model_beats_the_unigram_model_threefold(lm, threshold):
    threshold(lm["perplexity"] / lm["unigram"], below=1 / 3, name="perplexity / unigram's")
    sample = lm["learn"].predict("The war", n_words=10)
    assert sample.startswith("The war") and len(sample.split(" ")) > 5


def test_ulmfit_beats_the_same_classifier_without_pretraining(lm, tmp_path, shared_sample, seed, threshold):
    shared_sample("imdb_sample")  # not shipped (no licence): read where LAMELLA_SHARED_DATA points
    res = ulmfit_recipe(tmp_path, lm["learn"], seed=seed)
    # Two classes on 200 reviews: chance is 0.5 and one standard error 0.035. Measured (seeds 0, 1;
    # 1 and 2 threads): ULMFiT 0.60 to 0.65, from scratch 0.48 to 0.525, the gap 0.12 to 0.145.
    threshold(res["ulmfit"], above=0.57, name="ULMFiT accuracy")
    threshold(res["ulmfit"] - res["scratch"], above=0.05, name="ULMFiT - from scratch")
