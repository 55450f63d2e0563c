"""MaskGIT: a bidirectional transformer trained on masked tokens, decoded in K parallel passes (notebook 08).

Training (Chang et al. 2022): draw r ~ U(0, 1), mask ⌈γ(r)·T⌉ random positions with γ(r) = cos(πr/2)
(the *cosine schedule*: the fraction of tokens **masked**), replace them by a MASK token, and take the
cross-entropy **on the masked positions only** (the visible ones are given, predicting them is free).
Attention is full (no causal mask): every position sees every other.

Decoding in K passes: start with every token masked; at pass k = 1..K predict all masked tokens at
once, sample them, and keep only the most confident ones so that ⌊γ(k/K)·T⌋ stay masked; the rest
are masked again and re-predicted next pass. K passes instead of T (K ≪ T): the inference saving.
``order="random"`` keeps a random subset instead of the most confident one.

MAGE's idea (Li et al. 2023), shown with this network: the same weights generate and, run on an unmasked
input, give features (:meth:`MaskGIT.features`) for a linear probe. (MAGE itself draws its mask ratio from a
truncated Gaussian on [0.5, 1] with mode 0.55, works on VQGAN tokens and drops masked tokens from its
encoder; here the features are MaskGIT's own, trained with the cosine schedule.)

Inpainting: ``sample(..., canvas=...)`` starts from a partly known token grid and decodes only its MASK
cells, with the schedule applied to their number.

Pitfall (measured while building notebook 08): the position embeddings must be on the same scale as the token
embeddings; initialised 50× smaller, an all-MASK input carries no position information and quality
collapses as K grows. Both are initialised N(0, 1) here (``pos_std`` exposes the choice).
"""
from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from course_lib._checks import check_choice, check_float, check_int
from course_lib.autoregressive._common import as_tokens, categorical_from_uniform, check_shape
from course_lib.autoregressive.transformer import Block

__all__ = ["CosineMaskSchedule", "MaskGIT"]


class CosineMaskSchedule:
    """γ(r) = cos(πr/2): fraction of tokens masked at training ratio r, or still masked after pass r = k/K.

    Kept apart from the network (like a diffusion noise schedule): it decides *how many* tokens are
    masked; the network only predicts them.
    """

    def gamma(self, r: torch.Tensor | float) -> torch.Tensor:
        return torch.cos(torch.as_tensor(r, dtype=torch.float32) * math.pi / 2)

    def num_masked(self, r: torch.Tensor, T: int) -> torch.Tensor:
        """Training: ⌈γ(r)·T⌉ masked positions, at least 1 (an all-visible input teaches nothing)."""
        return torch.ceil(self.gamma(r) * T).long().clamp(1, T)

    def remaining(self, k: int, K: int, T: int) -> int:
        """Decoding: tokens still masked after pass k of K (0 after the last pass)."""
        if k >= K:
            return 0
        return min(T, max(0, int(math.floor(math.cos(math.pi / 2 * k / K) * T))))   # float64: cos(π/2) < 0 in float32

    def __repr__(self) -> str:
        return "CosineMaskSchedule(γ(r) = cos(πr/2))"


