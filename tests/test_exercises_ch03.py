"""Notebook 03's checkers accept the reference solutions (solutions/ch03.py) and reject typical mistakes and
random guesses."""
import pytest
import torch

from course_lib.exercises import ch03
from solutions import ch03 as sol


def test_prox_elastic(capsys):
    assert ch03.check_prox_elastic(sol.prox_elastic) is True
    soft = lambda a, lam: torch.sign(a) * (a.abs() - lam).clamp_min(0)  # noqa: E731
    assert ch03.check_prox_elastic(lambda a, lam, mu: soft(a, lam)) is False                 # ignores μ
    assert ch03.check_prox_elastic(lambda a, lam, mu: soft(a / (1 + mu), lam)) is False      # shrinks first
    assert ch03.check_prox_elastic(lambda a, lam, mu: soft(a, lam / 2) / (1 + mu)) is False  # λ/2 (no ½ form)
    assert ch03.check_prox_elastic(lambda a, lam, mu: a / (1 + mu + 2 * lam)) is False       # no kink
    assert ch03.check_prox_elastic(lambda a, lam, mu: torch.randn(a.shape, dtype=a.dtype)) is False
    assert ch03.check_prox_elastic(...) is None
    assert "not yet" in capsys.readouterr().out


def test_masking_with_clean_fraction():
    assert ch03.check_masking_with_clean_fraction(sol.masking_with_clean_fraction) is True

    def every_object(x, p, q, generator=None):                                   # forgets the clean fraction
        return x * (torch.rand(x.shape, generator=generator) >= p)

    def per_pixel_q(x, p, q, generator=None):                                    # clean decided per pixel
        keep = (torch.rand(x.shape, generator=generator) >= p) | (torch.rand(x.shape, generator=generator) < q)
        return x * keep

    def keep_with_p(x, p, q, generator=None):                                    # p and 1 − p swapped
        return sol.masking_with_clean_fraction(x, 1 - p, q, generator)

    def unseeded(x, p, q, generator=None):
        return sol.masking_with_clean_fraction(x, p, q, None)

    def random_guess(x, p, q, generator=None):
        return x * (torch.rand(x.shape) > torch.rand(()))

    for wrong in (every_object, per_pixel_q, keep_with_p, unseeded, random_guess):
        assert ch03.check_masking_with_clean_fraction(wrong) is False, wrong.__name__


def test_conv_shapes():
    assert ch03.check_conv_shapes(sol.conv_shapes) is True
    assert ch03.check_conv_shapes(lambda h, k, s, p: ((h - k) // s + 1, (h - 1) * s + k)) is False    # no padding
    assert ch03.check_conv_shapes(lambda h, k, s, p: ((h + 2 * p - k) // s + 1, h * s)) is False
    assert ch03.check_conv_shapes(lambda h, k, s, p: (-(-(h + 2 * p - k) // s) + 1, (h - 1) * s - 2 * p + k)) is False  # ceil
    assert ch03.check_conv_shapes(lambda h, k, s, p: (h, h)) is False
    assert ch03.check_conv_shapes(lambda h, k, s, p: tuple(torch.randint(1, 30, (2,)).tolist())) is False


@pytest.mark.slow
def test_open_exercise_4_runs():
    from course_lib.data import load_mnist

    mnist = load_mnist()
    table = sol.exercise_4(mnist.x_train[:1000], mnist.x_test[:200], steps=60)
    assert len(table) == 12 and all(v > 0 for v in table.values())
