"""Notebook 06's checkers accept the reference solutions (solutions/ch06.py) and reject typical mistakes, random
guesses and SciPy's or the course's own functions; the open exercise's expected outcome is checked."""
import numpy as np
import torch
from scipy.stats import wasserstein_distance

from course_lib import evaluation, gans
from course_lib.exercises import ch06
from solutions import ch06 as sol


def test_emd_1d(capsys):
    assert ch06.check_emd_1d(sol.emd_1d) is True
    assert ch06.check_emd_1d(lambda x, y: np.abs(np.sort(x) - np.sort(y)).mean()) is False  # equal sizes only
    assert ch06.check_emd_1d(lambda x, y: abs(x.mean() - y.mean())) is False                # means only
    assert ch06.check_emd_1d(lambda x, y: np.random.rand()) is False
    assert ch06.check_emd_1d(wasserstein_distance) is False
    assert ch06.check_emd_1d(evaluation.emd_1d) is False
    assert ch06.check_emd_1d(...) is None
    assert "not yet" in capsys.readouterr().out


def test_one_sided_penalty():
    assert ch06.check_one_sided_penalty(sol.one_sided_penalty) is True

    def two_sided(D, real, fake, eps):
        x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
        (g,) = torch.autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)
        return ((g.norm(dim=1) - 1) ** 2).mean()

    def no_graph(D, real, fake, eps):               # forgets create_graph: cannot train the critic
        x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
        (g,) = torch.autograd.grad(D(x_hat).sum(), x_hat)
        return (torch.clamp(g.norm(dim=1) - 1, min=0) ** 2).mean()

    def at_real(D, real, fake, eps):                # penalises at the real points, not the interpolates
        return sol.one_sided_penalty(D, real, real, eps)

    for wrong in (two_sided, no_graph, at_real, lambda D, r, f, e: torch.rand(()), gans.gradient_penalty):
        assert ch06.check_one_sided_penalty(wrong) is False


def test_c_transform():
    assert ch06.check_c_transform(sol.c_transform) is True
    C = lambda x, y: np.sqrt(((x[:, None] - y[None]) ** 2).sum(-1))  # noqa: E731
    assert ch06.check_c_transform(lambda u, x, y: (C(x, y) - u[:, None]).max(0)) is False   # max, not min
    assert ch06.check_c_transform(lambda u, x, y: (C(x, y) + u[:, None]).min(0)) is False   # sign of u
    assert ch06.check_c_transform(lambda u, x, y: -u) is False                               # v = −u
    assert ch06.check_c_transform(lambda u, x, y: np.random.rand(len(y))) is False


def test_open_exercise_expected_outcome():
    """Without a Lipschitz constraint the critic's gap runs far past the EMD and keeps growing; with the
    penalty it stays near the EMD (as EXERCISE_4 says)."""
    gaps, w = sol.exercise_4()
    free, penalised = gaps[0.0], gaps[10.0]
    assert free[-1] > 3 * w and free[-1] > 1.5 * free[0]          # grows, far past the EMD
    assert abs(penalised[-1] - w) < 0.25 * w                        # levels off near it
    assert "expected outcome" in sol.EXERCISE_4
