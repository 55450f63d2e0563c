"""Exercise checkers of notebook 02 accept the reference solutions and reject wrong answers."""
import torch

from course_lib.exercises import ch02


def test_projector(capsys):
    assert ch02.check_projector(lambda U: U @ U.T) is True          # reference solution
    assert ch02.check_projector(lambda U: U.T @ U) is False         # wrong shape: (m, m)
    assert ch02.check_projector(lambda U: torch.eye(U.shape[0], dtype=U.dtype)) is False
    assert ch02.check_projector(lambda U: 1 / 0) is False           # errors become feedback
    assert ch02.check_projector(...) is None
    assert "not yet" in capsys.readouterr().out


def test_components_for_variance():
    s = torch.tensor([3.0, 2.0, 1.0, 0.5])       # squared: 9, 4, 1, .25 -> cumulative .63, .91, .98, 1
    assert ch02.check_components_for_variance(2, s, level=0.9) is True   # reference solution
    assert ch02.check_components_for_variance(3, s, level=0.9) is False
    assert ch02.check_components_for_variance(2.5, s, level=0.9) is False
    assert ch02.check_components_for_variance(..., s) is None
