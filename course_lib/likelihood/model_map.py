"""The map of the course: model families as a drawn taxonomy (notebook 00).

Goodfellow's (2016) taxonomy sorts maximum-likelihood generative models by how they treat the
density p_model(x): explicit and tractable (fully visible belief networks / autoregressive models,
Naive Bayes), explicit but approximated (VAEs, and diffusion models, trained with an ELBO), or
implicit (GANs: only a sampler). Each box names the notebook that teaches it.
"""
from __future__ import annotations

__all__ = ["FAMILIES", "NODES", "EDGES", "draw_model_map"]

# key: (x, y, text, colour). Coordinates in a 0..1 × 0..1 canvas.
NODES = {
    "root": (0.50, 0.92, "Generative models\nlearn p(x) or p(x, y), then sample x\n[00]", "#dddddd"),
    "explicit": (0.30, 0.70, "Explicit density p_model(x; θ)\nmax likelihood: θ* = argmax Σᵢ log p(x⁽ⁱ⁾; θ)\n[01]",
                 "#cfe2f3"),
    "implicit": (0.83, 0.70, "Implicit density\nonly a sampler, no p(x)", "#f4cccc"),
    "tractable": (0.14, 0.44, "Tractable\n(exact log p(x))", "#d9ead3"),
    "approx": (0.50, 0.44, "Approximate\n(a lower bound: ELBO)", "#fff2cc"),
    "nb": (0.07, 0.15, "Naive Bayes\np(y) ∏ p(xᵢ|y)\n[00]", "#d9ead3"),
    "ar": (0.24, 0.15, "Autoregressive / FVBN\n(incl. Transformers)\n∏ p(xᵢ|x₁..xᵢ₋₁)\n[01, 08]", "#d9ead3"),
    "vae": (0.43, 0.15, "VAE\n∫ p(x|z) p(z) dz\n[04]", "#fff2cc"),
    "diff": (0.60, 0.15, "Diffusion\nx → x+ε₁ → … → N(0, Σ)\n[07]", "#fff2cc"),
    "gan": (0.78, 0.15, "GAN, WGAN\nz ~ N(0, Σ) → G → x\n[05, 06]", "#f4cccc"),
    "mask": (0.94, 0.15, "Masked models\n(MaskGIT, MAGE)\n[08]", "#f4cccc"),
}
EDGES = [("root", "explicit"), ("root", "implicit"), ("explicit", "tractable"), ("explicit", "approx"),
         ("tractable", "nb"), ("tractable", "ar"), ("approx", "vae"), ("approx", "diff"),
         ("implicit", "gan"), ("implicit", "mask")]

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
    ("Masked generative (MaskGIT, MAGE)", "tokens predicted from the unmasked ones", "masked prediction", "08"),
    ("Evaluation (IS, FID)", "statistics of many samples", "not a loss", "09"),
]


def draw_model_map(ax=None, fontsize: float = 12):
    """Draw the taxonomy on ``ax`` (a new 14x6.5 figure if None); returns the list of box Text artists."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(14, 6.5))
    boxes = {}
    for key, (x, y, text, colour) in NODES.items():
        boxes[key] = ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=3,
                             bbox=dict(boxstyle="round,pad=0.45", facecolor=colour, edgecolor="#555555"))
    for a, b in EDGES:
        (xa, ya), (xb, yb) = NODES[a][:2], NODES[b][:2]
        ax.annotate("", xy=(xb, yb + 0.07), xytext=(xa, ya - 0.07), zorder=2,
                    arrowprops=dict(arrowstyle="-|>", color="#555555", lw=1.4, shrinkA=4, shrinkB=4))
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(0.0, 1.02)
    ax.set_axis_off()
    ax.set_title("Model families of the course ([NN] = notebook)")
    return list(boxes.values())
