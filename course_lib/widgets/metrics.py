"""Metric sandbox (notebook 09): corrupt a set of real digits and watch FID, IS, precision, recall,
density, coverage and a memorisation check respond.

sklearn's 1,797 8x8 digits are split once (fixed permutation) into three sets of 599 images:
a *reference* set R (what metrics compare against), a model's *training* set T, and fresh real
images S, the samples of an ideal model. The knobs transform S into a "generated" set:

* ``drop``: the first ``drop`` classes are removed (their images replaced by images of kept classes);
* ``noise``: Gaussian pixel noise of this standard deviation (a fixed draw, scaled), clipped to [0, 1];
* ``blur``: a Gaussian blur of this σ (pixels), as one 64x64 matrix acting on flattened images;
* ``blend``: this fraction of images becomes the average of two digits of different classes;
* ``copy``: this fraction of images is replaced by images of the training set T (memorisation).

The reference's features, statistics and k-NN radii are precomputed; each update runs the digits
feature classifier on 599 images (an MLP, well under a millisecond) and recomputes every metric.
"""
from __future__ import annotations

import numpy as np
import torch

from course_lib._checks import check_float, check_int
from course_lib.evaluation import FrechetReference, feature_classifier, features_and_probs, fid_floor, knn_radii
from course_lib.evaluation.fid import one_blas_thread
from course_lib.evaluation.precision_recall import pairwise_distances
from course_lib.widgets.base import View, slider_layout, slider_style
from course_lib.widgets.masked import to_rgb

__all__ = ["MetricSandbox", "blur_matrix", "METRICS", "BLUR_SIGMAS"]

METRICS = ("IS / 10", "precision", "recall", "density", "coverage", "NN ratio")
_COLORS = ["#0072B2", "#009E73", "#E69F00", "#56B4E9", "#D55E00", "#CC79A7"]  # Okabe-Ito
# The blur slider's stops: below σ ≈ 0.45 a neighbour gets under 1/12 of the weight of the centre
# (exp(-1/(2σ²))), which leaves the picture unchanged to the eye; every stop from 0.5 on changes it.
BLUR_SIGMAS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.5)


def _sq_dist(a: np.ndarray, b: np.ndarray, b_sq: np.ndarray | None = None) -> np.ndarray:
    """Squared Euclidean distances (n, m) in float32, unclipped, built in place: no sqrt on the hot path.

    float32 halves the memory traffic of the 599 x 599 matrices (the sandbox's cost); a tie within
    float32 rounding of a k-NN radius can flip one ball membership, a change of 1/599 at most per tie.
    """
    a, b = a.astype(np.float32, copy=False), b.astype(np.float32, copy=False)
    d = a @ b.T
    d *= -2.0
    d += (a * a).sum(1)[:, None]
    d += ((b * b).sum(1) if b_sq is None else b_sq)[None, :]
    return d

def blur_matrix(sigma: float, side: int = 8) -> np.ndarray:
    """(side², side²) matrix of a separable Gaussian blur with zero padding; rows renormalised so that a
    flat image stays flat in the interior (sigma = 0 gives the identity; so does any sigma below 0.05,
    whose neighbour weight exp(-1/(2σ²)) is below 1e-86: it is computed as the identity, without overflow)."""
    if sigma < 0.05:
        return np.eye(side * side)
    i = np.arange(side)
    k = np.exp(-0.5 * ((i[:, None] - i[None, :]) / sigma) ** 2)  # (side, side)
    k /= k.sum(1, keepdims=True)
    return np.kron(k, k)


