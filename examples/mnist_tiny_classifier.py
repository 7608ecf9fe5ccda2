"""The four-line classifier: a ResNet-18 (untrained) on the bundled mnist_tiny (3 vs 7).

Prints the table of losses and accuracy, then saves `show_results` of validation images with
their targets and predictions as a PNG.

Run: tools/demo   (or .venv/bin/python examples/mnist_tiny_classifier.py --epochs 5 --out results.png)
"""

import argparse

import matplotlib

matplotlib.use("Agg")
import lamella.samples  # noqa: E402
from lamella.vision.all import *  # noqa: E402, F403


def main(epochs: int, out: str, seed: int = 0) -> dict:
    set_seed(seed)  # noqa: F405  (weights, shuffling and augmentation: a run repeats)
    path = lamella.samples.path("mnist_tiny")  # offline; online: untar_data(URLs.MNIST_TINY)
    batch_tfms = aug_transforms(do_flip=False)  # noqa: F405
    dls = ImageDataLoaders.from_folder(path, valid="valid", item_tfms=Resize(28), batch_tfms=batch_tfms)  # noqa: F405
    learn = vision_learner(dls, resnet18, metrics=accuracy, pretrained=False)  # noqa: F405
    learn.fit_one_cycle(epochs, 1e-2)
    axs = learn.show_results(max_n=9)
    axs[0].figure.savefig(out, dpi=80)
    print(f"show_results saved to {out}")
    return dict(zip(learn.recorder.metric_names[1:-1], learn.recorder.values[-1]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--out", default="mnist_tiny_results.png")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    final = main(args.epochs, args.out, args.seed)
    print(f"final accuracy {final['accuracy']:.4f}")
