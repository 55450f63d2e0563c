"""course_lib.zoo.token_images (notebook 08 → notebook 09's leaderboard): the MNIST token models as
image samplers, MaskGIT on visual tokens learning, and the binarised-digits DDPM of 08's inference table."""
import math

import numpy as np
import pytest
import torch

from course_lib.autoregressive import MaskGIT, PatchCodebook
from course_lib.zoo import autoregressive as zoo
from course_lib.zoo import token_images as pretrained
from course_lib.checkpoints import CheckpointError


def _sampler_or_skip(factory):
    try:
        return factory()
    except CheckpointError as err:                  # a checkpoint not shipped yet: the test that needs it says so
        pytest.skip(str(err))


@pytest.mark.parametrize("factory", [pretrained.tokens_transformer_mnist, pretrained.maskgit_tokens_mnist],
                         ids=["transformer", "maskgit"])
def test_token_samplers_return_reproducible_mnist_images(factory):
    s = _sampler_or_skip(factory)
    a = s.sample(6, generator=torch.Generator().manual_seed(0))
    b = s.sample(6, generator=torch.Generator().manual_seed(0))
    assert a.shape == (6, 1, 28, 28) and a.dtype == torch.float32
    assert torch.equal(a, b) and float(a.min()) >= 0 and float(a.max()) <= 1
    # every sample is made of codewords: encoding it back gives tokens that decode to the same image
    assert torch.allclose(s.codebook.decode(s.codebook.encode(a)).clamp(0, 1), a, atol=1e-6)
    assert s.network_evaluations == (49 if "transformer" in s.name else 8)


def test_missing_checkpoints_raise_checkpoint_error(tmp_path):
    for factory in (pretrained.tokens_transformer_mnist, pretrained.maskgit_tokens_mnist, pretrained.codebook_mnist):
        with pytest.raises(CheckpointError, match="no manifest"):
            factory(directory=tmp_path)


def test_sampler_checks_model_and_codebook_agree():
    cb = PatchCodebook(k=8, patch=4, image_size=(28, 28))
    with pytest.raises(ValueError, match="does not match the codebook"):
        pretrained.TokenImageSampler(MaskGIT((7, 7), vocab=16, d=8, heads=2), cb, "x")
    with pytest.raises(TypeError, match="CausalTransformer or MaskGIT"):
        pretrained.TokenImageSampler(torch.nn.Linear(2, 2), cb, "x")
    with pytest.raises(ValueError, match="steps must be <= 49"):
        pretrained.maskgit_tokens_mnist(steps=50)


@pytest.mark.slow
def test_maskgit_learns_token_structure_beyond_the_marginal():
    """Token grids (3x3, vocabulary 8) whose 9 cells all hold one symbol drawn from a skewed marginal: a
    masked cell with a visible neighbour is known exactly, so a MaskGIT that uses context drives the
    masked-token loss far below the marginal's entropy; decoded one token per pass, samples are constant."""
    from course_lib.training import fit
    g = torch.Generator().manual_seed(0)
    p = torch.tensor([0.3, 0.2, 0.15, 0.1, 0.1, 0.05, 0.05, 0.05])
    sym = torch.multinomial(p, 1024, replacement=True, generator=g)
    x = sym[:, None, None].expand(-1, 3, 3).contiguous()
    torch.manual_seed(0)
    m = MaskGIT((3, 3), vocab=8, d=32, layers=2, heads=2)
    fit(m, x, steps=200, lr=3e-3, batch_size=64, progress=False, schedule="one_cycle")
    entropy = float(-(p * p.log()).sum())
    with torch.no_grad():
        ce = m.loss(x, generator=torch.Generator().manual_seed(1)).item()
    assert ce < 0.5 * entropy, (ce, entropy)
    s = m.sample(300, generator=torch.Generator().manual_seed(2), steps=9).reshape(300, -1)
    assert (s == s[:, :1]).all(1).float().mean() > 0.9
    freq = torch.bincount(s[:, 0], minlength=8).float() / 300
    assert (freq - p).abs().max() < 0.1, freq


@pytest.mark.slow
def test_shipped_maskgit_tokens_uses_context():
    """The shipped token MaskGIT uses the visible tokens: its masked-token loss with 10 % of the tokens masked
    is well below its loss with every token masked (there it can only predict each position's marginal),
    and decoding in K = 8 passes (each pass sees the tokens decided before) beats K = 1 (all tokens drawn
    independently from those marginals) on classifier-FID."""
    from course_lib.data import load_mnist
    from course_lib.evaluation import frechet_distance, mnist_features
    s = _sampler_or_skip(pretrained.maskgit_tokens_mnist)
    mnist = load_mnist()
    tokens = s.codebook.encode(mnist.x_test).reshape(len(mnist.x_test), -1)
    ce = {}
    with torch.no_grad():
        for r in (0.1, 1.0):
            mask = s.model.random_mask(len(tokens), torch.Generator().manual_seed(0), ratio=r)
            logits = s.model.head(s.model._encode(tokens.masked_fill(mask, s.model.mask_id)))
            ce[r] = torch.nn.functional.cross_entropy(logits[mask], tokens[mask]).item()
    assert ce[0.1] < ce[1.0] - 0.3, ce
    real = mnist_features(mnist.x_test)
    fid = {K: frechet_distance(mnist_features(pretrained.maskgit_tokens_mnist(steps=K).sample(
        300, generator=torch.Generator().manual_seed(0))), real) for K in (1, 8)}
    assert fid[8] < 0.95 * fid[1], fid


def test_ddpm_spec_trains_and_keeps_ema_weights():
    m = zoo.build("ddpm_binary_digits")
    info = zoo.train_shipped("ddpm_binary_digits", m, steps=3, progress=False)
    assert info["seconds"] >= 0 and all(np.isfinite(v.numpy()).all() for v in m.state_dict().values())
    x = m.sample(4, generator=torch.Generator().manual_seed(0), method="ddim", steps=5)
    assert x.shape == (4, 1, 8, 8) and not math.isnan(float(x.sum()))


def test_likelihood_spec_returns_the_validation_curve_early_stopping_watched():
    m = zoo.build("ar_made_digits")
    info = zoo.train_shipped("ar_made_digits", m, steps=4, progress=False)
    curve = info["curve"]
    assert [p["step"] for p in curve] == sorted(p["step"] for p in curve) and curve[-1]["step"] == 4
    # the weights kept are the best the curve saw
    assert math.isclose(info["best_val"], min(p["val_nll"] for p in curve), rel_tol=1e-3)
