"""Notebook 05's checkers accept the reference solutions (solutions/ch05.py) and reject typical mistakes, random
guesses and the course's own functions."""
import functools

import numpy as np
import torch
import torch.nn.functional as F

from course_lib import evaluation, gans
from course_lib.exercises import ch05
from solutions import ch05 as sol


def test_nonsaturating_loss(capsys):
    assert ch05.check_nonsaturating_loss(sol.nonsaturating_loss) is True
    assert ch05.check_nonsaturating_loss(lambda s: -F.logsigmoid(s).mean()) is True      # another stable form
    # the naive log of a sigmoid underflows at s = −120: rejected
    assert ch05.check_nonsaturating_loss(lambda s: -torch.log(torch.sigmoid(s)).mean()) is False
    assert ch05.check_nonsaturating_loss(lambda s: torch.log(1 - torch.sigmoid(s)).mean()) is False  # saturating
    assert ch05.check_nonsaturating_loss(lambda s: -F.logsigmoid(s).sum()) is False       # sum, not mean
    assert ch05.check_nonsaturating_loss(lambda s: F.softplus(-s).mean().detach()) is False  # detached
    assert ch05.check_nonsaturating_loss(lambda s: torch.rand(()) * 3) is False           # random guess
    assert ch05.check_nonsaturating_loss(lambda s: 1 / 0) is False
    assert ch05.check_nonsaturating_loss(functools.partial(gans.generator_loss, "nonsaturating")) is False
    assert ch05.check_nonsaturating_loss(...) is None
    assert "not yet" in capsys.readouterr().out


def test_lsgan_optimal_discriminator():
    assert ch05.check_lsgan_optimal_discriminator(sol.lsgan_optimal_discriminator) is True
    assert ch05.check_lsgan_optimal_discriminator(lambda p, q, a, b: p / (p + q)) is False      # 0-1 coding only
    assert ch05.check_lsgan_optimal_discriminator(lambda p, q, a, b: (a * p + b * q) / (p + q)) is False  # swapped
    assert ch05.check_lsgan_optimal_discriminator(lambda p, q, a, b: (a + b) / 2 + 0 * p) is False
    assert ch05.check_lsgan_optimal_discriminator(lambda p, q, a, b: np.random.rand(len(p))) is False


def test_mode_histogram():
    assert ch05.check_mode_histogram(sol.mode_histogram) is True

    def any_sample(x, c, std):                      # VEEGAN's count instead of the share rule
        d, j = torch.cdist(x, c).min(1)
        return int(torch.unique(j[d <= 3 * std]).numel()), sol.mode_histogram(x, c, std)[1]

    def all_samples(x, c, std):                     # histogram of every sample, not only the high-quality ones
        m, _ = sol.mode_histogram(x, c, std)
        counts = torch.bincount(torch.cdist(x, c).argmin(1), minlength=len(c)).double()
        p = counts / counts.sum()
        return m, float((p[p > 0] * torch.log(len(c) * p[p > 0])).sum())

    def forward_kl(x, c, std):                      # KL(uniform ‖ p): infinite or wrong
        m, _ = sol.mode_histogram(x, c, std)
        counts = torch.bincount(torch.cdist(x, c).min(1)[1], minlength=len(c)).double() + 1e-12
        p = counts / counts.sum()
        return m, float((torch.log(1 / (len(c) * p)) / len(c)).sum())

    for wrong in (any_sample, all_samples, forward_kl, lambda x, c, s: (3, 0.5)):
        assert ch05.check_mode_histogram(wrong) is False
    assert ch05.check_mode_histogram(evaluation.mode_statistics) is False


def test_open_exercise_states_its_expected_outcome():
    assert "expected outcome" in sol.EXERCISE_4 and "stable=True" in sol.EXERCISE_4
