import importlib

import pytest

DEPENDENCIES = ["lamella.vision", "pydicom"]


@pytest.mark.parametrize("module", DEPENDENCIES)
def test_declared_dependencies_import(module):
    importlib.import_module(module)


def test_layer_imports_with_an_explicit_public_api():
    import lamella.medical as layer

    assert "dcmread" in layer.__all__ and "DICOM" in layer.__doc__
    assert all(hasattr(layer, n) for n in layer.__all__)
