"""Checkers for the exercises of ``04_variational_autoencoders``.

Each prints one line of feedback and returns True / False / None (not answered); none raises. Every checker
takes a function and runs it on random inputs of its own against an independent reference
(``torch.distributions``, :class:`course_lib.vae.PPCA`), so no loop over candidate numbers can pass it.
Reference solutions: ``solutions/ch04.py``; ``tests/test_exercises_ch04.py`` checks them, typical mistakes and
random guesses.
"""
from __future__ import annotations

import math

import torch

from course_lib.exercises import check, check_own

__all__ = ["check_kl_diag", "check_ppca_elbo", "check_gaussian_neg_elbo"]


def _random_gaussians(seed: int = 0, n: int = 5, d: int = 3):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, d, generator=g), torch.randn(n, d, generator=g).clamp(-3, 3)


def check_kl_diag(answer) -> bool | None:
    """Exercise 1: ``answer(mu_q, logvar_q, mu_p, logvar_p) -> (N,)``, KL(N(μ_q, diag e^logvar_q) ‖ N(μ_p, diag
    e^logvar_p)) summed over the last dimension, for two diagonal Gaussians (a learned prior, for instance).
    Refuses answers that call ``torch.distributions`` or the course's KL: derive it."""
    from torch.distributions import Normal, kl_divergence

    def ok(f):
        for seed in (0, 1):
            mq, lq = _random_gaussians(seed)
            mp, lp = _random_gaussians(seed + 10)
            got = torch.as_tensor(f(mq, lq, mp, lp), dtype=torch.float32)
            want = kl_divergence(Normal(mq, (0.5 * lq).exp()), Normal(mp, (0.5 * lp).exp())).sum(-1)
            if got.shape != want.shape or not torch.allclose(got, want, atol=1e-4):
                return False
        return True

    return check_own(answer, ok,
                     "KL = E_q[log q − log p]; write both log-densities per coordinate, take the expectation of "
                     "each term under q (E_q[(z − m)²] for any m is a variance plus a squared distance), then sum "
                     "over the last dimension",
                     "matches torch.distributions; with μ_p = 0, logvar_p = 0 it is the VAE's KL term",
                     objects=(kl_divergence,),
                     names=("distributions", "kl_divergence", "kl_to_prior", "gaussian_kl", "Normal("))


def check_ppca_elbo(answer) -> bool | None:
    """Exercise 2: ``answer(x, W, mu, sigma2, a, S) -> (N,)``, the ELBO of the Gaussian q(z|x) = N(a_i, S) in
    probabilistic PCA, x | z ~ N(W z + μ, σ² I), z ~ N(0, I), in closed form (no sampling).
    Shapes: x (N, n), W (n, m), mu (n,), sigma2 a float, a (N, m), S (m, m). Compared with
    :meth:`course_lib.vae.PPCA.elbo`."""
    from course_lib.vae import PPCA

    def ok(f):
        g = torch.Generator().manual_seed(3)
        for n, m in ((5, 2), (12, 3)):
            model = PPCA(n, m)
            with torch.no_grad():
                model.W.copy_(torch.randn(n, m, generator=g, dtype=torch.float64))
                model.mean.copy_(torch.randn(n, generator=g, dtype=torch.float64))
                model.log_sigma2.fill_(math.log(0.3))
            x = torch.randn(4, n, generator=g, dtype=torch.float64)
            a = torch.randn(4, m, generator=g, dtype=torch.float64)
            B = torch.randn(m, m, generator=g, dtype=torch.float64)
            S = B @ B.T + 0.1 * torch.eye(m, dtype=torch.float64)
            got = torch.as_tensor(f(x, model.W.detach().clone(), model.mean.detach().clone(), 0.3, a, S),
                                  dtype=torch.float64)
            with torch.no_grad():
                want = model.elbo(x, a, S)
            if got.shape != want.shape or not torch.allclose(got, want, atol=1e-6):
                return False
        return True

    return check_own(answer, ok,
                     "ELBO = E_q log p(x|z) − KL(q ‖ p(z)). The first term needs E_q‖x − μ − Wz‖²: split "
                     "z = a + (z − a), the cross term has mean 0 and the last one is a trace involving S; the KL of "
                     "a full-covariance Gaussian to N(0, I) needs a log-determinant",
                     "the ELBO of a linear-Gaussian VAE in closed form: at q = p(z|x) it equals log p(x) exactly",
                     names=("PPCA(", ".elbo(", ".log_prob(", "kl_to_posterior", "distributions", ".posterior("))


