"""Solutions to the exercises of 03_autoencoder_family."""
from __future__ import annotations

import torch


def prox_elastic(a, lam, mu):
    """Exercise 1. For z > 0: z − a + λ + μz = 0 ⇒ z = (a − λ)/(1 + μ), valid when a > λ; symmetrically for
    z < 0; otherwise 0 (the subgradient [−λ, λ] at 0 contains a). So: the soft threshold, divided by 1 + μ."""
    return torch.sign(a) * (a.abs() - lam).clamp_min(0) / (1 + mu)


def masking_with_clean_fraction(x, p, q, generator=None):
    """Exercise 2. One Bernoulli(q) per object (clean?) and one Bernoulli(1 − p) per pixel (kept?)."""
    clean = torch.rand(x.shape[0], generator=generator) < q                     # (N,)
    keep = torch.rand(x.shape, generator=generator) >= p                        # (N, C, H, W)
    keep = keep | clean.view(-1, *([1] * (x.dim() - 1)))                        # a clean object keeps everything
    return x * keep


def receptive_field(layers):
    """Exercise 3. Going down one layer of kernel k widens the patch by k − 1 units of that layer's input, and one
    unit there is as far apart in pixels as the product of the strides below it: r = 1 + Σ_l (k_l − 1) Π_{i<l} s_i."""
    r, jump = 1, 1
    for k, stride in layers:
        r += (k - 1) * jump
        jump *= stride
    return r


EXERCISE_4 = """Exercise 4 (open), expected outcome (tests/test_exercises_ch03.py checks each clause). Each DAE is best on the
corruption it was trained on: the masking DAE wins on masking noise, the Gaussian DAE on Gaussian noise, and
neither transfers well to the other: the Gaussian DAE learned to remove speckle, the masking DAE to fill in
holes. Choose M_D to resemble the corruption expected at test time. At σ = 0 (clean inputs) the DAE trained
with clean_fraction = 0 reconstructs clean digits clearly worse than the plain AE and than the q = 0.25 DAE,
because it has never seen a clean background. `exercise_4(x_train, x_test)` trains the two extra models and
prints the table."""


def exercise_4(x_train, x_test, steps=300, hidden=(128,), lr=3e-3, batch_size=64):
    """Test errors (clean, Gaussian σ = 0.5, masking p = 0.5) of a plain AE and three DAEs (the notebook's recipe)."""
    from course_lib.autoencoders import (Autoencoder, Corruption, DenoisingAutoencoder, gaussian_noise,
                                         masking_noise, reconstruction_error)
    from course_lib.training import fit

    def train(model, seed=0):
        fit(model, x_train, steps=steps, batch_size=batch_size, lr=lr, generator=torch.Generator().manual_seed(seed),
            progress=False)
        return model.eval()

    models = {}
    torch.manual_seed(0)
    models["plain AE"] = train(Autoencoder(16, hidden=hidden))
    for name, kind, level, q in [("Gaussian DAE, q = 0.25", "gaussian", 0.5, 0.25),
                                 ("Gaussian DAE, q = 0", "gaussian", 0.5, 0.0),
                                 ("masking DAE, q = 0.25", "masking", 0.5, 0.25)]:
        torch.manual_seed(0)
        models[name] = train(DenoisingAutoencoder(16, Corruption(kind, level, torch.Generator().manual_seed(4)),
                                                  clean_fraction=q, generator=torch.Generator().manual_seed(5),
                                                  hidden=hidden))
    inputs = {"clean": x_test,
              "Gaussian σ=0.5": gaussian_noise(x_test, 0.5, generator=torch.Generator().manual_seed(10)),
              "masking p=0.5": masking_noise(x_test, 0.5, generator=torch.Generator().manual_seed(11))}
    return {(m, i): reconstruction_error(model, x_test, inputs=xi) for m, model in models.items()
            for i, xi in inputs.items()}


EXERCISE_5 = """Exercise 5 (open): what to look for, not a typed result (the course has not measured these
variants over enough seeds to state one). For each change, read the paired gain (same seed, same labels) and
compare it with the spread between seeds. Questions to answer from your own table: does the gain at 10 labels
survive without the warm-up? Does a large λ (1, 10) pull the semi-supervised model towards the supervised-only
baseline, as the argument in the notebook predicts (the ten labelled images then reshape the encoder)? Does the
shallow network keep any gain, and does the gain still exceed the seed spread with 30 or 50 labels per class?
With 3 seeds the spread is of the same order as the gain: only paired differences are worth reading. The
notebook's own loop (with SSL_SEEDS, PER_CLASS, SSL_LAM, T_WARM changed one at a time) is the code."""
