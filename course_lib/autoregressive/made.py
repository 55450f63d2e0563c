"""MADE: masked autoencoder for distribution estimation (Germain et al. 2015), taught in notebook 08.

An MLP x → logits whose weight matrices are multiplied by 0/1 masks so that output d depends only
on the inputs that come *before* d in a chosen ordering: the network computes all D conditionals
p(x_d | x_<d) of the chain rule in one pass, like the FVSBN of notebook 01 but with hidden layers.

Masks come from *degrees*: input d gets m⁰(d) = its position (1..D) in the ordering; each hidden
unit k of layer l gets m^l(k) ∈ [min m^{l−1}, D − 1]; a hidden weight k ← j is kept when
m^l(k) ≥ m^{l−1}(j), an output weight d ← k when m⁰(d) > m^L(k) (strict: x_d never sees itself).

Several orderings (each with its own masks, shared weights) make a *mixture*:
p(x) = (1/K) Σ_k p_k(x), so log p(x) = logsumexp_k log p_k(x) − log K. Averaging the *logits* over
orderings (a popular reimplementation's ``-n`` flag) does not give a normalised distribution.
"""
from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from course_lib._checks import check_int
from course_lib.autoregressive._common import as_binary, as_tokens, bernoulli_log_prob, check_shape, mean_nll

from course_lib.nn import MaskedLinear

__all__ = ["MADE", "made_degrees", "made_masks"]


def _as_ordering(ordering) -> torch.Tensor:
    """A permutation of 0..D−1 as a 1-D int64 tensor, or an error naming ``ordering``."""
    if isinstance(ordering, (str, bytes)) or not hasattr(ordering, "__len__") or getattr(ordering, "ndim", 1) != 1 \
            or len(ordering) == 0:
        raise TypeError(f"made_degrees: ordering must be a permutation of 0..D-1 (a 1-D tensor or list of ints), "
                        f"got {ordering!r:.60}")
    x = ordering if isinstance(ordering, torch.Tensor) else np.asarray(ordering)
    t = as_tokens(x[None], len(ordering), len(ordering), "made_degrees", "ordering")[0]
    if not torch.equal(t.sort().values, torch.arange(len(t))):
        raise ValueError(f"made_degrees: ordering must be a permutation of 0..{len(t) - 1} (each input once), "
                         f"got {t.tolist()[:12]}")
    return t


def made_degrees(ordering: torch.Tensor, hidden: tuple[int, ...], generator: torch.Generator | None = None):
    """Degrees [m⁰ (D,), m¹ (H₁,), …]: m⁰(d) = 1 + position of input d in ``ordering``; hidden degrees
    drawn uniformly in [min m^{l−1}, D − 1] (with a generator: the "connectivity" of the paper)."""
    ordering = _as_ordering(ordering)   # a list would index as a tuple of indices in torch < 2.9
    D = len(ordering)
    hidden = tuple(check_int(h, "made_degrees: hidden entry", min_value=1) for h in hidden)
    m0 = torch.empty(D, dtype=torch.long)
    m0[ordering] = torch.arange(1, D + 1)
    degrees = [m0]
    for h in hidden:
        low = int(degrees[-1].min()) if len(degrees) > 1 else 1
        degrees.append(torch.randint(low, max(D, low + 1), (h,), generator=generator))
    return degrees


def made_masks(degrees) -> list[torch.Tensor]:
    """Masks (out, in) for each hidden layer (m^l(k) ≥ m^{l−1}(j)) and the output layer (m⁰(d) > m^L(k))."""
    masks = [(d_out[:, None] >= d_in[None, :]).float() for d_in, d_out in zip(degrees[:-1], degrees[1:])]
    masks.append((degrees[0][:, None] > degrees[-1][None, :]).float())
    return masks


