"""Auto-checked exercises of 08_autoregressive_and_masked_models (reference solutions: solutions/ch08.py).

Each runs a function the student writes on cases of its own: a causal attention mask and a MADE output
mask (checked by the autoregressive property they must give), one MaskGIT decoding step (which tokens
stay masked after a pass) and MaskGIT's mask count per pass. The library's own functions are refused:
the point is to write them.
"""
from __future__ import annotations

import math

import torch

from course_lib.exercises import check, refusing_library

__all__ = ["check_causal_mask", "check_made_output_mask", "check_maskgit_remask", "check_mask_count"]


def _own(answer, predicate):
    """``predicate`` with the library's answers out of reach (``ar.causal_mask``, ``ar.made_masks``, a schedule's
    ``remaining``): refused as answers, and raising when called while the answer runs."""
    from course_lib import autoregressive as ar
    from course_lib.autoregressive import made, transformer

    places = [(ar, "causal_mask"), (transformer, "causal_mask"), (ar, "made_masks"), (made, "made_masks"),
              (ar.CosineMaskSchedule, "remaining"), (ar.CosineMaskSchedule, "num_masked")]
    return refusing_library(predicate, places)


def check_causal_mask(answer):
    """``answer(T)`` → (T, T) boolean tensor, True where position t may attend to position s."""
    def ok(f):
        for T in (1, 2, 5, 16):
            m = torch.as_tensor(f(T))
            if m.shape != (T, T) or not torch.equal(m.bool(), torch.tril(torch.ones(T, T, dtype=torch.bool))):
                return False
        # and it makes attention causal: output t unchanged when inputs after t change
        torch.manual_seed(0)
        q, k, v = torch.randn(3, 1, 6, 4).unbind(0)
        att = lambda v_: torch.softmax((q @ k.transpose(-1, -2)).masked_fill(~torch.as_tensor(f(6)).bool(), -math.inf), -1) @ v_  # noqa: E731
        v2 = v.clone()
        v2[:, 3:] += 1.0
        return torch.allclose(att(v)[:, :3], att(v2)[:, :3])

    return check(answer, _own(answer, ok), "row t must allow columns s ≤ t only (the diagonal included: a position sees its own "
                 "input, which is the previous token); torch.tril of a boolean ones matrix",
                 "the lower triangle: every position reads the past and itself, never the future.")


def check_made_output_mask(answer):
    """``answer(m_in, m_hidden)`` → (D, H) 0/1 mask of MADE's output layer from the input degrees m_in (D,)
    and the last hidden layer's degrees m_hidden (H,)."""
    from course_lib.autoregressive.made import made_degrees, made_masks

    def ok(f):
        g = torch.Generator().manual_seed(4)
        for D, hidden in ((5, (8,)), (10, (16, 12))):
            deg = made_degrees(torch.randperm(D, generator=g), hidden, g)
            ref = made_masks(deg)[-1]
            got = torch.as_tensor(f(deg[0].clone(), deg[-1].clone())).float()
            if got.shape != ref.shape or not torch.equal(got, ref):
                return False
        return True

    return check(answer, _own(answer, ok), "output d may read hidden unit k only when m_in[d] > m_hidden[k] (strictly: "
                 "x_d must not reach its own logit); broadcast m_in[:, None] against m_hidden[None, :]",
                 "the strict inequality is what keeps x_d out of p(x_d | x_<d).")


def check_maskgit_remask(answer):
    """``answer(confidence, masked, n_remask)`` → (n, T) boolean: the positions still masked after the pass:
    among the currently ``masked`` ones, the ``n_remask`` with the *lowest* confidence."""
    def reference(conf, masked, n):
        score = conf.masked_fill(~masked, math.inf)
        out = torch.zeros_like(masked)
        out.scatter_(1, score.argsort(1)[:, :n], True)
        return out

    def ok(f):
        g = torch.Generator().manual_seed(2)
        for n_rows, T, n in ((1, 6, 2), (4, 16, 5), (3, 16, 0)):
            conf = torch.rand(n_rows, T, generator=g)
            masked = torch.rand(n_rows, T, generator=g).argsort(1) < 9 if T == 16 else torch.ones(n_rows, T, dtype=torch.bool)
            got = torch.as_tensor(f(conf.clone(), masked.clone(), n)).bool()
            if got.shape != masked.shape or not torch.equal(got, reference(conf, masked, n)):
                return False
        return True

    return check(answer, ok, "only masked positions compete (give decided ones confidence +inf), sort the "
                 "confidences, and re-mask the n_remask smallest per row",
                 "the confident tokens are kept, the doubtful ones get another look next pass.")


def check_mask_count(answer):
    """``answer(k, K, T)`` → int: how many of T tokens are still masked after pass k of K of MaskGIT's decoding
    with the cosine schedule γ(r) = cos(πr/2) (T at k = 0, 0 at k = K)."""
    def reference(k, K, T):
        return 0 if k >= K else min(T, int(math.floor(math.cos(math.pi / 2 * k / K) * T)))

    def ok(f):
        for K, T in ((1, 6), (4, 16), (8, 64), (12, 49), (16, 256)):
            for k in range(K + 1):
                if int(f(k, K, T)) != reference(k, K, T):
                    return False
        return True

    return check(answer, _own(answer, ok), "still masked after pass k: ⌊γ(k/K)·T⌋ with γ(r) = cos(πr/2) (floor, "
                 "not ceil: the tokens decided so far are kept); after the last pass none (cos(π/2) is not exactly "
                 "0 in floating point)",
                 "a cosine schedule decides few tokens first, while the canvas is empty, and many at the end.")
