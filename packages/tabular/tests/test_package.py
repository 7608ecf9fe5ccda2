import importlib

import pytest

DEPENDENCIES = ["lamella.learner", "pandas"]


@pytest.mark.parametrize("module", DEPENDENCIES)
def test_declared_dependencies_import(module):
    importlib.import_module(module)


def test_layer_imports_with_an_explicit_public_api():
    import lamella.tabular as layer

    assert "TabularPandas" in layer.__all__ and "tabular models on pandas data frames" in layer.__doc__
    assert all(hasattr(layer, n) for n in layer.__all__)
