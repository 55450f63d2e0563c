"""Fully visible belief networks on binary vectors (notebooks/01_maximum_likelihood).

The chain rule of probability factorises any distribution over x ∈ {0, 1}ⁿ exactly:

    p_model(x) = ∏_{i=1}^n p_model(x_i | x_1, …, x_{i−1}).

A *fully visible* belief network (no latent variables) picks a simple model for each factor. The
fully visible sigmoid belief network (FVSBN; Frey 1998, the name used by Larochelle & Murray 2011
for NADE's ancestor) makes each conditional a logistic regression on the previous pixels:

    p(x_i = 1 | x_<i) = σ(b_i + Σ_{j<i} W_ij x_j),

i.e. one linear layer whose weight matrix is masked to be strictly lower triangular. One forward
pass gives all n logits (training is parallel); sampling is sequential, pixel by pixel. The
log-likelihood is exact: log p(x) = Σ_i [x_i log σ(a_i) + (1 − x_i) log(1 − σ(a_i))].

:class:`IndependentBernoulli` is the baseline with W = 0: every pixel on its own,
p(x) = ∏_i p(x_i) (Naive Bayes without the class variable).

Inputs are binary tensors of shape (N, *shape), e.g. (N, 1, 8, 8) digits or (N, n) vectors.
"""
from __future__ import annotations

import itertools
import math

import torch
from torch import nn

from course_lib.distributions import bernoulli_log_prob
from course_lib.nn import MaskedLinear
from course_lib._checks import check_float, check_int
from course_lib.autoregressive._common import as_binary, check_shape, mean_nll

__all__ = ["FVSBN", "IndependentBernoulli", "all_binary_vectors"]


class FVSBN(nn.Module):
    """Fully visible sigmoid belief network: logit_i = b_i + Σ_{j<i} W_ij x_j (raster order).

    Interface: ``log_prob(x)`` (N, *shape) → (N,) exact, in nats; ``loss(x)`` = −mean log p;
    ``sample(n)`` → (n, *shape), drawn pixel by pixel; ``logits(x)`` → (N, n) conditional logits.
    """

    def __init__(self, shape=(1, 8, 8)):
        super().__init__()
        self.shape = check_shape(shape)
        n = math.prod(self.shape)
        self.n = n
        # strictly lower triangular: pixel i sees pixels 0..i-1 only (the chain-rule ordering)
        self.linear = MaskedLinear(n, n, torch.tril(torch.ones(n, n), diagonal=-1))
        # Start as the all-½ independent model; the data then moves b (marginals) and W (dependencies).
        nn.init.zeros_(self.linear.weight)
        nn.init.zeros_(self.linear.bias)

    @torch.no_grad()
    def init_bias_from_data(self, x, alpha: float = 1.0) -> "FVSBN":
        """Set b to the logits of the smoothed pixel means (a good start: the independent model)."""
        self.linear.bias.copy_(IndependentBernoulli.smoothed_logits(as_binary(x, self.shape, "FVSBN.init_bias_from_data"), alpha))
        return self

    def logits(self, x) -> torch.Tensor:
        """Conditional logits a_i(x_<i) for every pixel: (N, *shape) → (N, n)."""
        return self.linear(as_binary(x, self.shape, "FVSBN.logits").to(self.linear.weight))

    def log_prob(self, x) -> torch.Tensor:
        """Exact log p_model(x) = Σ_i log Bernoulli(x_i; σ(a_i)): (N, *shape) → (N,)."""
        flat = as_binary(x, self.shape, "FVSBN.log_prob").to(self.linear.weight)
        return bernoulli_log_prob(flat, self.linear(flat))

    def loss(self, x) -> torch.Tensor:
        """Average negative log-likelihood (nats per image)."""
        return mean_nll(self.log_prob(x), "FVSBN.loss")

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Ancestral sampling in the chain-rule order: x_1, then x_2 | x_1, …; returns (n, *shape) in {0, 1}."""
        n = check_int(n, "n", min_value=1)
        W = (self.linear.weight * self.linear.mask).cpu()
        b = self.linear.bias.cpu()
        x = torch.zeros(n, self.n)
        u = torch.rand(n, self.n, generator=generator)
        for i in range(self.n):  # n sequential steps: the price of an autoregressive model
            p_i = torch.sigmoid(b[i] + x[:, :i] @ W[i, :i])
            x[:, i] = (u[:, i] < p_i).float()
        return x.reshape(n, *self.shape).to(self.linear.weight.device)

    def extra_repr(self) -> str:
        return f"shape={self.shape}, n={self.n}"


class IndependentBernoulli(nn.Module):
    """Every pixel independent: p(x) = ∏_i θ_i^{x_i} (1 − θ_i)^{1 − x_i}, θ_i = σ(b_i).

    Its MLE is closed-form (θ̂_i = pixel mean); :meth:`fit_closed_form` adds ``alpha`` pseudo-counts
    (Laplace smoothing) so a pixel never seen on in training does not get probability exactly 0.
    """

    def __init__(self, shape=(1, 8, 8)):
        super().__init__()
        self.shape = check_shape(shape)
        self.n = math.prod(self.shape)
        self.bias = nn.Parameter(torch.zeros(self.n))

    @staticmethod
    def smoothed_logits(flat: torch.Tensor, alpha: float) -> torch.Tensor:
        alpha = check_float(alpha, "alpha", min_value=0.0)
        if len(flat) == 0:
            raise ValueError("x is an empty batch (0 images): the pixel frequencies need at least one")
        theta = (flat.sum(0) + alpha) / (len(flat) + 2 * alpha)
        return torch.logit(theta.clamp(1e-6, 1 - 1e-6))

    @torch.no_grad()
    def fit_closed_form(self, x, alpha: float = 1.0) -> "IndependentBernoulli":
        """θ_i = (count of x_i = 1 + α) / (N + 2α); α = 0 is the plain MLE."""
        self.bias.copy_(self.smoothed_logits(as_binary(x, self.shape, "IndependentBernoulli.fit_closed_form"), alpha))
        return self

    @property
    def probs(self) -> torch.Tensor:
        return torch.sigmoid(self.bias).reshape(self.shape)

    def log_prob(self, x) -> torch.Tensor:
        """Exact log p(x) = Σ_i log Bernoulli(x_i; σ(b_i)): (N, *shape) → (N,)."""
        flat = as_binary(x, self.shape, "IndependentBernoulli.log_prob").to(self.bias)
        return bernoulli_log_prob(flat, self.bias.expand_as(flat))

    def loss(self, x) -> torch.Tensor:
        return mean_nll(self.log_prob(x), "IndependentBernoulli.loss")

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        n = check_int(n, "n", min_value=1)
        u = torch.rand(n, self.n, generator=generator)
        return (u < torch.sigmoid(self.bias).cpu()).float().reshape(n, *self.shape).to(self.bias.device)


def all_binary_vectors(n: int) -> torch.Tensor:
    """Every x ∈ {0, 1}ⁿ, shape (2ⁿ, n) float32 (n ≤ 20): to check that Σ_x p(x) = 1 exactly."""
    n = check_int(n, "n", min_value=1, max_value=20)
    return torch.tensor(list(itertools.product([0.0, 1.0], repeat=n)))
