"""Every GAN objective of the course in one place (taught in 05_gans and 06_wasserstein_gans).

Notation of the lecture notes: the generator G(z; α) maps noise z to a sample, the discriminator
D(x; β) scores a sample. The networks here output an unbounded *score* s(x) ∈ ℝ:

* for the classic GAN, D(x) = σ(s(x)) is a probability and every ln D / ln(1 − D) is computed from the
  logit with ``softplus`` (ln σ(s) = −softplus(−s), ln(1 − σ(s)) = −softplus(s)), which never takes
  the log of 0;
* for LSGAN, s(x) is regressed onto the targets b = 1 (real) and a = 0 (fake), the generator onto c = 1;
* for WGAN, s(x) = f(x) is the critic, which must be (about) 1-Lipschitz: weight clipping or a
  gradient penalty.

Each loss is a value to *minimise* and takes the scores of a batch, shape (n,) or (n, 1). They are
per-step primitives (the training loop calls them on every step): they check types and shapes, which is
free, never values (NaN in gives NaN out, and :func:`course_lib.training.fit` reports a NaN loss).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from course_lib._checks import as_operand, check_choice, check_float

__all__ = [
    "LOSSES", "LOSS_LABELS", "discriminator_loss", "generator_loss", "gradient_penalty", "r1_penalty", "clip_weights",
    "value_function",
]

#: loss kind → what the notebooks call it
LOSS_LABELS = {
    "minimax": "minimax (saturating) GAN",
    "nonsaturating": "non-saturating GAN",
    "lsgan": "LSGAN",
    "wgan": "WGAN (weight clipping)",
    "wgan-gp": "WGAN-GP (gradient penalty)",
}
LOSSES = tuple(LOSS_LABELS)


def _scores(s, name):
    s = as_operand(s, name)
    if not s.is_floating_point():
        s = s.float()
    if s.ndim == 2 and s.shape[1] == 1:
        s = s[:, 0]
    if s.ndim != 1:
        raise ValueError(f"{name} must be discriminator scores of shape (n,) or (n, 1), got {tuple(s.shape)}")
    if len(s) == 0:   # the mean of no scores is NaN
        raise ValueError(f"{name} is empty: a GAN loss needs at least one score")
    return s


def value_function(real_logits, fake_logits) -> torch.Tensor:
    """The minimax value V(D, G) = E ln D(x) + E ln(1 − D(G(z))), with D = σ(logit).

    D maximises it, G minimises it (Goodfellow et al., 2014).
    """
    r, f = _scores(real_logits, "real_logits"), _scores(fake_logits, "fake_logits")
    return -F.softplus(-r).mean() - F.softplus(f).mean()


def discriminator_loss(kind: str, real_scores, fake_scores) -> torch.Tensor:
    """Loss the discriminator / critic minimises, from its scores on real and generated samples.

    * minimax, nonsaturating: −V(D, G) = −E ln D(x) − E ln(1 − D(G(z))) (binary cross-entropy);
    * lsgan: ½ E (s(x) − 1)² + ½ E s(G(z))²  (Mao et al., targets b = 1, a = 0);
    * wgan, wgan-gp: −(E f(x) − E f(G(z))), the negated dual EMD estimate (add the gradient penalty
      or clip the weights separately).
    """
    check_choice(kind, "kind", LOSSES)
    r, f = _scores(real_scores, "real_scores"), _scores(fake_scores, "fake_scores")
    if kind in ("minimax", "nonsaturating"):
        return F.softplus(-r).mean() + F.softplus(f).mean()
    if kind == "lsgan":
        return 0.5 * ((r - 1) ** 2).mean() + 0.5 * (f ** 2).mean()
    return f.mean() - r.mean()


def generator_loss(kind: str, fake_scores) -> torch.Tensor:
    """Loss the generator minimises, from the discriminator's scores on generated samples.

    * minimax: L_G = E ln(1 − D(G(z))) (saturates: flat where D(G(z)) ≈ 0, i.e. early in training);
    * nonsaturating: L_G' = −E ln D(G(z)) (same fixed point, strong gradient where D(G(z)) ≈ 0);
    * lsgan: ½ E (s(G(z)) − 1)²;
    * wgan, wgan-gp: −E f(G(z)).
    """
    check_choice(kind, "kind", LOSSES)
    f = _scores(fake_scores, "fake_scores")
    if kind == "minimax":
        return -F.softplus(f).mean()
    if kind == "nonsaturating":
        return F.softplus(-f).mean()
    if kind == "lsgan":
        return 0.5 * ((f - 1) ** 2).mean()
    return -f.mean()


def gradient_penalty(critic: nn.Module, real: torch.Tensor, fake: torch.Tensor, *,
                     generator: torch.Generator | None = None, target: float = 1.0) -> torch.Tensor:
    """WGAN-GP penalty E_x̂ (‖∇f(x̂)‖ − 1)² at random points x̂ = εx + (1 − ε)x̃ between real and fake.

    (Gulrajani et al., 2017.) ``real`` and ``fake`` have the same shape (n, ...); ε ~ U[0, 1] per sample.
    The graph is kept (create_graph) so the penalty's gradient reaches the critic's weights.
    A per-step primitive: it checks types and shapes, not values.
    """
    if not isinstance(critic, nn.Module):
        raise TypeError(f"gradient_penalty: critic must be a torch.nn.Module, got {type(critic).__name__}")
    real, fake = as_operand(real, "gradient_penalty: real"), as_operand(fake, "gradient_penalty: fake")
    if real.shape != fake.shape or real.ndim < 2:
        raise ValueError("gradient_penalty: real and fake must be batches (n, ...) of the same shape, got "
                         f"{tuple(real.shape)} and {tuple(fake.shape)}")
    target = check_float(target, "gradient_penalty: target", min_value=0.0)
    eps = torch.rand(real.shape[0], *([1] * (real.ndim - 1)), generator=generator).to(real.device)
    x_hat = (eps * real + (1 - eps) * fake.detach()).requires_grad_(True)
    scores = critic(x_hat)
    (grad,) = torch.autograd.grad(scores.sum(), x_hat, create_graph=True)
    norms = grad.flatten(1).norm(dim=1)
    return ((norms - target) ** 2).mean()


def r1_penalty(discriminator: nn.Module, real: torch.Tensor) -> torch.Tensor:
    """R1 = E_x ‖∇ₓ s(x)‖² over *real* samples x (n, ...), s the discriminator's score (the logit).

    (Mescheder, Geiger, Nowozin, 2018.) Unlike WGAN-GP's penalty it pulls the gradient towards 0, not 1,
    and only on the data: at the equilibrium p_g = p_data the discriminator is then flat on the data and the
    alternating updates converge instead of oscillating. Multiply by γ/2 and add it to D's loss.
    A per-step primitive: it checks types and shapes, not values.
    """
    if not isinstance(discriminator, nn.Module):
        raise TypeError(f"discriminator must be a torch.nn.Module, got {type(discriminator).__name__}")
    x = as_operand(real, "r1_penalty: real")
    if x.ndim < 2:
        raise ValueError(f"r1_penalty: real must be a batch (n, ...) of samples, got shape {tuple(x.shape)} "
                         "(one sample? add the batch dim: real[None])")
    if len(x) == 0:
        raise ValueError("r1_penalty: real must be a non-empty batch of samples, got 0 rows")
    x = x.detach().requires_grad_(True)
    try:
        score = discriminator(x)
    except (ValueError, TypeError, RuntimeError) as err:   # e.g. samples of the wrong dimension
        raise ValueError(f"r1_penalty: real (shape {tuple(x.shape)}) does not fit the discriminator: {err}") from None
    (grad,) = torch.autograd.grad(score.sum(), x, create_graph=True)
    return grad.flatten(1).pow(2).sum(1).mean()


@torch.no_grad()
def clip_weights(module: nn.Module, c: float = 0.01) -> None:
    """WGAN's crude Lipschitz constraint: clamp every parameter to [−c, c] in place (Arjovsky et al., 2017)."""
    if not isinstance(module, nn.Module):
        raise TypeError(f"module must be a torch.nn.Module, got {type(module).__name__}")
    c = check_float(c, "c", min_value=0.0, strict_min=True)
    for p in module.parameters():
        p.clamp_(-c, c)
