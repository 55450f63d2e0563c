"""Notebook 09's evaluation figures in one run: the FID floor curve, FID implementations side by side,
and the leaderboard of the course's models.

1. Real-vs-real FID (the floor) on 8x8 digits with the course's digits classifier, n = 50 … 898, next to
   the figures in the project's field notes (another run of a 64-128-64-10 MLP: 21 at n = 100, 6.3 at
   300, 2.6 at 898), as ratios; and the floor of 64-d standard Gaussians against the notes' ≈ 1600/n.
2. ``frechet_distance`` (two eigh) against pytorch-fid's formula (``scipy.linalg.sqrtm`` of the product):
   agreement and time per call, 64-d.
3. The leaderboard (MNIST, n = 1000, 3 sampling seeds) with its wall time against the 60 s budget.

Run:  python benchmarks/evaluation.py  [--repeats 10]
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import scipy.linalg
import torch

from course_lib.data import load_digits, load_mnist
from course_lib.evaluation import digits_features, fid_floor, frechet_distance
from course_lib.zoo import course_samplers, format_leaderboard, leaderboard

NOTES_DIGITS_FLOOR = {100: 21.0, 300: 6.3, 898: 2.6}  # field notes, another training of the same MLP design


def sqrtm_fid(a, b):
    sa, sb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    return float(((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(sa) + np.trace(sb)
                 - 2 * np.trace(scipy.linalg.sqrtm(sa @ sb).real))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=10)
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    d = load_digits()
    f = digits_features(torch.cat([d.x_train, d.x_test]))

    print("1) real-vs-real FID floor, 8x8 digits (64-d classifier features), mean ± std over "
          f"{args.repeats} pairs of disjoint sets")
    print(f"{'n':>5}{'floor':>9}{'± std':>8}{'n·floor':>9}{'notes':>8}{'ratio':>7}")
    for n in (50, 100, 200, 300, 450, 600, 898):
        fl = fid_floor(f, n, repeats=args.repeats)
        ref = NOTES_DIGITS_FLOOR.get(n)
        extra = f"{ref:8.1f}{fl.mean / ref:7.2f}" if ref else ""
        print(f"{n:5d}{fl.mean:9.2f}{fl.std:8.2f}{n * fl.mean:9.0f}{extra}")
    rng = np.random.default_rng(0)
    g = rng.normal(size=(4000, 64))
    theory = (2 * 64 + 64 * 65 / 2)  # (2d + d(d+1)/2) for d = 64: 2208
    print(f"   64-d standard Gaussians: theory {theory:.0f}/n, notes 1600/n")
    print(f"{'n':>5}{'floor':>9}{'± std':>8}{'n·floor':>9}{'theory':>8}{'ratio':>7}{'notes':>8}{'ratio':>7}")
    for n in (100, 300, 1000):
        fl = fid_floor(g, n, repeats=args.repeats)
        print(f"{n:5d}{fl.mean:9.2f}{fl.std:8.2f}{n * fl.mean:9.0f}{theory / n:8.2f}{fl.mean * n / theory:7.2f}"
              f"{1600 / n:8.1f}{fl.mean / (1600 / n):7.2f}")

    print("\n2) frechet_distance (eigh) vs pytorch-fid's sqrtm formula, 64-d, n = 898")
    a, b = f[:898], f[898:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        for _ in range(20):
            ours = frechet_distance(a, b)
        t_ours = (time.perf_counter() - t0) / 20
        t0 = time.perf_counter()
        for _ in range(20):
            theirs = sqrtm_fid(a, b)
        t_sqrtm = (time.perf_counter() - t0) / 20
    print(f"   eigh {ours:.8f} ({1e3 * t_ours:.1f} ms)   sqrtm {theirs:.8f} ({1e3 * t_sqrtm:.1f} ms)   "
          f"|diff| {abs(ours - theirs):.1e}   time ratio eigh/sqrtm {t_ours / t_sqrtm:.2f}")

    print("\n3) leaderboard: MNIST, n = 1000 per seed, seeds 0, 1, 2, classifier features, k = 5")
    m = load_mnist()
    found = course_samplers()
    t0 = time.perf_counter()
    rows = leaderboard(found.samplers, m.x_test, m.x_train, n=1000, seeds=(0, 1, 2), nlls=found.nlls,
                       token_nlls=found.token_nlls, progress=False)
    seconds = time.perf_counter() - t0
    print(format_leaderboard(rows))
    print(f"   wall time {seconds:.1f} s for every model (the notebook loads scripts/leaderboard.py's file and "
          f"recomputes 2 rows live)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
