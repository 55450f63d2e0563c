"""Models of notebook 03: corruption M_D, sparse, denoising, convolutional, robust, semi-supervised autoencoders."""
import pytest
import torch

from course_lib.autoencoder import Autoencoder, reconstruction_error
from course_lib.conv_autoencoder import ConvAutoencoder
from course_lib.corruption import Corruption, gaussian_noise, masking_noise
from course_lib.data import load_digits
from course_lib.denoising_autoencoder import DenoisingAutoencoder
from course_lib.robust_autoencoder import RobustAutoencoder, group_shrink
from course_lib.semi_supervised import SemiSupervisedAutoencoder, labelled_subset, semi_supervised_batches
from course_lib.sparse_autoencoder import SparseAutoencoder, soft_threshold, sparsity
from course_lib.training import fit

DIG = dict(image_shape=(1, 8, 8))


@pytest.fixture(scope="module")
def digits():
    return load_digits()


def test_corruption_statistics(gen):
    x = torch.full((200, 1, 8, 8), 0.5)
    g = gaussian_noise(x, 0.1, generator=gen)
    assert g.shape == x.shape and abs(float((g - x).std()) - 0.1) < 0.01 and g.min() >= 0 and g.max() <= 1
    m = masking_noise(x, 0.3, generator=gen)
    assert abs(float((m == 0).float().mean()) - 0.3) < 0.02 and set(m.unique().tolist()) <= {0.0, 0.5}
    assert torch.equal(Corruption("masking", 0.0)(x), x)
    with pytest.raises(ValueError, match="kind must be one of"):
        Corruption("salt", 0.1)
    with pytest.raises(ValueError, match="p must be <= 1"):
        masking_noise(x, 1.5)
    with pytest.raises(ValueError, match=r"shape \(N, C, H, W\)"):
        gaussian_noise(torch.rand(8, 8), 0.1)


def test_soft_threshold_is_the_l1_prox():
    a = torch.linspace(-2, 2, 41, dtype=torch.float64)
    grid = torch.linspace(-3, 3, 60001, dtype=torch.float64)
    brute = grid[((grid[None] - a[:, None]) ** 2 / 2 + 0.5 * grid.abs()[None]).argmin(1)]
    assert torch.allclose(soft_threshold(a, 0.5), brute, atol=1e-4)
    assert int((soft_threshold(a, 0.5) == 0).sum()) == 11  # |a| <= 0.5 -> exactly 0


def test_group_shrink_is_the_l21_prox(gen):
    R = torch.randn(6, 4, generator=gen, dtype=torch.float64)
    R[0] *= 0.01  # a small row is zeroed
    S = group_shrink(R, 0.5)
    assert torch.all(S[0] == 0)
    big = R.norm(dim=1) > 0.5
    assert torch.allclose(S[big].norm(dim=1), R[big].norm(dim=1) - 0.5)
    # optimality: ½||R - S||² + λ Σ||s_i|| is not decreased by random perturbations
    obj = lambda S: 0.5 * ((R - S) ** 2).sum() + 0.5 * S.norm(dim=1).sum()  # noqa: E731
    for _ in range(20):
        assert obj(S) <= obj(S + 1e-3 * torch.randn(S.shape, generator=gen, dtype=torch.float64)) + 1e-12


def test_conv_autoencoder_shapes_and_bad_input():
    ae = ConvAutoencoder(8)
    x = torch.rand(3, 1, 28, 28)
    assert ae.encode(x).shape == (3, 8) and ae(x).shape == x.shape
    with pytest.raises(ValueError, match=r"\(N, 1, 28, 28\)"):
        ae(torch.rand(3, 1, 8, 8))


@pytest.mark.slow
def test_sparse_autoencoder_codes_are_sparse(digits):
    x = digits.x_train
    res = {}
    for l1 in (0.0, 0.1):
        torch.manual_seed(0)
        ae = SparseAutoencoder(32, l1=l1, hidden=(64,), **DIG)
        fit(ae, x, steps=600, batch_size=128, lr=3e-3, progress=False, generator=torch.Generator().manual_seed(0))
        with torch.no_grad():
            res[l1] = (sparsity(ae.encode(digits.x_test)), reconstruction_error(ae, digits.x_test))
    assert res[0.1][0] > 0.6 and res[0.1][0] > res[0.0][0] + 0.25, res   # measured: 0.29 without L1
    assert res[0.1][1] < 2.5, res   # still reconstructs (pixel variance of digits ≈ 4.5 per image)


@pytest.mark.slow
def test_denoising_beats_plain_on_corrupted_inputs(digits):
    x, xt = digits.x_train, digits.x_test
    noisy = masking_noise(xt, 0.5, generator=torch.Generator().manual_seed(1))
    errs = {}
    for name in ("plain", "dae"):
        torch.manual_seed(0)
        ae = (Autoencoder(16, hidden=(64,), **DIG) if name == "plain"
              else DenoisingAutoencoder(16, Corruption("masking", 0.5, torch.Generator().manual_seed(2)), hidden=(64,), **DIG))
        fit(ae, x, steps=800, batch_size=128, lr=3e-3, progress=False, generator=torch.Generator().manual_seed(0))
        errs[name] = reconstruction_error(ae, xt, inputs=noisy)
    assert errs["dae"] < 0.8 * errs["plain"], errs


@pytest.mark.slow
def test_robust_autoencoder_flags_the_outlier_objects(digits):
    x = digits.x_train.clone()
    g = torch.Generator().manual_seed(0)
    out_idx = torch.randperm(len(x), generator=g)[:150]
    x[out_idx] = torch.rand(x[out_idx].shape, generator=g)   # uniform-noise images
    torch.manual_seed(0)
    rda = RobustAutoencoder(Autoencoder(8, hidden=(64,), **DIG), lam=1.6)
    rda.fit(x, rounds=4, steps_per_round=200, batch_size=128, lr=3e-3, progress=False)
    flagged = rda.outliers()
    is_out = torch.zeros(len(x), dtype=torch.bool)
    is_out[out_idx] = True
    recall = float((flagged & is_out).sum()) / len(out_idx)
    precision = float((flagged & is_out).sum()) / max(1, int(flagged.sum()))
    assert recall > 0.9 and precision > 0.8, (recall, precision)   # measured: 0.99, 0.93


@pytest.mark.slow
def test_semi_supervised_and_supervised_only_both_learn_from_30_labels(digits):
    g = torch.Generator().manual_seed(0)
    idx = labelled_subset(digits.y_train, 3, generator=g)   # 30 labels
    acc = {}
    for rec in (True, False):
        torch.manual_seed(0)
        model = SemiSupervisedAutoencoder(16, lam=1.0, reconstruction=rec, hidden=(64,), **DIG)
        data = semi_supervised_batches(digits.x_train, digits.x_train[idx], digits.y_train[idx],
                                       generator=torch.Generator().manual_seed(1))
        fit(model, data, steps=800, batch_size=128, lr=2e-3, progress=False)
        acc[rec] = model.accuracy(digits.x_test, digits.y_test)
    # Measured here: 0.80 (joint) vs 0.79 (supervised only); the margin is too small to assert on 8x8 digits.
    assert acc[True] > 0.6 and acc[False] > 0.5, acc
