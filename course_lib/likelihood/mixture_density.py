"""Multi-modal outputs: why a regressor trained with MSE fails and a conditional generative model works (notebook 00).

The toy problem: an input x ∈ [x_min, 1] has *two* correct answers, y = +√x (probability ``p_upper``)
and y = -√x, each observed with Gaussian noise of std ``noise``. The function minimising the
mean squared error is the conditional mean E[y | x] = (2·p_upper - 1)·√x, a value that is
(for p_upper = 0.5) never a correct answer. A mixture density network (Bishop 1994) instead models
the whole conditional density

    p(y | x) = Σ_k π_k(x) · N(y; μ_k(x), σ_k(x)²),

trained by maximum likelihood, and its samples land on both branches.
"""
from __future__ import annotations


import torch
from torch import nn
from torch.nn import functional as F

from course_lib.distributions import gaussian_log_prob
from course_lib.nn import mlp
from course_lib._checks import as_points, as_tensor, check_float, check_int

__all__ = [
    "two_branch_data", "branch_means", "conditional_mean", "true_log_density",
    "branch_fractions", "MSERegressor", "MixtureDensityNetwork",
]


# --------------------------------------------------------------------------- the data
def two_branch_data(n: int, *, p_upper: float = 0.5, noise: float = 0.05, x_min: float = 0.0,
                    generator: torch.Generator | None = None):
    """n pairs (x, y): x ~ U(x_min, 1), y = ±√x + noise·ε. Returns x (n, 1), y (n, 1), float32."""
    n = check_int(n, "n", min_value=1)
    p_upper = check_float(p_upper, "p_upper", min_value=0.0, max_value=1.0)
    noise = check_float(noise, "noise", min_value=0.0)
    x_min = check_float(x_min, "x_min", min_value=0.0, max_value=1.0)
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator or None, got {type(generator).__name__}")
    x = x_min + (1 - x_min) * torch.rand(n, 1, generator=generator)
    sign = torch.where(torch.rand(n, 1, generator=generator) < p_upper, 1.0, -1.0)
    y = sign * x.sqrt() + noise * torch.randn(n, 1, generator=generator)
    return x, y


def _as_column(x, name: str) -> torch.Tensor:
    t = as_tensor(x, name)
    if t.ndim == 1:
        t = t[:, None]
    return as_points(t, name, dim=1)


def _as_targets(y, n: int, name: str, what: str = "") -> torch.Tensor:
    """y (n,) or (n, m) finite → (n, m): a target per input, or a grid of m targets per input."""
    y = as_tensor(y, name)
    if y.ndim == 1:
        y = y[:, None]
    if y.ndim != 2 or len(y) != n:
        raise ValueError(f"{name} must have shape ({n}, m){what}, got {tuple(y.shape)}")
    if not torch.isfinite(y).all():
        raise ValueError(f"{name} contains NaN or inf values")
    return y


def branch_means(x) -> torch.Tensor:
    """The two correct answers +√x and -√x for every input: (n, 2)."""
    x = _as_column(x, "x")
    if (x < 0).any():
        raise ValueError("x must be >= 0 (the answers are ±√x)")
    r = x.sqrt()
    return torch.cat([r, -r], dim=1)


def conditional_mean(x, p_upper: float = 0.5) -> torch.Tensor:
    """E[y | x] = p·√x + (1-p)·(-√x): what a perfect MSE regressor predicts, (n, 1)."""
    p_upper = check_float(p_upper, "p_upper", min_value=0.0, max_value=1.0)
    b = branch_means(x)
    return p_upper * b[:, :1] + (1 - p_upper) * b[:, 1:]


def true_log_density(x, y, *, p_upper: float = 0.5, noise: float = 0.05) -> torch.Tensor:
    """log p(y | x) of the data-generating process, for x (n, 1) and y (n, 1) or y (n, m): (n, m)."""
    noise = check_float(noise, "noise", min_value=0.0, strict_min=True)
    p_upper = check_float(p_upper, "p_upper", min_value=0.0, max_value=1.0)
    b = branch_means(x)  # (n, 2)
    y = _as_targets(y, len(b), "true_log_density: y")
    logw = torch.log(torch.tensor([p_upper, 1 - p_upper]))
    comp = torch.distributions.Normal(b[:, None, :], noise).log_prob(y[:, :, None])  # (n, m, 2)
    return torch.logsumexp(comp + logw, dim=-1)


