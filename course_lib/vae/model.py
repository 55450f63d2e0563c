"""Variational autoencoder (taught in notebooks/04_variational_autoencoders).

The latent variable model  p(x) = ∫ p_β(x|z) p(z) dz  with prior p(z) = N(0, s² I), a probabilistic
encoder q_α(z|x) = N(μ_α(x), diag σ²_α(x)) and a probabilistic decoder p_β(x|z), either

* ``"bernoulli"``: every pixel x_f ∈ [0, 1] scored by  x_f log π_f(z) + (1 - x_f) log(1 - π_f(z)), or
* ``"gaussian"``:  N(x; μ_β(z), diag σ²_β(z)) = ∏_f N(x_f; μ_β,f(z), σ²_β,f(z)) (the notes' decoder).

Training maximises the ELBO  E_q[log p_β(x|z)] - KL(q_α(z|x) ‖ p(z))  through the
reparametrisation  z = f(x, α, ε) = μ_α(x) + σ_α(x) ⊙ ε,  ε ~ N(0, I).
:meth:`VAE.loss` follows the course's model interface (used by ``course_lib.training.fit``; the recipe
:func:`course_lib.vae.recipes.train_vae`);
:meth:`VAE.log_prob` is the importance-weighted estimate of log p(x), a tighter bound than the ELBO.
"""
from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from course_lib.distributions import bernoulli_log_prob, gaussian_kl_std_normal, gaussian_log_prob, logmeanexp
from course_lib._checks import as_tensor, check_choice, check_float, check_int

__all__ = [
    "VAE", "kl_to_prior", "logmeanexp",
]



# The densities live in course_lib.distributions (one definition each); these names stay for notebook 04.
kl_to_prior = gaussian_kl_std_normal