class MetricSandbox(View):
    """Knob values -> transformed samples (599, 64) -> FID, IS, precision, recall, density, coverage, NN ratio.

    A :class:`~course_lib.widgets.base.View` with knobs ``drop, noise, blur, blend, copy`` (``update``
    keeps the knobs it is not given). :meth:`score` is the same computation without touching the view.
    """

    knobs = ("drop", "noise", "blur", "blend", "copy")
    title = "Metric sandbox: corrupt real digits, watch the metrics"
    NONE = {"drop": 0, "noise": 0.0, "blur": 0.0, "blend": 0.0, "copy": 0.0}   # fresh real digits

    def __init__(self, *, k: int = 5, seed: int = 0, show: int = 32):
        from course_lib.data import load_digits

        super().__init__()
        self.k = check_int(k, "k", min_value=1, max_value=50)
        data = load_digits(test_fraction=0.0)  # all 1,797 images in one (permuted) set
        x = data.x_train.reshape(-1, 64).double().numpy()  # (1797, 64)
        y = data.y_train.numpy()
        rng = np.random.default_rng(check_int(seed, "seed", min_value=0))
        order = rng.permutation(len(x))
        m = len(x) // 3
        ref, train, samp = order[:m], order[m:2 * m], order[2 * m:3 * m]
        self.ref, self.train, self.samples, self.labels = x[ref], x[train], x[samp], y[samp]
        self.n = m
        f_ref, _ = features_and_probs(self.ref, "digits")
        self.fid_ref = FrechetReference(f_ref)  # the reference's statistics and square root, reused by every update
        self.f_ref, self.radii = f_ref, knn_radii(f_ref, self.k)
        self.radii_sq = (self.radii ** 2).astype(np.float32)
        ref32 = f_ref.astype(np.float32)
        self.ref_sq = (ref32 * ref32).sum(1)  # (m,)
        self.ref_aug = np.concatenate([ref32, np.ones((len(ref32), 1), np.float32)], 1)  # (m, 65)
        self.inside_thr = self.radii_sq - self.ref_sq  # |r_i − f|² <= radius² ⇔ e_i <= radius² − |r_i|²
        self.train32 = self.train.astype(np.float32)
        self.train_sq = (self.train32 ** 2).sum(1)
        # Floor: n fresh real images (from T ∪ S) against the same reference, averaged over draws.
        pool = features_and_probs(np.concatenate([self.train, self.samples]), "digits")[0]
        self.floor = fid_floor(pool, m, reference=f_ref, repeats=5, seed=seed).mean
        self.heldout_nn = float(np.median(pairwise_distances(self.ref, self.train).min(1)))
        self.clf = feature_classifier("digits")
        self.noise = rng.normal(size=self.samples.shape)  # one fixed draw: the knob scales it
        partner = rng.permutation(m)  # blend partner: the next image of a different class
        for i in range(m):
            while self.labels[partner[i]] == self.labels[i]:
                partner[i] = rng.integers(m)
        self.partner = partner
        self.blend_order = rng.permutation(m)  # which images get blended / copied first
        self.copy_order, self.copy_src = rng.permutation(m), rng.permutation(m)
        self.nn_idx = rng.permutation(m)[:200]  # the memorisation check's median uses 200 samples
        self.show = check_int(show, "show", min_value=8, max_value=m)
        self._build_figure()
        self.update(**self.NONE)

    # ------------------------------------------------------------------ the data transformation
    def transform(self, drop: int = 0, noise: float = 0.0, blur: float = 0.0, blend: float = 0.0,
                  copy: float = 0.0) -> np.ndarray:
        """Transformed samples (599, 64) in [0, 1] for the given knob values (see the module docstring)."""
        drop = check_int(drop, "drop", min_value=0, max_value=9)
        noise = check_float(noise, "noise", min_value=0.0, max_value=1.0)
        blur = check_float(blur, "blur", min_value=0.0, max_value=3.0)
        blend = check_float(blend, "blend", min_value=0.0, max_value=1.0)
        copy = check_float(copy, "copy", min_value=0.0, max_value=1.0)
        x = self.samples.copy()
        if drop:
            keep = np.flatnonzero(self.labels >= drop)
            gone = np.flatnonzero(self.labels < drop)
            x[gone] = x[keep[np.arange(len(gone)) % len(keep)]]  # same n, only the kept classes
        nb = int(round(blend * self.n))
        if nb:
            idx = self.blend_order[:nb]
            x[idx] = 0.5 * (self.samples[idx] + self.samples[self.partner[idx]])
        if blur:
            x = x @ blur_matrix(blur).T
        if noise:
            x = np.clip(x + noise * self.noise, 0.0, 1.0)
        nc = int(round(copy * self.n))
        if nc:
            x[self.copy_order[:nc]] = self.train[self.copy_src[:nc]]
        return x

    # ------------------------------------------------------------------ metrics
    def metrics(self, x: np.ndarray) -> dict:
        """Every metric of the sandbox for samples x (599, 64) against the reference set."""
        with torch.no_grad():  # the classifier directly: x comes from transform(), already checked
            h = self.clf.features(torch.from_numpy(x).float())
            f, p = h.double().numpy(), self.clf.head(h).softmax(1).double().numpy()  # (m, 64), (m, 10)
        fid = self.fid_ref.distance(f.mean(0), np.cov(f, rowvar=False))
        pc = np.clip(p, 1e-12, 1)
        is_ = float(np.exp((pc * (np.log(pc) - np.log(pc.mean(0)))).sum(1).mean()))
        # Same definitions as evaluation.prdc, on squared distances (monotone, so comparisons agree), with
        # the norms folded into one matmul: [a, 1]·[−2b, |b|²] = |a − b|² − |a|², so no pass over the
        # 599 x 599 matrices is spent adding norms (the sandbox's cost is those passes).
        f32 = h.numpy()  # (m, 64) float32
        f_sq = (f32 * f32).sum(1)
        fake_aug = np.concatenate([-2.0 * f32, f_sq[:, None]], 1)  # (m, 65)
        e = self.ref_aug @ fake_aug.T  # (m_ref, m): |r_i − f_j|² − |r_i|²
        inside = e <= self.inside_thr[:, None]  # |r_i − f_j|² <= radius_i²
        eff = np.concatenate([f32, np.ones((len(f32), 1), np.float32)], 1) @ fake_aug.T  # |f_i − f_j|² − |f_i|²
        np.fill_diagonal(eff, np.inf)
        r_fake_sq = np.partition(eff, self.k - 1, axis=1)[:, self.k - 1] + f_sq  # k-th NN radius² of each fake
        # recall: some fake j has real i in its ball, |r_i − f_j|² = e_ij + |r_i|² <= r_fake_j²
        recall = float(((e + self.ref_sq[:, None]) <= r_fake_sq[None, :]).any(1).mean())
        nn_sq = _sq_dist(x[self.nn_idx], self.train32, self.train_sq).min(1)  # a fixed random 200: a median
        nn = float(np.sqrt(max(np.median(nn_sq), 0.0))) / self.heldout_nn
        return {"fid": fid, "fid_over_floor": fid / self.floor, "is": is_,
                "precision": float(inside.any(0).mean()), "recall": recall,
                "density": float(inside.sum() / (self.k * len(f))), "coverage": float(inside.any(1).mean()),
                "nn_ratio": nn}

    def score(self, drop: int = 0, noise: float = 0.0, blur: float = 0.0, blend: float = 0.0,
              copy: float = 0.0) -> dict:
        """The metrics of the samples transformed by these knob values (unset knobs: no corruption);
        the view is left as it is."""
        with one_blas_thread():  # small matrices: one BLAS thread is several times faster on a shared CPU
            x = self.transform(drop, noise, blur, blend, copy)
            return {**self.metrics(x), "samples": x}

    # ------------------------------------------------------------------ figure
    def _mosaic(self, x: np.ndarray) -> np.ndarray:
        """The first ``show`` samples (rounded down to rows of 8) as one RGB image, blue between the tiles."""
        cols = 8
        rows = self.show // cols
        imgs = x[:rows * cols].reshape(rows, cols, 8, 8)
        pad = np.full((rows, cols, 9, 9), np.nan)
        pad[:, :, :8, :8] = imgs
        return to_rgb(pad.transpose(0, 2, 1, 3).reshape(rows * 9, cols * 9)[:-1, :-1])

    def _build_figure(self):
        lf = self.figure(1, 3, figsize=(11, 4.6), dpi=72, gridspec_kw={"width_ratios": [2.5, 1.35, 0.45]})
        ax_img, ax_bar, ax_fid = lf.axes[0]
        self.im = ax_img.imshow(self._mosaic(self.samples), interpolation="nearest")  # RGB: ink black, gaps blue
        ax_img.set_axis_off()
        ax_img.set_title(f"the first {self.show // 8 * 8} of the {self.n} samples", fontsize=15)
        ypos = np.arange(len(METRICS))
        self.bars = ax_bar.barh(ypos, np.zeros(len(METRICS)), color=_COLORS)
        ax_bar.set_yticks(ypos, METRICS, fontsize=15)
        ax_bar.invert_yaxis()
        ax_bar.set_xlim(0, 1.45)
        ax_bar.set_xticks([0, 0.5, 1.0])
        ax_bar.axvline(1.0, color="0.4", lw=1.5, ls="--")
        ax_bar.tick_params(labelsize=15)
        ax_bar.set_title("1 = like real data", fontsize=15)
        self.fid_bar = ax_fid.bar([0], [1.0], color="#999999", width=0.6)[0]
        ax_fid.set_yscale("log")
        ax_fid.set_ylim(0.5, 200)
        ax_fid.axhline(1.0, color="0.3", lw=1.5, ls="--")
        ax_fid.set_xticks([0], ["FID /\nfloor"], fontsize=15)
        ax_fid.tick_params(labelsize=15)
        ax_fid.set_title(f"floor {self.floor:.1f}", fontsize=15)
        # Values are printed in the HTML status line above the figure: text is the slowest artist to rasterise.
        lf.animate(self.im, *self.bars, self.fid_bar)

    def draw(self, drop, noise, blur, blend, copy) -> dict:
        """Transform, score, change the artists in place; returns the metrics (see :meth:`metrics`)."""
        m = self.score(drop, noise, blur, blend, copy)
        x = m.pop("samples")
        vals = [m["is"] / 10, m["precision"], m["recall"], m["density"], m["coverage"], m["nn_ratio"]]
        for bar, v in zip(self.bars, vals):
            bar.set_width(min(v, 1.45))
        self.im.set_data(self._mosaic(x))
        self.fid_bar.set_height(max(m["fid_over_floor"], 0.5))
        return m

    def status_line(self, state: dict) -> str:
        """Two lines, always: the status never changes height, so the figure below it never moves."""
        m = state
        return (f"FID {m['fid']:.1f} ({m['fid_over_floor']:.1f}× floor) · IS {m['is']:.2f}<br>"
                f"precision {m['precision']:.2f} · recall {m['recall']:.2f} · density {m['density']:.2f} · "
                f"coverage {m['coverage']:.2f} · NN ratio {m['nn_ratio']:.2f}")

    def status_html(self) -> str:
        return self.status

    def controls(self) -> dict:
        import ipywidgets as W

        v, style = self.values, slider_style("120px")

        def slider(cls, knob, lo, hi, step, label):
            return cls(value=v[knob], min=lo, max=hi, step=step, description=label, continuous_update=True,
                       style=style, layout=slider_layout())

        blur = min(BLUR_SIGMAS, key=lambda s: abs(s - v["blur"]))
        return {
            "drop": slider(W.IntSlider, "drop", 0, 9, 1, "drop classes"),
            "noise": slider(W.FloatSlider, "noise", 0.0, 0.5, 0.02, "pixel noise"),
            "blur": W.SelectionSlider(options=[(f"{s:g}", s) for s in BLUR_SIGMAS], value=blur,
                                      description="blur σ", continuous_update=True, style=style,
                                      layout=slider_layout()),
            "blend": slider(W.FloatSlider, "blend", 0.0, 1.0, 0.05, "blend fraction"),
            "copy": slider(W.FloatSlider, "copy", 0.0, 1.0, 0.05, "copy training"),
        }
