"""Reference solutions of 05_gans' exercises; each checker accepts them and rejects a wrong answer."""
import math

import torch
import torch.nn.functional as F

from course_lib.exercises import ch05


def test_optimal_discriminator(capsys):
    assert ch05.check_optimal_discriminator(lambda p, q: p / (p + q)) is True
    assert ch05.check_optimal_discriminator(lambda p, q: q / (p + q)) is False
    assert ch05.check_optimal_discriminator(...) is None
    assert "not yet" in capsys.readouterr().out.splitlines()[1]


def test_nonsaturating_loss():
    assert ch05.check_nonsaturating_loss(lambda s: F.softplus(-s).mean()) is True
    assert ch05.check_nonsaturating_loss(lambda s: -F.logsigmoid(s).mean()) is True
    # the naive log of a sigmoid underflows at s = −120 (float32): rejected with a hint
    assert ch05.check_nonsaturating_loss(lambda s: -torch.log(torch.sigmoid(s)).mean()) is False
    assert ch05.check_nonsaturating_loss(lambda s: torch.log(1 - torch.sigmoid(s)).mean()) is False
    assert ch05.check_nonsaturating_loss(lambda s: 1 / 0) is False  # errors become feedback


def test_equilibrium_value():
    assert ch05.check_equilibrium_value(-math.log(4)) is True
    assert ch05.check_equilibrium_value(-2 * math.log(2)) is True
    assert ch05.check_equilibrium_value(0.5) is False
    assert ch05.check_equilibrium_value("a lot") is False
