"""One contract for every generative model of the course (sklearn's check_estimator, diffusers' common tests).

Each entry of FACTORIES builds a small model and a batch of valid data. The shared checks:
* ``loss(x)`` returns a finite scalar tensor or a dict with a finite scalar ``"loss"`` (adversarial models
  instead define ``configure_optimizers``/``train_step``);
* ``fit`` runs a few steps on it;
* ``sample(n, generator=g)`` has the documented shape and is reproducible for the same seed;
* ``log_prob(x)``, where it exists, is (N,), finite, and its docstring says exact, bound or estimate.

Conditional and joint models (the mixture density network p(y|x), Naive Bayes p(x, y)) take the pair:
``loss(x, y)`` and ``log_prob(x, y)``, in that order; they are checked in the second half.
Notebooks 07-09 add their models to FACTORIES.
"""
from __future__ import annotations

import inspect

import pytest
import torch

from course_lib import data
from course_lib.autoregressive import FVSBN, MADE, CausalTransformer, IndependentBernoulli, MaskGIT, PixelCNN
from course_lib.diffusion import DDPM, EpsMLP, NoiseSchedule, make_ddpm
from course_lib.diffusion.latent import LatentDiffusion
from course_lib.diffusion.unet import make_unet_ddpm
from course_lib.gans import make_dcgan, make_gan, make_wgangp
from course_lib.likelihood import Gaussian, GaussianMixture, MixtureDensityNetwork, NaiveBayes
from course_lib.training import GenerativeModel, fit
from course_lib.vae import PPCA, VAE


def _binary(n=32, d=16):
    return (torch.rand(n, d, generator=torch.Generator().manual_seed(1)) > 0.5).float()


# name -> (build model, make data (N, ...), shape of one sample)
FACTORIES = {
    "gaussian": (lambda: Gaussian(0.0, 1.0), lambda: torch.randn(64, generator=torch.Generator().manual_seed(1)), ()),
    "gaussian_mixture": (lambda: GaussianMixture(3, dim=2), lambda: data.two_moons(64), (2,)),
    "fvsbn": (lambda: FVSBN((16,)), _binary, (16,)),
    "independent_bernoulli": (lambda: IndependentBernoulli((16,)), _binary, (16,)),
    "vae": (lambda: VAE(image_shape=(1, 4, 4), latent_dim=2, hidden=16), lambda: _binary().reshape(-1, 1, 4, 4),
            (1, 4, 4)),
    "ppca": (lambda: PPCA(16, 3), lambda: torch.randn(32, 16, generator=torch.Generator().manual_seed(1)), (16,)),
    "gan": (lambda: make_gan("nonsaturating", hidden=16), lambda: data.gaussian_ring(64), (2,)),
    "dcgan": (lambda: make_dcgan(z_dim=8, width=4), lambda: torch.rand(8, 1, 28, 28), (1, 28, 28)),
    "wgangp_dcgan": (lambda: make_wgangp(z_dim=8, width=4, n_critic=2), lambda: torch.rand(10, 1, 28, 28), (1, 28, 28)),
    # notebook 07
    "ddpm_points": (lambda: make_ddpm("points", T=20, hidden=16, blocks=1), lambda: data.two_moons(64), (2,)),
    "ddpm_digits": (lambda: make_ddpm("digits", T=20, hidden=16, blocks=1),
                    lambda: torch.rand(32, 1, 8, 8, generator=torch.Generator().manual_seed(1)), (1, 8, 8)),
    "ddpm_unet": (lambda: make_unet_ddpm((8, 16), T=20, emb_dim=16),
                  lambda: torch.rand(8, 1, 28, 28, generator=torch.Generator().manual_seed(1)), (1, 28, 28)),
    "latent_diffusion": (lambda: LatentDiffusion(DDPM(EpsMLP(2, hidden=16, blocks=1, T=20), NoiseSchedule.linear(20),
                                                      (2,)), VAE(image_shape=(1, 4, 4), latent_dim=2, hidden=16),
                                                 steps=4),
                         lambda: _binary().reshape(-1, 1, 4, 4), (1, 4, 4)),
    # notebook 08 (the MAE is a representation learner without sample/log_prob: tested in test_autoregressive)
    "made": (lambda: MADE((1, 4, 4), hidden=(16,), num_orderings=2), lambda: _binary().reshape(-1, 1, 4, 4),
             (1, 4, 4)),
    "causal_transformer": (lambda: CausalTransformer((1, 4, 4), d=16, heads=2), lambda: _binary().reshape(-1, 1, 4, 4),
                           (1, 4, 4)),
    "pixelcnn": (lambda: PixelCNN((1, 4, 4), channels=8, layers=1, first_kernel=3),
                 lambda: _binary().reshape(-1, 1, 4, 4), (1, 4, 4)),
    "maskgit": (lambda: MaskGIT((1, 4, 4), d=16, heads=2), lambda: _binary().reshape(-1, 1, 4, 4), (1, 4, 4)),
    # notebook 08's token models (the MNIST ones are 7x7 grids of 64 codewords; smaller here)
    "causal_transformer_direct": (lambda: CausalTransformer((1, 4, 4), d=16, heads=2, direct=True, attn_dropout=0.0),
                                  lambda: _binary().reshape(-1, 1, 4, 4), (1, 4, 4)),
    "maskgit_tokens": (lambda: MaskGIT((3, 3), vocab=8, d=16, heads=2),
                       lambda: torch.randint(8, (32, 3, 3), generator=torch.Generator().manual_seed(1)), (3, 3)),
    "causal_transformer_tokens": (lambda: CausalTransformer((3, 3), vocab=8, d=16, heads=2),
                                  lambda: torch.randint(8, (32, 3, 3), generator=torch.Generator().manual_seed(1)), (3, 3)),
}


