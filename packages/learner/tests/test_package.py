import importlib

import pytest

DEPENDENCIES = ["lamella.data", "lamella.optim", "tqdm", "safetensors"]


@pytest.mark.parametrize("module", DEPENDENCIES)
def test_declared_dependencies_import(module):
    importlib.import_module(module)


def test_layer_imports_with_an_explicit_public_api():
    import lamella.learner as layer

    assert layer.__all__ == [] and "a training loop that callbacks can change" in layer.__doc__
