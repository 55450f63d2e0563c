"""The DCGAN and its WGAN-GP version: shapes, the shipped checkpoints, and short runs that measurably move
towards the data."""
import pytest
import torch

from course_lib import data
from course_lib.checkpoints import CheckpointError, load_state_dict, manifest
from course_lib.gans import DCDiscriminator, DCGenerator, make_dcgan, make_wgangp
from course_lib.evaluation import emd
from course_lib.training import fit


def test_shapes_and_range():
    G, D = DCGenerator(), DCDiscriminator()
    x = G(torch.randn(3, G.z_dim))
    assert x.shape == (3, 1, 28, 28) and 0 <= x.min() and x.max() <= 1
    assert D(x).shape == (3,)
    with pytest.raises(ValueError, match=r"shape \(n, 1, 28, 28\)"):
        D(torch.zeros(3, 28, 28))
    with pytest.raises(ValueError, match=r"z must have shape \(n, 32\)"):
        G(torch.zeros(3, 4))


def test_wgangp_critic_has_no_batch_norm():
    """The gradient penalty is per sample; batch norm would couple the samples (Gulrajani et al. use layer norm)."""
    model = make_wgangp()
    assert not any(isinstance(m, torch.nn.modules.batchnorm._BatchNorm) for m in model.D.modules())
    assert model.loss_kind == "wgan-gp" and model.n_critic == 5 and model.gp_weight == 10.0
    assert model.betas == (0.0, 0.9) and model.default_lr == 1e-4
    x = torch.rand(4, 1, 28, 28)
    # per-sample scores: a sample's score does not depend on the rest of the batch
    assert torch.allclose(model.D(x)[:2], model.D(x[:2]), atol=1e-6)
    with pytest.raises(ValueError, match="norm"):
        DCDiscriminator(norm="instance")


@pytest.mark.parametrize("name", ["dcgan_mnist", "wgangp_mnist"])
def test_shipped_checkpoint_loads_and_is_small(name):
    meta = manifest(name)
    assert meta["bytes"] < 2_000_000
    G = DCGenerator(meta["config"]["z_dim"], meta["config"]["width"])
    G.load_state_dict(load_state_dict(name))
    # the script measured its quality: much closer to real digits than the untrained generator
    m = meta["metrics"]
    assert m["pixel_emd_trained"] < 0.75 * m["pixel_emd_untrained"]


def test_corrupted_checkpoint_is_refused(tmp_path):
    import shutil

    from course_lib.checkpoints import CHECKPOINT_DIR

    for ext in ("pt", "json"):
        shutil.copy(CHECKPOINT_DIR / f"dcgan_mnist.{ext}", tmp_path / f"dcgan_mnist.{ext}")
    with open(tmp_path / "dcgan_mnist.pt", "r+b") as f:
        f.seek(100)
        f.write(b"\x00\x01\x02")
    with pytest.raises(CheckpointError, match="does not match"):
        load_state_dict("dcgan_mnist", tmp_path)


def _train_and_measure(model, **fit_kwargs):
    """(pixel EMD, |mean brightness gap|) of 200 samples to 200 test digits, before and after ``fit``."""
    torch.manual_seed(0)
    torch.set_num_threads(1)
    mnist = data.load_mnist()
    real = mnist.x_test[:200].flatten(1)

    def stats():
        model.eval()
        x = model.sample(200, generator=torch.Generator().manual_seed(0)).flatten(1)
        return emd(x, real), abs(x.mean().item() - real.mean().item())

    before = stats()
    fit(model, mnist.x_train, progress=False, generator=torch.Generator().manual_seed(0), **fit_kwargs)
    return before, stats()


@pytest.mark.slow
def test_short_training_moves_samples_towards_the_data():
    torch.manual_seed(0)
    model = make_dcgan()
    (emd0, gap0), (emd1, gap1) = _train_and_measure(model, steps=150, batch_size=32, lr=model.default_lr)
    # 150 steps: the ink level is learnt first (mean brightness gap), the shapes later (EMD falls slowly)
    assert gap1 < 0.7 * gap0, (gap0, gap1)
    assert emd1 < 0.95 * emd0, (emd0, emd1)


@pytest.mark.slow
def test_short_wgangp_run_moves_samples_towards_the_data():
    torch.manual_seed(0)
    (emd0, gap0), (emd1, gap1) = _train_and_measure(make_wgangp(), steps=60, batch_size=5 * 32)
    # the paper's learning rate (1e-4) is slow: 60 steps (300 critic steps) move the ink level by ~20 % and
    # the pixel EMD by ~4 % (measured: gap 0.328 -> 0.267, EMD 12.58 -> 12.03 in two runs of 30 steps)
    assert gap1 < 0.9 * gap0, (gap0, gap1)
    assert emd1 < 0.985 * emd0, (emd0, emd1)


def test_gan_step_matches_zero_grad_and_backward_on_conv_nets():
    """GAN._descend (autograd.grad) must update exactly like zero_grad + backward: the conv critic's
    gradients come back non-contiguous from autograd.grad, and the fused Adam misread them once."""
    torch.manual_seed(0)
    a = make_wgangp()
    b = make_wgangp()
    b.load_state_dict(a.state_dict())
    x = data.load_mnist().x_train[:5 * 16]

    def old_descend(loss, opt):
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    b._descend = old_descend
    for model in (a, b):
        torch.manual_seed(1)
        opts = model.configure_optimizers(1e-4)
        for _ in range(2):
            model.train_step(x, opts)
    for (name, pa), pb in zip(a.named_parameters(), b.parameters()):
        assert torch.allclose(pa, pb, atol=1e-6), name


@pytest.mark.parametrize("recipe, passes", [(make_dcgan, [8, 8]), (make_wgangp, [16])])
def test_discriminator_scores_real_and_fake_apart_when_it_has_batch_norm(recipe, passes):
    """With batch norm in D, one pass over [real; fake] lets D read the batch's composition from its
    statistics (the DCGAN stalled that way), so real and fake get separate passes; without it, one pass."""
    torch.manual_seed(0)
    model = recipe()
    seen = []
    hook = model.D.register_forward_pre_hook(lambda mod, args: seen.append(len(args[0])))
    opt = torch.optim.Adam(model.D.parameters(), lr=1e-4)
    real = torch.rand(8, 1, 28, 28)
    model.discriminator_step(real, opt, fake=torch.rand(8, 1, 28, 28))
    hook.remove()
    assert seen[:len(passes)] == passes
