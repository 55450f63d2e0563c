"""The 2-D GANs demonstrably learn: every mode of the 8-ring covered with mostly high-quality samples.

Each run stops as soon as an evaluation (2,500 samples, every 100 generator steps) shows 8/8 modes with a
high-quality fraction ≥ 0.8, and fails if that has not happened within its step budget. The course's
stable settings (R1 + averaged generator, 05_gans) are what the notebooks recommend; the plain
non-saturating GAN is checked too, with a larger budget because it oscillates.
"""
import pytest
import torch

from course_lib import gans
from course_lib.evaluation import mode_coverage


def steps_to_cover(loss, budget, seed=0, **gan_kw):
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    fn, centers, std = gans.toy_mixture("ring")
    model = gans.make_gan(loss, **gan_kw)
    lr = model.default_lr
    opts = model.configure_optimizers(lr)
    data_gen, eval_gen = torch.Generator().manual_seed(seed), torch.Generator().manual_seed(seed + 1)
    best = (0, 0.0)
    for step in range(1, budget + 1):
        model.train_step(fn(256 * model.n_critic, generator=data_gen), opts)
        if step % 100 == 0:
            cov = mode_coverage(model.sample(2500, generator=eval_gen), centers, std)
            best = max(best, tuple(cov))
            if cov.modes == 8 and cov.high_quality >= 0.8:
                print(f"{loss}: 8/8 modes, high quality {cov.high_quality:.2f} at step {step}")
                return step, cov
    pytest.fail(f"{loss}: not 8/8 modes with HQ >= 0.8 within {budget} steps (best {best})")


@pytest.mark.slow
def test_stable_nonsaturating_gan_covers_the_ring():
    step, cov = steps_to_cover("nonsaturating", 2500, stable=True)   # measured: HQ 0.82 at step 1,500
    assert cov.modes == 8 and cov.high_quality >= 0.8


@pytest.mark.slow
def test_stable_wgan_gp_covers_the_ring():
    step, cov = steps_to_cover("wgan-gp", 2000, stable=True)   # measured: HQ 0.81 at step 900
    assert cov.modes == 8 and cov.high_quality >= 0.8


@pytest.mark.slow
def test_plain_nonsaturating_gan_covers_the_ring():
    step, cov = steps_to_cover("nonsaturating", 4000)
    assert cov.modes == 8 and cov.high_quality >= 0.8


def test_stable_settings_exist_only_where_tuned():
    with pytest.raises(ValueError, match="stable=True has settings for"):
        gans.make_gan("lsgan", stable=True)
