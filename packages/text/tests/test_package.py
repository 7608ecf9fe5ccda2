import importlib

import pytest

DEPENDENCIES = ["lamella.learner", "spacy", "pandas"]


@pytest.mark.parametrize("module", DEPENDENCIES)
def test_declared_dependencies_import(module):
    importlib.import_module(module)


def test_layer_imports_with_an_explicit_public_api():
    import lamella.text as layer

    assert "tokenize_df" in layer.__all__ and "text classification and language models" in layer.__doc__
    assert all(hasattr(layer, n) for n in layer.__all__)
