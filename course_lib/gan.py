"""Generator, discriminator/critic and the adversarial model trained by ``fit`` (05_gans, 06_wasserstein_gans).

The networks are plain MLPs for 2-D toy data; :class:`GAN` pairs them with one of the objectives of
:mod:`course_lib.gan_losses` and implements the alternating updates (k discriminator/critic steps, then
one generator step) through ``configure_optimizers`` / ``train_step``, the adversarial path of
:func:`course_lib.training.fit`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from ._checks import check_choice, check_float, check_int
from .gan_losses import LOSSES, clip_weights, discriminator_loss, generator_loss, gradient_penalty, r1_penalty

__all__ = ["mlp", "Generator", "Discriminator", "GAN", "DEFAULTS", "STABLE", "make_gan", "train_gan", "Recording",
           "record_run"]


def mlp(in_dim: int, out_dim: int, hidden: int = 128, layers: int = 3, act: str = "relu") -> nn.Sequential:
    """``layers`` hidden layers of width ``hidden`` with ReLU (or LeakyReLU 0.2), then a linear output."""
    in_dim = check_int(in_dim, "in_dim", min_value=1)
    out_dim = check_int(out_dim, "out_dim", min_value=1)
    hidden = check_int(hidden, "hidden", min_value=1)
    layers = check_int(layers, "layers", min_value=1)
    check_choice(act, "act", {"relu", "leaky"})
    mods, d = [], in_dim
    for _ in range(layers):
        mods += [nn.Linear(d, hidden), nn.ReLU() if act == "relu" else nn.LeakyReLU(0.2)]
        d = hidden
    mods.append(nn.Linear(d, out_dim))
    return nn.Sequential(*mods)


class Generator(nn.Module):
    """G(z; α): noise z (n, z_dim) ~ N(0, I) → sample (n, out_dim)."""

    def __init__(self, z_dim: int = 2, out_dim: int = 2, hidden: int = 128, layers: int = 3, act: str = "relu"):
        super().__init__()
        self.z_dim = check_int(z_dim, "z_dim", min_value=1)
        self.net = mlp(z_dim, out_dim, hidden, layers, act)

    def forward(self, z: torch.Tensor) -> torch.Tensor:  # (n, z_dim) -> (n, out_dim)
        if z.ndim != 2 or z.shape[1] != self.z_dim:
            raise ValueError(f"z must have shape (n, {self.z_dim}), got {tuple(z.shape)}")
        return self.net(z)


class Discriminator(nn.Module):
    """D(x; β) as an unbounded score s(x) (n,): a logit for GAN, a regression output for LSGAN, the critic f for WGAN."""

    def __init__(self, in_dim: int = 2, hidden: int = 128, layers: int = 3, act: str = "relu"):
        super().__init__()
        self.in_dim = check_int(in_dim, "in_dim", min_value=1)
        self.net = mlp(in_dim, 1, hidden, layers, act)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (n, in_dim) -> (n,)
        if x.ndim != 2 or x.shape[1] != self.in_dim:
            raise ValueError(f"x must have shape (n, {self.in_dim}), got {tuple(x.shape)}")
        return self.net(x)[:, 0]


class GAN(nn.Module):
    """Generator + discriminator/critic with one of the losses of :mod:`course_lib.gan_losses`.

    One ``train_step`` = ``n_critic`` discriminator/critic updates (each on its own chunk of the batch,
    so pass ``fit`` a batch of ``n_critic`` × m real samples; :func:`train_gan` does this) followed by one
    generator update on m fresh noise vectors.

    Args:
        loss: "minimax", "nonsaturating", "lsgan", "wgan" (weight clipping) or "wgan-gp".
        n_critic: discriminator steps per generator step (5 in the WGAN papers, 1 for GAN/LSGAN).
        gp_weight: λ of the gradient penalty (wgan-gp).
        clip: weight-clipping bound c (wgan).
        betas: Adam's (β1, β2); ``optimizer="rmsprop"`` (the WGAN paper's choice) ignores them.
        ema: if given (e.g. 0.99), also keep an exponential moving average of the generator's weights,
            G_ema ← ema·G_ema + (1 − ema)·G after every generator step, and sample from it. Averaging
            cancels the oscillation of the game around its equilibrium, so samples sit much closer to
            the modes (Yazıcı et al., 2019); the trained G itself is unchanged.
        r1: γ of the R1 penalty (γ/2)·E_x ‖∇ₓ s(x)‖² on *real* samples, added to D's loss (Mescheder et al.,
            2018): D's score stops being steep where the data are, so the game settles at the equilibrium
            instead of circling it. 0 turns it off.
        r1_every: compute R1 only every ``r1_every``-th D step, weighted by ``r1_every`` ("lazy"
            regularisation, Karras et al., 2020): the same average pull for a fraction of the cost.
    """

    def __init__(self, generator: nn.Module, discriminator: nn.Module, loss: str = "nonsaturating", *,
                 n_critic: int = 1, gp_weight: float = 10.0, clip: float = 0.01, betas=(0.5, 0.999),
                 optimizer: str = "adam", lr_d: float | None = None, ema: float | None = None,
                 r1: float = 0.0, r1_every: int = 1):
        super().__init__()
        if not isinstance(generator, nn.Module) or not isinstance(getattr(generator, "z_dim", None), int):
            raise TypeError("generator must be a torch.nn.Module with an int attribute z_dim (e.g. "
                            f"course_lib.gan.Generator), got {type(generator).__name__}")
        if not isinstance(discriminator, nn.Module):
            raise TypeError(f"discriminator must be a torch.nn.Module, got {type(discriminator).__name__}")
        self.G, self.D = generator, discriminator
        self.loss_kind = check_choice(loss, "loss", set(LOSSES))
        self.n_critic = check_int(n_critic, "n_critic", min_value=1)
        self.gp_weight = check_float(gp_weight, "gp_weight", min_value=0.0)
        self.clip = check_float(clip, "clip", min_value=0.0, strict_min=True)
        self.betas = tuple(float(b) for b in betas)
        self.optimizer = check_choice(optimizer, "optimizer", {"adam", "rmsprop"})
        self.lr_d = None if lr_d is None else check_float(lr_d, "lr_d", min_value=0.0, strict_min=True)
        self.ema = None if ema is None else check_float(ema, "ema", min_value=0.0, max_value=1.0)
        self.r1 = check_float(r1, "r1", min_value=0.0)
        self.r1_every = check_int(r1_every, "r1_every", min_value=1)
        self._d_steps = 0
        if self.ema is not None:
            import copy

            self.G_ema = copy.deepcopy(generator).requires_grad_(False)

    @property
    def z_dim(self) -> int:
        return self.G.z_dim

    def noise(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        dev = next(self.G.parameters()).device
        return torch.randn(n, self.z_dim, generator=generator).to(dev)

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """n generated samples, shape (n, ...) (the generator's output shape)."""
        n = check_int(n, "n", min_value=1)
        return (self.G_ema if self.ema is not None else self.G)(self.noise(n, generator))

    def configure_optimizers(self, lr: float) -> dict:
        lr_d = self.lr_d or lr
        if self.optimizer == "rmsprop":
            return {"d": torch.optim.RMSprop(self.D.parameters(), lr=lr_d),
                    "g": torch.optim.RMSprop(self.G.parameters(), lr=lr)}
        # The fused kernel updates all tensors at once: for these small nets the per-tensor loop of the
        # default implementation costs about a fifth of a training step.
        fused = next(self.G.parameters()).device.type in ("cpu", "cuda")
        return {"d": torch.optim.Adam(self.D.parameters(), lr=lr_d, betas=self.betas, fused=fused),
                "g": torch.optim.Adam(self.G.parameters(), lr=lr, betas=self.betas, fused=fused)}

    def discriminator_step(self, real: torch.Tensor, opt: torch.optim.Optimizer) -> dict:
        with torch.no_grad():  # G is held fixed here: no graph through it
            fake = self.G(self.noise(len(real)))
        # One pass over [real; fake] rather than two: the same scores, half the per-call overhead.
        s_real, s_fake = self.D(torch.cat([real, fake])).split([len(real), len(fake)])
        loss = discriminator_loss(self.loss_kind, s_real, s_fake)
        out = {"d_loss": loss}
        self._d_steps += 1
        if self.r1 > 0 and self._d_steps % self.r1_every == 0:
            # Lazy: every r1_every-th step, weighted by r1_every, so the penalty's average pull is the same.
            r1 = r1_penalty(self.D, real)
            out["r1"] = r1
            loss = loss + 0.5 * self.r1 * self.r1_every * r1
        if self.loss_kind == "wgan-gp":
            # x̂ gets a pass of its own: the double backward then runs over n rows, not 3n.
            gp = gradient_penalty(self.D, real, fake)
            out["gp"] = gp
            loss = loss + self.gp_weight * gp
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if self.loss_kind == "wgan":
            clip_weights(self.D, self.clip)
        return out

    def generator_step(self, m: int, opt: torch.optim.Optimizer) -> torch.Tensor:
        # D is only differentiated *through* here, so its own weight gradients are not computed at all.
        flags = [p.requires_grad for p in self.D.parameters()]
        self.D.requires_grad_(False)
        try:
            loss = generator_loss(self.loss_kind, self.D(self.G(self.noise(m))))
            opt.zero_grad(set_to_none=True)
            loss.backward()
        finally:
            for p, flag in zip(self.D.parameters(), flags):
                p.requires_grad_(flag)
        opt.step()
        return loss

    def train_step(self, batch: torch.Tensor, optimizers: dict) -> dict:
        """n_critic discriminator updates on chunks of ``batch`` (n_critic·m, d), then one generator update."""
        if batch.shape[0] < self.n_critic:
            raise ValueError(f"batch must hold at least n_critic={self.n_critic} samples, got {batch.shape[0]}")
        for chunk in batch.chunk(self.n_critic):
            d_out = self.discriminator_step(chunk, optimizers["d"])
        g_loss = self.generator_step(len(chunk), optimizers["g"])
        if self.ema is not None:
            with torch.no_grad():
                for pe, p in zip(self.G_ema.parameters(), self.G.parameters()):
                    pe.lerp_(p, 1.0 - self.ema)
        return {"d_loss": float(d_out["d_loss"].detach()), "g_loss": float(g_loss.detach()),
                **({"gp": float(d_out["gp"].detach())} if "gp" in d_out else {})}


#: The plain settings per loss for 2-D data (05/06): the losses compared side by side, nothing else added.
DEFAULTS = {
    "minimax": dict(lr=1e-3, betas=(0.5, 0.999), n_critic=1),
    "nonsaturating": dict(lr=1e-3, betas=(0.5, 0.999), n_critic=1),
    "lsgan": dict(lr=1e-3, betas=(0.5, 0.999), n_critic=1),
    "wgan": dict(lr=5e-4, betas=(0.5, 0.999), n_critic=5, optimizer="rmsprop", clip=0.1),
    # 2 critic steps and λ = 1 instead of the paper's 5 and 10: cheaper per generator step. On the ring it
    # reaches 8/8 modes at ≥ 90 % high quality, which the paper's setting on the 3×128 reference does not
    # within the same CPU budget (benchmarks/gan_time_to_modes.py).
    "wgan-gp": dict(lr=1e-3, betas=(0.5, 0.9), n_critic=2, gp_weight=1.0),
}

#: ``make_gan(loss, stable=True)``: what 05_gans adds to make the game converge instead of circling its
#: equilibrium: an averaged generator (EMA) and, for the cross-entropy GAN, the R1 penalty; with both, a
#: larger learning rate is safe. Chosen among a few settings by generator steps to 8/8 ring modes at ≥ 90 %
#: high quality (five seeds for the non-saturating GAN; one or two per learning rate for WGAN-GP);
#: benchmarks/gan_time_to_modes.py times both against the plain reference over five seeds (5/5 reach it),
#: tests/test_gan_training.py checks them.
STABLE = {
    "nonsaturating": dict(lr=5e-3, ema=0.98, r1=0.1, r1_every=4),
    "wgan-gp": dict(lr=3e-3, ema=0.98),
}


def make_gan(loss: str = "nonsaturating", *, z_dim: int = 2, dim: int = 2, hidden: int = 64, layers: int = 3,
             act: str = "relu", stable: bool = False, **overrides) -> tuple[GAN, float]:
    """A 2-D GAN with the course's settings for ``loss`` (plus :data:`STABLE` if ``stable``); returns (model, lr)."""
    check_choice(loss, "loss", set(LOSSES))
    if stable and loss not in STABLE:
        raise ValueError(f"stable=True has settings for {sorted(STABLE)}, not for loss={loss!r}")
    cfg = {**DEFAULTS[loss], **(STABLE[loss] if stable else {}), **overrides}
    lr = cfg.pop("lr")
    model = GAN(Generator(z_dim, dim, hidden, layers, act), Discriminator(dim, hidden, layers, act), loss, **cfg)
    return model, lr


def train_gan(model: GAN, data_fn, *, steps: int, batch_size: int = 256, lr: float = 1e-3, **fit_kw):
    """``fit`` for a :class:`GAN`: ``steps`` generator updates, each after ``n_critic`` critic updates on
    batches of ``batch_size`` (``data_fn(n)`` must return n fresh real samples)."""
    from .training import fit

    if not isinstance(model, GAN):
        raise TypeError(f"model must be a course_lib.gan.GAN, got {type(model).__name__}")
    batch_size = check_int(batch_size, "batch_size", min_value=1)
    fit_kw.setdefault("desc", model.loss_kind)
    return fit(model, data_fn, steps=steps, batch_size=batch_size * model.n_critic, lr=lr, **fit_kw)


@dataclass
class Recording:
    """Samples of one training run every ``every`` generator steps (replayed by the mode-collapse widget).

    steps: (T,) ints; samples: (T, m, 2) float32; modes: (T,) ints; high_quality: (T,) floats.
    """

    loss: str
    steps: np.ndarray
    samples: np.ndarray
    modes: np.ndarray
    high_quality: np.ndarray
    n_modes: int
    seconds: float = 0.0
    history: dict = field(default_factory=dict, repr=False)


def record_run(loss: str, data_fn, centers, std: float, *, steps: int, every: int = 100, n_show: int = 500,
               n_eval: int = 2500, seed: int = 0, **gan_kw) -> Recording:
    """Train a fresh 2-D GAN with ``loss`` under ``seed`` and record samples and mode coverage every ``every`` steps.

    The coverage uses ``n_eval`` samples (2,500 as in VEEGAN/PacGAN); the first ``n_show`` are kept for display.
    """
    from .metrics import mode_coverage

    steps = check_int(steps, "steps", min_value=1)
    every = check_int(every, "every", min_value=1)
    torch.manual_seed(seed)
    model, lr = make_gan(loss, **gan_kw)
    eval_gen = torch.Generator().manual_seed(seed + 12345)
    rec = {"steps": [], "samples": [], "modes": [], "hq": []}

    def snapshot(step):
        model.eval()
        with torch.no_grad():
            x = model.sample(n_eval, generator=eval_gen)
        model.train()
        cov = mode_coverage(x, centers, std)
        rec["steps"].append(step)
        rec["samples"].append(x[:n_show].cpu().numpy().astype(np.float32))
        rec["modes"].append(cov.modes)
        rec["hq"].append(cov.high_quality)

    snapshot(0)

    def callback(step, _metrics):
        if step % every == 0:
            snapshot(step)

    hist = train_gan(model, data_fn, steps=steps, lr=lr, callback=callback, progress=False)
    return Recording(loss, np.array(rec["steps"]), np.stack(rec["samples"]), np.array(rec["modes"]),
                     np.array(rec["hq"]), len(centers), hist.seconds, hist.as_dict())


# --------------------------------------------------------------------------- recorded runs (shipped)
#: the two mixtures of 05/06: name → (sampler, centres, σ)
def toy_mixture(name: str):
    """("ring" | "grid") → (data_fn(n, generator=None), centres (k, 2), σ): the 8-ring and the 25-grid."""
    from . import data

    check_choice(name, "name", {"ring", "grid"})
    if name == "ring":
        return (lambda n, generator=None: data.gaussian_ring(n, std=0.02, generator=generator)), data.ring_centers(8), 0.02
    return (lambda n, generator=None: data.gaussian_grid(n, std=0.05, generator=generator)), data.grid_centers(5), 0.05


def recordings_state(recordings: dict) -> dict:
    """{data: {loss: Recording}} → flat dict of tensors for :func:`course_lib.checkpoints.save_checkpoint`."""
    out = {}
    for dname, runs in recordings.items():
        for loss, r in runs.items():
            key = f"{dname}/{loss}"
            out[f"{key}/steps"] = torch.as_tensor(r.steps, dtype=torch.int64)
            out[f"{key}/samples"] = torch.as_tensor(r.samples).half()  # display only: half precision halves the file
            out[f"{key}/modes"] = torch.as_tensor(r.modes, dtype=torch.int64)
            out[f"{key}/high_quality"] = torch.as_tensor(r.high_quality, dtype=torch.float64)
    return out


def load_recordings(names=("gan2d_runs_ring", "gan2d_runs_grid")) -> dict:
    """The runs recorded by ``scripts/record_gan_runs.py``, hash-checked: {data: {loss: Recording}}.

    Raises :class:`course_lib.checkpoints.CheckpointError` when a file is missing or corrupted.
    """
    out: dict = {}
    for name in ([names] if isinstance(names, str) else names):
        for dname, runs in _load_recording_file(name).items():
            out.setdefault(dname, {}).update(runs)
    return out


def load_or_record_runs(*, steps: int = 2000, every: int = 100, n_show: int = 400, seed: int = 0) -> dict:
    """The shipped recordings (see :func:`load_recordings`); when missing or corrupted, say so and record
    every loss on the ring and the grid live instead (minutes on a CPU). Used by notebooks 05 and 06."""
    from .checkpoints import CheckpointError

    try:
        return load_recordings()
    except CheckpointError as err:
        print(f"{err}\n→ recording the runs live instead (this takes several minutes)")
    return {name: {loss: record_run(loss, fn, c, sd, steps=steps, every=every, n_show=n_show, seed=seed)
                   for loss in LOSSES}
            for name, (fn, c, sd) in {"ring": toy_mixture("ring"), "grid": toy_mixture("grid")}.items()}


def coverage_table(recorded: dict) -> str:
    """Modes covered and high-quality fraction at the end of each recorded run, one row per loss."""
    from .gan_losses import LOSS_LABELS

    rows = [f"{'loss':28s} {'ring modes':>10s} {'ring HQ':>8s} {'grid modes':>11s} {'grid HQ':>8s}"]
    for loss in LOSSES:
        r_, g_ = recorded["ring"][loss], recorded["grid"][loss]
        rows.append(f"{LOSS_LABELS[loss]:28s} {r_.modes[-1]:>7d}/{r_.n_modes} {r_.high_quality[-1]:8.3f} "
                    f"{g_.modes[-1]:>8d}/{g_.n_modes} {g_.high_quality[-1]:8.3f}")
    return "\n".join(rows)


def _load_recording_file(name: str) -> dict:
    from .checkpoints import CheckpointError, load_state_dict, manifest

    state = load_state_dict(name)
    meta = manifest(name)
    out: dict = {}
    try:
        for key in state:
            if not key.endswith("/steps"):
                continue
            dname, loss, _ = key.split("/")
            p = f"{dname}/{loss}"
            _, centers, _ = toy_mixture(dname)
            out.setdefault(dname, {})[loss] = Recording(
                loss, state[f"{p}/steps"].numpy(), state[f"{p}/samples"].float().numpy(), state[f"{p}/modes"].numpy(),
                state[f"{p}/high_quality"].numpy(), len(centers), meta.get("seconds", {}).get(p, 0.0))
    except KeyError as err:
        raise CheckpointError(f"checkpoint {name!r} lacks {err}; rerun scripts/record_gan_runs.py") from None
    return out
