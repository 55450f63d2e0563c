"""Notebook 01's checkers accept the reference solutions (solutions/ch01.py), reject typical mistakes and
random guesses, and turn crashes into feedback."""
import numpy as np
import pytest
import torch
from scipy.special import rel_entr, xlogy

from course_lib import data
from course_lib.exercises import ch01
from solutions import ch01 as sol


def _rand(*shape):
    return np.random.default_rng(0).normal(size=shape)


def _fvsbn_independent(W, b, n, generator=None):          # ignores W: every pixel from its bias alone
    return (torch.rand(n, len(b), generator=generator, dtype=W.dtype) < torch.sigmoid(b)).to(W.dtype)


def _fvsbn_transposed(W, b, n, generator=None):           # W read the wrong way round
    return sol.sample_fvsbn(W.T.contiguous(), b, n, generator)


def _fvsbn_parallel(W, b, n, generator=None):             # all pixels at once, from a first independent draw
    x0 = _fvsbn_independent(W, b, n, generator)
    return (torch.rand(n, len(b), generator=generator, dtype=W.dtype) < torch.sigmoid(b + x0 @ W.T)).to(W.dtype)


def _fvsbn_unseeded(W, b, n, generator=None):
    return sol.sample_fvsbn(W, b, n, None)


def _fvsbn_random(W, b, n, generator=None):
    return torch.randint(0, 2, (n, len(b))).to(W.dtype)


WRONG = {
    "check_laplace_mle": [lambda x: (np.mean(x), np.std(x)),                               # the Gaussian's answer
                          lambda x: (np.median(x), np.std(x)),                             # wrong scale
                          lambda x: (np.mean(x), np.mean(np.abs(x - np.mean(x)))),
                          lambda x: tuple(_rand(2) ** 2 + 0.1)],                           # a random guess
    "check_exponential_mle": [lambda x: np.mean(x), lambda x: (len(x) - 1) / np.sum(x), lambda x: abs(_rand(1)[0])],
    "check_fvsbn_sampler": [_fvsbn_independent, _fvsbn_transposed, _fvsbn_parallel, _fvsbn_unseeded, _fvsbn_random],
    "check_kl_bernoulli": [lambda p, q: sol.kl_bernoulli(q, p),                                  # reversed
                           lambda p, q: float(np.sum(xlogy(p, p) - xlogy(p, q))),              # one outcome only
                           lambda p, q: float(np.sum(p * np.log(p / q) + (1 - p) * np.log((1 - p) / (1 - q)))),  # 0 log 0
                           lambda p, q: float(np.mean(xlogy(p, p) - xlogy(p, q) + xlogy(1 - p, 1 - p)
                                                      - xlogy(1 - p, 1 - q))),                 # mean, not sum
                           lambda p, q: abs(_rand(1)[0]),                                      # a random guess
                           rel_entr,                                                           # SciPy's function
                           lambda p, q: float(rel_entr(p, q).sum() + rel_entr(1 - p, 1 - q).sum())],  # calls it
}
RIGHT = {"check_laplace_mle": sol.laplace_mle, "check_exponential_mle": sol.exponential_mle,
         "check_fvsbn_sampler": sol.sample_fvsbn, "check_kl_bernoulli": sol.kl_bernoulli}


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


def test_laplace_accepts_any_maximiser_for_even_samples():
    # for 8 samples every μ between the two middle ones maximises the likelihood
    def upper_middle(x):
        xs = np.sort(x)
        mu = xs[len(x) // 2] if len(x) % 2 == 0 else np.median(x)
        return mu, np.mean(np.abs(x - mu))

    assert ch01.check_laplace_mle(upper_middle) is True


@pytest.mark.slow
def test_open_exercise_5():
    moons = data.two_moons(1200, generator=torch.Generator().manual_seed(0))
    res = sol.exercise_5(moons[:600], moons[600:], steps=200)
    assert res[30][0] > res[8][0] + 0.1 and res[8][0] > res[2][0]   # training likelihood grows with K
    assert res[8][1] > res[2][1]               # K = 2 is too coarse on held-out data
    assert res[30][1] < res[8][1] + 0.02       # K = 30 no better held out (measured: −0.454 vs −0.444)
