"""The device paths of the course's image models, trained for a few steps on the GPU and on one CPU thread.

    .venv/bin/python benchmarks/gpu_speedup.py

For each model that the notebooks train on ``course_lib.setup()``'s device (04's VAE, 05's DCGAN, 06's WGAN-GP
DCGAN, 07's U-Net DDPM, 08's token models), ``fit(..., device=...)`` runs a few steps on the CPU (one thread,
how the course trains small models) and on CUDA; the losses must stay finite and ``sample`` must return finite
samples on that device. Prints milliseconds per step on each and their ratio. Random binary images in
[0, 1] (and random tokens) stand in for MNIST: only the time is measured here, not learning. Without a GPU it
checks the CPU path and says that no GPU was found.
"""
from __future__ import annotations

import time

import torch

from course_lib import zoo
from course_lib.diffusion.unet import make_unet_ddpm
from course_lib.gans.dcgan import make_dcgan, make_wgangp
from course_lib.training import fit
from course_lib.vae.model import VAE


def _images(n: int) -> torch.Tensor:
    return torch.rand(n, 1, 28, 28, generator=torch.Generator().manual_seed(0)).round()


def _tokens(n: int) -> torch.Tensor:
    return torch.randint(0, 64, (n, 7, 7), generator=torch.Generator().manual_seed(0))


CASES = {  # name → (model factory, data, batch size)
    "VAE 784-400-20 (04)": (lambda: VAE(), _images, 128),
    "DCGAN (05)": (make_dcgan, _images, 64),
    "WGAN-GP DCGAN (06)": (make_wgangp, _images, 64),
    "U-Net DDPM (07)": (make_unet_ddpm, _images, 128),
    "MaskGIT, tokens (08)": (lambda: zoo.build("maskgit_tokens_mnist"), _tokens, 64),
    "transformer, tokens (08)": (lambda: zoo.build("ar_tokens_mnist"), _tokens, 64),
}


def ms_per_step(make, x, batch_size: int, device: str, steps: int) -> float:
    torch.manual_seed(0)
    model = make()
    fit(model, x, steps=3, batch_size=batch_size, device=device, progress=False)   # warm-up: allocations, cuDNN
    if device == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    fit(model, x, steps=steps, batch_size=batch_size, device=device, progress=False)   # TrainingDiverged if not finite
    if device == "cuda":
        torch.cuda.synchronize()
    ms = (time.perf_counter() - t0) / steps * 1e3
    with torch.no_grad():
        s = model.sample(8)
    if s.device.type != device or not torch.isfinite(s.float()).all():
        raise AssertionError(f"{device}: samples on {s.device} or not finite")
    return ms


def main() -> None:
    torch.set_num_threads(1)
    gpu = torch.cuda.is_available()
    print(f"torch {torch.__version__}; GPU: {torch.cuda.get_device_name(0) if gpu else 'none found (CPU path only)'}")
    print(f"{'model':26s} {'CPU ms/step':>12s} {'GPU ms/step':>12s} {'GPU speed-up':>13s}")
    for name, (make, data, bs) in CASES.items():
        x = data(2048)
        cpu = ms_per_step(make, x, bs, "cpu", 6)
        if gpu:
            cuda = ms_per_step(make, x, bs, "cuda", 40)
            print(f"{name:26s} {cpu:12.1f} {cuda:12.1f} {cpu / cuda:12.1f}×", flush=True)
        else:
            print(f"{name:26s} {cpu:12.1f} {'—':>12s} {'—':>13s}", flush=True)


if __name__ == "__main__":
    main()
