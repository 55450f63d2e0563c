"""course_lib.vae.model: densities against torch.distributions, ELBO pieces, IW bound, bad inputs, learning."""

import pytest
import torch
from torch.distributions import Bernoulli, Independent, Normal, kl_divergence

from course_lib.data import binarize, load_mnist
from course_lib.distributions import bernoulli_log_prob, gaussian_log_prob
from course_lib.training import one_cycle
from course_lib.vae import VAE, kl_to_prior, logmeanexp, train_vae


def test_kl_matches_torch_distributions(gen):
    mu, logvar = torch.randn(7, 5, generator=gen), torch.randn(7, 5, generator=gen)
    for s in (1.0, 0.3, 2.0):
        want = kl_divergence(Normal(mu, (0.5 * logvar).exp()), Normal(0.0, s)).sum(-1)
        assert torch.allclose(kl_to_prior(mu, logvar, s), want, atol=1e-5)


def test_kl_is_zero_only_at_the_prior():
    assert kl_to_prior(torch.zeros(3, 4), torch.zeros(3, 4)).abs().max() < 1e-7
    assert (kl_to_prior(torch.full((1, 4), 0.1), torch.zeros(1, 4)) > 0).all()


def test_densities_match_torch_distributions(gen):
    x = torch.rand(4, 6, generator=gen)
    mean, std = torch.rand(4, 6, generator=gen), 0.1 + torch.rand(4, 6, generator=gen)
    assert torch.allclose(gaussian_log_prob(x, mean, std), Independent(Normal(mean, std), 1).log_prob(x), atol=1e-4)
    xb = (x > 0.5).float()
    logits = torch.randn(4, 6, generator=gen) * 3
    assert torch.allclose(bernoulli_log_prob(xb, logits), Independent(Bernoulli(logits=logits), 1).log_prob(xb),
                          atol=1e-5)


def test_logmeanexp_is_stable():
    a = torch.tensor([[-1000.0, -1001.0], [-1000.0, -1001.0]])
    assert torch.allclose(logmeanexp(a, 0), torch.tensor([-1000.0, -1001.0]))
    assert torch.allclose(logmeanexp(torch.log(torch.tensor([1.0, 3.0]))), torch.log(torch.tensor(2.0)))


@pytest.mark.parametrize("decoder", ["bernoulli", "gaussian"])
def test_shapes_and_interface(decoder, gen):
    vae = VAE(image_shape=(1, 8, 8), latent_dim=3, hidden=16, decoder=decoder)
    x = torch.rand(5, 1, 8, 8, generator=gen)
    mu, logvar = vae.encode(x)
    assert mu.shape == logvar.shape == (5, 3)
    assert vae.decode(mu).shape == (5, 1, 8, 8)
    out = vae.loss(x)
    assert out["loss"].shape == () and set(out) == {"loss", "rec", "kl"}
    assert torch.allclose(out["loss"], out["rec"] + out["kl"], atol=1e-4)  # β = 1
    assert vae.sample(4).shape == (4, 1, 8, 8)
    assert vae.sample(4, mean=False, generator=gen).shape == (4, 1, 8, 8)
    assert vae.similar(x[:1], 6).shape == (6, 1, 8, 8)
    assert vae.log_prob(x, n_samples=7).shape == (5,)
    assert vae.log_prob_prior_mc(x, n_samples=30, batch_size=7).shape == (5,)
    assert vae.elbo(x.flatten(1), batch_size=2).shape == (5,)


def test_elbo_terms_match_an_independent_monte_carlo(gen):
    """ELBO = E_q[log p(x|z) + log p(z) - log q(z|x)], all three densities from torch.distributions."""
    torch.manual_seed(0)
    vae = VAE(image_shape=(1, 4, 4), latent_dim=2, hidden=8, decoder="gaussian", prior_std=0.7)
    x = torch.rand(3, 16, generator=gen)
    with torch.no_grad():
        mu, logvar = vae.encode(x)
        q = Independent(Normal(mu, (0.5 * logvar).exp()), 1)
        z = q.sample((20000,))
        mean, std = vae.decoder_params(z)
        mc = (Independent(Normal(mean, std), 1).log_prob(x) + Independent(Normal(0.0, 0.7 * torch.ones(2)), 1).log_prob(z)
              - q.log_prob(z)).mean(0)
        t = vae.elbo_terms(x, n_samples=20000)
    assert torch.allclose(t["elbo"], mc, atol=0.05 * mc.abs().max().item() + 0.1)


def test_beta_weights_only_the_kl():
    torch.manual_seed(0)
    a = VAE(image_shape=(1, 4, 4), latent_dim=2, hidden=8, beta=3.0)
    x = torch.rand(6, 1, 4, 4)
    torch.manual_seed(1)
    out = a.loss(x)
    assert torch.allclose(out["loss"], out["rec"] + 3.0 * out["kl"], atol=1e-4)


