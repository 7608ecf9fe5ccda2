"""doc(f): signature, summary and the docs page, for lamella names and for others."""


def test_doc_prints_signature_summary_and_page(capsys):
    from lamella.data import DataBlock, doc

    doc(DataBlock)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("DataBlock(") and lines[-1].endswith("/packages/data/")
    doc(len)
    assert capsys.readouterr().out.splitlines()[-1] == "(from builtins, not lamella)"
    doc(3)
    assert capsys.readouterr().out.splitlines()[0] == "int"
