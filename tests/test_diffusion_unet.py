"""The MNIST U-Net DDPM and the shipped diffusion checkpoints (notebook 07; notebook 09's leaderboard).

Unit checks of the U-Net (shapes, the time embedding reaching the output, bad input), the latent-diffusion
wrapper, and the shipped checkpoints of ``scripts/train_diffusion.py``: they load (hash-checked) and their
samples score a classifier-FID far below an untrained network's (the 8x8 and latent models within a few floors
of real data; the CPU-trained U-Net is still well above its floor, see its manifest).
"""
import pytest
import torch

from course_lib import checkpoints, data
from course_lib.diffusion import DDPM, EpsMLP, NoiseSchedule, train_ddpm
from course_lib.diffusion.latent import LatentDiffusion
from course_lib.zoo.diffusion import (build_mnist_unet, digits_ddpm, latent_ddpm_mnist, mnist_unet,
                                      sample_batched)
from course_lib.diffusion.unet import UNet, make_unet_ddpm
from course_lib.evaluation import digits_features, fid_floor, frechet_distance, mnist_features
from course_lib.vae import VAE


def test_unet_shapes_flat_and_image():
    net = UNet((1, 28, 28), (8, 16, 16), emb_dim=16, T=100)
    t = torch.randint(1, 101, (3,))
    x = torch.randn(3, 784)
    assert net(x, t).shape == (3, 784)                       # flat in, flat out (what DDPM passes)
    assert net(x.reshape(3, 1, 28, 28), t).shape == (3, 1, 28, 28)
    assert UNet((3, 8, 8), (4, 8), emb_dim=8)(torch.randn(2, 192), torch.tensor([1, 2])).shape == (2, 192)


def test_unet_output_depends_on_time():
    torch.manual_seed(0)
    net = UNet((1, 28, 28), (8, 16), emb_dim=16, T=1000)
    torch.nn.init.normal_(net.out[-1].weight, std=0.1)       # the output conv starts at zero (ε̂ = 0)
    x = torch.randn(2, 784)
    a = net(x, torch.tensor([10, 10]))
    b = net(x, torch.tensor([900, 900]))
    assert (a - b).abs().mean() > 1e-3 * a.abs().mean()
    a.sum().backward()
    assert net.t_emb[1].weight.grad.abs().sum() > 0           # the time embedding receives gradient


def test_unet_ddpm_contract_and_training_step():
    model = make_unet_ddpm((8, 16), T=20, emb_dim=16)
    x = torch.rand(8, 1, 28, 28)
    loss = model.loss(x)
    assert loss.ndim == 0 and torch.isfinite(loss)
    hist, ema = train_ddpm(model, x, steps=3, batch_size=4, progress=False, schedule="warmup_cosine", grad_clip=1.0)
    assert len(hist["loss"]) == 3 and ema is not model
    s = ema.sample(2, generator=torch.Generator().manual_seed(0), method="ddim", steps=3)
    assert s.shape == (2, 1, 28, 28) and 0 <= s.min() and s.max() <= 1


@pytest.mark.parametrize("kw, match", [
    (dict(image_shape=(28, 28)), "image_shape"),
    (dict(image_shape=(1, 30, 30), channels=(8, 16, 16)), "divisible by 4"),
    (dict(channels=()), "at least one"),
])
def test_unet_bad_construction(kw, match):
    with pytest.raises(ValueError, match=match):
        UNet(**kw)


def test_unet_is_unconditional():
    with pytest.raises(ValueError, match="unconditional"):
        UNet((1, 8, 8), (4,))(torch.randn(1, 64), torch.tensor([1]), torch.tensor([0]))


def test_default_sampler_can_be_switched_to_ddim():
    model = make_unet_ddpm((8, 16), T=20, emb_dim=16)
    g = lambda: torch.Generator().manual_seed(0)  # noqa: E731
    model.default_method, model.default_steps = "ddim", 4
    assert torch.equal(model.sample(2, g()), model.sample(2, g(), method="ddim", steps=4))


def test_latent_diffusion_wrapper():
    vae = VAE(latent_dim=3, hidden=8)
    ddpm = DDPM(EpsMLP(3, hidden=8, blocks=1, T=10), NoiseSchedule.linear(10), (3,))
    lat = LatentDiffusion(ddpm, vae, steps=4)
    x = (torch.rand(5, 1, 28, 28) > 0.5).float()
    assert torch.isfinite(lat.loss(x))
    s = lat.sample(4, generator=torch.Generator().manual_seed(0))
    assert s.shape == (4, 1, 28, 28) and 0 <= s.min() and s.max() <= 1
    with pytest.raises(ValueError, match="latent size"):
        LatentDiffusion(DDPM(EpsMLP(2, hidden=8, blocks=1, T=10), NoiseSchedule.linear(10), (2,)), vae)


def test_missing_checkpoint_raises(tmp_path):
    with pytest.raises(checkpoints.CheckpointError):
        checkpoints.load_into(build_mnist_unet(), "diffusion_unet_mnist", directory=tmp_path)


def _ratio(x, split, features):
    feats_test = features(split.x_test)
    floor = fid_floor(features(split.x_train), len(x), reference=feats_test).mean
    return frechet_distance(features(x), feats_test) / floor


@pytest.mark.slow
def test_shipped_unet_beats_an_untrained_one():
    torch.set_num_threads(1)
    split = data.load_mnist()
    model = mnist_unet(steps=10)
    meta = checkpoints.manifest("diffusion_unet_mnist")
    assert meta["metrics"]["fid_over_floor"] < 45       # n = 1000, DDIM 20 (shipped: 18); untrained: far above
    x = sample_batched(model, 250, torch.Generator().manual_seed(0))
    assert x.shape == (250, 1, 28, 28) and 0 <= x.min() and x.max() <= 1
    trained = _ratio(x, split, mnist_features)
    untrained = build_mnist_unet()
    torch.nn.init.normal_(untrained.net.out[-1].weight, std=0.02)   # else ε̂ = 0 exactly
    u = untrained.sample(250, generator=torch.Generator().manual_seed(0), method="ddim", steps=10)
    print(f"U-Net DDIM 10, n = 250: FID / floor {trained:.1f} shipped, {_ratio(u, split, mnist_features):.1f} untrained")
    assert trained < 25 and _ratio(u, split, mnist_features) > 3 * trained


@pytest.mark.slow
def test_shipped_latent_and_digits_models():
    torch.set_num_threads(1)
    x = latent_ddpm_mnist(steps=25).sample(500, generator=torch.Generator().manual_seed(0))
    assert x.shape == (500, 1, 28, 28) and 0 <= x.min() and x.max() <= 1
    assert _ratio(x, data.load_mnist(), mnist_features) < 6
    d = digits_ddpm(steps=50).sample(359, generator=torch.Generator().manual_seed(0))
    assert d.shape == (359, 1, 8, 8)
    assert _ratio(d, data.load_digits(), digits_features) < 3