class MaskGIT(nn.Module):
    """Bidirectional transformer over T = prod(shape) tokens of a ``vocab``-symbol vocabulary (+ MASK).

    ``loss(x)``: masked-token cross-entropy (nats per masked token); ``sample(n, generator, steps=K,
    order="confidence"|"random")`` → (n, *shape); ``features(x)`` → (N, d) mean-pooled encoder output.
    No ``log_prob``: MaskGIT has no tractable likelihood (the K-pass decoder does not define one).
    Binary images are accepted as tokens when ``vocab == 2`` (sample returns floats 0/1 then).
    """

    def __init__(self, shape=(1, 8, 8), vocab: int = 2, d: int = 64, layers: int = 2, heads: int = 4,
                 dropout: float = 0.0, pos_std: float = 1.0, schedule: CosineMaskSchedule | None = None):
        super().__init__()
        self.shape = check_shape(shape)
        self.T = math.prod(self.shape)
        self.vocab = check_int(vocab, "MaskGIT: vocab", min_value=2)
        self.mask_id = self.vocab
        d = check_int(d, "MaskGIT: d", min_value=4)
        self.schedule = schedule or CosineMaskSchedule()
        self.tok = nn.Embedding(self.vocab + 1, d)                    # N(0, 1) by default
        self.pos = nn.Parameter(torch.randn(self.T, d) * check_float(pos_std, "MaskGIT: pos_std", min_value=0.0))
        self.blocks = nn.ModuleList(Block(d, heads, dropout) for _ in range(check_int(layers, "layers", min_value=1)))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, self.vocab)

    def _tokens(self, x, fn: str) -> torch.Tensor:
        return as_tokens(x, self.T, self.vocab, fn, shape=self.shape).to(self.pos.device)

    def _encode(self, inp: torch.Tensor) -> torch.Tensor:   # (N, T) ids incl. MASK → (N, T, d)
        h = self.tok(inp) + self.pos
        for blk in self.blocks:
            h = blk(h, causal=False)
        return self.ln(h)

    def logits(self, inp) -> torch.Tensor:
        """Logits (N, T, vocab) of every position given an input whose masked cells hold ``mask_id``."""
        inp = as_tokens(inp, self.T, self.vocab + 1, "MaskGIT.logits", "inp").to(self.pos.device)
        return self.head(self._encode(inp))

    def random_mask(self, n: int, generator: torch.Generator | None = None, ratio=None) -> torch.Tensor:
        """(n, T) boolean, True = masked: ⌈γ(r)·T⌉ positions per row (r ~ U(0,1)), or ⌈ratio·T⌉ if given."""
        if ratio is None:
            counts = self.schedule.num_masked(torch.rand(n, generator=generator), self.T)
        else:
            ratio = check_float(ratio, "MaskGIT.random_mask: ratio", min_value=0.0, max_value=1.0)
            counts = torch.full((n,), int(math.ceil(ratio * self.T)))
        rank = torch.rand(n, self.T, generator=generator).argsort(1).argsort(1)   # random rank of each cell
        return (rank < counts[:, None]).to(self.pos.device)

    def loss(self, x, generator: torch.Generator | None = None) -> torch.Tensor:
        """Cross-entropy on the masked positions only, averaged over them (nats per masked token)."""
        tokens = self._tokens(x, "MaskGIT.loss")
        if len(tokens) == 0:
            raise ValueError("MaskGIT.loss: x is an empty batch (0 examples); the loss averages over at least one")
        mask = self.random_mask(len(tokens), generator)
        logits = self.head(self._encode(tokens.masked_fill(mask, self.mask_id)))
        return F.cross_entropy(logits[mask], tokens[mask])

    @torch.no_grad()
    def features(self, x, mask_ratio: float = 0.0, generator: torch.Generator | None = None) -> torch.Tensor:
        """MAGE-style representation: mean over positions of the final encoder states → (N, d)."""
        tokens = self._tokens(x, "MaskGIT.features")
        if mask_ratio > 0:
            tokens = tokens.masked_fill(self.random_mask(len(tokens), generator, mask_ratio), self.mask_id)
        return self._encode(tokens).mean(1)

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None, steps: int = 8,
               order: str = "confidence", temperature: float = 1.0, choice_temperature: float = 4.5,
               return_trace: bool = False, canvas=None):
        """K = ``steps`` parallel passes from an all-MASK input → (n, *shape).

        ``order="confidence"`` ranks the sampled tokens by log p(token) + τ(1 − k/K)·Gumbel noise with
        τ = ``choice_temperature`` (MaskGIT's default 4.5): without the noise the first passes keep only
        tokens of the most probable value everywhere (all-ink or all-background canvases); annealed, the
        last passes are ranked by confidence alone. ``choice_temperature=0`` is pure confidence.

        ``temperature`` τ ≥ 0 divides the logits of every pass; τ = 0 is its limit, the most probable token
        (greedy). ``return_trace=True`` also returns the list of K+1 (n, T) token states (MASK = ``mask_id``).

        ``canvas`` (n, T) or (n, *shape) token ids, ``mask_id`` where unknown, the same cells unknown in every
        row: inpainting. Known cells are kept; the K passes decode the unknown ones, the cosine schedule
        counting them instead of T. ``steps`` must not exceed their number.
        """
        n = check_int(n, "MaskGIT.sample: n", min_value=1)
        temperature = check_float(temperature, "MaskGIT.sample: temperature", min_value=0.0)
        choice_temperature = check_float(choice_temperature, "MaskGIT.sample: choice_temperature", min_value=0.0)
        K = check_int(steps, "MaskGIT.sample: steps", min_value=1, max_value=self.T)
        check_choice(order, "MaskGIT.sample: order", {"confidence", "random"})
        dev = self.pos.device
        if canvas is None:
            cur = torch.full((n, self.T), self.mask_id, dtype=torch.long, device=dev)
        else:
            cur = as_tokens(canvas, self.T, self.vocab + 1, "MaskGIT.sample", "canvas").to(dev).clone()
            if cur.shape[0] != n:
                raise ValueError(f"MaskGIT.sample: canvas must have n = {n} rows, got {cur.shape[0]}")
            unknown = cur == self.mask_id
            if not (unknown == unknown[:1]).all():
                raise ValueError("MaskGIT.sample: canvas must have the same MASK cells in every row")
            if int(unknown[0].sum()) < K:
                raise ValueError(f"MaskGIT.sample: steps = {K} is more than the canvas's {int(unknown[0].sum())} "
                                 "MASK cells")
        n_unknown = int((cur[0] == self.mask_id).sum())
        trace = [cur.clone()]
        for k in range(1, K + 1):
            masked = cur == self.mask_id
            logits = self.head(self._encode(cur))   # (n, T, V)
            if temperature == 0:  # the τ → 0 limit: a one-hot on the argmax (drawing from it is greedy)
                probs = torch.nn.functional.one_hot(logits.argmax(-1), logits.shape[-1]).to(logits.dtype)
            else:
                probs = torch.softmax(logits / temperature, -1)
            u = torch.rand(n, self.T, generator=generator).to(dev)
            drawn = categorical_from_uniform(probs.reshape(-1, self.vocab), u.reshape(-1)).view(n, self.T)
            if order == "confidence":
                score = probs.gather(-1, drawn[..., None]).squeeze(-1).clamp_min(1e-30).log()
                if choice_temperature > 0:
                    gumbel = -torch.log(-torch.log(torch.rand(n, self.T, generator=generator).clamp(1e-20, 1 - 1e-7)))
                    score = score + choice_temperature * (1 - k / K) * gumbel.to(dev)
            else:
                score = torch.rand(n, self.T, generator=generator).to(dev)
            score = score.masked_fill(~masked, float("inf"))   # decided tokens stay decided
            # every pass decides at least one token (cosine steps can round to no change when K ~ T)
            keep_masked = min(self.schedule.remaining(k, K, n_unknown), int(masked[0].sum()) - 1)
            keep_masked = max(keep_masked, 0)
            # re-mask the keep_masked least confident of the still-masked positions
            low = score.argsort(1)[:, :keep_masked]
            new = torch.where(masked, drawn, cur)
            new.scatter_(1, low, self.mask_id)
            cur = new
            trace.append(cur.clone())
        x = cur.reshape(n, *self.shape)
        x = x.float() if self.vocab == 2 else x
        return (x, trace) if return_trace else x

    def extra_repr(self) -> str:
        return f"shape={self.shape}, T={self.T}, vocab={self.vocab}, mask_id={self.mask_id}"
