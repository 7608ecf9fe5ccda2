"""Quality of the text recipes on real text (issue 17), trained from scratch on a CPU.

- A language model on wikitext2_raw_small reaches a validation perplexity at most a third of the
  unigram model's on the same validation tokens.
- ULMFiT on imdb_sample (that model fine-tuned on the reviews, then a classifier with gradual
  unfreezing) reaches an accuracy of at least 0.65, higher than the same classifier without it.

The language model trains once for both (a module fixture).
"""

import pytest
from text_recipes import lm_recipe, ulmfit_recipe

pytestmark = pytest.mark.slow(minutes=12)  # the language model, then ULMFiT, on one worker


@pytest.fixture(scope="module")
def lm(tmp_path_factory, seed):
    # wikitext2_raw_small ships in lamella-samples. Its validation file alone for 2 epochs reached
    # only 0.47 of the unigram perplexity: the claim needs both files and 3 epochs (about 3 minutes)
    return lm_recipe(tmp_path_factory.mktemp("text"), seed=seed)


def test_language_model_beats_the_unigram_model_threefold(lm, threshold):
    threshold(lm["perplexity"] / lm["unigram"], below=1 / 3, name="perplexity / unigram's")
    sample = lm["learn"].predict("The war", n_words=10)
    assert sample.startswith("The war") and len(sample.split(" ")) > 5


def test_ulmfit_beats_the_same_classifier_without_pretraining(lm, tmp_path, shared_sample, seed, threshold):
    shared_sample("imdb_sample")  # not shipped (no licence): read where LAMELLA_SHARED_DATA points
    res = ulmfit_recipe(tmp_path, lm["learn"], seed=seed)
    threshold(res["ulmfit"], above=0.65, name="ULMFiT accuracy")  # two classes: chance is 0.5
    threshold(res["ulmfit"] - res["scratch"], above=0.0, name="ULMFiT - from scratch")
