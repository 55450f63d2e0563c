"""Exercises of notebook 08: the reference solutions (solutions/ch08.py) pass, typical mistakes, random guesses and
the library's own functions fail, `...` is 'not answered'."""
import math

import torch

from course_lib import autoregressive as ar
from course_lib.exercises import ch08
from solutions import ch08 as sol


def test_causal_mask():
    assert ch08.check_causal_mask(sol.causal_mask) is True
    assert ch08.check_causal_mask(lambda T: torch.tril(torch.ones(T, T, dtype=torch.bool), -1)) is False  # no diagonal
    assert ch08.check_causal_mask(lambda T: torch.triu(torch.ones(T, T, dtype=torch.bool))) is False    # the future
    assert ch08.check_causal_mask(lambda T: torch.rand(T, T) > 0.5) is False                          # a guess
    assert ch08.check_causal_mask(ar.causal_mask) is False                                           # the library
    assert ch08.check_causal_mask(lambda T: ar.causal_mask(T)) is False                              # wrapped
    assert torch.equal(ar.causal_mask(3), sol.causal_mask(3))                                        # restored
    assert ch08.check_causal_mask(lambda T: 1 / 0) is False
    assert ch08.check_causal_mask(...) is None


def test_made_output_mask():
    assert ch08.check_made_output_mask(sol.made_output_mask) is True
    assert ch08.check_made_output_mask(lambda m_in, m_h: (m_in[:, None] >= m_h[None, :]).float()) is False  # not strict
    assert ch08.check_made_output_mask(lambda m_in, m_h: (m_h[:, None] < m_in[None, :]).float()) is False   # transposed
    assert ch08.check_made_output_mask(lambda m_in, m_h: (torch.rand(len(m_in), len(m_h)) > 0.5).float()) is False
    assert ch08.check_made_output_mask(ar.made_masks) is False
    assert ch08.check_made_output_mask(...) is None


def test_maskgit_remask():
    assert ch08.check_maskgit_remask(sol.remask) is True

    def most_confident(conf, masked, n):  # re-masks the most confident instead of the least
        score = conf.masked_fill(~masked, -math.inf)
        out = torch.zeros_like(masked)
        out.scatter_(1, score.argsort(1, descending=True)[:, :n], True)
        return out

    def ignores_decided(conf, masked, n):  # may re-mask tokens that were already decided
        out = torch.zeros_like(masked)
        out.scatter_(1, conf.argsort(1)[:, :n], True)
        return out

    assert ch08.check_maskgit_remask(most_confident) is False
    assert ch08.check_maskgit_remask(ignores_decided) is False
    assert ch08.check_maskgit_remask(...) is None


def test_mask_count():
    assert ch08.check_mask_count(sol.mask_count) is True
    assert ch08.check_mask_count(lambda k, K, T: math.ceil(math.cos(math.pi / 2 * k / K) * T)) is False  # ceil
    assert ch08.check_mask_count(lambda k, K, T: int(math.sin(math.pi / 2 * k / K) * T)) is False      # decided count
    assert ch08.check_mask_count(lambda k, K, T: int(math.cos(math.pi / 2 * k / K) * T)) is True       # int = floor ≥ 0
    assert ch08.check_mask_count(lambda k, K, T: round(T * (1 - k / K))) is False                      # linear
    assert ch08.check_mask_count(ar.CosineMaskSchedule().remaining) is False                           # the library
    assert ch08.check_mask_count(lambda k, K, T: ar.CosineMaskSchedule().remaining(k, K, T)) is False   # wrapped
    assert ar.CosineMaskSchedule().remaining(1, 8, 64) == sol.mask_count(1, 8, 64)                     # restored
    assert ch08.check_mask_count(...) is None