# --------------------------------------------------------------------------- model
class VAE(nn.Module):
    """MLP VAE: encoder D→H→2L (μ, log σ²), decoder L→H→D (Bernoulli) or L→H→2D (Gaussian).

    With ``hidden=400, latent_dim=20`` and a Bernoulli decoder it is the PyTorch examples VAE.

    Args:
        image_shape: (C, H, W) of the images; D = C·H·W.
        latent_dim: L, the size of z.
        hidden: H, the width of the single hidden layer of encoder and decoder.
        decoder: ``"bernoulli"`` or ``"gaussian"`` (diagonal covariance, σ_β(z) learned per pixel).
        beta: weight of the KL term in :meth:`loss` (β = 1 is the ELBO; β-VAE otherwise).
        prior_std: s in p(z) = N(0, s² I).
        min_std: floor on the Gaussian decoder's σ (pixels that are always 0 would otherwise drive σ→0
            and the density to +∞).
    """

    def __init__(self, image_shape=(1, 28, 28), latent_dim: int = 20, hidden: int = 400, *,
                 decoder: str = "bernoulli", beta: float = 1.0, prior_std: float = 1.0,
                 min_std: float = 0.05):
        super().__init__()
        if not (isinstance(image_shape, (tuple, list)) and len(image_shape) == 3):
            raise ValueError(f"image_shape must be (C, H, W), got {image_shape!r}")
        self.image_shape = tuple(check_int(s, "image_shape entry", min_value=1) for s in image_shape)
        self.data_dim = math.prod(self.image_shape)
        self.latent_dim = check_int(latent_dim, "latent_dim", min_value=1)
        self.hidden = check_int(hidden, "hidden", min_value=1)
        self.decoder_type = check_choice(decoder, "decoder", {"bernoulli", "gaussian"})
        self.beta = check_float(beta, "beta", min_value=0.0)
        self.prior_std = check_float(prior_std, "prior_std", min_value=0.0, strict_min=True)
        self.min_std = check_float(min_std, "min_std", min_value=0.0, strict_min=True)
        out = self.data_dim * (2 if decoder == "gaussian" else 1)
        self.enc = nn.Sequential(nn.Linear(self.data_dim, hidden), nn.ReLU(), nn.Linear(hidden, 2 * latent_dim))
        self.dec = nn.Sequential(nn.Linear(latent_dim, hidden), nn.ReLU(), nn.Linear(hidden, out))

    def config(self) -> dict:
        """Constructor arguments, stored next to checkpoints so a model can be rebuilt."""
        return {"image_shape": list(self.image_shape), "latent_dim": self.latent_dim, "hidden": self.hidden,
                "decoder": self.decoder_type, "beta": self.beta, "prior_std": self.prior_std,
                "min_std": self.min_std}

    # ---------------------------------------------------------------- input checks
    def _flat(self, x, name: str = "x") -> torch.Tensor:
        x = as_tensor(x, name)
        if x.ndim == 4 and tuple(x.shape[1:]) == self.image_shape:
            x = x.flatten(1)
        elif not (x.ndim == 2 and x.shape[1] == self.data_dim):
            raise ValueError(f"{name} must have shape (N, {', '.join(map(str, self.image_shape))}) or "
                             f"(N, {self.data_dim}), got shape {tuple(x.shape)}")
        lo, hi = torch.aminmax(x) if x.numel() else (torch.tensor(0.0), torch.tensor(0.0))
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise ValueError(f"{name} contains NaN or inf values")
        if lo < -1e-6 or hi > 1 + 1e-6:
            raise ValueError(f"{name} must have pixel values in [0, 1], got min {float(lo):.3g}, max {float(hi):.3g}")
        return x.to(self.enc[0].weight.device)

    def check_inputs(self, x) -> torch.Tensor:
        """x must be images (N, C, H, W) or flat (N, D), finite, with pixels in [0, 1]; returns (N, D).

        :func:`course_lib.training.fit` calls this once on the whole data set; :meth:`loss` is the math
        alone (a GPU would otherwise sync for each check on every step).
        """
        x = self._flat(x, "VAE: x")
        if len(x) == 0:
            raise ValueError("VAE: x is empty (0 images): the mean loss of no images is undefined")
        return x

    def _latent(self, z, name: str = "z") -> torch.Tensor:
        z = as_tensor(z, name)
        if z.shape[-1:] != (self.latent_dim,):
            raise ValueError(f"{name} must have shape (..., {self.latent_dim}), got shape {tuple(z.shape)}")
        if not torch.isfinite(z).all():
            raise ValueError(f"{name} contains NaN or inf values")
        return z.to(self.enc[0].weight.device)

    # ---------------------------------------------------------------- encoder / decoder
    def encode(self, x) -> tuple[torch.Tensor, torch.Tensor]:
        """q_α(z|x): images (N, C, H, W) or (N, D) -> (μ, log σ²), each (N, L)."""
        h = self.enc(self._flat(x, "VAE.encode: x"))
        mu, logvar = h.chunk(2, dim=-1)
        return mu, logvar

    @staticmethod
    def reparameterize(mu: torch.Tensor, logvar: torch.Tensor, eps: torch.Tensor | None = None) -> torch.Tensor:
        """z = f(x, α, ε) = μ + σ ⊙ ε, ε ~ N(0, I): a sample whose gradient flows to μ and σ."""
        if eps is None:
            eps = torch.randn_like(mu)
        return mu + (0.5 * logvar).exp() * eps

    def decoder_params(self, z: torch.Tensor):
        """p_β(x|z): z (..., L) -> logits (..., D) (Bernoulli) or (mean, std), each (..., D) (Gaussian)."""
        h = self.dec(z)
        if self.decoder_type == "bernoulli":
            return h
        mean, raw = h.chunk(2, dim=-1)
        return torch.sigmoid(mean), self.min_std + F.softplus(raw)

    def log_likelihood(self, x: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """log p_β(x|z) for flat x (N, D) and z (..., N, L) -> (..., N)."""
        params = self.decoder_params(z)
        if self.decoder_type == "bernoulli":
            return bernoulli_log_prob(x, params)
        return gaussian_log_prob(x, *params)

    def log_prior(self, z: torch.Tensor) -> torch.Tensor:
        """log p(z) = log N(z; 0, s² I): (..., L) -> (...)."""
        return gaussian_log_prob(z, torch.zeros((), device=z.device), torch.full((), self.prior_std, device=z.device))

    def decode(self, z) -> torch.Tensor:
        """The mean image E[x|z]: z (N, L) -> (N, C, H, W) in [0, 1] (what the explorer shows); any leading
        dims broadcast, so one latent (L,) gives one image (C, H, W)."""
        z = self._latent(z, "VAE.decode: z")
        params = self.decoder_params(z)
        mean = torch.sigmoid(params) if self.decoder_type == "bernoulli" else params[0]
        return mean.reshape(*z.shape[:-1], *self.image_shape)

    # ---------------------------------------------------------------- objective
    def elbo_terms(self, x, n_samples: int = 1) -> dict[str, torch.Tensor]:
        """Per-example ELBO pieces (nats), each (N,): ``rec`` = E_q log p_β(x|z) (``n_samples`` draws),
        ``kl`` = KL(q_α(z|x) ‖ p(z)) in closed form, ``elbo`` = rec - kl.

        The math on a batch x (N, C, H, W) or (N, D) of the model's dtype and device, without input checks
        (:meth:`elbo` and :meth:`log_prob` check theirs)."""
        n_samples = check_int(n_samples, "VAE.elbo_terms: n_samples", min_value=1)
        x = x.flatten(1) if x.ndim > 2 else x
        mu, logvar = self.enc(x).chunk(2, dim=-1)
        eps = torch.randn(n_samples, *mu.shape, device=mu.device)
        z = self.reparameterize(mu, logvar, eps)               # (K, N, L)
        rec = self.log_likelihood(x, z).mean(0)                # (N,)
        kl = kl_to_prior(mu, logvar, self.prior_std)           # (N,)
        return {"rec": rec, "kl": kl, "elbo": rec - kl}

    def loss(self, x) -> dict[str, torch.Tensor]:
        """Training objective for ``fit``: mean over the batch of -(rec - β·KL), nats per image."""
        t = self.elbo_terms(x)
        rec, kl = t["rec"].mean(), t["kl"].mean()
        return {"loss": -(rec - self.beta * kl), "rec": -rec.detach(), "kl": kl.detach()}

    @torch.no_grad()
    def elbo(self, x, n_samples: int = 1, batch_size: int = 1000) -> torch.Tensor:
        """Per-example ELBO (N,), evaluated in chunks without gradients."""
        n_samples = check_int(n_samples, "VAE.elbo: n_samples", min_value=1)
        batch_size = check_int(batch_size, "VAE.elbo: batch_size", min_value=1)
        x = self._flat(x, "VAE.elbo: x")
        return torch.cat([self.elbo_terms(x[i:i + batch_size], n_samples)["elbo"]
                          for i in range(0, len(x), batch_size)])

    # ---------------------------------------------------------------- likelihood estimates
    @torch.no_grad()
    def log_prob(self, x, n_samples: int = 100, batch_size: int = 100) -> torch.Tensor:
        """Importance-weighted estimate of log p(x), (N,):

        log (1/K) Σ_k p_β(x|z_k) p(z_k) / q_α(z_k|x),  z_k ~ q_α(z|x).

        It is a lower bound in expectation that tightens as K grows (K = 1 is the ELBO with a sampled KL).
        """
        n_samples = check_int(n_samples, "VAE.log_prob: n_samples", min_value=1)
        batch_size = check_int(batch_size, "VAE.log_prob: batch_size", min_value=1)
        x = self._flat(x, "VAE.log_prob: x")
        out = []
        for i in range(0, len(x), batch_size):
            xb = x[i:i + batch_size]
            mu, logvar = self.enc(xb).chunk(2, dim=-1)
            std = (0.5 * logvar).exp()
            z = mu + std * torch.randn(n_samples, *mu.shape, device=mu.device)       # (K, n, L)
            log_w = self.log_likelihood(xb, z) + self.log_prior(z) - gaussian_log_prob(z, mu, std)
            out.append(logmeanexp(log_w, dim=0))
        return torch.cat(out)

    @torch.no_grad()
    def log_prob_prior_mc(self, x, n_samples: int = 1000, batch_size: int = 10_000) -> torch.Tensor:
        """Naive Monte Carlo over the prior: log (1/K) Σ_k p_β(x|z_k), z_k ~ p(z).  (N,)

        Unbiased for p(x) but almost every z_k decodes to a different digit, so with any affordable K
        the estimate is dominated by the rare lucky draw (far too low and noisy): the notebook shows it.
        """
        n_samples = check_int(n_samples, "VAE.log_prob_prior_mc: n_samples", min_value=1)
        batch_size = check_int(batch_size, "VAE.log_prob_prior_mc: batch_size", min_value=1)
        x = self._flat(x, "VAE.log_prob_prior_mc: x")
        chunks = []
        for k0 in range(0, n_samples, batch_size):
            k = min(batch_size, n_samples - k0)
            z = self.prior_std * torch.randn(k, 1, self.latent_dim, device=x.device)   # (k, 1, L)
            chunks.append(self.log_likelihood(x, z))                                   # (k, N)
        return logmeanexp(torch.cat(chunks), dim=0)

    # ---------------------------------------------------------------- generation
    @torch.no_grad()
    def sample(self, n: int, *, mean: bool = True, generator: torch.Generator | None = None) -> torch.Tensor:
        """n new images (n, C, H, W): z ~ p(z), then E[x|z] (``mean=True``) or x ~ p_β(x|z) clipped to [0, 1]."""
        n = check_int(n, "VAE.sample: n", min_value=1)
        dev = self.enc[0].weight.device
        z = self.prior_std * torch.randn(n, self.latent_dim, generator=generator).to(dev)
        return self._emit(z, mean, generator)

    @torch.no_grad()
    def similar(self, x, n: int, *, mean: bool = True, generator: torch.Generator | None = None) -> torch.Tensor:
        """Generating similar objects: x ~ p_β(x | f(x_i, α, ε)), ε ~ N(0, I), for one image x_i.

        x: a single image (1, C, H, W) or (1, D); returns (n, C, H, W).
        """
        n = check_int(n, "VAE.similar: n", min_value=1)
        x = self._flat(x, "VAE.similar: x")
        if len(x) != 1:
            raise ValueError(f"VAE.similar: x must be one image, shape (1, C, H, W); got {len(x)} images")
        mu, logvar = self.enc(x).chunk(2, dim=-1)
        eps = torch.randn(n, self.latent_dim, generator=generator).to(mu.device)
        return self._emit(self.reparameterize(mu, logvar, eps), mean, generator)

    def _emit(self, z, mean, generator):
        params = self.decoder_params(z)
        if self.decoder_type == "bernoulli":
            probs = torch.sigmoid(params)
            x = probs if mean else torch.bernoulli(probs.cpu(), generator=generator).to(probs.device)
        else:
            m, s = params
            noise = torch.randn(m.shape, generator=generator).to(m.device)
            x = m if mean else (m + s * noise).clamp(0.0, 1.0)
        return x.reshape(len(z), *self.image_shape)
