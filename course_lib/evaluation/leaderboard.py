"""A leaderboard of the course's generative models on one set of features (notebook 09).

:func:`leaderboard` takes a dict ``name -> sampler``, where ``sampler(n, generator)`` returns n images
(n, 1, 28, 28) in [0, 1] reproducibly given the ``torch.Generator``; models of later notebooks are added
by adding an entry. Every model is scored on the same real reference (the held-out MNIST test split)
with the same feature classifier, over several sampling seeds:

* FID and FID / floor, the floor being real held-out images against the same reference at the same n;
* classifier IS; k-NN precision, recall, density, coverage (features);
* ``nn_ratio``: median pixel distance of samples to their nearest *training* image divided by the same
  for held-out real images (≈ 1 for a model that generalises, → 0 for one that copies its training set);
* NLL (nats per image) where the model has one, from an optional dict ``name -> nll(x_test)``;
* sampling time per 1,000 images.

:func:`course_samplers` loads the shipped checkpoints of notebooks 04 (VAE) and 05 (DCGAN).
"""
from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import torch

from .._checks import check_int
from .features import features_and_probs
from .fid import frechet_distance, inception_score
from .precision_recall import knn_radii, pairwise_distances, prdc

__all__ = ["course_samplers", "nearest_neighbour_ratio", "leaderboard", "format_leaderboard", "COLUMNS"]

COLUMNS = ("fid", "fid_over_floor", "is", "precision", "recall", "density", "coverage", "nn_ratio", "nll",
           "seconds_per_1000")


def course_samplers() -> tuple[dict, dict]:
    """Samplers and NLLs of the course's shipped MNIST models: ``(samplers, nlls)``.

    * ``"VAE 20-d (04)"``, ``"VAE 2-d (04)"``: decoder means E[x|z], z ~ N(0, I); NLL = the IWAE(50)
      bound on binarised test images (a bound, not exact: the VAE has no exact likelihood);
    * ``"DCGAN (05)"``: the generator of ``scripts/train_dcgan.py`` (no likelihood).
    A checkpoint that does not load is skipped with the reason printed (training these live takes minutes).
    """
    from ..checkpoints import CheckpointError, load_state_dict, manifest
    from ..data import binarize
    from ..gans.dcgan import DCGenerator
    from ..vae import VAE

    samplers: dict[str, Callable] = {}
    nlls: dict[str, Callable] = {}
    for name, label in (("vae_mnist_20d", "VAE 20-d (04)"), ("vae_mnist_2d", "VAE 2-d (04)")):
        try:
            cfg = manifest(name)["config"]
            vae = VAE(**{k: tuple(v) if k == "image_shape" else v for k, v in cfg.items()})
            vae.load_state_dict(load_state_dict(name))
        except (CheckpointError, KeyError, RuntimeError) as err:
            print(f"leaderboard: skipping {label}: {err}")
            continue
        vae.eval()
        samplers[label] = lambda n, generator, vae=vae: vae.sample(n, generator=generator)

        def nll(x, vae=vae):
            with torch.random.fork_rng():
                torch.manual_seed(0)
                return float(-vae.log_prob(binarize(x), n_samples=50).mean())
        nlls[label] = nll
    try:
        cfg = manifest("dcgan_mnist")["config"]
        G = DCGenerator(cfg["z_dim"], cfg["width"])
        G.load_state_dict(load_state_dict("dcgan_mnist"))
        G.eval()

        @torch.no_grad()
        def dcgan_sampler(n, generator):
            return G(torch.randn(n, G.z_dim, generator=generator))
        samplers["DCGAN (05)"] = dcgan_sampler
    except (CheckpointError, KeyError, RuntimeError) as err:
        print(f"leaderboard: skipping DCGAN (05): {err}")
    return samplers, nlls


def nearest_neighbour_ratio(samples, train, heldout) -> float:
    """Median pixel distance sample → nearest training image, over the same for held-out real images.

    Shapes: (n, ...), (N_train, ...), (m, ...), flattened to pixels. ≈ 1: samples are as far from the
    training set as new real images are; → 0: the model reproduces training images (memorisation).
    """
    flat = lambda t: np.asarray(torch.as_tensor(t).reshape(len(t), -1), dtype=np.float64)  # noqa: E731
    tr = flat(train)
    return float(np.median(pairwise_distances(flat(samples), tr).min(1))
                 / np.median(pairwise_distances(flat(heldout), tr).min(1)))


