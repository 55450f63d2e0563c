"""Train the checkpoints that notebook 08 (autoregressive and masked models) loads.

Every spec of ``course_lib.zoo.autoregressive.SPECS`` is trained by its recipe ``zoo.autoregressive.train_shipped`` (AdamW, one-cycle
learning rate, early stopping on the validation split for the likelihood models), one CPU thread,
seed 0, and saved in float16 with a sha256 manifest by ``course_lib.checkpoints.save_checkpoint``. The manifest records the test metrics measured on
the saved weights, the wall-clock ``train_seconds`` and the process's ``train_cpu_seconds`` (on one thread
the training cost on an idle machine; wall time also counts waiting for other processes).

    python scripts/train_autoregressive.py                 # every checkpoint
    python scripts/train_autoregressive.py ar_made_digits  # only the named ones
"""
from __future__ import annotations

import argparse
import time

import torch

from course_lib import zoo as shipped
from course_lib.autoregressive import binary_digits
from course_lib.zoo import autoregressive as zoo
from course_lib.checkpoints import save_checkpoint


@torch.no_grad()
def metrics(name: str, model, codebook=None) -> dict:
    if name in zoo.LIKELIHOOD_MODELS:
        d = binary_digits()
        return {"test_nll_nats": float(model.loss(d["x_test"])), "val_nll_nats": float(model.loss(d["x_val"]))}
    if name == "ar_tokens_mnist":
        _, te = zoo.mnist_tokens(codebook)
        return {"test_nll_nats_per_token_grid": float(model.loss(te))}
    if name == "maskgit_tokens_mnist":
        _, te = zoo.mnist_tokens(codebook)
        return {"test_masked_token_ce": float(model.loss(te, torch.Generator().manual_seed(1)))}
    if name == "maskgit_digits":
        torch.manual_seed(1)
        return {"test_masked_token_ce": float(model.loss(binary_digits()["x_test"], torch.Generator().manual_seed(1)))}
    if name == "mae_mnist":
        from course_lib.data import load_mnist
        return {"test_masked_mse": float(model.loss(load_mnist().x_test, torch.Generator().manual_seed(1)))}
    return {}


def main(names) -> None:
    torch.set_num_threads(1)   # thread count changes float summation order: fixed for reproducibility
    codebook = None
    for name in names:
        torch.manual_seed(0)
        model = shipped.build(name)
        if name in zoo.TOKEN_MODELS:
            codebook = codebook or shipped.load_or_train("codebook_mnist")[0]
        t0, c0 = time.perf_counter(), time.process_time()
        info = zoo.train_shipped(name, model, codebook=codebook)
        # CPU seconds of this one-thread process: the training cost on an idle machine, whatever the load
        cpu = round(time.process_time() - c0, 1)
        model.eval()
        # shipped in float16 (half the size); the metrics below are measured on the rounded weights
        model.load_state_dict({k: v.half() if v.is_floating_point() else v for k, v in model.state_dict().items()})
        if name == "codebook_mnist":
            codebook = model
        m = {**metrics(name, model, codebook), **{k: v for k, v in info.items() if k not in ("seconds", "curve")}}
        save_checkpoint(name, {k: v.half() if v.is_floating_point() else v for k, v in model.state_dict().items()}, {
            "script": "scripts/train_autoregressive.py", "notebook": "08_autoregressive_and_masked_models",
            "model": SPEC_NAME(name), "kwargs": {k: list(v) if isinstance(v, tuple) else v
                                                 for k, v in zoo.SPECS[name]["kwargs"].items()},
            "fit": zoo.SPECS[name]["fit"], **({"sample": zoo.SPECS[name]["sample"]} if "sample" in zoo.SPECS[name] else {}),
            "seed": 0, "threads": 1, "torch": torch.__version__,
            "train_seconds": round(time.perf_counter() - t0, 1), "train_cpu_seconds": cpu, "metrics": m,
            **({"curve": info["curve"]} if "curve" in info else {})})
        print(f"{name}: {m} in {time.perf_counter() - t0:.1f} s", flush=True)


def SPEC_NAME(name: str) -> str:  # noqa: N802 - a tiny helper, reads like a constant lookup
    return zoo.SPECS[name]["cls"].__name__


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", default=list(zoo.SPECS), help="spec names (default: all)")
    main(ap.parse_args().names)
