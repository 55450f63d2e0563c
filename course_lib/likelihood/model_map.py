"""The map of the course: model families as a drawn taxonomy (notebook 00).

Goodfellow's (2016) taxonomy sorts maximum-likelihood generative models by how they treat the
density p_model(x): explicit and tractable (fully visible belief networks / autoregressive models,
Naive Bayes), explicit but approximated (VAEs, and diffusion models, trained with an ELBO), or
implicit (GANs: only a sampler). Masked generative models (MaskGIT, MAGE) get their own branch: they are
trained by cross-entropy on masked tokens; reweighted, that loss bounds the NLL of an order-agnostic
autoregressive model (absorbing-state diffusion; 08 computes it), so an arrow also joins them to the
approximate (bounded) densities.
Each box names the notebook that teaches it.
"""
from __future__ import annotations

__all__ = ["FAMILIES", "NODES", "EDGES", "draw_model_map"]

# key: (x, y, text, colour). Coordinates in a 0..1 × 0..1 canvas, drawn left to right (root, branches,
# sub-branches, one column of families) so that every box keeps its width when the figure is laid out at
# the narrowest output area (viz.MAX_FIGURE_PX, 840 px) with the course's font sizes. Colours are Okabe-Ito
# tints; every box also names its branch in words, so colour is never the only cue.
NODES = {
    "root": (0.07, 0.36, "Generative\nmodels\nlearn p(x)\nor p(x, y),\nthen sample x\n[00]", "#dddddd"),
    "explicit": (0.31, 0.675, "Explicit density\np_model(x; θ),\nmax likelihood\n[01]", "#cfe5f5"),
    "masked": (0.31, 0.30, "Masked tokens\ncross-entropy,\nbounds −log p(x)", "#f9e6b3"),
    "implicit": (0.31, 0.075, "Implicit density\nonly a sampler,\nno p(x)", "#f5d5c5"),
    "tractable": (0.565, 0.845, "Tractable\n(exact log p(x))", "#d4ece4"),
    "approx": (0.565, 0.505, "Approximate\n(a lower bound:\nthe ELBO)", "#e8f0b8"),
    "nb": (0.87, 0.93, "Naive Bayes  [00]\np(y) ∏ p(xᵢ|y)", "#d4ece4"),
    "ar": (0.87, 0.76, "Autoregressive, FVBN,\nTransformers  [01, 08]", "#d4ece4"),
    "vae": (0.87, 0.59, "VAE  [04]\n∫ p(x|z) p(z) dz", "#e8f0b8"),
    "diff": (0.87, 0.42, "Diffusion  [07]\nx → x₁ → … → N(0, Σ)", "#e8f0b8"),
    "mask": (0.87, 0.25, "MaskGIT, MAGE  [08]\n(parallel unmasking)", "#f9e6b3"),
    "gan": (0.87, 0.08, "GAN, WGAN  [05, 06]\nz ~ N(0, Σ) → G → x", "#f5d5c5"),
}
EDGES = [("root", "explicit"), ("root", "masked"), ("root", "implicit"), ("explicit", "tractable"),
         ("explicit", "approx"), ("tractable", "nb"), ("tractable", "ar"), ("approx", "vae"), ("approx", "diff"),
         ("masked", "mask"), ("approx", "mask"), ("implicit", "gan")]

# One row per family: (family, what is modelled, how it is trained, notebook(s)).
FAMILIES = [
    ("Naive Bayes", "p(x, y) = p(y) ∏ p(x_i | y)", "counting (max likelihood)", "00"),
    ("Mixture density network", "p(y | x) = Σ_k π_k(x) N(y; μ_k(x), σ_k(x)²)", "max likelihood", "00"),
    ("Autoregressive (FVBN, Transformers)", "p(x) = ∏ p(x_i | x_1..x_{i-1})", "max likelihood", "01, 08"),
    ("PCA, autoencoders (AE, DAE, sparse, stacked conv.)", "codes z = f(x), reconstructions g(z)",
     "reconstruction error", "02, 03"),
    ("VAE", "p(x) = ∫ p(x | z) p(z) dz", "ELBO (lower bound on log p)", "04"),
    ("GAN, LSGAN", "a sampler x = G(z), z ~ N(0, Σ)", "minimax game with a discriminator", "05"),
    ("WGAN", "a sampler x = G(z)", "Earth Mover's distance via a Lipschitz critic", "06"),
    ("Diffusion", "x → x_1 → … → x_n ~ N(0, Σ), learned reversal", "ELBO / denoising", "07"),
    ("Masked generative (MaskGIT, MAGE)", "tokens predicted from the unmasked ones",
     "cross-entropy on masked tokens", "08"),
    ("Evaluation (IS, FID)", "statistics of many samples", "not a loss", "09"),
]


def draw_model_map(ax=None, fontsize: float = 12):
    """Draw the taxonomy on ``ax`` (a new 9.3x6.2 figure if None); returns the list of box Text artists.

    Laid out for an axes about 840 px wide (9.3 in at the course's 90 dpi): no two boxes overlap there at
    ``fontsize`` 12 (tests/test_model_map.py measures it).
    """
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(9.3, 6.2))
    boxes = {}
    for key, (x, y, text, colour) in NODES.items():
        boxes[key] = ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=3,
                             bbox=dict(boxstyle="round,pad=0.45", facecolor=colour, edgecolor="#555555"))
    for a, b in EDGES:
        # from centre to centre, clipped at both boxes' outlines (patchA/patchB): every arrow starts on its
        # parent box and ends with a visible head on its child box, whatever the text sizes
        ax.annotate("", xy=NODES[b][:2], xytext=NODES[a][:2], zorder=4,  # drawn after the boxes, whose outlines clip it
                    arrowprops=dict(arrowstyle="-|>", mutation_scale=18, color="#444444", lw=1.4,
                                    patchA=boxes[a].get_bbox_patch(), patchB=boxes[b].get_bbox_patch(),
                                    shrinkA=2, shrinkB=2))
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_axis_off()
    ax.set_title("Model families of the course ([NN] = notebook)")
    return list(boxes.values())
