"""Quality of the text recipes on real text (issue 17), trained from scratch on a CPU.

- A language model on wikitext2_raw_small reaches a validation perplexity at most a third of the
  unigram model's on the same validation tokens.
- ULMFiT on imdb_sample (that model fine-tuned on the reviews, then a classifier with gradual
  unfreezing) reaches an accuracy of at least 0.65, higher than the same classifier without it.
"""

import pytest
from text_recipes import lm_recipe, ulmfit_recipe

import lamella.samples


@pytest.fixture(scope="module")
def lm(tmp_path_factory):
    return lm_recipe(tmp_path_factory.mktemp("text"))  # wikitext2_raw_small ships in lamella-samples


def test_language_model_beats_the_unigram_model_threefold(lm):
    assert lm["perplexity"] <= lm["unigram"] / 3, (lm["perplexity"], lm["unigram"])
    sample = lm["learn"].predict("The war", n_words=10)
    assert sample.startswith("The war") and len(sample.split(" ")) > 5


def test_ulmfit_beats_the_same_classifier_without_pretraining(lm, tmp_path):
    try:
        lamella.samples.path("imdb_sample")
    except lamella.samples.SampleNotAvailable:
        pytest.skip("imdb_sample is not shipped (no licence): it lives in shared/data (LAMELLA_SHARED_DATA)")
    res = ulmfit_recipe(tmp_path, lm["learn"])
    assert res["ulmfit"] >= 0.65 and res["ulmfit"] > res["scratch"], (res["ulmfit"], res["scratch"])
