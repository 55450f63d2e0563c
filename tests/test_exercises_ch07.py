"""Notebook 07's checkers accept the reference solutions (solutions/ch07.py) and reject typical mistakes, the
course's own functions and a random guess."""
import math

import torch

from course_lib.diffusion import NoiseSchedule, ddim_sample
from course_lib.diffusion.ddpm import DDPM
from course_lib.exercises import ch07
from solutions import ch07 as sol


def test_cosine_schedule(capsys):
    assert ch07.check_cosine_schedule(sol.cosine_alpha_bar) is True
    as_list = lambda T, s, mb: sol.cosine_alpha_bar(T, s, mb).tolist()                    # noqa: E731
    assert ch07.check_cosine_schedule(as_list) is True                                    # any array-like

    def no_cap(T, s=0.008, max_beta=0.999):
        t = torch.arange(T + 1, dtype=torch.float64)
        f = torch.cos((t / T + s) / (1 + s) * math.pi / 2) ** 2
        return f / f[0]

    def not_normalised(T, s=0.008, max_beta=0.999):
        t = torch.arange(T + 1, dtype=torch.float64)
        return torch.cos((t / T + s) / (1 + s) * math.pi / 2) ** 2

    def no_offset(T, s=0.008, max_beta=0.999):
        return sol.cosine_alpha_bar(T, 0.0, max_beta)

    def T_values(T, s=0.008, max_beta=0.999):                                              # drops ᾱ_0 = 1
        return sol.cosine_alpha_bar(T, s, max_beta)[1:]

    for wrong in (no_cap, not_normalised, no_offset, T_values, lambda T, s, mb: torch.rand(T + 1),
                  lambda T, s, mb: 1 / 0):
        assert ch07.check_cosine_schedule(wrong) is False, wrong
    lib = lambda T, s, mb: NoiseSchedule.cosine(T, s, mb).alpha_bar                        # noqa: E731
    assert ch07.check_cosine_schedule(lib) is True       # a wrapper cannot be told apart; the object itself is refused
    assert ch07.check_cosine_schedule(NoiseSchedule.cosine) is False
    assert ch07.check_cosine_schedule(...) is None
    out = capsys.readouterr().out
    assert "course's own implementation" in out and "not answered" in out


def test_ddim_step(capsys):
    assert ch07.check_ddim_step(sol.ddim_step) is True

    def no_re_eps(x, e, a, s, eta, z, clip):                      # clips x̂_0 but keeps the old ε̂
        x0 = (x - (1 - a) ** 0.5 * e) / a ** 0.5
        if clip is not None:
            x0 = x0.clamp(-clip, clip)
        sig = eta * ((1 - s) / (1 - a)) ** 0.5 * (1 - a / s) ** 0.5
        return s ** 0.5 * x0 + (1 - s - sig ** 2) ** 0.5 * e + sig * z

    def keeps_full_variance(x, e, a, s, eta, z, clip):            # forgets the −σ² under the root
        sig = eta * ((1 - s) / (1 - a)) ** 0.5 * (1 - a / s) ** 0.5
        return sol.ddim_step(x, e, a, s, 0.0, None, clip) + sig * z

    def eta_as_beta(x, e, a, s, eta, z, clip):                     # σ = η √(1 − ᾱ_t/ᾱ_s): β-like, not β̃
        x_s = sol.ddim_step(x, e, a, s, 0.0, None, clip)
        return x_s + eta * (1 - a / s) ** 0.5 * z

    def eta_zero_only(x, e, a, s, eta, z, clip):
        return sol.ddim_step(x, e, a, s, 0.0, None, clip)

    for wrong in (no_re_eps, keeps_full_variance, eta_as_beta, eta_zero_only,
                  lambda x, e, a, s, eta, z, clip: torch.randn_like(x)):
        assert ch07.check_ddim_step(wrong) is False, wrong.__name__ if hasattr(wrong, "__name__") else wrong
    assert ch07.check_ddim_step(ddim_sample) is False                                      # the library's sampler
    def alpha_not_sqrt(x, e, a, s, eta, z, clip):                 # x̂_0 divides by ᾱ_t instead of √ᾱ_t
        return s ** 0.5 * (x - (1 - a) ** 0.5 * e) / a + (1 - s) ** 0.5 * e

    assert ch07.check_ddim_step(alpha_not_sqrt) is False
    assert "course's own implementation" in capsys.readouterr().out


def test_guided_step(capsys):
    assert ch07.check_guided_step(sol.guided_step) is True

    def sign_swapped(eps_model, x, t, s, y, w, ab):
        return sol.ddim_step(x, (1 + w) * eps_model(x, t, None) - w * eps_model(x, t, y), ab[t], ab[s])

    def no_one(eps_model, x, t, s, y, w, ab):                                    # ε_c + w ε_u
        return sol.ddim_step(x, eps_model(x, t, y) + w * eps_model(x, t, None), ab[t], ab[s])

    def conditional_only(eps_model, x, t, s, y, w, ab):
        return sol.ddim_step(x, eps_model(x, t, y), ab[t], ab[s])

    def swapped_times(eps_model, x, t, s, y, w, ab):
        e = (1 + w) * eps_model(x, t, y) - w * eps_model(x, t, None)
        return sol.ddim_step(x, e, ab[s], ab[t])

    for wrong in (sign_swapped, no_one, conditional_only, swapped_times):
        assert ch07.check_guided_step(wrong) is False, wrong.__name__
    assert ch07.check_guided_step(DDPM.eps_fn) is False
    assert "course's own implementation" in capsys.readouterr().out
