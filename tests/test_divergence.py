"""The divergence rule (course_lib.training.divergence) and every training path that applies it.

Every family of the course, trained at lr = 1e6, must stop with TrainingDiverged; ordinary training of the
same models (tests/test_model_contract.py, the notebooks) must not.
"""
from __future__ import annotations

import math
import warnings

import pytest
import torch
from torch import nn

from course_lib import data
from course_lib.autoencoders.autoencoder import Autoencoder
from course_lib.gans import make_gan, train_gan
from course_lib.gans.live_training import LiveGAN
from course_lib.likelihood import LogisticRegression, MixtureDensityNetwork, two_branch_data
from course_lib.training import (DivergenceWarning, TrainingDiverged, TrainingError, divergence,
                                 divergence_message, fit)
from test_model_contract import FACTORIES


# ------------------------------------------------------------------------------------------ the rule
def test_ordinary_curves_do_not_diverge():
    decreasing = [10 * math.exp(-t / 50) + 1 for t in range(500)]
    assert divergence(decreasing, final=True, bounded_below=True) is None
    # a negative log-likelihood loss that goes further below zero
    assert divergence([0.5 - 0.01 * t for t in range(300)], final=True, bounded_below=True) is None
    # a loss near 0 that fluctuates by its own size (a critic, an ε-MSE at the end of training)
    noisy = [0.01 * ((-1) ** t) * (1 + t % 7) for t in range(400)]
    assert divergence(noisy, final=True, bounded_below=False) is None
    # one unlucky early batch does not make the reference: the lowest early value does
    assert divergence([5.0, 900.0, 4.0, 4.1, 3.9] + [3.0] * 100, final=True, bounded_below=True) is None


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_non_finite_value_diverges(bad):
    assert divergence([1.0, 0.9, bad]) == f"became {bad}"


def test_orders_of_magnitude_either_sign_and_near_zero():
    assert "more than 1000 times" in divergence([44.0, 40.0, 3.6e5])        # FVSBN at lr = 1e6 (issue 25)
    assert divergence([44.0, 40.0, 40 + 4.0e4 - 1]) is None   # r = 40, s = 40: just under r + 1000 s
    assert divergence([-2.0, -2.5, -2.6e4]) is not None                    # a negative loss running off
    # near 0 the scale is 1, not |r|: a critic at 0.001 that reaches 5 is not an explosion, 2000 is
    assert divergence([0.001, -0.002, 5.0]) is None
    assert divergence([0.001, -0.002, 2000.0]) is not None


def test_ending_far_above_the_start_needs_final_and_a_bounded_loss():
    # the autoencoder at lr = 1e6 (issue 25): from 1.49 to about 5 and it stays there
    curve = [1.486] + [5.0 + 0.1 * (t % 3) for t in range(299)]
    assert divergence(curve) is None                                       # not an explosion...
    assert "ended at" in divergence(curve, final=True, bounded_below=True)  # ...but it ended far above
    assert divergence(curve, final=True, bounded_below=False) is None      # a GAN's losses may end higher
    assert divergence([1.0] * 10 + [1.9] * 30, final=True, bounded_below=True) is None  # less than r + s
    assert divergence([-3.0] * 10 + [-1.5] * 30, final=True, bounded_below=True) is None
    assert divergence([-3.0] * 10 + [0.5] * 30, final=True, bounded_below=True) is not None
    assert divergence([]) is None


def test_the_message_names_where_the_step_the_learning_rate_and_what_to_try():
    msg = divergence_message("fit", "loss", 12, 1e6, "became nan")
    assert msg.startswith("fit: training diverged at step 12: loss became nan")
    assert "lr=1e+06" in msg and "lr=100000" in msg and "grad_clip" in msg
    assert issubclass(TrainingDiverged, TrainingError) and issubclass(TrainingError, RuntimeError)


# ------------------------------------------------------------------------------------------ every family
def _mdn():
    return MixtureDensityNetwork(components=2, hidden=16), two_branch_data(64, generator=torch.Generator().manual_seed(0))


EXTRA = {
    "mixture_density_network": _mdn,
    "logistic_regression": lambda: (LogisticRegression(16, 2), (torch.randn(64, 16), torch.randint(2, (64,)))),
    "autoencoder": lambda: (Autoencoder(2, image_shape=(1, 4, 4), hidden=(16,)), torch.rand(64, 1, 4, 4)),
}
FAMILIES = sorted(FACTORIES) + sorted(EXTRA)


@pytest.mark.parametrize("name", FAMILIES)
def test_every_family_diverges_loudly_at_lr_1e6(name):
    torch.manual_seed(0)
    if name in EXTRA:
        model, x = EXTRA[name]()
    else:
        build, make_data, _ = FACTORIES[name]
        model, x = build(), make_data()
    batch = 4 if hasattr(model, "train_step") else 16
    with pytest.raises(TrainingDiverged, match=r"fit: training diverged at step \d+: .*lr=1e\+06") as err:
        fit(model, x, steps=100, batch_size=batch, lr=1e6, progress=False)
    assert err.value.lr == 1e6 and err.value.step >= 1 and err.value.history is not None
    if not hasattr(model, "train_step"):  # fit checks the loss before backward: no NaN reached the weights
        assert all(torch.isfinite(p).all() for p in model.parameters() if p.is_floating_point())


@pytest.mark.parametrize("loss", ["nonsaturating", "wgan-gp"])
def test_train_gan_diverges_loudly(loss):
    torch.manual_seed(0)
    gan = make_gan(loss, hidden=16)
    with pytest.raises(TrainingDiverged, match=r"(d_loss|g_loss) .*lr=1e\+06"):
        train_gan(gan, data.gaussian_ring, steps=50, batch_size=32, lr=1e6, progress=False)


def test_the_live_trainer_stops_with_a_message():
    state = LiveGAN("ring", seed=0, lr_g=1e6, lr_d=1e6, n_eval=100)
    with pytest.raises(TrainingDiverged, match=r"LiveGAN: training diverged .*lower lr G and lr D"):
        for _ in range(5):
            state.train(20)
    ok = LiveGAN("ring", seed=0, n_eval=100)
    for _ in range(5):
        ok.train(20)  # the recipe's rates: no message


def test_warn_mode_reports_and_returns_the_history(runaway):
    model = runaway
    with pytest.warns(DivergenceWarning, match="on_divergence='warn'"):
        h = fit(model, torch.zeros(8, 1), steps=200, batch_size=8, lr=0.5, progress=False, on_divergence="warn",
                optimizer=torch.optim.SGD(model.parameters(), lr=0.5))
    assert len(h["loss"]) > 10  # went on after the report


def test_warn_mode_stops_before_a_nan_reaches_the_weights():
    class Nan(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.zeros(1))

        def loss(self, x):
            return (self.w - 1).pow(2).sum() + (math.nan if float(self.w) > 0.005 else 0.0) + 0.0 * x.sum()

    model = Nan()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        h = fit(model, torch.zeros(8, 1), steps=50, batch_size=8, lr=0.01, progress=False, on_divergence="warn")
    assert any(issubclass(w.category, DivergenceWarning) and "became nan" in str(w.message) for w in caught)
    assert len(h["loss"]) < 50 and torch.isfinite(model.w).all()


def test_on_divergence_is_checked():
    with pytest.raises(ValueError, match="fit: on_divergence"):
        fit(nn.Linear(1, 1), torch.zeros(4, 1), steps=1, on_divergence="ignore", progress=False)