class MADE(nn.Module):
    """MADE over binary images (N, *shape), with ``num_orderings`` mask sets combined as a mixture.

    Args:
        shape: image shape, e.g. (1, 8, 8); D = prod(shape).
        hidden: hidden layer sizes.
        num_orderings: K mask sets (ordering 0 is the raster order, the others random permutations).
        direct: add a masked direct input → output connection (an FVSBN inside the MADE).
        seed: seed of the orderings and connectivities (the masks are fixed buffers).

    ``log_prob(x)`` is exact (nats, (N,)); ``loss(x)`` = −mean log p; ``sample(n, generator)`` draws
    D sequential passes per image; ``logits(x, k)`` → (N, D) conditional logits under ordering k.
    """

    def __init__(self, shape=(1, 8, 8), hidden=(512,), num_orderings: int = 1, direct: bool = True, seed: int = 0):
        super().__init__()
        self.shape = check_shape(shape)
        D = self.D = math.prod(self.shape)
        hidden = tuple(check_int(h, "MADE: hidden size", min_value=1) for h in hidden)
        if not hidden:
            raise ValueError("MADE: hidden must name at least one layer size")
        self.K = check_int(num_orderings, "MADE: num_orderings", min_value=1)
        g = torch.Generator().manual_seed(int(seed))
        orderings = [torch.arange(D)] + [torch.randperm(D, generator=g) for _ in range(self.K - 1)]
        all_masks = [made_masks(made_degrees(o, hidden, g)) for o in orderings]
        self.register_buffer("orderings", torch.stack(orderings))          # (K, D)
        sizes = (D,) + hidden + (D,)
        self.layers = nn.ModuleList(MaskedLinear(a, b, all_masks[0][i]) for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])))
        for i in range(len(self.layers)):   # (K, out, in) per layer: every ordering's mask
            self.register_buffer(f"masks_{i}", torch.stack([m[i] for m in all_masks]))
        self.direct = None
        if direct:
            # an FVSBN inside: logit_d also gets Σ_{j before d} W_dj x_j (starts at zero)
            direct_masks = []
            for o in orderings:
                m0 = made_degrees(o, ())[0]
                direct_masks.append((m0[:, None] > m0[None, :]).float())
            self.register_buffer("direct_masks", torch.stack(direct_masks))   # (K, D, D)
            self.direct = MaskedLinear(D, D, direct_masks[0], bias=False)
            nn.init.zeros_(self.direct.weight)

    def masks(self, k: int = 0) -> list[torch.Tensor]:
        """The (out, in) masks of ordering k, hidden layers first, output last (plus the direct mask)."""
        k = check_int(k, "MADE.masks: k", min_value=0, max_value=self.K - 1)
        out = [getattr(self, f"masks_{i}")[k] for i in range(len(self.layers))]
        return out + ([self.direct_masks[k]] if self.direct is not None else [])

    def _logits_flat(self, flat: torch.Tensor, k: int) -> torch.Tensor:
        # The MaskedLinear layers hold the shared weights (and ordering 0's mask); ordering k applies its
        # own mask functionally: swapping masks in place would corrupt the tensors autograd saved when
        # several orderings share one forward pass (the mixture's log_prob).
        h = flat
        for i, layer in enumerate(self.layers):
            h = F.linear(h, layer.weight * getattr(self, f"masks_{i}")[k], layer.bias)
            if i < len(self.layers) - 1:
                h = torch.relu(h)
        if self.direct is not None:
            h = h + F.linear(flat, self.direct.weight * self.direct_masks[k])
        return h

    def logits(self, x, k: int = 0) -> torch.Tensor:
        """Conditional logits a_d(x_<d) under ordering k: (N, *shape) → (N, D)."""
        k = check_int(k, "MADE.logits: k", min_value=0, max_value=self.K - 1)
        return self._logits_flat(as_binary(x, self.shape, "MADE.logits").to(self.orderings.device), k)

    def log_prob_per_ordering(self, x) -> torch.Tensor:
        """log p_k(x) for every ordering: (N, *shape) → (N, K), exact."""
        flat = as_binary(x, self.shape, "MADE.log_prob").to(self.orderings.device)
        return torch.stack([bernoulli_log_prob(flat, self._logits_flat(flat, k)) for k in range(self.K)], 1)

    def log_prob(self, x) -> torch.Tensor:
        """Exact log of the mixture (1/K) Σ_k p_k(x): logsumexp over orderings − log K → (N,)."""
        return torch.logsumexp(self.log_prob_per_ordering(x), 1) - math.log(self.K)

    def loss(self, x) -> torch.Tensor:
        """−mean log p(x) of the mixture (nats per image)."""
        return mean_nll(self.log_prob(x), "MADE.loss")

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None, weights=None) -> torch.Tensor:
        """Pick an ordering k per image, then D sequential passes in that order → (n, *shape).

        k is uniform (the mixture (1/K) Σ_k p_k that ``log_prob`` scores) unless ``weights`` (K,) gives
        other mixing probabilities, e.g. each ordering's share of the data (notebook 08 compares both).
        """
        n = check_int(n, "MADE.sample: n", min_value=1)
        dev = self.orderings.device
        if weights is None:
            ks = torch.randint(self.K, (n,), generator=generator)
        else:
            w = torch.as_tensor(weights, dtype=torch.float64).flatten()
            if w.shape != (self.K,) or not torch.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
                raise ValueError(f"MADE.sample: weights must be {self.K} non-negative finite numbers with a positive "
                                 f"sum, got {w.tolist()}")
            ks = torch.multinomial(w / w.sum(), n, replacement=True, generator=generator)
        u = torch.rand(n, self.D, generator=generator).to(dev)
        x = torch.zeros(n, self.D, device=dev)
        for k in ks.unique().tolist():
            rows = (ks == k).nonzero().squeeze(1).to(dev)
            xk = x[rows]
            for d in self.orderings[k].tolist():   # D passes: the price of autoregressive sampling
                p = torch.sigmoid(self._logits_flat(xk, k)[:, d])
                xk[:, d] = (u[rows, d] < p).float()
            x[rows] = xk
        return x.reshape(n, *self.shape)

    def extra_repr(self) -> str:
        return f"shape={self.shape}, num_orderings={self.K}, direct={self.direct is not None}"
