"""Exercises of notebook 07: each checker accepts the reference solution and rejects several wrong ones."""
import math

import pytest
import torch

from course_lib.exercises import ch07


def q_sample(x0, eps, ab):
    return math.sqrt(ab) * x0 + math.sqrt(1 - ab) * eps


def ddim_step(x, e, ab_t, ab_s):
    x0 = (x - math.sqrt(1 - ab_t) * e) / math.sqrt(ab_t)
    return math.sqrt(ab_s) * x0 + math.sqrt(1 - ab_s) * e


def oracle(x, ab, m, s):
    return math.sqrt(1 - ab) * (x - math.sqrt(ab) * m) / (ab * s ** 2 + 1 - ab)


REFERENCE = [
    (ch07.check_q_sample, q_sample),
    (ch07.check_ddim_step, ddim_step),
    (ch07.check_alpha_bar, float(torch.prod(1 - torch.linspace(1e-4, 0.02, 100, dtype=torch.float64)))),
    (ch07.check_oracle_eps, oracle),
]

WRONG = [
    (ch07.check_q_sample, lambda x0, eps, ab: math.sqrt(ab) * x0 + (1 - ab) * eps),       # variance, not std
    (ch07.check_q_sample, lambda x0, eps, ab: ab * x0 + math.sqrt(1 - ab) * eps),          # ᾱ instead of √ᾱ
    (ch07.check_q_sample, lambda x0, eps, ab: x0 + eps),                                    # the VE chain
    (ch07.check_ddim_step, lambda x, e, a, s: math.sqrt(s) * x + math.sqrt(1 - s) * e),    # no x̂_0
    (ch07.check_ddim_step, lambda x, e, a, s: (x - math.sqrt(1 - a) * e) / math.sqrt(a)),  # jumps to x̂_0
    (ch07.check_ddim_step, lambda x, e, a, s: ddim_step(x, e, s, a)),                      # times swapped
    (ch07.check_alpha_bar, 0.603),                                                         # T = 50's value
    (ch07.check_alpha_bar, 1 - 0.02),
    (ch07.check_oracle_eps, lambda x, ab, m, s: x - math.sqrt(ab) * m),                    # ignores the variance
    (ch07.check_oracle_eps, lambda x, ab, m, s: math.sqrt(1 - ab) * x / (ab * s ** 2 + 1 - ab)),  # no mean
    (ch07.check_oracle_eps, lambda x, ab, m, s: 1 / 0),                                    # raises
]


@pytest.mark.parametrize("checker, answer", REFERENCE)
def test_reference_answers_are_accepted(checker, answer, capsys):
    assert checker(answer) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("checker, answer", WRONG)
def test_wrong_answers_are_rejected_with_a_hint(checker, answer, capsys):
    assert checker(answer) is False
    assert "not yet" in capsys.readouterr().out


@pytest.mark.parametrize("checker", [c for c, _ in REFERENCE])
def test_unanswered(checker, capsys):
    assert checker(...) is None
    assert "not answered" in capsys.readouterr().out
