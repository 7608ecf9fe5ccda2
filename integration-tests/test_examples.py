import importlib.util
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_digits_classifier_learns(capsys):
    metrics = load("digits_classifier").main(epochs=3, bs=64, lr=1e-2)
    assert metrics["accuracy"] > 0.8, metrics
    out = capsys.readouterr().out
    assert "digits: 1438 train, 359 valid items; batches of TensorImageBW (64, 1, 8, 8)" in out
    assert "Normalize(mean=tensor(" in out
    lines = [line for line in out.splitlines() if line[:1].isdigit()]
    assert len(lines) == 3 and "accuracy" in out


def test_mnist_tiny_classifier_trains_and_saves_results(tmp_path):
    out = tmp_path / "results.png"
    metrics = load("mnist_tiny_classifier").main(epochs=2, out=str(out))
    assert metrics["accuracy"] > 0.9 and out.stat().st_size > 1000
