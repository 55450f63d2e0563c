"""A small GPT-style causal transformer over token sequences (binary pixels or visual tokens), notebook 08.

Decoder-only: the input is [BOS, x_1, …, x_{T−1}], position t attends to positions ≤ t only (the
causal mask), and its output is the distribution of x_t. So one pass gives every factor of the chain
rule p(x) = ∏_t p(x_t | x_<t): log p(x) is exact and training is parallel, while sampling needs T
sequential passes. A key-value cache keeps the keys and values of positions already generated, so
step t only computes the new position's query/key/value instead of re-running the whole prefix.

:class:`Block` (pre-LayerNorm attention + MLP) is shared with the bidirectional MaskGIT model
(``masked.py``), which uses the same block with ``causal=False``.
"""
from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from course_lib._checks import check_float, check_int
from course_lib.autoregressive._common import as_tokens, categorical_from_uniform, check_shape, mean_nll

__all__ = ["Block", "CausalTransformer", "causal_mask"]


def causal_mask(T: int) -> torch.Tensor:
    """(T, T) boolean: entry [t, s] is True when position t may attend to s (s ≤ t)."""
    T = check_int(T, "causal_mask: T", min_value=1)
    return torch.tril(torch.ones(T, T, dtype=torch.bool))


class Block(nn.Module):
    """Pre-LN transformer block: x + Attn(LN x), then x + MLP(LN x). Shapes (N, T, d) → (N, T, d)."""

    def __init__(self, d: int, heads: int, dropout: float = 0.0, mlp_ratio: int = 4, attn_dropout: float | None = None):
        super().__init__()
        d = check_int(d, "transformer Block: d", min_value=1)
        heads = check_int(heads, "transformer Block: heads", min_value=1)
        dropout = check_float(dropout, "transformer Block: dropout", min_value=0.0, max_value=1.0)
        mlp_ratio = check_int(mlp_ratio, "transformer Block: mlp_ratio", min_value=1)
        if attn_dropout is not None:
            attn_dropout = check_float(attn_dropout, "transformer Block: attn_dropout", min_value=0.0, max_value=1.0)
        if d % heads:
            raise ValueError(f"Block: d ({d}) must be divisible by heads ({heads})")
        self.h, self.dh = heads, d // heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, mlp_ratio * d), nn.GELU(), nn.Linear(mlp_ratio * d, d))
        self.drop = nn.Dropout(dropout)
        self.dropout = dropout if attn_dropout is None else attn_dropout    # on the attention weights

    def _split(self, t):  # (N, T, d) → (N, h, T, dh)
        return t.view(t.shape[0], t.shape[1], self.h, self.dh).transpose(1, 2)

    def forward(self, x: torch.Tensor, causal: bool, cache: dict | None = None) -> torch.Tensor:
        """With ``cache`` (a dict, causal only), x holds the new positions; their keys/values are appended."""
        q, k, v = self.qkv(self.ln1(x)).chunk(3, dim=-1)
        q, k, v = self._split(q), self._split(k), self._split(v)
        if cache is not None:
            if "k" in cache:
                k, v = torch.cat([cache["k"], k], 2), torch.cat([cache["v"], v], 2)
            cache["k"], cache["v"] = k, v
            # the new queries are the last positions: each may see every cached key and itself
            a = F.scaled_dot_product_attention(q, k, v, is_causal=q.shape[2] > 1)
        else:
            a = F.scaled_dot_product_attention(q, k, v, is_causal=causal,
                                               dropout_p=self.dropout if self.training else 0.0)
        a = a.transpose(1, 2).reshape(x.shape)
        x = x + self.drop(self.proj(a))
        return x + self.drop(self.mlp(self.ln2(x)))


