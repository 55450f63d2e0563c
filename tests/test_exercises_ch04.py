"""Notebook 04's checkers accept the reference solutions (solutions/ch04.py) and reject typical mistakes and
random guesses."""
import math

import pytest
import torch

from course_lib.exercises import ch04
from solutions import ch04 as sol


def test_kl_diag(capsys):
    assert ch04.check_kl_diag(sol.kl_diag) is True
    std_normal = lambda mq, lq, mp, lp: 0.5 * (lq.exp() + mq**2 - 1 - lq).sum(-1)  # noqa: E731  ignores p
    assert ch04.check_kl_diag(std_normal) is False
    assert ch04.check_kl_diag(lambda mq, lq, mp, lp: sol.kl_diag(mp, lp, mq, lq)) is False      # reversed
    assert ch04.check_kl_diag(lambda mq, lq, mp, lp: 0.5 * ((lq.exp() + (mq - mp) ** 2) / lp.exp()
                                                             - 1 + lp - lq)) is False          # not summed
    assert ch04.check_kl_diag(lambda mq, lq, mp, lp: torch.rand(len(mq)) * 5) is False          # random guess
    assert ch04.check_kl_diag(lambda *a: 1 / 0) is False

    def by_torch(mq, lq, mp, lp):                                                # the library's KL
        N = torch.distributions.Normal
        return torch.distributions.kl_divergence(N(mq, (0.5 * lq).exp()), N(mp, (0.5 * lp).exp())).sum(-1)

    assert ch04.check_kl_diag(by_torch) is False
    assert ch04.check_kl_diag(torch.distributions.kl_divergence) is False
    assert ch04.check_kl_diag(...) is None
    assert "not yet" in capsys.readouterr().out


def test_ppca_elbo():
    assert ch04.check_ppca_elbo(sol.ppca_elbo) is True

    def no_spread(x, W, mu, s2, a, S):                                          # forgets tr(W S Wᵀ) / (2σ²)
        return sol.ppca_elbo(x, W, mu, s2, a, S) + torch.trace(W @ S @ W.T) / (2 * s2)

    def sigma_as_variance(x, W, mu, s2, a, S):
        return sol.ppca_elbo(x, W, mu, s2**2, a, S)

    def no_logdet(x, W, mu, s2, a, S):
        return sol.ppca_elbo(x, W, mu, s2, a, S) - 0.5 * torch.logdet(S)

    def by_the_course(x, W, mu, s2, a, S):                                      # PPCA.elbo, the checker's reference
        from course_lib.vae import PPCA

        model = PPCA(*W.shape)
        with torch.no_grad():
            model.W.copy_(W)
            model.mean.copy_(mu)
            model.log_sigma2.fill_(math.log(s2))
        return model.elbo(x, a, S)

    for wrong in (no_spread, sigma_as_variance, no_logdet, by_the_course,
                  lambda x, W, mu, s2, a, S: -torch.rand(len(x), dtype=x.dtype) * 100):
        assert ch04.check_ppca_elbo(wrong) is False


def test_gaussian_neg_elbo():
    assert ch04.check_gaussian_neg_elbo(sol.gaussian_neg_elbo) is True

    def plus_kl_wrong_sign(x, mu, logvar, eps, decode, sigma):
        return sol.gaussian_neg_elbo(x, mu, logvar, eps, decode, sigma) - \
            2 * 0.5 * (logvar.exp() + mu**2 - 1 - logvar).sum(-1).mean()

    def sigma_as_variance(x, mu, logvar, eps, decode, sigma):
        return sol.gaussian_neg_elbo(x, mu, logvar, eps, decode, math.sqrt(sigma))

    def mse_only(x, mu, logvar, eps, decode, sigma):                             # no KL, no constants
        return ((decode(mu + (0.5 * logvar).exp() * eps) - x) ** 2).sum(-1).mean()

    def random_guess(x, mu, logvar, eps, decode, sigma):
        return torch.rand(()) * 100

    for wrong in (plus_kl_wrong_sign, sigma_as_variance, mse_only, random_guess):
        assert ch04.check_gaussian_neg_elbo(wrong, steps=50) is False, wrong.__name__


@pytest.mark.slow
def test_open_exercise_4_runs():
    from course_lib.data import binarize, load_mnist

    mnist = load_mnist()
    res = sol.exercise_4(binarize(mnist.x_train[:1000]), binarize(mnist.x_test[:200]), steps=100)
    assert res[0.5][0] < res[1.0][0]          # the codes shrink with the prior