def test_importance_weighted_bound_tightens_with_k():
    torch.manual_seed(0)
    vae = VAE(image_shape=(1, 6, 6), latent_dim=2, hidden=16)
    x = binarize(torch.rand(20, 1, 6, 6))
    with torch.random.fork_rng():
        torch.manual_seed(0)
        elbo = vae.elbo(x, n_samples=500).mean()
        iw1 = vae.log_prob(x, n_samples=1).mean()
        iw100 = vae.log_prob(x, n_samples=300).mean()
        prior = vae.log_prob_prior_mc(x, n_samples=20000).mean()
    assert elbo <= iw100 + 1e-3
    assert abs(iw1 - elbo) < 2.0          # K = 1 equals the ELBO in expectation
    assert abs(prior - iw100) < 0.5       # 2-D latent: the naive estimate agrees with the IW one


def test_bad_constructor_arguments():
    with pytest.raises(ValueError, match="decoder"):
        VAE(decoder="poisson")
    with pytest.raises(ValueError, match="image_shape"):
        VAE(image_shape=(28, 28))
    with pytest.raises(ValueError, match="beta"):
        VAE(beta=-1.0)
    with pytest.raises(TypeError, match="latent_dim"):
        VAE(latent_dim=2.5)
    vae = VAE(image_shape=(1, 4, 4), latent_dim=2, hidden=4)
    with pytest.raises(ValueError, match=r"\(\.\.\., 2\)"):
        vae.decode(torch.zeros(3, 5))
    with pytest.raises(ValueError, match="one image"):
        vae.similar(torch.rand(2, 1, 4, 4), 3)
    with pytest.raises(ValueError, match="n_samples"):
        vae.log_prob(torch.rand(2, 16), n_samples=0)


def test_one_cycle_schedule_shape():
    opt = torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=1.0)
    sched = one_cycle(opt, 100, 2e-3)
    lrs = []
    for _ in range(100):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    assert lrs[0] < lrs[4] and max(lrs) == pytest.approx(2e-3, rel=1e-6)
    assert lrs[-1] < 0.05 * max(lrs)


@pytest.mark.slow
def test_vae_learns_mnist_test_elbo_threshold():
    """A short run of the 784-200-10 VAE reaches a test ELBO above -150 nats (untrained: about -545)."""
    torch.manual_seed(0)
    d = load_mnist()
    x_train, x_test = binarize(d.x_train), binarize(d.x_test)
    vae = VAE(latent_dim=10, hidden=200)
    before = vae.elbo(x_test).mean().item()
    hist = train_vae(vae, x_train, steps=250, batch_size=128, x_test=x_test, progress=False,
                     generator=torch.Generator().manual_seed(0))
    after = hist.last("test_elbo")
    assert before < -400
    assert after > -150, after  # the best latent-free model (independent pixels) gets about -206
    assert vae.log_prob(x_test[:100], n_samples=50).mean() >= vae.elbo(x_test[:100], n_samples=10).mean() - 0.5


@pytest.mark.slow
def test_gaussian_decoder_learns():
    torch.manual_seed(0)
    d = load_mnist()
    vae = VAE(latent_dim=10, hidden=128, decoder="gaussian")
    before = vae.elbo(d.x_test).mean().item()
    train_vae(vae, d.x_train, steps=150, progress=False, generator=torch.Generator().manual_seed(0))
    after = vae.elbo(d.x_test).mean().item()
    assert after > before + 300, (before, after)


@pytest.mark.parametrize("name", ["vae_mnist_20d", "vae_mnist_2d"])
def test_shipped_checkpoint_loads_small_and_reaches_its_manifest(name):
    from course_lib import checkpoints

    meta = checkpoints.manifest(name)
    assert meta["bytes"] < 2_000_000 and meta["script"] == "scripts/train_vae.py"
    cfg = dict(meta["config"], image_shape=tuple(meta["config"]["image_shape"]))
    vae = VAE(**cfg)
    vae.load_state_dict(checkpoints.load_state_dict(name))
    x_test = binarize(load_mnist().x_test)
    with torch.random.fork_rng():
        torch.manual_seed(1234)
        elbo = vae.eval().elbo(x_test, n_samples=10).mean().item()
    assert elbo == pytest.approx(meta["metrics"]["test_elbo"], abs=0.05)


def test_corrupted_or_missing_checkpoint_is_a_clear_error(tmp_path):
    import shutil

    from course_lib import checkpoints

    for ext in ("pt", "json"):
        shutil.copy(checkpoints.CHECKPOINT_DIR / f"vae_mnist_2d.{ext}", tmp_path / f"vae_mnist_2d.{ext}")
    with open(tmp_path / "vae_mnist_2d.pt", "r+b") as f:
        f.seek(200)
        f.write(b"\x00\x01\x02")
    with pytest.raises(checkpoints.CheckpointError, match="sha256"):
        checkpoints.load_state_dict("vae_mnist_2d", tmp_path)
    (tmp_path / "vae_mnist_2d.pt").unlink()
    with pytest.raises(checkpoints.CheckpointError, match="train_vae.py"):
        checkpoints.load_state_dict("vae_mnist_2d", tmp_path)
