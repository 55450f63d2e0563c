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


def test_receptive_field():
    assert ch03.check_receptive_field(sol.receptive_field) is True

    def no_strides(layers):                                                      # ignores the strides
        return 1 + sum(k - 1 for k, _ in layers)

    def own_stride_too(layers):                                                  # multiplies by its own stride
        r, jump = 1, 1
        for k, s in layers:
            jump *= s
            r += (k - 1) * jump
        return r

    def product_of_kernels(layers):
        out = 1
        for k, _ in layers:
            out *= k
        return out

    def by_autograd(layers):                                                     # what the checker does
        net = torch.nn.Sequential(*[torch.nn.Conv2d(1, 1, k, s) for k, s in layers])
        return net

    for wrong in (no_strides, own_stride_too, product_of_kernels, by_autograd,
                  lambda layers: int(torch.randint(1, 40, ()))):                 # a random guess
        assert ch03.check_receptive_field(wrong) is False, getattr(wrong, "__name__", wrong)


@pytest.mark.slow
def test_open_exercise_4_runs():
    from course_lib.data import load_mnist

    mnist = load_mnist()
    table = sol.exercise_4(mnist.x_train[:1000], mnist.x_test[:200], steps=60)
    assert len(table) == 12 and all(v > 0 for v in table.values())
