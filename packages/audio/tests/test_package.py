import importlib

import pytest

DEPENDENCIES = ["lamella.vision", "soundfile", "soxr"]


@pytest.mark.parametrize("module", DEPENDENCIES)
def test_declared_dependencies_import(module):
    importlib.import_module(module)


def test_layer_imports_with_an_explicit_public_api():
    import lamella.audio as layer

    assert "TensorAudio" in layer.__all__ and "audio classification" in layer.__doc__
    assert all(hasattr(layer, n) for n in layer.__all__)
