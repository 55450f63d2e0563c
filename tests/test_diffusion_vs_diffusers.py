"""The course's noise schedule and samplers against HuggingFace diffusers' schedulers (an independent reference).

Mapping (docs: ``../shared/NOTES.md``): the course's step t is diffusers' timestep k = t − 1; β̃_t ("posterior")
is ``variance_type="fixed_small"``, β_t ("beta") ``"fixed_large"``; the DDIM subset T, …, 0 is diffusers'
``timestep_spacing="trailing"`` with ``set_alpha_to_one=True``, and the course re-derives ε from the clipped x̂_0
(``use_clipped_model_output=True``). diffusers keeps ᾱ in float32: the schedule test allows for that; the
sampler tests hand diffusers the course's float64 ᾱ, so they compare the update rules alone.
"""
from __future__ import annotations

import pytest
import torch

from course_lib.diffusion import NoiseSchedule, ddim_sample, ddpm_sample
from course_lib.diffusion.samplers import ddim_timesteps

diffusers = pytest.importorskip("diffusers")


def eps_model(x, t):
    """A fixed, nonlinear ε̂(x_t, t): (n, d), t (n,) long → (n, d)."""
    return torch.tanh(0.8 * x + 0.3) * (0.5 + t[:, None].to(x.dtype) / 100) - 0.1 * x.roll(1, dims=1)


def with_course_alpha_bar(scheduler, schedule):
    """Give a diffusers scheduler the course's float64 ᾱ (index k = course step k + 1)."""
    scheduler.alphas_cumprod = schedule.alpha_bar[1:].clone()
    scheduler.betas = schedule.betas[1:].clone()
    scheduler.alphas = 1 - scheduler.betas
    return scheduler


def test_cosine_schedule_matches_squaredcos_cap_v2():
    course = NoiseSchedule.cosine(1000)
    ref = diffusers.DDPMScheduler(num_train_timesteps=1000, beta_schedule="squaredcos_cap_v2")
    # float32 in diffusers: relative error of a few float32 ulps in ᾱ, larger in β only where β is tiny
    torch.testing.assert_close(ref.alphas_cumprod.double(), course.alpha_bar[1:], rtol=2e-5, atol=1e-7)
    torch.testing.assert_close(ref.betas.double(), course.betas[1:], rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("variance, variance_type", [("posterior", "fixed_small"), ("beta", "fixed_large")])
@pytest.mark.parametrize("clip", [None, 1.0])
def test_ancestral_sampling_matches_ddpm_scheduler(variance, variance_type, clip):
    schedule = NoiseSchedule.linear(60)
    ref = with_course_alpha_bar(diffusers.DDPMScheduler(
        num_train_timesteps=60, variance_type=variance_type, clip_sample=clip is not None,
        clip_sample_range=clip or 1.0), schedule)
    ref.set_timesteps(60)
    x_T = torch.randn(64, 6, generator=torch.Generator().manual_seed(1))
    ours = ddpm_sample(eps_model, schedule, x_T=x_T.clone(), variance=variance, clip=clip,
                       generator=torch.Generator().manual_seed(7))
    g, x = torch.Generator().manual_seed(7), x_T.clone()   # the same noise draws, one per step
    for k in ref.timesteps:
        t = torch.full((len(x),), int(k) + 1)
        x = ref.step(eps_model(x, t), int(k), x, generator=g).prev_sample.float()
    torch.testing.assert_close(ours, x, rtol=1e-4, atol=1e-5)   # float32 states over 60 steps


@pytest.mark.parametrize("steps", [1, 7, 20])
@pytest.mark.parametrize("clip", [None, 0.5])
def test_ddim_matches_ddim_scheduler(steps, clip):
    schedule = NoiseSchedule.cosine(140)
    ref = with_course_alpha_bar(diffusers.DDIMScheduler(
        num_train_timesteps=140, timestep_spacing="trailing", set_alpha_to_one=True,
        clip_sample=clip is not None, clip_sample_range=clip or 1.0), schedule)
    ref.set_timesteps(steps)
    x_T = torch.randn(32, 5, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    ours = ddim_sample(eps_model, schedule, x_T=x_T.clone(), steps=steps, clip=clip)
    x = x_T.clone()
    for k in ref.timesteps:
        t = torch.full((len(x),), int(k) + 1)
        x = ref.step(eps_model(x, t), int(k), x, eta=0.0, use_clipped_model_output=True).prev_sample
    # the same subset of steps (course t = k + 1), then the same deterministic path in float64
    assert ddim_timesteps(140, steps)[:-1] == [int(k) + 1 for k in ref.timesteps]
    torch.testing.assert_close(ours, x, rtol=1e-10, atol=1e-12)
