from lamella.stack import LAYERS, show_versions, versions


def test_every_layer_is_installed_with_the_meta_package():
    found = versions()
    assert list(found) == list(LAYERS)
    assert all(v is not None for v in found.values()), found


def test_show_versions_prints_a_line_per_layer(capsys):
    show_versions()
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(LAYERS) + 2 and out[-1].startswith("python")
