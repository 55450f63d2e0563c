"""Reference solutions of 06_wasserstein_gans' exercises; each checker accepts them and rejects a wrong answer."""
import math

import numpy as np

from course_lib.exercises import ch06


def test_emd_1d():
    assert ch06.check_emd_1d(lambda x, y: np.abs(np.sort(x) - np.sort(y)).mean()) is True
    assert ch06.check_emd_1d(lambda x, y: np.abs(x - y).mean()) is False  # unsorted pairing is not optimal
    assert ch06.check_emd_1d(lambda x, y: abs(x.mean() - y.mean())) is False
    assert ch06.check_emd_1d(...) is None


def test_parallel_lines():
    assert ch06.check_parallel_lines({"kl": math.inf, "js": math.log(2), "w": 0.5}) is True
    assert ch06.check_parallel_lines({"kl": math.inf, "js": 0.5, "w": 0.5}) is False
    assert ch06.check_parallel_lines({"kl": 1.0}) is False  # missing keys become feedback, not a KeyError


def test_linear_critic_penalty():
    assert ch06.check_linear_critic_penalty((math.hypot(3, 4) - 1) ** 2) is True
    assert ch06.check_linear_critic_penalty(4.0) is False