class CausalTransformer(nn.Module):
    """GPT-style model of sequences of ``length`` tokens from a vocabulary of ``vocab`` symbols.

    Data: binary images (N, *shape) with ``vocab=2`` (pixels in raster order), or token grids
    (N, *shape) of ints in [0, vocab). ``shape`` is the data's shape without the batch dimension.

    ``log_prob(x)`` (N,) exact in nats; ``loss(x)`` = −mean log p; ``sample(n, generator, use_cache=True)``
    → (n, *shape) (float 0/1 for vocab 2, int64 tokens otherwise); ``logits(x)`` → (N, T, vocab).
    Token and position embeddings are both initialised N(0, 0.02²) (GPT-2's choice; same scale).

    ``direct=True`` (binary data only) adds MADE's direct connection: an FVSBN inside, a strictly
    lower-triangular linear map from the previous pixels to the logit of "1" (zero at the start). The
    linear part is learnt within a few hundred steps, so the attention layers only fit what it misses —
    the trick that makes the transformer reach FVSBN's level early in training. ``attn_dropout``
    (default: ``dropout``) drops attention weights; 0 lets PyTorch use its fused CPU attention kernel
    (faster per step: no (N, h, T, T) random mask is drawn; benchmarks/autoregressive.py times both).
    """

    DIRECT_GAIN = 6.0

    def __init__(self, shape=(1, 8, 8), vocab: int = 2, d: int = 64, layers: int = 2, heads: int = 4,
                 dropout: float = 0.0, mlp_ratio: int = 4, direct: bool = False, attn_dropout: float | None = None):
        super().__init__()
        self.shape = check_shape(shape)
        self.T = math.prod(self.shape)
        self.vocab = check_int(vocab, "CausalTransformer: vocab", min_value=2)
        d = check_int(d, "CausalTransformer: d", min_value=4)
        self.bos = self.vocab                                   # an extra token id for "start"
        self.tok = nn.Embedding(self.vocab + 1, d)
        self.pos = nn.Embedding(self.T, d)
        self.blocks = nn.ModuleList(Block(d, heads, dropout, mlp_ratio, attn_dropout)
                                    for _ in range(check_int(layers, "layers", min_value=1)))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, self.vocab)
        for emb in (self.tok, self.pos):
            nn.init.normal_(emb.weight, std=0.02)
        self.direct = None
        if direct:
            if self.vocab != 2:
                raise ValueError(f"CausalTransformer: direct=True needs binary data (vocab 2), got vocab {self.vocab}")
            self.direct = nn.Linear(self.T, self.T, bias=False)
            nn.init.zeros_(self.direct.weight)
            self.register_buffer("direct_mask", torch.tril(torch.ones(self.T, self.T), -1))   # [t, s]: s < t

    def _tokens(self, x, fn: str) -> torch.Tensor:
        if self.vocab == 2 and isinstance(x, torch.Tensor) and x.is_floating_point():
            return as_tokens(x, self.T, 2, fn, shape=self.shape).to(self.pos.weight.device)
        return as_tokens(x, self.T, self.vocab, fn, shape=self.shape).to(self.pos.weight.device)

    def _inputs(self, tokens: torch.Tensor) -> torch.Tensor:  # (N, T) → (N, T) shifted right with BOS
        return torch.cat([torch.full_like(tokens[:, :1], self.bos), tokens[:, :-1]], 1)

    def _trunk_logits(self, inp: torch.Tensor, start: int = 0, caches=None) -> torch.Tensor:
        h = self.tok(inp) + self.pos(torch.arange(start, start + inp.shape[1], device=inp.device))
        for i, blk in enumerate(self.blocks):
            h = blk(h, causal=True, cache=None if caches is None else caches[i])
        return self.head(self.ln(h))

    def _direct(self, tokens: torch.Tensor) -> torch.Tensor:
        """(N, t) pixels decided so far → (N, t', 2) direct-path logits of the first t' ≤ T positions' ("0", "1")."""
        # the stored weights are scaled by DIRECT_GAIN: Adam moves every parameter by about lr per step, so
        # the linear path learns DIRECT_GAIN times faster than the attention layers (a linear model wants
        # a larger learning rate: FVSBN trains at 1e-2, the transformer at 3e-3 to 5e-3)
        w = self.direct.weight * self.direct_mask * self.DIRECT_GAIN     # (T, T), strictly lower-triangular
        one = tokens.float() @ w[:, : tokens.shape[1]].T                  # (N, T): Σ_{s<t} W_ts x_s
        return torch.stack([torch.zeros_like(one), one], -1)

    def _all_logits(self, tokens: torch.Tensor) -> torch.Tensor:  # (N, T) → (N, T, vocab)
        logits = self._trunk_logits(self._inputs(tokens))
        return logits if self.direct is None else logits + self._direct(tokens)

    def logits(self, x) -> torch.Tensor:
        """Logits of p(x_t | x_<t) for every t: (N, *shape) → (N, T, vocab), one parallel pass."""
        return self._all_logits(self._tokens(x, "CausalTransformer.logits"))

    def log_prob(self, x) -> torch.Tensor:
        """Exact log p(x) = Σ_t log p(x_t | x_<t) in nats: (N, *shape) → (N,)."""
        tokens = self._tokens(x, "CausalTransformer.log_prob")
        logp = F.log_softmax(self._all_logits(tokens), -1)
        return logp.gather(-1, tokens[..., None]).squeeze(-1).sum(1)

    def loss(self, x) -> torch.Tensor:
        """−mean log p(x) (nats per sequence); next-token cross-entropy summed over positions."""
        return mean_nll(self.log_prob(x), "CausalTransformer.loss")

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None, use_cache: bool = True,
               temperature: float = 1.0) -> torch.Tensor:
        """T sequential steps. With the cache each step feeds one new token; without it, the whole prefix.

        Both paths draw from the same uniforms (inverse CDF), so equal generators give equal samples.
        ``temperature`` τ ≥ 0 divides the logits; τ = 0 is its limit, greedy decoding (the most probable
        token at every step).
        """
        n = check_int(n, "CausalTransformer.sample: n", min_value=1)
        temperature = check_float(temperature, "CausalTransformer.sample: temperature", min_value=0.0)
        dev = self.pos.weight.device
        u = torch.rand(n, self.T, generator=generator).to(dev)
        out = torch.full((n, self.T + 1), self.bos, dtype=torch.long, device=dev)   # BOS, x_1, …, x_T
        caches = [dict() for _ in self.blocks] if use_cache else None
        for t in range(self.T):
            if use_cache:
                logits = self._trunk_logits(out[:, t:t + 1], start=t, caches=caches)[:, -1]
            else:
                logits = self._trunk_logits(out[:, :t + 1])[:, -1]
            if self.direct is not None:
                logits = logits + self._direct(out[:, 1:t + 1])[:, t]
            if temperature == 0:  # the τ → 0 limit of softmax(logits / τ): all mass on the argmax
                out[:, t + 1] = logits.argmax(-1)
                continue
            probs = torch.softmax(logits / temperature, -1)
            out[:, t + 1] = categorical_from_uniform(probs, u[:, t])
        x = out[:, 1:].reshape(n, *self.shape)
        return x.float() if self.vocab == 2 else x

    def extra_repr(self) -> str:
        return f"shape={self.shape}, T={self.T}, vocab={self.vocab}, direct={self.direct is not None}"