def branch_fractions(x, y, *, width: float) -> dict[str, float]:
    """Where predictions/samples y (n, 1) fall: fraction within ``width`` of +√x, of -√x, of neither.

    Only meaningful where the branches are more than 2·width apart (pass x with √x > width).
    """
    width = check_float(width, "width", min_value=0.0, strict_min=True)
    b = branch_means(x)
    y = _as_column(y, "y")
    if len(y) != len(b):
        raise ValueError(f"x and y must have the same length, got {len(b)} and {len(y)}")
    upper = (y[:, 0] - b[:, 0]).abs() < width
    lower = (y[:, 0] - b[:, 1]).abs() < width
    return {"upper": float(upper.float().mean()), "lower": float(lower.float().mean()),
            "neither": float((~upper & ~lower).float().mean())}


# --------------------------------------------------------------------------- the two models
class MSERegressor(nn.Module):
    """ŷ = f(x), an MLP trained with the mean squared error: it learns E[y | x], one number per x."""

    def __init__(self, hidden: int = 64):
        super().__init__()
        self.net = mlp(1, 1, check_int(hidden, "hidden", min_value=1), layers=2, act="tanh")

    def forward(self, x) -> torch.Tensor:
        return self.net(_as_column(x, "x"))  # (n, 1)

    def loss(self, x, y) -> torch.Tensor:
        """Mean squared error; y (n,) or (n, 1) like x (no silent (n, n) broadcasting)."""
        pred = self(x)
        y = _as_column(y, "MSERegressor.loss: y")
        if len(y) != len(pred):
            raise ValueError(f"MSERegressor.loss: y must have {len(pred)} rows like x, got {len(y)}")
        return F.mse_loss(pred, y)


class MixtureDensityNetwork(nn.Module):
    """p(y | x) = Σ_k π_k(x) N(y; μ_k(x), σ_k(x)²) for scalar x and y (Bishop 1994).

    One MLP maps x (n, 1) to 3K numbers: mixture logits, means and pre-softplus scales.
    ``min_std`` keeps a component from collapsing onto a single point (infinite likelihood).
    """

    def __init__(self, components: int = 3, hidden: int = 64, min_std: float = 1e-3):
        super().__init__()
        self.components = check_int(components, "components", min_value=1)
        self.min_std = check_float(min_std, "min_std", min_value=0.0, strict_min=True)
        self.net = mlp(1, 3 * self.components, check_int(hidden, "hidden", min_value=1), layers=2, act="tanh")

    def forward(self, x):
        """Mixture parameters for inputs x (n, 1): log π (n, K), μ (n, K), σ (n, K)."""
        logits, mu, s = self.net(_as_column(x, "x")).chunk(3, dim=1)
        return torch.log_softmax(logits, dim=1), mu, F.softplus(s) + self.min_std

    def log_prob(self, x, y) -> torch.Tensor:
        """Exact log p(y | x), arguments in the order of ``loss(x, y)``: x (n, 1) with y (n, 1) → (n,);
        y (n, m) (a grid per input) → (n, m)."""
        log_pi, mu, sigma = self(x)
        y = _as_targets(y, len(mu), "MixtureDensityNetwork: y", " to match x")
        log_normal = gaussian_log_prob(y[:, :, None], mu[:, None, :], sigma[:, None, :], event_dims=0)  # (n, m, K)
        out = torch.logsumexp(log_pi[:, None, :] + log_normal, dim=-1)  # (n, m)
        return out[:, 0] if out.shape[1] == 1 else out

    def loss(self, x, y) -> torch.Tensor:
        """Negative log-likelihood per example (maximum likelihood = minimum of this)."""
        return -self.log_prob(x, y).mean()

    @torch.no_grad()
    def sample(self, x, generator: torch.Generator | None = None) -> torch.Tensor:
        """One y ~ p(y | x) per input: pick a component k ~ π(x), then y ~ N(μ_k, σ_k²). Returns (n, 1)."""
        log_pi, mu, sigma = self(x)
        k = torch.multinomial(log_pi.exp(), 1, generator=generator)  # (n, 1)
        eps = torch.randn(k.shape, generator=generator)
        return mu.gather(1, k) + sigma.gather(1, k) * eps

    @torch.no_grad()
    def mean(self, x) -> torch.Tensor:
        """E[y | x] = Σ_k π_k μ_k under the model (what MSE would have predicted), (n, 1)."""
        log_pi, mu, _ = self(x)
        return (log_pi.exp() * mu).sum(1, keepdim=True)
