import importlib

import pytest

DEPENDENCIES = ["lamella.learner", "torchvision", "PIL", "matplotlib"]


@pytest.mark.parametrize("module", DEPENDENCIES)
def test_declared_dependencies_import(module):
    importlib.import_module(module)


def test_layer_imports_with_an_explicit_public_api():
    import lamella.vision as layer

    assert layer.__all__ == [] and "computer vision in four lines" in layer.__doc__
