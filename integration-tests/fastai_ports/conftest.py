import pytest

from lamella.typedtensor import set_seed


@pytest.fixture(autouse=True)
def _seeded(seed):
    """Each ported cell starts from a known random state (tools/check_margins varies it)."""
    set_seed(42 + seed)
