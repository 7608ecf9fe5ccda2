import importlib.util
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_digits_classifier_learns(capsys, seed, threshold):
    metrics = load("digits_classifier").main(epochs=3, bs=64, lr=1e-2, seed=seed)
    threshold(metrics["accuracy"], above=0.8, name="accuracy")  # ten digits: chance is 0.1
    out = capsys.readouterr().out
    assert "digits: 1438 train, 359 valid items; batches of TensorImageBW (64, 1, 8, 8)" in out
    assert "Normalize(mean=tensor(" in out
    lines = [line for line in out.splitlines() if line[:1].isdigit()]
    assert len(lines) == 3 and "accuracy" in out


def test_mnist_tiny_classifier_trains_and_saves_results(tmp_path, seed, threshold):
    out = tmp_path / "results.png"
    metrics = load("mnist_tiny_classifier").main(epochs=3, out=str(out), seed=seed)
    assert out.stat().st_size > 1000
    threshold(metrics["accuracy"], above=0.9, name="accuracy")  # 3s and 7s: chance is 0.5
