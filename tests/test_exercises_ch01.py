"""Exercises of notebook 01: each checker accepts the reference solution and rejects wrong ones."""
import numpy as np
import pytest
from scipy.special import xlogy

from course_lib.exercises import ch01


# ---- reference solutions
def bernoulli_mle(x):
    return np.mean(x)


def exponential_mle(x):
    return 1.0 / np.mean(x)


def gaussian_log_likelihood(x, mu, sigma):
    return np.sum(-0.5 * np.log(2 * np.pi * sigma ** 2) - (x - mu) ** 2 / (2 * sigma ** 2))


def kl(p, q):
    return np.sum(xlogy(p, p) - xlogy(p, q))


# ---- typical mistakes
WRONG = {
    "check_bernoulli_mle": [lambda x: np.median(x), lambda x: (x.sum() + 1) / (len(x) + 2)],
    "check_exponential_mle": [lambda x: np.mean(x), lambda x: (len(x) - 1) / np.sum(x)],
    "check_gaussian_log_likelihood": [
        lambda x, mu, s: np.sum(-0.5 * np.log(2 * np.pi * s) - (x - mu) ** 2 / (2 * s)),  # σ used as variance
        lambda x, mu, s: np.mean(-0.5 * np.log(2 * np.pi * s ** 2) - (x - mu) ** 2 / (2 * s ** 2)),  # mean not sum
    ],
    "check_kl": [lambda p, q: np.sum(q * np.log(q / p)), lambda p, q: np.sum(p * np.log(p / q))],  # reversed; 0 log 0
}
RIGHT = {"check_bernoulli_mle": bernoulli_mle, "check_exponential_mle": exponential_mle,
         "check_gaussian_log_likelihood": gaussian_log_likelihood, "check_kl": kl}


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_checker_accepts_reference(name, capsys):
    assert getattr(ch01, name)(RIGHT[name]) is True
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name, wrong", [(k, f) for k, fs in WRONG.items() for f in fs])
def test_checker_rejects_wrong_answers(name, wrong, capsys):
    with np.errstate(all="ignore"):
        assert getattr(ch01, name)(wrong) is False
    assert "❌" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_checker_handles_unanswered_and_crashing_answers(name, capsys):
    assert getattr(ch01, name)(...) is None
    assert "not answered" in capsys.readouterr().out

    def crash(*args):
        raise ZeroDivisionError("oops")

    assert getattr(ch01, name)(crash) is False
    assert "ZeroDivisionError" in capsys.readouterr().out
