"""Kernel Inception Distance (notebook 09) against an independent formula, scikit-learn's polynomial kernel and
torchmetrics' ``KernelInceptionDistance`` run on the course's own feature extractor."""
import numpy as np
import pytest
import torch
from sklearn.metrics.pairwise import polynomial_kernel as sk_poly
from torch import nn

from course_lib import data
from course_lib.evaluation import kernel_inception_distance
from course_lib.evaluation.features import feature_classifier, features_and_probs


def kid_loops(a, b):
    """MMD² by explicit pairs: mean of k over pairs i ≠ j within each set, minus twice the cross mean."""
    d = a.shape[1]
    k = lambda x, y: (x @ y / d + 1.0) ** 3  # noqa: E731
    n, m = len(a), len(b)
    kaa = sum(k(a[i], a[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    kbb = sum(k(b[i], b[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    kab = sum(k(a[i], b[j]) for i in range(n) for j in range(m)) / (n * m)
    return kaa + kbb - 2 * kab


@pytest.mark.parametrize("n, m, d", [(7, 9, 1), (20, 15, 4), (30, 30, 12)])
def test_matches_pairwise_loops_and_sklearn_kernel(n, m, d):
    rng = np.random.default_rng(n + d)
    a, b = rng.normal(size=(n, d)), rng.normal(0.3, 1.2, size=(m, d))
    want = kid_loops(a, b)
    assert kernel_inception_distance(a, b) == pytest.approx(want, rel=1e-10)
    # scikit-learn's polynomial kernel with gamma = 1/d (its default), coef0 = 1, degree 3
    kaa, kbb, kab = sk_poly(a), sk_poly(b), sk_poly(a, b)
    sk = ((kaa.sum() - np.trace(kaa)) / (n * (n - 1)) + (kbb.sum() - np.trace(kbb)) / (m * (m - 1))
          - 2 * kab.mean())
    assert kernel_inception_distance(a, b) == pytest.approx(sk, rel=1e-10)
    assert kernel_inception_distance(a, b) == pytest.approx(kernel_inception_distance(b, a), rel=1e-12)


def test_unbiased_for_one_distribution_while_fid_is_not():
    """Averaged over many pairs of samples of one distribution, KID is 0 within its standard error at every n."""
    rng = np.random.default_rng(0)
    for n in (20, 80):
        vals = np.array([kernel_inception_distance(rng.normal(size=(n, 5)), rng.normal(size=(n, 5)))
                         for _ in range(300)])
        assert abs(vals.mean()) < 4 * vals.std(ddof=1) / np.sqrt(len(vals))
        assert (vals < 0).any()  # one estimate can be negative: the unbiased estimator is not clipped
    shifted = kernel_inception_distance(rng.normal(size=(200, 5)), rng.normal(0.5, 1, size=(200, 5)))
    assert shifted > 0.05


def test_subsets_average_subset_estimates():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(50, 3)), rng.normal(0.2, 1, size=(60, 3))
    got = kernel_inception_distance(a, b, subsets=4, subset_size=20, seed=3)
    r = np.random.default_rng(3)
    want = np.mean([kid_loops(a[r.choice(50, 20, replace=False)], b[r.choice(60, 20, replace=False)])
                    for _ in range(4)])
    assert got == pytest.approx(want, rel=1e-10)


tm_kid = pytest.importorskip("torchmetrics.image.kid", reason="torchmetrics is a dev dependency (pyproject)")


class Features(nn.Module):
    """The course's MNIST feature classifier as torchmetrics wants it (float64 features, num_features given)."""

    def __init__(self):
        super().__init__()
        self.net = feature_classifier("mnist")
        self.num_features = 64

    def forward(self, x):
        return self.net.features(x.float()).double()


def test_torchmetrics_kid_with_our_extractor_agrees():
    """torchmetrics draws random subsets of equal size; one subset of the full size is the whole sets."""
    mnist = data.load_mnist()
    real = mnist.x_test[:400]
    fake = (mnist.x_train[:400] + 0.3 * torch.rand(400, 1, 28, 28, generator=torch.Generator().manual_seed(0))).clamp(0, 1)
    metric = tm_kid.KernelInceptionDistance(feature=Features(), subsets=1, subset_size=400, normalize=True)
    with torch.no_grad():
        metric.update(real, real=True)
        metric.update(fake, real=False)
        theirs, _ = metric.compute()
    ours = kernel_inception_distance(features_and_probs(real, "mnist")[0], features_and_probs(fake, "mnist")[0])
    assert ours > 0.01  # a clear difference, so a relative tolerance means something
    assert float(theirs) == pytest.approx(ours, rel=1e-9)
