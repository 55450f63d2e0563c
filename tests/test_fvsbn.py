"""course_lib.autoregressive.fvsbn: exact normalisation, the autoregressive property, sampling, and learning on digits."""
import pytest
import torch
from torch import distributions as D

from course_lib.data import binarize, load_digits
from course_lib.autoregressive import FVSBN, IndependentBernoulli, all_binary_vectors
from course_lib.training import fit


def _random_fvsbn(n, seed=0, scale=1.5):
    torch.manual_seed(seed)
    m = FVSBN(shape=(n,))
    with torch.no_grad():
        m.linear.weight.normal_(0, scale)
        m.linear.bias.normal_(0, scale)
    return m


@pytest.mark.parametrize("n", [1, 3, 6])
def test_probabilities_of_all_configurations_sum_to_one(n):
    x = all_binary_vectors(n)
    assert x.shape == (2 ** n, n) and len(set(map(tuple, x.tolist()))) == 2 ** n
    with torch.no_grad():
        assert torch.logsumexp(_random_fvsbn(n).log_prob(x), 0).item() == pytest.approx(0.0, abs=1e-5)
        ind = IndependentBernoulli(shape=(n,))
        ind.bias.normal_()
        assert torch.logsumexp(ind.log_prob(x), 0).item() == pytest.approx(0.0, abs=1e-5)


def test_log_prob_is_the_chain_rule_product_of_bernoullis():
    m = _random_fvsbn(5, seed=1)
    x = all_binary_vectors(5)
    W, b = (m.linear.weight * m.linear.mask).detach(), m.linear.bias.detach()
    ref = torch.zeros(len(x))
    for i in range(5):  # p(x_i | x_<i) by hand, one factor at a time
        ref += D.Bernoulli(logits=b[i] + x[:, :i] @ W[i, :i]).log_prob(x[:, i])
    with torch.no_grad():
        assert torch.allclose(m.log_prob(x), ref, atol=1e-5)


def test_autoregressive_property(gen):
    m = _random_fvsbn(10, seed=2)
    x = (torch.rand(4, 10, generator=gen) < 0.5).float()
    with torch.no_grad():
        base = m.logits(x)
        for i in range(10):
            y = x.clone()
            y[:, i:] = 1 - y[:, i:]  # flip pixel i and everything after it
            changed = m.logits(y)
            assert torch.equal(changed[:, : i + 1], base[:, : i + 1]), f"logit {i} saw a pixel >= {i}"
    # and the Jacobian d logits / d x is strictly lower triangular (but not zero below the diagonal)
    J = torch.autograd.functional.jacobian(lambda v: m.linear(v), x[0])
    assert torch.count_nonzero(torch.triu(J)) == 0 and torch.count_nonzero(torch.tril(J, -1)) > 30


def test_masked_weights_get_no_gradient():
    m = _random_fvsbn(6)
    m.loss(all_binary_vectors(6)).backward()
    assert torch.count_nonzero(m.linear.weight.grad * (1 - m.linear.mask)) == 0


def test_sampler_draws_from_the_model_distribution():
    m = _random_fvsbn(3, seed=3, scale=1.0)
    s = m.sample(40000, generator=torch.Generator().manual_seed(0))
    assert s.shape == (40000, 3) and set(s.unique().tolist()) <= {0.0, 1.0}
    x = all_binary_vectors(3)
    counts = (s[:, None, :] == x[None]).all(-1).float().mean(0)  # empirical frequency of each config
    with torch.no_grad():
        assert torch.allclose(counts, m.log_prob(x).exp(), atol=0.01)


def test_independent_closed_form_is_the_pixel_mean(gen):
    x = (torch.rand(500, 1, 2, 3, generator=gen) < 0.3).float()
    ind = IndependentBernoulli(shape=(1, 2, 3)).fit_closed_form(x, alpha=0.0)
    assert torch.allclose(ind.probs, x.mean(0), atol=1e-6)
    smoothed = IndependentBernoulli(shape=(1, 2, 3)).fit_closed_form(x, alpha=1.0)
    assert torch.allclose(smoothed.probs, (x.sum(0) + 1) / 502, atol=1e-6)
    assert ind.sample(7).shape == (7, 1, 2, 3)


@pytest.mark.slow
def test_fvsbn_beats_independent_pixels_on_binarised_digits():
    d = load_digits()
    x_train, x_test = binarize(d.x_train), binarize(d.x_test)
    ind = IndependentBernoulli().fit_closed_form(x_train)
    torch.manual_seed(0)
    model = FVSBN().init_bias_from_data(x_train)
    with torch.no_grad():
        assert torch.allclose(model.log_prob(x_test), ind.log_prob(x_test), atol=1e-4)  # same start
    fit(model, x_train, steps=500, batch_size=128, lr=1e-2, progress=False)
    with torch.no_grad():
        nll_fvsbn = -model.log_prob(x_test).mean().item()
        nll_ind = -ind.log_prob(x_test).mean().item()
    # measured: independent ≈ 24.5 nats, FVSBN ≈ 18.1 nats per 8x8 image
    assert nll_fvsbn < nll_ind - 4.0, (nll_fvsbn, nll_ind)
    samples = model.sample(16, generator=torch.Generator().manual_seed(0))
    assert samples.shape == (16, 1, 8, 8)


