"""Naive Bayes (notebook 00): counting = maximum likelihood, checked against scikit-learn."""
import numpy as np
import pytest
import torch
from sklearn.naive_bayes import BernoulliNB, CategoricalNB

from course_lib.data import binarize, load_digits
from course_lib.likelihood import LogisticRegression, NaiveBayes, discretize
from course_lib.training import fit


@pytest.fixture(scope="module")
def digits():
    return load_digits()


def _codes(split, levels):
    tr = discretize(split.x_train, levels).reshape(len(split.x_train), -1)
    te = discretize(split.x_test, levels).reshape(len(split.x_test), -1)
    return tr, te


def test_discretize_levels_and_binarize_agree(digits):
    assert torch.equal(discretize(digits.x_train, 2).float(), binarize(digits.x_train))
    codes = discretize(digits.x_train, 17)
    assert torch.equal(codes.float() / 16, digits.x_train)  # digits are exactly k/16
    assert discretize(torch.tensor([0.0, 0.49, 0.5, 0.51, 1.0]), 2).tolist() == [0, 0, 0, 1, 1]
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        discretize(torch.tensor([1.5]), 2)
    with pytest.raises(ValueError, match="levels must be >= 2"):
        discretize(torch.tensor([0.5]), 1)


@pytest.mark.parametrize("alpha", [1.0, 0.3])
def test_bernoulli_matches_sklearn(digits, alpha):
    xtr, xte = _codes(digits, 2)
    nb = NaiveBayes(64, 10, levels=2, alpha=alpha).fit(xtr, digits.y_train)
    sk = BernoulliNB(alpha=alpha).fit(xtr.numpy(), digits.y_train.numpy())
    np.testing.assert_allclose(nb.log_joint(xte).numpy(), sk.predict_joint_log_proba(xte.numpy()), atol=1e-3)
    np.testing.assert_allclose(nb.predict_log_proba(xte).numpy(), sk.predict_log_proba(xte.numpy()), atol=1e-3)
    assert np.array_equal(nb.predict(xte).numpy(), sk.predict(xte.numpy()))


def test_categorical_17_levels_matches_sklearn_and_classifies(digits):
    xtr, xte = _codes(digits, 17)
    nb = NaiveBayes(64, 10, levels=17, alpha=1.0).fit(xtr, digits.y_train)
    sk = CategoricalNB(alpha=1.0, min_categories=17).fit(xtr.numpy(), digits.y_train.numpy())
    np.testing.assert_allclose(nb.predict_log_proba(xte).numpy(), sk.predict_log_proba(xte.numpy()), atol=1e-3)
    assert np.array_equal(nb.predict(xte).numpy(), sk.predict(xte.numpy()))
    assert nb.accuracy(xte, digits.y_test) >= 0.88


def test_bernoulli_test_accuracy_threshold(digits):
    xtr, xte = _codes(digits, 2)
    nb = NaiveBayes(64, 10, levels=2).fit(xtr, digits.y_train)
    assert nb.accuracy(xte, digits.y_test) >= 0.85


def test_counts_are_the_maximum_likelihood_estimate(digits):
    """alpha=0: the fitted parameters beat any perturbation of them in training log-likelihood."""
    xtr, _ = _codes(digits, 2)
    nb = NaiveBayes(64, 10, levels=2, alpha=0.0).fit(xtr, digits.y_train)
    # closed form: theta = fraction of class-k images with pixel on
    theta = torch.stack([xtr[digits.y_train == k].float().mean(0) for k in range(10)])
    torch.testing.assert_close(nb.log_probs[:, :, 1].exp(), theta)
    nb.set_alpha(0.5)  # smoothing moves away from the MLE: finite everywhere, lower training likelihood
    ll_smooth = nb.log_joint(xtr).gather(1, digits.y_train[:, None]).sum()
    nb.set_alpha(0.0)
    ll_mle = nb.log_joint(xtr).gather(1, digits.y_train[:, None]).sum()
    assert ll_mle > ll_smooth


def test_log_prob_is_a_normalised_distribution():
    """With 3 binary pixels there are 8 objects: p(x) sums to 1 and Σ_x p(x, y) = p(y)."""
    gen = torch.Generator().manual_seed(1)
    x = torch.randint(0, 2, (50, 3), generator=gen)
    y = torch.randint(0, 2, (50,), generator=gen)
    nb = NaiveBayes(3, 2, levels=2, alpha=1.0).fit(x, y)
    all_x = torch.tensor([[(i >> b) & 1 for b in range(3)] for i in range(8)])
    assert torch.isclose(nb.log_prob(all_x).exp().sum(), torch.tensor(1.0), atol=1e-6)
    torch.testing.assert_close(nb.log_joint(all_x).exp().sum(0), nb.log_prior.exp())


def test_samples_follow_the_model(digits):
    xtr, _ = _codes(digits, 2)
    nb = NaiveBayes(64, 10, levels=2).fit(xtr, digits.y_train)
    gen = torch.Generator().manual_seed(0)
    codes, y = nb.sample(4000, y=torch.full((4000,), 3), generator=gen)
    assert codes.shape == (4000, 64) and (y == 3).all()
    # per-pixel frequencies match p(x_d = 1 | y = 3) (binomial std ≤ 0.008)
    assert (codes.float().mean(0) - nb.pixel_probs()[3]).abs().max() < 0.04
    _, y_free = nb.sample(5000, generator=gen)
    freq = torch.bincount(y_free, minlength=10).float() / 5000
    assert (freq - nb.log_prior.exp()).abs().max() < 0.03
    # independence given y: neighbouring pixels are correlated in real 3s but not in samples
    real = xtr[digits.y_train == 3].float()
    keep = (real.std(0) > 0.1) & (codes.float().std(0) > 0.1)  # constant pixels have no correlation

    def mean_abs_corr(a):
        c = np.corrcoef(a[:, keep].numpy().T)
        return np.abs(c[np.triu_indices(len(c), 1)]).mean()
    assert mean_abs_corr(real) > 2 * mean_abs_corr(codes.float())


@pytest.mark.slow
def test_logistic_regression_learns_and_beats_naive_bayes(digits):
    """The discriminative model, free of the independence assumption, is more accurate on digits."""
    torch.manual_seed(0)
    xtr, xte = _codes(digits, 2)
    nb = NaiveBayes(64, 10, levels=2).fit(xtr, digits.y_train)
    lr = LogisticRegression(64, 10)
    hist = fit(lr, (xtr.float(), digits.y_train), steps=300, batch_size=256, lr=0.05, progress=False)
    assert hist.mean_last("nll", 20) < 0.4
    acc = lr.accuracy(xte.float(), digits.y_test)
    assert acc >= 0.9 and acc > nb.accuracy(xte, digits.y_test)