@pytest.fixture(params=sorted(FACTORIES), ids=str)
def case(request):
    build, make_data, shape = FACTORIES[request.param]
    torch.manual_seed(0)
    return build(), make_data(), shape


def test_loss_is_a_finite_scalar_or_dict(case):
    model, x, _ = case
    if hasattr(model, "train_step"):
        assert hasattr(model, "configure_optimizers")
        return
    out = model.loss(x)
    loss = out["loss"] if isinstance(out, dict) else out
    assert isinstance(loss, torch.Tensor) and loss.numel() == 1 and torch.isfinite(loss)


def test_fit_runs_a_few_steps(case):
    model, x, _ = case
    batch = 16 if not hasattr(model, "train_step") else 4
    h = fit(model, x, steps=3, batch_size=batch, progress=False)
    assert len(h) == 3


def test_sample_shape_and_reproducibility(case):
    model, _, shape = case
    assert isinstance(model, GenerativeModel)
    a = model.sample(5, generator=torch.Generator().manual_seed(3))
    b = model.sample(5, generator=torch.Generator().manual_seed(3))
    assert tuple(a.shape) == (5, *shape)
    assert torch.equal(a, b), "sample(n, generator=...) must be reproducible for the same seed"
    assert torch.isfinite(a.float()).all()


def test_log_prob_shape_and_docstring(case):
    model, x, _ = case
    if not hasattr(model, "log_prob"):
        pytest.skip("this model has no tractable log-density (implicit model)")
    lp = model.log_prob(x)
    assert lp.shape == (len(x),) and torch.isfinite(lp).all()
    doc = (inspect.getdoc(type(model).log_prob) or "").lower()
    assert any(w in doc for w in ("exact", "bound", "estimate")), \
        f"{type(model).__name__}.log_prob's docstring must say whether it is exact, a bound or an estimate"


# ---------------------------------------------------------------- conditional / joint models
def test_mixture_density_network_takes_x_then_y():
    torch.manual_seed(0)
    x, y = data_two_branch()
    mdn = MixtureDensityNetwork(components=2, hidden=16)
    lp = mdn.log_prob(x, y)
    assert lp.shape == (len(x),) and torch.isfinite(lp).all()
    assert torch.allclose(mdn.loss(x, y), -lp.mean())
    fit(mdn, (x, y), steps=3, batch_size=16, progress=False)
    s1 = mdn.sample(x[:5], generator=torch.Generator().manual_seed(0))
    s2 = mdn.sample(x[:5], generator=torch.Generator().manual_seed(0))
    assert torch.equal(s1, s2)
    assert "exact" in (inspect.getdoc(MixtureDensityNetwork.log_prob) or "").lower()


def data_two_branch():
    from course_lib.likelihood import two_branch_data

    return two_branch_data(64, generator=torch.Generator().manual_seed(0))


def test_naive_bayes_is_a_joint_model():
    codes = torch.randint(0, 3, (40, 6), generator=torch.Generator().manual_seed(0))
    labels = torch.arange(40) % 2
    nb = NaiveBayes(n_features=6, n_classes=2, levels=3).fit(codes, labels)
    x, y = nb.sample(7, generator=torch.Generator().manual_seed(1))
    x2, y2 = nb.sample(7, generator=torch.Generator().manual_seed(1))
    assert x.shape == (7, 6) and y.shape == (7,) and torch.equal(x, x2) and torch.equal(y, y2)