@torch.no_grad()
def leaderboard(samplers: dict, real_test: torch.Tensor, real_train: torch.Tensor, *, n: int = 1000,
                seeds=(0, 1, 2), k: int = 5, nlls: dict | None = None, kind: str = "mnist",
                include_copy: bool = True, progress: bool = True) -> list[dict]:
    """Score every sampler over ``seeds``; one row per model plus two reference rows first.

    ``real_test`` (M, 1, H, W) is the reference set. ``real_train`` (the models' training data) is split
    in two fixed halves: the first is the training set of the nearest-neighbour memorisation check,
    the second gives the ``"real (floor)"`` row (n fresh real images per seed, n ≤ half). With
    ``include_copy`` a ``"copy of training set"`` row returns images of the first half: the perfect
    memoriser, which FID, IS and precision/recall cannot tell from real data. Row values are means over
    seeds, with ``fid_std``; ``fid_over_floor`` divides by the floor row's FID at the same n.
    """
    n, k = check_int(n, "n", min_value=k + 1), check_int(k, "k", min_value=1)
    if not isinstance(samplers, dict) or not samplers:
        raise TypeError(f"leaderboard: samplers must be a non-empty dict name -> sampler(n, generator), got {samplers!r}")
    ref_f, _ = features_and_probs(real_test, kind)
    radii = knn_radii(ref_f, k)
    perm = torch.randperm(len(real_train), generator=torch.Generator().manual_seed(123))
    memo, pool = real_train[perm[:len(perm) // 2]], real_train[perm[len(perm) // 2:]]  # (N/2, 1, H, W) each
    if n > len(pool):
        raise ValueError(f"leaderboard: n = {n} needs real_train of at least {2 * n} images, got {len(real_train)}")
    draw = lambda imgs: lambda m, generator: imgs[torch.randperm(len(imgs), generator=generator)[:m]]  # noqa: E731
    entries = {"real (floor)": draw(pool), **({"copy of training set": draw(memo)} if include_copy else {}),
               **samplers}
    rows = []
    items = entries.items()
    if progress:
        from tqdm.auto import tqdm
        items = tqdm(items, desc="leaderboard", total=len(entries))
    for name, sampler in items:
        per_seed = []
        for seed in seeds:
            t0 = time.perf_counter()
            x = sampler(n, torch.Generator().manual_seed(int(seed))).detach().float().cpu().clamp(0, 1)
            seconds = time.perf_counter() - t0
            if x.shape[0] != n:
                raise ValueError(f"leaderboard: sampler {name!r} returned {x.shape[0]} images for n = {n}")
            f, p = features_and_probs(x, kind)
            m = prdc(ref_f, f, k, real_radii=radii)
            per_seed.append({"fid": frechet_distance(f, ref_f), "is": inception_score(p), **m,
                             "nn_ratio": nearest_neighbour_ratio(x[:500], memo, real_test[:500]),
                             "seconds_per_1000": 1000 * seconds / n})
        row = {"model": name, **{c: float(np.mean([s[c] for s in per_seed])) for c in per_seed[0]},
               "fid_std": float(np.std([s["fid"] for s in per_seed], ddof=1)) if len(seeds) > 1 else 0.0}
        row["nll"] = nlls[name](real_test) if nlls and name in nlls else float("nan")
        rows.append(row)
    floor = rows[0]["fid"]
    for r in rows:
        r["fid_over_floor"] = r["fid"] / floor
    return rows


def format_leaderboard(rows: list[dict]) -> str:
    """A fixed-width text table of :func:`leaderboard` rows (NLL blank where the model has none)."""
    head = (f"{'model':<22}{'FID':>12}{'/floor':>8}{'IS':>6}{'prec':>6}{'rec':>6}{'dens':>6}{'cov':>6}"
            f"{'NN':>6}{'NLL':>7}{'s/1k':>7}")
    lines = [head, "-" * len(head)]
    for r in rows:
        fid = f"{r['fid']:.1f}±{r['fid_std']:.1f}"
        nll = "" if np.isnan(r["nll"]) else f"{r['nll']:.1f}"
        lines.append(f"{r['model']:<22}{fid:>12}{r['fid_over_floor']:>8.1f}{r['is']:>6.2f}{r['precision']:>6.2f}"
                     f"{r['recall']:>6.2f}{r['density']:>6.2f}{r['coverage']:>6.2f}{r['nn_ratio']:>6.2f}{nll:>7}"
                     f"{r['seconds_per_1000']:>7.3f}")
    return "\n".join(lines)