def _tiny_vae(seed: int):
    torch.manual_seed(seed)
    enc = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 8))
    dec = torch.nn.Sequential(torch.nn.Linear(4, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.Sigmoid())
    return enc, dec


def _reference_neg_elbo(x, mu, logvar, eps, decode, sigma):
    z = mu + (0.5 * logvar).exp() * eps
    mean = decode(z)
    rec = (-0.5 * ((x - mean) / sigma) ** 2 - math.log(sigma) - 0.5 * math.log(2 * math.pi)).sum(-1)
    kl = 0.5 * (logvar.exp() + mu**2 - 1 - logvar).sum(-1)
    return (kl - rec).mean()


def check_gaussian_neg_elbo(answer, steps: int = 400) -> bool | None:
    """Exercise 3 (write a piece of a model: the loss): ``answer(x, mu, logvar, eps, decode, sigma)`` -> a scalar
    tensor, the negative ELBO averaged over the batch, for a VAE whose decoder is N(x; decode(z), σ² I) with a
    fixed σ, encoder N(μ, diag e^logvar), prior N(0, I), one sample z = μ + e^{logvar/2} ε.
    x (N, D), mu/logvar/eps (N, L), ``decode`` maps (N, L) -> (N, D).

    Passes when (1) it equals the reference on random inputs (to 1e-4 relative), and (2) a small VAE trained with
    it on 8×8 digits for ``steps`` Adam steps reconstructs test digits with a mean squared error at most 0.6 of
    the untrained model's."""
    from course_lib.data import load_digits

    def ok(f):
        enc, dec = _tiny_vae(0)
        g = torch.Generator().manual_seed(1)
        x = torch.rand(16, 64, generator=g)
        mu, logvar = torch.randn(16, 4, generator=g), torch.randn(16, 4, generator=g).clamp(-2, 2)
        eps = torch.randn(16, 4, generator=g)
        for sigma in (0.1, 0.5):
            got = f(x, mu, logvar, eps, dec, sigma)
            want = _reference_neg_elbo(x, mu, logvar, eps, dec, sigma)
            if not isinstance(got, torch.Tensor) or got.numel() != 1 or not torch.allclose(got.reshape(()), want, rtol=1e-4):
                return False
        digits = load_digits()
        x_train, x_test = digits.x_train.reshape(-1, 64), digits.x_test.reshape(-1, 64)

        def test_error():
            with torch.no_grad():
                return float(((dec(enc(x_test).chunk(2, -1)[0]) - x_test) ** 2).sum(-1).mean())

        before = test_error()
        opt = torch.optim.Adam([*enc.parameters(), *dec.parameters()], lr=3e-3)
        gen = torch.Generator().manual_seed(2)
        for _ in range(steps):
            xb = x_train[torch.randint(0, len(x_train), (128,), generator=gen)]
            mu, logvar = enc(xb).chunk(2, -1)
            loss = f(xb, mu, logvar, torch.randn(mu.shape, generator=gen), dec, 0.2)
            opt.zero_grad()
            loss.backward()
            opt.step()
        return test_error() <= 0.6 * before

    return check(answer, ok,
                 "reparametrise first, decode z, then add the two terms with the right signs: the Gaussian "
                 "log-density of x summed over pixels (σ is a standard deviation, and its normalising constant "
                 "counts too) and the closed-form KL, each summed per image before the batch mean",
                 "your loss trains a VAE: the same few lines are inside course_lib.vae.VAE.loss")
