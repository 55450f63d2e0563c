"""Generator, discriminator/critic and the adversarial model trained by ``fit`` (05_gans, 06_wasserstein_gans).

The networks are plain MLPs for 2-D toy data; :class:`GAN` pairs them with one of the objectives of
:mod:`course_lib.gans.losses` and implements the alternating updates (k discriminator/critic steps, then
one generator step) through ``configure_optimizers`` / ``train_step``, the adversarial path of
:func:`course_lib.training.fit`.
"""
from __future__ import annotations


import torch
from torch import nn

from course_lib._checks import check_choice, check_float, check_int
from course_lib.nn import ema_of
from course_lib.gans.losses import LOSSES, clip_weights, discriminator_loss, generator_loss, gradient_penalty, r1_penalty

__all__ = ["GAN"]


class GAN(nn.Module):
    """Generator + discriminator/critic with one of the losses of :mod:`course_lib.gans.losses`.

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
                            f"course_lib.gans.model.Generator), got {type(generator).__name__}")
        if not isinstance(discriminator, nn.Module):
            raise TypeError(f"discriminator must be a torch.nn.Module, got {type(discriminator).__name__}")
        self.G, self.D = generator, discriminator
        # decided once, not on every discriminator step: batch norm in D means real and fake get separate passes
        self._d_has_batch_norm = any(
            isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d, nn.SyncBatchNorm))
            for m in discriminator.modules())
        self.loss_kind = check_choice(loss, "loss", set(LOSSES))
        self.n_critic = check_int(n_critic, "n_critic", min_value=1)
        self.gp_weight = check_float(gp_weight, "gp_weight", min_value=0.0)
        self.clip = check_float(clip, "clip", min_value=0.0, strict_min=True)
        if not (isinstance(betas, (tuple, list)) and len(betas) == 2):
            raise TypeError(f"GAN: betas must be Adam's pair (β1, β2), got {betas!r}")
        self.betas = tuple(check_float(b, f"GAN: betas[{i}]", min_value=0.0, max_value=1.0) for i, b in enumerate(betas))
        if max(self.betas) >= 1.0:
            raise ValueError(f"GAN: betas must lie in [0, 1) (Adam's decay rates), got {betas!r}")
        self.optimizer = check_choice(optimizer, "optimizer", {"adam", "rmsprop"})
        self.lr_d = None if lr_d is None else check_float(lr_d, "lr_d", min_value=0.0, strict_min=True)
        self.grad_clip: float | None = None  # set by fit(..., grad_clip=...): clips each net's gradient norm
        self.default_lr = 1e-3  # recipes (make_gan) set their own; fit uses it when lr is not given
        self.ema = None if ema is None else check_float(ema, "GAN: ema", min_value=0.0, max_value=1.0)
        if self.ema == 1.0:
            raise ValueError("GAN: ema must be < 1 (with a decay of 1 the averaged generator keeps its initial weights)")
        self.r1 = check_float(r1, "r1", min_value=0.0)
        self.r1_every = check_int(r1_every, "r1_every", min_value=1)
        self._d_steps = 0
        if self.ema is not None:
            self.G_ema = ema_of(generator, self.ema)   # AveragedModel: G_ema(z) calls the averaged generator

    def check_inputs(self, x) -> None:
        """Real samples must have the shape the discriminator reads (fit calls this once on the data, or on
        the first batch a sampler such as train_gan's ``data_fn`` returns). No network runs here: fit's
        random stream and batch-norm statistics stay untouched."""
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"GAN: the real samples must be a tensor, got {type(x).__name__}")
        want = getattr(self.D, "sample_shape", None)
        if want is None and isinstance(getattr(self.D, "in_dim", None), int):
            want = (self.D.in_dim,)
        if want is not None and tuple(x.shape[1:]) != tuple(want):
            raise ValueError(f"GAN: the real samples (data, or what data_fn(n) returns) have shape "
                             f"{tuple(x.shape)}, but the discriminator reads samples of shape (n, "
                             f"{', '.join(map(str, want))})")

    @property
    def z_dim(self) -> int:
        return self.G.z_dim

    def noise(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        n = check_int(n, "GAN.noise: n", min_value=1)
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
            # foreach: one batched kernel per update rule over all tensors (PyTorch's default on CPU is a
            # per-tensor loop, about a third of a WGAN critic step for these small nets); the same numbers.
            return {"d": torch.optim.RMSprop(self.D.parameters(), lr=lr_d, foreach=True),
                    "g": torch.optim.RMSprop(self.G.parameters(), lr=lr, foreach=True)}
        # The fused kernel updates all tensors at once: for these small nets the per-tensor loop of the
        # default implementation costs about a fifth of a training step.
        fused = next(self.G.parameters()).device.type in ("cpu", "cuda")
        return {"d": torch.optim.Adam(self.D.parameters(), lr=lr_d, betas=self.betas, fused=fused),
                "g": torch.optim.Adam(self.G.parameters(), lr=lr, betas=self.betas, fused=fused)}

    def discriminator_step(self, real: torch.Tensor, opt: torch.optim.Optimizer, fake: torch.Tensor | None = None) -> dict:
        """One update of D on ``real`` (m, d) against ``fake`` (m, d): G's samples, drawn here when not given
        (a caller running several critic steps can draw all their fakes in one pass, G being fixed meanwhile)."""
        if fake is None:
            with torch.no_grad():  # G is held fixed here: no graph through it
                fake = self.G(self.noise(len(real)))
        if self._d_has_batch_norm:
            # Two passes, as Radford et al. (2016): in one pass over a mixed batch, batch norm lets D read the
            # batch's composition from its statistics (the DCGAN's D reached loss 3e-4 while G, scored on
            # fakes alone, stalled: FID over floor rose to 168 by step 1,000 in a scripts/train_dcgan.py run).
            s_real, s_fake = self.D(real), self.D(fake)
        else:
            # Without batch norm one pass over [real; fake] gives the same scores at half the per-call overhead.
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
        self._descend(loss, opt)
        if self.loss_kind == "wgan":
            clip_weights(self.D, self.clip)
        return out

    def generator_step(self, m: int, opt: torch.optim.Optimizer) -> torch.Tensor:
        loss = generator_loss(self.loss_kind, self.D(self.G(self.noise(m))))
        self._descend(loss, opt)
        return loss

    def _descend(self, loss: torch.Tensor, opt: torch.optim.Optimizer) -> None:
        """One step of ``opt`` on ``loss``: the gradient of exactly the parameters ``opt`` updates.

        ``autograd.grad`` rather than ``zero_grad`` + ``backward``: in the generator's step D is only
        differentiated *through*, and its weight gradients are then never computed (no requires_grad toggling),
        and no stale gradient needs clearing. Same numbers as ``backward``, less work per step.
        """
        params = [p for group in opt.param_groups for p in group["params"]]
        for p, g in zip(params, torch.autograd.grad(loss, params, allow_unused=True)):
            # autograd.grad may hand back non-contiguous (e.g. expanded) gradients, which backward() would have
            # laid out like the parameter; the fused optimisers read them as if they were contiguous.
            p.grad = g if g is None or g.is_contiguous() else g.contiguous()
        if self.grad_clip is not None:
            nn.utils.clip_grad_norm_(params, self.grad_clip)
        opt.step()

    @torch.no_grad()
    def update_ema(self) -> None:
        """G_ema ← ema·G_ema + (1 − ema)·G (after a generator step; nothing when ``ema`` is None)."""
        if self.ema is not None:
            self.G_ema.update_parameters(self.G)

    def train_step(self, batch: torch.Tensor, optimizers: dict) -> dict:
        """n_critic discriminator updates on chunks of ``batch`` (n_critic·m, d), then one generator update."""
        if batch.shape[0] < self.n_critic:
            raise ValueError(f"batch must hold at least n_critic={self.n_critic} samples, got {batch.shape[0]}")
        for chunk in batch.chunk(self.n_critic):
            d_out = self.discriminator_step(chunk, optimizers["d"])
        g_loss = self.generator_step(len(chunk), optimizers["g"])
        self.update_ema()
        return {"d_loss": float(d_out["d_loss"].detach()), "g_loss": float(g_loss.detach()),
                **({"gp": float(d_out["gp"].detach())} if "gp" in d_out else {})}
