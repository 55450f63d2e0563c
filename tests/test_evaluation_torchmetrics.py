"""Our FID agrees with torchmetrics' FrechetInceptionDistance run on the course's own feature extractor.

torchmetrics (read in its source, version 1.9): with ``feature=<nn.Module>`` it never imports torch-fidelity
(only the default Inception extractor needs it). ``update`` calls the module, casts the features to float64
and accumulates Σf and Σffᵀ; ``compute`` forms the unbiased covariances and takes
``eigvals(Σ_real Σ_fake).sqrt().real.sum()`` (a general, non-symmetric eigen-solver; ours uses a symmetric
eigen-decomposition), then casts the result back to the dtype of the extractor's output. With a float32
extractor the returned FID is therefore rounded to float32 (relative error ≤ 6e-8); with a float64 extractor
the two agree to the rounding of the two eigen-solvers.

If the module has no ``num_features`` attribute, torchmetrics calls it once at construction on a random
image of ``input_img_size`` (default (3, 299, 299), uint8 unless ``normalize=True``; its issue #2266), so a
28×28 extractor must either expose ``num_features`` or be given ``input_img_size=(1, 28, 28)``.
"""
import numpy as np
import pytest
import torch
from torch import nn

from course_lib import data
from course_lib.evaluation import frechet_distance
from course_lib.evaluation.features import feature_classifier, features_and_probs
from course_lib.evaluation.fid import gaussian_stats

tm_fid = pytest.importorskip("torchmetrics.image.fid", reason="torchmetrics is a dev dependency (pyproject)")


class Features(nn.Module):
    """The course's MNIST feature classifier as torchmetrics wants it: images (N, 1, 28, 28) → features (N, 64)."""

    def __init__(self, dtype=torch.float32, with_num_features=True):
        super().__init__()
        self.net = feature_classifier("mnist")
        self.dtype = dtype
        if with_num_features:
            self.num_features = 64

    def forward(self, x):
        return self.net.features(x.float()).to(self.dtype)


@pytest.fixture(scope="module")
def image_sets():
    mnist = data.load_mnist()
    g = torch.Generator().manual_seed(0)
    real = mnist.x_test[:600]
    # a visibly different set: training digits with pixel noise (FID of a few tens, well above the floor)
    fake = (mnist.x_train[:500] + 0.3 * torch.rand(500, 1, 28, 28, generator=g)).clamp(0, 1)
    return real, fake


def _torchmetrics_fid(module, real, fake, **kw):
    metric = tm_fid.FrechetInceptionDistance(feature=module, normalize=True, **kw)
    for chunk in real.split(256):  # several updates: the sums must accumulate like one pass
        metric.update(chunk, real=True)
    metric.update(fake, real=False)
    return metric.compute()


@pytest.mark.parametrize("dtype, rtol", [(torch.float32, 1e-6), (torch.float64, 1e-10)])
def test_torchmetrics_fid_with_our_extractor_agrees(image_sets, dtype, rtol):
    real, fake = image_sets
    with torch.no_grad():
        theirs = _torchmetrics_fid(Features(dtype), real, fake)
    assert theirs.dtype == dtype  # cast back to the extractor's dtype: the float32 case is rounded to float32
    ours = frechet_distance(features_and_probs(fake, "mnist")[0], features_and_probs(real, "mnist")[0])
    assert ours > 5.0, ours  # a non-trivial distance, so a relative tolerance means something
    assert float(theirs) == pytest.approx(ours, rel=rtol)


def test_torchmetrics_dummy_call_needs_the_image_size(image_sets):
    """Without ``num_features`` torchmetrics probes the module with one random (1, *input_img_size) image."""
    real, fake = image_sets
    with torch.no_grad():
        theirs = _torchmetrics_fid(Features(torch.float64, with_num_features=False), real, fake,
                                   input_img_size=(1, 28, 28))
    ours = frechet_distance(features_and_probs(fake, "mnist")[0], features_and_probs(real, "mnist")[0])
    assert float(theirs) == pytest.approx(ours, rel=1e-9)


def test_compute_fid_on_our_statistics():
    """torchmetrics' closed form on our means and covariances, float64, on features of different spreads."""
    rng = np.random.default_rng(0)
    a = rng.normal(size=(400, 16)) @ rng.normal(size=(16, 16))
    b = 0.5 + rng.normal(size=(300, 16)) @ rng.normal(size=(16, 16))
    (mu_a, s_a), (mu_b, s_b) = gaussian_stats(a), gaussian_stats(b)
    theirs = tm_fid._compute_fid(*(torch.as_tensor(t, dtype=torch.float64) for t in (mu_a, s_a, mu_b, s_b)))
    assert float(theirs) == pytest.approx(frechet_distance(a, b), rel=1e-9)
