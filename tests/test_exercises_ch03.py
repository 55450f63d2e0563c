"""Exercise checkers of notebook 03 accept the reference solutions and reject wrong answers."""
import torch

from course_lib.exercises import ch03


def test_prox_l1(capsys):
    ref = lambda a, lam: torch.sign(a) * torch.clamp(a.abs() - lam, min=0)  # noqa: E731  reference solution
    assert ch03.check_prox_l1(ref) is True
    assert ch03.check_prox_l1(lambda a, lam: a / (1 + 2 * lam)) is False        # the L2 shrink: no zeros
    assert ch03.check_prox_l1(lambda a, lam: a * (a.abs() > lam)) is False      # hard threshold
    assert ch03.check_prox_l1(lambda a, lam: 1 / 0) is False                    # errors become feedback
    assert ch03.check_prox_l1(...) is None
    assert "not yet" in capsys.readouterr().out


def test_group_shrink():
    def ref(R, lam):   # reference solution
        n = R.norm(dim=1, keepdim=True)
        return R * torch.clamp(1 - lam / n, min=0)

    assert ch03.check_group_shrink(ref) is True
    elementwise = lambda R, lam: torch.sign(R) * torch.clamp(R.abs() - lam, min=0)  # noqa: E731
    assert ch03.check_group_shrink(elementwise) is False                           # per entry, not per object
    assert ch03.check_group_shrink(lambda R, lam: R) is False
    assert ch03.check_group_shrink(...) is None


def test_conv_parameters():
    assert ch03.check_conv_parameters(16 * 32 * 25 + 32, c_in=16, c_out=32, k=5) is True   # reference
    assert ch03.check_conv_parameters(sum(p.numel() for p in torch.nn.Conv2d(16, 32, 5).parameters())) is True
    assert ch03.check_conv_parameters(16 * 32 * 25) is False      # forgot the biases
    assert ch03.check_conv_parameters(12832.5) is False
    assert ch03.check_conv_parameters(True) is False
    assert ch03.check_conv_parameters(...) is None
