"""Reference solutions of notebook 00's exercises: each checker accepts them and rejects wrong ones."""
import numpy as np
import torch

from course_lib.exercises import ch00


def test_posterior(capsys):
    ref = ch00.JOINT[0] / ch00.JOINT[0].sum()
    assert ch00.check_posterior(ref) is True
    assert ch00.check_posterior(ch00.JOINT[0]) is False  # the joint row, not normalised
    assert ch00.check_posterior(ch00.JOINT[:, 0] / ch00.JOINT[:, 0].sum()) is False  # p(x | y=0)
    assert ch00.check_posterior(...) is None
    assert ch00.check_posterior("nonsense") is False  # feedback, no traceback
    assert "p(x)" in capsys.readouterr().out


def test_mse_prediction():
    assert ch00.check_mse_prediction(0.7 * np.sqrt(0.64) - 0.3 * np.sqrt(0.64)) is True
    assert ch00.check_mse_prediction(0.8) is False  # the likelier answer is not what MSE learns
    assert ch00.check_mse_prediction(0.0) is False
    assert ch00.check_mse_prediction(...) is None


def reference_log_joint(x, log_prior, theta):
    return log_prior + x @ torch.log(theta).T + (1 - x) @ torch.log1p(-theta).T


def test_nb_log_joint():
    assert ch00.check_nb_log_joint(reference_log_joint) is True
    # forgetting the pixels that are off is the usual mistake
    assert ch00.check_nb_log_joint(lambda x, lp, th: lp + x @ torch.log(th).T) is False
    assert ch00.check_nb_log_joint(lambda x, lp, th: (lp + x @ torch.log(th).T).T) is False  # wrong shape
    assert ch00.check_nb_log_joint(42) is False
    assert ch00.check_nb_log_joint(...) is None


def test_reference_log_joint_agrees_with_the_library():
    from course_lib.likelihood import NaiveBayes

    gen = torch.Generator().manual_seed(0)
    x = torch.randint(0, 2, (40, 6), generator=gen)
    y = torch.randint(0, 3, (40,), generator=gen)
    nb = NaiveBayes(6, 3, levels=2).fit(x, y)
    theta = nb.log_probs[:, :, 1].exp()
    torch.testing.assert_close(reference_log_joint(x.float(), nb.log_prior, theta), nb.log_joint(x))


def test_nb_parameter_count():
    assert ch00.check_nb_parameter_count(10 * 64 + 9) is True
    assert ch00.check_nb_parameter_count(10 * 64) is False
    assert ch00.check_nb_parameter_count(649.5) is False
    assert ch00.check_nb_parameter_count(...) is None
