"""Exercises of notebook 08: the reference solutions pass, typical wrong answers fail, `...` is 'not answered'."""
import math

import torch

from course_lib.exercises import ch08


def test_causal_mask():
    assert ch08.check_causal_mask(lambda T: torch.tril(torch.ones(T, T, dtype=torch.bool))) is True
    assert ch08.check_causal_mask(lambda T: torch.tril(torch.ones(T, T, dtype=torch.bool), -1)) is False  # no diagonal
    assert ch08.check_causal_mask(lambda T: torch.triu(torch.ones(T, T, dtype=torch.bool))) is False    # the future
    assert ch08.check_causal_mask(lambda T: 1 / 0) is False
    assert ch08.check_causal_mask(...) is None


def test_made_output_mask():
    assert ch08.check_made_output_mask(lambda m_in, m_h: (m_in[:, None] > m_h[None, :]).float()) is True
    assert ch08.check_made_output_mask(lambda m_in, m_h: (m_in[:, None] >= m_h[None, :]).float()) is False
    assert ch08.check_made_output_mask(lambda m_in, m_h: (m_h[:, None] < m_in[None, :]).float()) is False
    assert ch08.check_made_output_mask(...) is None


def _remask(conf, masked, n):
    score = conf.masked_fill(~masked, math.inf)
    out = torch.zeros_like(masked)
    out.scatter_(1, score.argsort(1)[:, :n], True)
    return out


def test_maskgit_remask():
    assert ch08.check_maskgit_remask(_remask) is True

    def most_confident(conf, masked, n):   # re-masks the wrong end
        score = conf.masked_fill(~masked, -math.inf)
        out = torch.zeros_like(masked)
        out.scatter_(1, score.argsort(1, descending=True)[:, :n], True)
        return out

    def ignores_decided(conf, masked, n):  # lets decided tokens be re-masked
        out = torch.zeros_like(masked)
        out.scatter_(1, conf.argsort(1)[:, :n], True)
        return out
    assert ch08.check_maskgit_remask(most_confident) is False
    assert ch08.check_maskgit_remask(ignores_decided) is False
    assert ch08.check_maskgit_remask(...) is None


def test_bits_per_pixel():
    assert ch08.check_bits_per_pixel(18.0 / (64 * math.log(2))) is True
    assert ch08.check_bits_per_pixel(18.0 / 64) is False
    assert ch08.check_bits_per_pixel(...) is None
