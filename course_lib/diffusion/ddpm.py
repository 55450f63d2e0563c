"""A DDPM model: an ε-network plus a noise schedule, trained by the simplified loss (notebook 07).

Training (Ho et al., 2020): draw t ~ U{1..T} and ε ~ N(0, I), form x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε in one step
(the closed form of the forward chain) and regress ε:

    L_simple = E_{t, x_0, ε} ‖ε − ε_θ(x_t, t)‖².

This is the ELBO of notebook 04 with its per-step weights λ_t set to 1 (a *reweighted* ELBO: with unit weights it
is no longer a bound, and Ho et al. report a worse likelihood for it, 3.75 against 3.70 bits/dim on CIFAR-10,
with better samples); ``objective="vlb"`` keeps the bound's weights instead. Since
ε/√(1 − ᾱ_t) = −∇ log q(x_t | x_0), it is denoising score matching: notebook 03's denoising autoencoder at
every noise level at once. Sampling runs a reverse process of :mod:`.samplers` with the trained network.

Class conditioning (optional) with classifier-free guidance (Ho & Salimans, 2021): the label is dropped
(replaced by a "null" class) with probability ``p_uncond`` during training, so one network learns both
ε(x, t, y) and ε(x, t); at sampling, ε̃ = (1 + w) ε(x, t, y) − w ε(x, t) with guidance scale w.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from course_lib._checks import check_choice, check_float, check_generator, check_int
from course_lib.diffusion.samplers import ddim_sample, ddpm_sample
from course_lib.diffusion.schedules import NoiseSchedule

__all__ = ["SinusoidalEmbedding", "EpsMLP", "DDPM", "make_ddpm"]


class SinusoidalEmbedding(nn.Module):
    """Scalar(s) → [sin(ω_k s), cos(ω_k s)] with geometric frequencies ω_k (the Transformer's positions).

    ``scale`` multiplies the input first: a network sees small differences in t (or in a coordinate) as
    large phase differences. Input (n,) or (n, c) → output (n, dim) or (n, c·dim).
    """

    def __init__(self, dim: int, scale: float = 1.0, max_period: float = 10_000.0):
        super().__init__()
        dim = check_int(dim, "dim", min_value=2)
        if dim % 2:
            raise ValueError(f"SinusoidalEmbedding: dim must be even, got {dim}")
        self.dim = dim
        self.scale = check_float(scale, "SinusoidalEmbedding: scale", min_value=0.0, strict_min=True)
        max_period = check_float(max_period, "SinusoidalEmbedding: max_period", min_value=0.0, strict_min=True)
        freqs = torch.exp(-math.log(max_period) * torch.arange(dim // 2) / (dim // 2))
        self.register_buffer("freqs", freqs, persistent=False)  # (dim/2,)

    def forward(self, s: torch.Tensor) -> torch.Tensor:
        s = s.float()
        arg = (s * self.scale).unsqueeze(-1) * self.freqs            # (n, [c,] dim/2)
        emb = torch.cat([arg.sin(), arg.cos()], dim=-1)               # (n, [c,] dim)
        return emb.flatten(1) if s.ndim == 2 else emb


class _Block(nn.Module):
    """h + W₂ act(W₁ act(h) + c): a residual MLP block with the time/class vector c added inside."""

    def __init__(self, hidden: int, cond_dim: int):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(hidden, hidden), nn.Linear(hidden, hidden)
        self.cond = nn.Linear(cond_dim, hidden)
        self.act = nn.GELU()

    def forward(self, h, c):
        return h + self.fc2(self.act(self.fc1(self.act(h)) + self.cond(c)))


class EpsMLP(nn.Module):
    """ε_θ(x_t, t[, y]): a residual MLP with sinusoidal time embedding, for vectors (n, dim).

    Args:
        dim: data dimension (2 for points, 64 for flattened 8x8 digits).
        hidden, blocks: width and number of residual blocks.
        emb_dim: size of the time embedding (and of the class embedding).
        x_scale: if set, each coordinate of x_t is also given as sinusoidal features with this scale
            (tiny-diffusion's trick for 2-D data: a small MLP then draws sharp shapes more easily).
        n_classes: if set, a class embedding (n_classes + 1 rows; the last is "no class") is added.
        T: the number of steps (the time embedding sees t/T·1000, whatever T is).
    """

    def __init__(self, dim: int, *, hidden: int = 128, blocks: int = 3, emb_dim: int = 64,
                 x_scale: float | None = None, x_emb_dim: int = 32, n_classes: int | None = None, T: int = 1000):
        check_int(emb_dim, "EpsMLP: emb_dim", min_value=2)
        super().__init__()
        self.dim = check_int(dim, "dim", min_value=1)
        hidden = check_int(hidden, "hidden", min_value=1)
        blocks = check_int(blocks, "blocks", min_value=1)
        self.T = check_int(T, "T", min_value=1)
        self.n_classes = None if n_classes is None else check_int(n_classes, "n_classes", min_value=1)
        self.t_emb = nn.Sequential(SinusoidalEmbedding(emb_dim), nn.Linear(emb_dim, emb_dim), nn.GELU())
        self.x_emb = None if x_scale is None else SinusoidalEmbedding(x_emb_dim, scale=x_scale)
        in_dim = dim + (dim * x_emb_dim if x_scale is not None else 0) + emb_dim
        self.y_emb = None if n_classes is None else nn.Embedding(n_classes + 1, emb_dim)
        self.inp = nn.Linear(in_dim, hidden)
        self.blocks = nn.ModuleList(_Block(hidden, emb_dim) for _ in range(blocks))
        self.out = nn.Sequential(nn.GELU(), nn.Linear(hidden, dim))

    def forward(self, x: torch.Tensor, t: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        """x (n, dim), t (n,) long in 1..T, y (n,) long in 0..n_classes (n_classes = no class) → ε̂ (n, dim)."""
        c = self.t_emb(t.float() * (1000.0 / self.T))                # (n, emb)
        if self.y_emb is not None:
            if y is None:
                y = torch.full((len(x),), self.n_classes, dtype=torch.long, device=x.device)
            c = c + self.y_emb(y)
        feats = [x, c] if self.x_emb is None else [x, self.x_emb(x), c]
        h = self.inp(torch.cat(feats, dim=1))                         # (n, hidden)
        for blk in self.blocks:
            h = blk(h, c)
        return self.out(h)                                            # (n, dim)


class DDPM(nn.Module):
    """A denoising diffusion model: ``net`` (ε_θ) + ``schedule`` (a :class:`NoiseSchedule`, not trained).

    The model contract of the course: ``loss(x[, y])`` → scalar (the simplified ε-MSE);
    ``sample(n, generator=...)`` → (n, *data_shape), reproducible given the generator. No ``log_prob``:
    a DDPM's likelihood is not available in closed form; :meth:`elbo` estimates a lower bound on it (all T
    terms, Monte Carlo over t).

    Args:
        net: ε_θ taking (x_t (n, d), t (n,)[, y]) with d = prod(data_shape).
        schedule: the forward process.
        data_shape: shape of one sample, e.g. (2,) or (1, 8, 8).
        shift, scale: the network works on (x − shift)/scale (images in [0, 1]: shift = scale = 0.5).
        clip: clip x̂_0 to [−clip, clip] in the network's space while sampling (images: 1).
        p_uncond: label drop-out probability when the net is class-conditional (classifier-free guidance).
        objective: "simple" (L_simple, unit weights: Ho et al.'s choice), "vlb" (the ELBO's weights
            λ_t = β_t / (2 α_t (1 − ᾱ_t)) for σ_t² = β_t on uniformly drawn t, divided by their mean so the
            loss has the scale of L_simple: the bound, up to constants) or "vlb_is" (the same bound with t
            drawn with probability ∝ λ_t and unit weights: importance sampling, the same expected loss with
            far less gradient noise, as Nichol & Dhariwal 2021 §3.3 argue). Notebook 07 measures which
            gives the better likelihood and which the better samples.
    """

    def __init__(self, net: nn.Module, schedule: NoiseSchedule, data_shape=(2,), *, shift: float = 0.0,
                 scale: float = 1.0, clip: float | None = None, p_uncond: float = 0.1,
                 objective: str = "simple"):
        super().__init__()
        if not isinstance(net, nn.Module):
            raise TypeError(f"DDPM: net must be an nn.Module, got {type(net).__name__}")
        if not isinstance(schedule, NoiseSchedule):
            raise TypeError(f"DDPM: schedule must be a NoiseSchedule, got {type(schedule).__name__}")
        self.net, self.schedule = net, schedule
        self.data_shape = tuple(check_int(s, "data_shape entries", min_value=1) for s in data_shape)
        self.dim = math.prod(self.data_shape)
        self.shift = check_float(shift, "shift")
        self.scale = check_float(scale, "scale", min_value=0.0, strict_min=True)
        self.clip = None if clip is None else check_float(clip, "clip", min_value=0.0, strict_min=True)
        self.p_uncond = check_float(p_uncond, "p_uncond", min_value=0.0, max_value=1.0)
        self.n_classes = getattr(net, "n_classes", None)
        self.objective = check_choice(objective, "DDPM: objective", {"simple", "vlb", "vlb_is"})
        # what sample(n) does when no method is named: ancestral DDPM (T steps); shipped models switch to DDIM
        self.default_method, self.default_steps = "ddpm", None

    # ------------------------------------------------------------------ helpers
    def _flat(self, x) -> torch.Tensor:
        if not isinstance(x, torch.Tensor) or not x.is_floating_point():
            raise TypeError(f"DDPM: x must be a float tensor (n, {', '.join(map(str, self.data_shape))}), "
                            f"got {type(x).__name__}")
        if tuple(x.shape[1:]) != self.data_shape and not (x.ndim == 2 and x.shape[1] == self.dim):
            raise ValueError(f"DDPM: x must have shape (n, {', '.join(map(str, self.data_shape))}), "
                             f"got {tuple(x.shape)}")
        if len(x) == 0:
            raise ValueError("DDPM: x is empty (0 rows)")
        w = next(self.net.parameters(), None)
        x = x.to(w.dtype) if w is not None and w.is_floating_point() else x   # float64 data, float32 model
        return ((x - self.shift) / self.scale).reshape(len(x), self.dim)

    def check_inputs(self, x, y=None):
        """Finite data of the model's shape, and inside the range the sampler clips to when the model clips
        (images: [0, 1]), and labels y the network can take: fit calls this once; :meth:`loss` is the math
        alone."""
        u = self._flat(x)
        self._labels(y, len(u), u.device)
        if not torch.isfinite(u).all():
            raise ValueError("DDPM: x contains NaN or inf values")
        if self.clip is not None and u.numel() and float(u.abs().max()) > self.clip + 1e-6:
            lo, hi = self.shift - self.clip * self.scale, self.shift + self.clip * self.scale
            raise ValueError(f"DDPM: x has values in [{float(x.min()):.4g}, {float(x.max()):.4g}], outside "
                             f"[{lo:g}, {hi:g}], the range this model samples in (shift={self.shift:g}, "
                             f"scale={self.scale:g}, clip={self.clip:g}); 0..255 pixels? divide by 255")
        return x

    def _labels(self, y, n: int, device) -> torch.Tensor | None:
        if y is None:
            return None
        if self.n_classes is None:
            raise ValueError("DDPM: labels y were given but the network is not class-conditional "
                             "(build it with n_classes=...)")
        if isinstance(y, int) and not isinstance(y, bool):
            y = torch.full((n,), y, dtype=torch.long)
        if not isinstance(y, torch.Tensor) or y.is_floating_point() or y.shape != (n,):
            raise ValueError(f"DDPM: y must be an int or a long tensor of shape ({n},), got "
                             f"{tuple(y.shape) if isinstance(y, torch.Tensor) else type(y).__name__}")
        if n and (int(y.min()) < 0 or int(y.max()) >= self.n_classes):
            raise ValueError(f"DDPM: labels must lie in 0..{self.n_classes - 1}")
        return y.to(device)

    def eps_fn(self, y=None, guidance: float = 0.0):
        """The ε-predictor the samplers call: ``f(x_t (n, d), t (n,)) -> ε̂``, guided if y and w > 0."""
        w = check_float(guidance, "guidance", min_value=0.0)
        if y is None:
            return lambda x, t: self.net(x, t)
        if w == 0:
            return lambda x, t: self.net(x, t, y)

        def guided(x, t):
            eps_c, eps_u = self.net(torch.cat([x, x]), torch.cat([t, t]),
                                    torch.cat([y, torch.full_like(y, self.n_classes)])).chunk(2)
            return (1 + w) * eps_c - w * eps_u                       # ε̃ = (1 + w) ε(x, y) − w ε(x)
        return guided

    # ------------------------------------------------------------------ the contract
    def loss(self, x, y=None) -> torch.Tensor:
        """L_simple = mean over the batch and dimensions of ‖ε − ε_θ(x_t, t)‖² with t ~ U{1..T}.

        With ``objective="vlb"`` each example's error is weighted by λ_t / mean(λ) (the ELBO's weights);
        with ``"vlb_is"`` t is drawn with probability λ_t / Σλ instead (the same expectation).
        Labels y (n,) (long) for a class-conditional network. No input checks (fit checks the data once with
        :meth:`check_inputs`).
        """
        x0 = self._flat(x)                                           # (n, d)
        n = len(x0)
        if self.objective == "vlb_is":
            lam = self.vlb_weights()[1:]
            t = (torch.multinomial(lam / lam.sum(), n, replacement=True) + 1).to(x0.device)
        else:
            t = torch.randint(1, self.schedule.T + 1, (n,), device=x0.device)
        eps = torch.randn_like(x0)
        x_t = self.schedule.q_sample(x0, t, eps)
        if y is not None and self.p_uncond > 0:
            drop = torch.rand(n, device=x0.device) < self.p_uncond
            y = torch.where(drop, torch.full_like(y, self.n_classes), y)
        err = (eps - (self.net(x_t, t) if y is None else self.net(x_t, t, y))) ** 2       # (n, d)
        if self.objective == "vlb":
            lam = self.vlb_weights()
            err = err * (lam[t.cpu()] / lam[1:].mean()).to(err.device, err.dtype)[:, None]
        return err.mean()

    def vlb_weights(self, variance: str = "beta") -> torch.Tensor:
        """λ_t = β_t² / (2 σ_t² α_t (1 − ᾱ_t)), (T + 1,) float64 (index 0 unused): the ELBO's weight of
        ‖ε − ε_θ(x_t, t)‖² in L_{t−1}; σ_t² = β_t ("beta") or β̃_t ("posterior", β_1 at t = 1)."""
        check_choice(variance, "DDPM.vlb_weights: variance", {"beta", "posterior"})
        s = self.schedule
        var = s.betas.clone() if variance == "beta" else s.posterior_variance.clone()
        var[1] = s.betas[1]
        var[0] = 1.0
        lam = s.betas ** 2 / (2 * var * s.alphas * (1 - s.alpha_bar).clamp_min(1e-300))
        lam[0] = 0.0
        return lam

    @torch.no_grad()
    def elbo(self, x, *, n_t: int = 200, generator: torch.Generator | None = None,
             variance: str = "beta") -> torch.Tensor:
        """A Monte Carlo estimate of the ELBO ≤ log p_θ(x), in nats per example: (n,).

        ELBO = −(L_T + Σ_{t=2..T} L_{t−1} + L_0) with reverse variances σ_t² = β_t (``variance="beta"``, Ho
        et al.'s bound) or β̃_t (``"posterior"``, what :meth:`sample`'s ancestral sampler draws with):
        L_T = KL(q(x_T | x_0) ‖ N(0, I)) in closed form; for t ≥ 2,
        L_{t−1} = KL(q(x_{t−1} | x_t, x_0) ‖ p_θ(x_{t−1} | x_t)) = d/2·(r − 1 − log r) + λ_t ‖ε − ε_θ(x_t, t)‖²
        with r = β̃_t/σ_t² and λ_t = β_t² / (2 σ_t² α_t (1 − ᾱ_t)) (:meth:`vlb_weights`);
        L_0 = −log N(x_0; μ_θ(x_1, 1), β_1 I) for both choices (β̃_1 = 0).
        The sum over t is estimated from ``n_t`` network evaluations (the first n_t/4 steps exactly, the rest
        stratified; unbiased). A class-conditional network is scored unconditionally (its "no class" token);
        includes the change of units (shift, scale).
        """
        n_t = check_int(n_t, "n_t", min_value=1)
        check_choice(variance, "DDPM.elbo: variance", {"beta", "posterior"})
        self.check_inputs(x)
        generator = check_generator(generator)
        z0 = self._flat(x).double()                                  # (n, d)
        n, d = z0.shape
        s = self.schedule
        ab_T = s.alpha_bar[-1]
        L_T = 0.5 * (ab_T * (z0 ** 2).sum(1) + d * ((1 - ab_T) - 1 - torch.log(1 - ab_T)))
        dev = next(self.parameters()).device

        def eps_err(t: int, k: int):
            eps = torch.randn((k, n, d), generator=generator, dtype=torch.float64)
            zt = s.alpha_bar[t].sqrt() * z0 + (1 - s.alpha_bar[t]).sqrt() * eps         # (k, n, d)
            tt = torch.full((k * n,), t, dtype=torch.long, device=dev)
            pred = self.net(zt.reshape(k * n, d).float().to(dev), tt).double().cpu().reshape(k, n, d)
            return ((eps - pred) ** 2).sum(-1)                                         # (k, n)

        # L_0: −log N(z0; μ_θ(z1, 1), β_1 I), with μ_θ(z1, 1) = z0 + √(1 − ᾱ_1)/√α_1 (ε − ε_θ)
        b1 = float(s.betas[1])
        L_0 = (0.5 * (1 - s.alpha_bar[1]) / s.alphas[1] * eps_err(1, 1)[0] / b1 + 0.5 * d * math.log(2 * math.pi * b1))
        # Σ_{t=2..T} L_{t−1}: stratified Monte Carlo. The terms behave like 1/t (large at small t), so the
        # first steps are all evaluated and the rest split into equal strata with one random t each.
        mid = torch.zeros(n, dtype=torch.float64)
        head = list(range(2, min(s.T, n_t // 4 + 1) + 1))
        rest = torch.arange(len(head) + 2, s.T + 1)
        strata = [c for c in rest.tensor_split(max(1, min(len(rest), n_t - len(head)))) if len(c)] if len(rest) else []
        picks = [(t, 1.0) for t in head] + [(int(c[torch.randint(len(c), (1,), generator=generator)]), float(len(c)))
                                             for c in strata]
        lams = self.vlb_weights(variance)
        for t, weight in picks:
            r = s.posterior_variance[t] / (s.betas[t] if variance == "beta" else s.posterior_variance[t])
            lam = lams[t]
            mid += weight * (0.5 * d * (r - 1 - torch.log(r)) + lam * eps_err(t, 1)[0])
        return -(L_T + mid + L_0).float() - d * math.log(self.scale)

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None, *, method: str | None = None,
               steps: int | None = None, y=None, guidance: float = 0.0, x_T=None, trajectory: bool = False):
        """Draw n samples (n, *data_shape) in data units.

        Args:
            method: "ddpm" (ancestral, T evaluations) or "ddim" (deterministic, ``steps`` evaluations);
                default ``self.default_method`` ("ddpm" unless set, e.g. by :mod:`course_lib.zoo.diffusion`).
            y, guidance: class labels (int or (n,)) and the classifier-free guidance scale w ≥ 0.
            x_T: (n, d) starting noise (else drawn from ``generator``).
            trajectory: return a :class:`~course_lib.diffusion.samplers.Trajectory` whose states are in
                data units too, shaped (K + 1, n, *data_shape).
        """
        n = check_int(n, "n", min_value=1)
        method = self.default_method if method is None else method
        steps = self.default_steps if steps is None else steps
        check_choice(method, "method", {"ddpm", "ddim"})
        if steps is not None:  # 0 is not "the default": it is no step at all
            steps = check_int(steps, "DDPM.sample: steps", min_value=1, max_value=self.schedule.T)
        generator = check_generator(generator)
        was_training = self.training
        self.eval()
        dev = next(self.parameters()).device
        y = self._labels(y, n, dev)
        f = self.eps_fn(y, guidance)
        if method == "ddpm":
            out = ddpm_sample(f, self.schedule, (n, self.dim), x_T=x_T, generator=generator, clip=self.clip,
                              trajectory=trajectory, device=dev)
        else:
            out = ddim_sample(f, self.schedule, (n, self.dim), steps=min(50, self.schedule.T) if steps is None else steps, x_T=x_T,
                              generator=generator, clip=self.clip, trajectory=trajectory, device=dev)
        self.train(was_training)
        if trajectory:
            states = out.states * self.scale + self.shift
            return type(out)(states[-1].reshape(n, *self.data_shape),
                             states.reshape(len(states), n, *self.data_shape), out.times)
        return (out * self.scale + self.shift).reshape(n, *self.data_shape)


def make_ddpm(kind: str = "points", *, T: int = 1000, schedule: str | None = None, hidden: int | None = None,
              blocks: int = 3, n_classes: int | None = None, objective: str = "simple") -> DDPM:
    """The course's default DDPMs (the settings notebook 07 and ``benchmarks/diffusion.py`` use).

    * ``"points"``: 2-D data (n, 2), an EpsMLP 128 wide, linear schedule T = 1000 (DDPM's own).
    * ``"digits"``: 8x8 digits in [0, 1], shape (n, 1, 8, 8), an EpsMLP 256 wide on the 64 pixels scaled to
      [−1, 1], cosine schedule T = 1000, x̂_0 clipped to the pixel range while sampling.

    Why linear for points: a schedule whose ᾱ_T is tiny (cosine: 2·10⁻⁷ at T = 100, 2·10⁻⁹ at T = 1000) makes
    DDIM divide the network's error at t = T by √ᾱ_T on its first jump; linear-1000 stops at ᾱ_T = 4·10⁻⁵ and
    DDIM with 10-50 steps works. Images have a known range, so clipping x̂_0 removes that blow-up and the
    cosine schedule's more even destruction of information wins (classifier-FID on digits after 2,000 steps,
    DDIM 50: 2.1× the floor with cosine, 3.2× with linear; measured in benchmarks/diffusion.py's setting).
    """
    check_choice(kind, "kind", {"points", "digits"})
    sched = NoiseSchedule.make(schedule or ("linear" if kind == "points" else "cosine"), T)
    if kind == "points":
        net = EpsMLP(2, hidden=128 if hidden is None else hidden, blocks=blocks, n_classes=n_classes, T=T)
        return DDPM(net, sched, (2,), objective=objective)
    net = EpsMLP(64, hidden=256 if hidden is None else hidden, blocks=blocks, n_classes=n_classes, T=T)
    return DDPM(net, sched, (1, 8, 8), shift=0.5, scale=0.5, clip=1.0, objective=objective)
