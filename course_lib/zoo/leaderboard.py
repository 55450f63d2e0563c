"""A leaderboard of the course's generative models on one set of features (notebook 09).

:func:`leaderboard` takes a dict ``name -> sampler``, where ``sampler(n, generator)`` returns n images
(n, 1, 28, 28) in [0, 1] reproducibly given the ``torch.Generator``; models of later notebooks are added
by adding an entry. Every model is scored on the same real reference (the held-out MNIST test split)
with the same feature classifier, over several sampling seeds:

* FID and FID / floor, the floor being real held-out images against the same reference at the same n;
* KID (Bińkowski et al., 2018): the unbiased polynomial-kernel MMD² on the same features, ≈ 0 at the
  floor whatever n (FID's bias grows as 1/n; KID has none), so it reads as an absolute distance;
* classifier IS; k-NN precision, recall, density, coverage (features);
* ``nn_ratio``: median pixel distance of samples to their nearest *training* image divided by the same
  for held-out real images (≈ 1 for a model that generalises, → 0 for one that copies its training set);
* NLL (nats per image) where the model has one, from an optional dict ``name -> nll(x_test)``; a model
  whose likelihood is over something else than pixels (08's token models: 49 tokens of a codebook) goes
  in ``token_nlls`` and its own column, since nats over tokens and over pixels are not comparable;
* sampling time per 1,000 images.

:func:`course_samplers` loads the shipped checkpoints of notebooks 04 to 08 (:data:`MNIST_MODELS`) through the
zoo's registry; the board sits above the families and ``evaluation``, whose metrics it uses.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch

from course_lib._checks import check_choice, check_int
from course_lib.checkpoints import CheckpointError
from course_lib.data import binarize
from course_lib.evaluation import (features_and_probs, frechet_distance, inception_score,
                                   kernel_inception_distance, knn_radii, nearest_neighbour_ratio, prdc)
from course_lib.zoo import diffusion, token_images
from course_lib.zoo.registry import load

__all__ = ["CourseModels", "MNIST_MODELS", "DIGITS_MODELS", "course_samplers", "nearest_neighbour_ratio", "leaderboard", "format_leaderboard", "COLUMNS",
           "save_leaderboard", "load_leaderboard", "RESULTS_DIR"]

COLUMNS = ("fid", "fid_over_floor", "kid", "is", "precision", "recall", "density", "coverage", "nn_ratio", "nll",
           "nll_tokens", "seconds_per_1000")


class CourseModels(NamedTuple):
    """What :func:`course_samplers` found: samplers and likelihoods by model name, and why others are missing."""
    samplers: dict  # name -> sampler(n, generator) -> (n, 1, 28, 28) in [0, 1]
    nlls: dict  # name -> nll(x_test) nats per binarised *image* (pixel space)
    token_nlls: dict  # name -> nll(x_test) nats per image over its 7x7 grid of *tokens* (not comparable to pixels)
    skipped: dict  # name -> reason (missing checkpoint, module not in this version)


def _vae(name):
    vae = load(name)

    def nll(x):
        with torch.random.fork_rng():
            torch.manual_seed(0)
            return float(-vae.log_prob(binarize(x), n_samples=50).mean())
    return (lambda n, generator: vae.sample(n, generator=generator)), nll, None


def _gan(name):
    G = load(name).G

    @torch.no_grad()
    def sampler(n, generator):
        return G(torch.randn(n, G.z_dim, generator=generator))
    return sampler, None, None


def _sampler(factory, token_nll=False):
    def load_sampler():
        model = factory()
        sampler = lambda n, generator: model.sample(n, generator=generator)  # noqa: E731
        nll = None
        if token_nll:
            @torch.no_grad()
            def nll(x):  # exact: −log p(tokens of x) under the causal transformer, nats per image (49 tokens)
                return float(-model.model.log_prob(model.codebook.encode(x)).mean())
        return sampler, None, nll
    return load_sampler


#: every MNIST model of the course: (name in the leaderboard, loader -> (sampler, pixel NLL, token NLL))
MNIST_MODELS = (
    ("VAE 20-d (04)", lambda: _vae("vae_mnist_20d")),
    ("VAE 2-d (04)", lambda: _vae("vae_mnist_2d")),
    ("DCGAN (05)", lambda: _gan("dcgan_mnist")),
    ("WGAN-GP (06)", lambda: _gan("wgangp_mnist")),
    ("DDPM (07)", _sampler(diffusion.mnist_unet)),
    ("latent DDPM (07)", _sampler(diffusion.latent_ddpm_mnist)),
    ("transformer, tokens (08)", _sampler(token_images.tokens_transformer_mnist, token_nll=True)),
    ("MaskGIT, tokens (08)", _sampler(token_images.maskgit_tokens_mnist)),
)


def _binary_digits_model(name, *, exact_nll: bool, threshold: bool = False):
    def load_sampler():
        model = load(name)  # CheckpointError when missing or altered

        @torch.no_grad()
        def sampler(n, generator):
            x = model.sample(n, generator=generator).float().reshape(n, 1, 8, 8)
            # the DDPM's samples are continuous: rounded to {0, 1} like the binary data it was trained on
            return (x > 0.5).float() if threshold else x

        nll = None
        if exact_nll:
            @torch.no_grad()
            def nll(x):  # exact −log p(x), nats per binarised 8x8 image
                return float(-model.log_prob(x).mean())
        return sampler, nll, None
    return load_sampler


#: 08's models of binarised 8x8 digits (its split: ``autoregressive._common.binary_digits``), scored on the
#: digits features: a second board, since 8x8 and 28x28 images are not on one scale.
DIGITS_MODELS = (
    ("MADE (08)", _binary_digits_model("ar_made_digits", exact_nll=True)),
    ("PixelCNN (08)", _binary_digits_model("ar_pixelcnn_digits", exact_nll=True)),
    ("transformer (08)", _binary_digits_model("ar_transformer_digits", exact_nll=True)),
    ("MaskGIT (08)", _binary_digits_model("maskgit_digits", exact_nll=False)),
    ("DDPM, binarised (07/08)", _binary_digits_model("ddpm_binary_digits", exact_nll=False, threshold=True)),
)


def course_samplers(names=None, *, kind: str = "mnist", verbose: bool = True) -> CourseModels:
    """Samplers and likelihoods of the course's shipped MNIST models (:data:`MNIST_MODELS`), as :class:`CourseModels`.

    * ``"VAE 20-d (04)"``, ``"VAE 2-d (04)"``: decoder means E[x|z], z ~ N(0, I); NLL = the IWAE(50)
      bound on binarised test images (a bound, not exact: the VAE has no exact likelihood);
    * ``"DCGAN (05)"``, ``"WGAN-GP (06)"``: the generators of ``scripts/train_dcgan.py`` (no likelihood);
    * ``"DDPM (07)"``, ``"latent DDPM (07)"``: ``course_lib.zoo.diffusion`` (no exact likelihood);
    * ``"transformer, tokens (08)"``: exact NLL, but of the image's 7x7 *tokens* (k-means codebook), so it
      goes in ``token_nlls``, not beside pixel NLLs; ``"MaskGIT, tokens (08)"``: no likelihood.

    ``kind="digits"``: :data:`DIGITS_MODELS` instead, 08's models of binarised 8x8 digits (exact NLL in
    nats per binarised image for MADE, PixelCNN and the transformer; (n, 1, 8, 8) samples).
    ``names`` restricts the list. A model that does not load (checkpoint missing or altered, module not in
    this version) is skipped and the reason printed (``verbose``) and kept in ``skipped``: training these
    live takes minutes to hours.
    """
    wanted = dict(MNIST_MODELS if check_choice(kind, "course_samplers: kind", {"mnist", "digits"}) == "mnist"
                  else DIGITS_MODELS)
    if names is not None:
        unknown = [n for n in names if n not in wanted]
        if unknown:
            raise ValueError(f"course_samplers: unknown model names {unknown}; known: {list(wanted)}")
        wanted = {n: wanted[n] for n in names}
    out = CourseModels({}, {}, {}, {})
    for label, load_sampler in wanted.items():
        try:
            sampler, nll, token_nll = load_sampler()
        except (CheckpointError, KeyError, RuntimeError, ImportError, FileNotFoundError) as err:
            out.skipped[label] = str(err)
            if verbose:
                print(f"leaderboard: skipping {label}: {err}")
            continue
        out.samplers[label] = sampler
        if nll is not None:
            out.nlls[label] = nll
        if token_nll is not None:
            out.token_nlls[label] = token_nll
    return out


@torch.no_grad()
def leaderboard(samplers: dict, real_test: torch.Tensor, real_train: torch.Tensor, *, n: int = 1000,
                seeds=(0, 1, 2), k: int = 5, nlls: dict | None = None, token_nlls: dict | None = None, kind: str = "mnist",
                include_copy: bool = True, progress: bool = True) -> list[dict]:
    """Score every sampler over ``seeds``; one row per model plus two reference rows first.

    ``real_test`` (M, 1, H, W) is the reference set. ``real_train`` (the models' training data) is split
    in two fixed halves: the first is the training set of the nearest-neighbour memorisation check,
    the second gives the ``"real (floor)"`` row (n fresh real images per seed, n ≤ half). With
    ``include_copy`` a ``"copy of training set"`` row returns images of the first half: the perfect
    memoriser, which FID, IS and precision/recall cannot tell from real data. Row values are means over
    seeds, with ``fid_std``; ``fid_over_floor`` divides by the floor row's FID at the same n; ``kid`` is the
    unbiased KID of the same features (about 0 for the floor row, within its seed-to-seed spread).
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
            x = sampler(n, torch.Generator().manual_seed(int(seed))).detach().float().cpu()
            seconds = time.perf_counter() - t0
            if x.numel() and (float(x.min()) < -0.5 or float(x.max()) > 1.5 or not bool(torch.isfinite(x).all())):
                raise ValueError(f"leaderboard: sampler {name!r} returned values in [{float(x.min()):.4g}, "
                                 f"{float(x.max()):.4g}]; the leaderboard scores images in [0, 1] (0..255 pixels? "
                                 "divide by 255)")
            x = x.clamp(0, 1)  # what remains outside is rounding or a sampler's slight overshoot
            if x.shape[0] != n:
                raise ValueError(f"leaderboard: sampler {name!r} returned {x.shape[0]} images for n = {n}")
            f, p = features_and_probs(x, kind)
            m = prdc(ref_f, f, k, real_radii=radii)
            per_seed.append({"fid": frechet_distance(f, ref_f), "kid": kernel_inception_distance(f, ref_f),
                             "is": inception_score(p), **m,
                             "nn_ratio": nearest_neighbour_ratio(x[:500], memo, real_test[:500]),
                             "seconds_per_1000": 1000 * seconds / n})
        row = {"model": name, **{c: float(np.mean([s[c] for s in per_seed])) for c in per_seed[0]},
               "fid_std": float(np.std([s["fid"] for s in per_seed], ddof=1)) if len(seeds) > 1 else 0.0}
        row["nll"] = nlls[name](real_test) if nlls and name in nlls else float("nan")
        row["nll_tokens"] = token_nlls[name](real_test) if token_nlls and name in token_nlls else float("nan")
        rows.append(row)
    floor = rows[0]["fid"]
    for r in rows:
        r["fid_over_floor"] = r["fid"] / floor
    return rows


RESULTS_DIR = Path(__file__).resolve().parent / "results"


def save_leaderboard(name: str, rows: list[dict], info: dict, directory=None) -> Path:
    """Write rows and ``info`` (settings, checkpoints' sha256, timings) to ``results/NAME.json``
    (``scripts/leaderboard.py``). NaN (no likelihood) is stored as null."""
    directory = Path(RESULTS_DIR if directory is None else directory)
    directory.mkdir(parents=True, exist_ok=True)
    clean = [{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()} for r in rows]
    path = directory / f"{name}.json"
    path.write_text(json.dumps({"name": name, **info, "rows": clean}, indent=1) + "\n")
    return path


def load_leaderboard(name: str = "leaderboard_mnist", directory=None) -> dict:
    """A leaderboard saved by ``scripts/leaderboard.py``: ``{"rows": [...], settings...}``, null -> NaN.

    Raises :class:`course_lib.checkpoints.CheckpointError` when the file is missing or malformed (the
    notebook then computes the board live)."""
    path = Path(RESULTS_DIR if directory is None else directory) / f"{name}.json"
    try:
        saved = json.loads(path.read_text())
        rows = [{k: (float("nan") if v is None else v) for k, v in r.items()} for r in saved["rows"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise CheckpointError(f"leaderboard {name!r}: cannot read {path} ({type(err).__name__}: {err}); "
                              "rebuild it with scripts/leaderboard.py") from None
    return {**saved, "rows": rows}


def format_leaderboard(rows: list[dict]) -> str:
    """A fixed-width text table of :func:`leaderboard` rows (NLL blank where the model has none; NLL over
    pixels and over tokens in separate columns; KID blank on rows saved before it was added)."""
    head = (f"{'model':<25}{'FID':>12}{'/floor':>8}{'KID':>9}{'IS':>6}{'prec':>6}{'rec':>6}{'dens':>6}{'cov':>6}"
            f"{'NN':>6}{'NLL':>7}{'NLLtok':>8}{'s/1k':>7}")
    lines = [head, "-" * len(head)]
    for r in rows:
        fid = f"{r['fid']:.1f}±{r['fid_std']:.1f}"
        nll = "" if np.isnan(r["nll"]) else f"{r['nll']:.1f}"
        tok = "" if np.isnan(r.get("nll_tokens", float("nan"))) else f"{r['nll_tokens']:.1f}"
        kid = r.get("kid", float("nan"))
        kid = "" if np.isnan(kid) else f"{kid:.1f}"
        lines.append(f"{r['model']:<25}{fid:>12}{r['fid_over_floor']:>8.1f}{kid:>9}{r['is']:>6.2f}{r['precision']:>6.2f}"
                     f"{r['recall']:>6.2f}{r['density']:>6.2f}{r['coverage']:>6.2f}{r['nn_ratio']:>6.2f}{nll:>7}{tok:>8}"
                     f"{r['seconds_per_1000']:>7.3f}")
    return "\n".join(lines)
