"""Notebook 00's checkers accept the reference solutions (solutions/ch00.py) and reject wrong answers and
random guesses; none raises."""
import numpy as np
import torch

from course_lib.data import load_digits
from course_lib.exercises import ch00
from course_lib.likelihood import NaiveBayes
from solutions import ch00 as sol


def test_posterior(capsys):
    assert ch00.check_posterior(sol.exercise_1()) is True
    J = ch00.JOINT
    assert ch00.check_posterior(J / J.sum(1, keepdims=True)) is False         # the old prior: p(y | x) of the table
    assert ch00.check_posterior(J / J.sum(0, keepdims=True)) is False         # p(x | y), not renormalised over y
    assert ch00.check_posterior(J * 3) is False
    assert ch00.check_posterior(np.random.default_rng(0).dirichlet(np.ones(3), size=2)) is False   # random guess
    assert ch00.check_posterior(...) is None
    out = capsys.readouterr().out
    assert "0.9" not in out and "0.1" not in out                              # hints never print the answer


def test_best_constant():
    assert ch00.check_best_constant(sol.best_constant) is True
    assert ch00.check_best_constant(lambda v, p: v[np.argmax(p)]) is False     # the mode
    assert ch00.check_best_constant(lambda v, p: np.median(v)) is False
    assert ch00.check_best_constant(lambda v, p: np.mean(v)) is False          # unweighted
    assert ch00.check_best_constant(lambda v, p: np.random.default_rng(1).normal()) is False
    assert ch00.check_best_constant(lambda v, p: 0.32) is False                # the one number that fits ex. 2


def test_nb_sampler():
    assert ch00.check_nb_sampler(sol.sample_nb) is True

    def uniform_labels(log_prior, theta, n, generator=None):                   # ignores the prior
        y = torch.randint(0, len(log_prior), (n,), generator=generator)
        return (torch.rand(n, theta.shape[1], generator=generator) < theta[y]).float(), y

    def inverted(log_prior, theta, n, generator=None):                         # P(x = 1) = 1 − θ
        y = torch.multinomial(log_prior.exp(), n, replacement=True, generator=generator)
        return (torch.rand(n, theta.shape[1], generator=generator) > theta[y]).float(), y

    def mean_image(log_prior, theta, n, generator=None):                       # θ itself, not a draw
        y = torch.multinomial(log_prior.exp(), n, replacement=True, generator=generator)
        return theta[y], y

    def unseeded(log_prior, theta, n, generator=None):
        return sol.sample_nb(log_prior, theta, n, None)

    def random_guess(log_prior, theta, n, generator=None):
        return torch.randint(0, 2, (n, theta.shape[1])).float(), torch.randint(0, len(log_prior), (n,))

    for wrong in (uniform_labels, inverted, mean_image, unseeded, random_guess):
        assert ch00.check_nb_sampler(wrong) is False, wrong.__name__


def test_nb_parameter_count():
    assert ch00.check_nb_parameter_count(sol.count_parameters) is True
    assert ch00.check_nb_parameter_count(lambda d, k, lv: (k + k * d * lv, k * lv**d)) is False   # forgets Σ = 1
    assert ch00.check_nb_parameter_count(lambda d, k, lv: (k * d, 2**d)) is False
    assert ch00.check_nb_parameter_count(lambda d, k, lv: (649, 10 * 2**64 - 1)) is False      # one case only
    assert ch00.check_nb_parameter_count(lambda d, k, lv: tuple(np.random.default_rng(0).integers(1, 1000, 2))) is False


def test_open_exercise_5_runs():
    digits = load_digits()
    tr = (digits.x_train.reshape(len(digits.x_train), -1) >= 0.5).long()
    te = (digits.x_test.reshape(len(digits.x_test), -1) >= 0.5).long()
    nb = NaiveBayes(n_features=64, n_classes=10, levels=2, alpha=1.0).fit(tr, digits.y_train)
    acc = sol.exercise_5(nb, te, digits.y_test)
    # measured: 0.911 (κ = 0.01), 0.900 (1 and 10), 0.850 (100), 0.783 (1000)
    assert abs(acc[0.01] - acc[10.0]) < 0.03 and nb.alpha == 1.0
    assert acc[100.0] < acc[1.0] - 0.03 and acc[1000.0] < acc[1.0] - 0.05
    nb.set_alpha(1000.0)   # every pixel nearly a fair coin (measured: at most 0.035 from 1/2)
    assert float((nb.pixel_probs() - 0.5).abs().max()) < 0.05
