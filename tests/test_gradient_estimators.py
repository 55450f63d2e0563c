"""Score-function vs reparametrisation estimators: unbiased (closed form), variance ordering, bad inputs."""

import pytest
import torch

from course_lib.vae import (estimator_summary, quadratic_objective, reparam_grads,
                                            score_function_grads)


def _within(est, exact, n_se=5.0):
    s = estimator_summary(est)
    se = (s["var"] / len(est)).sqrt()
    return bool(((s["mean"] - exact).abs() <= n_se * se + 1e-4).all()), s


@pytest.mark.parametrize("baseline", [False, True])
def test_score_function_is_unbiased(baseline, gen):
    f, exact = quadratic_objective(torch.tensor([1.0, -1.0, 2.0]))
    mu, ls = torch.tensor([0.5, 0.0, -0.5]), torch.log(torch.tensor([0.7, 1.2, 0.4]))
    ok, _ = _within(score_function_grads(f, mu, ls, 40_000, baseline=baseline, generator=gen), exact(mu, ls))
    assert ok


def test_reparam_is_unbiased_and_matches_autograd_of_closed_form(gen):
    c = torch.tensor([1.0, -1.0, 2.0])
    f, exact = quadratic_objective(c)
    mu, ls = torch.tensor([0.5, 0.0, -0.5]), torch.log(torch.tensor([0.7, 1.2, 0.4]))
    # exact gradient, independently, by autograd of E f = ||mu - c||^2 + sum sigma^2
    m, l = mu.clone().requires_grad_(), ls.clone().requires_grad_()
    ((m - c).pow(2).sum() + (2 * l).exp().sum()).backward()
    assert torch.allclose(exact(mu, ls), torch.stack([m.grad, l.grad]))
    ok, s = _within(reparam_grads(f, mu, ls, 20_000, generator=gen), exact(mu, ls))
    assert ok


def test_reparam_has_far_lower_variance(gen):
    f, _ = quadratic_objective(torch.full((4,), 3.0))
    mu, ls = torch.zeros(4), torch.zeros(4)
    v_sf = estimator_summary(score_function_grads(f, mu, ls, 5000, generator=gen))["total_variance"]
    v_bl = estimator_summary(score_function_grads(f, mu, ls, 5000, baseline=True, generator=gen))["total_variance"]
    v_rp = estimator_summary(reparam_grads(f, mu, ls, 5000, generator=gen))["total_variance"]
    assert v_rp * 5 < v_bl < v_sf


def test_nonlinear_f_both_estimators_agree(gen):
    """f(z) = sum sin(z): E = sum sin(mu) exp(-sigma^2/2) in closed form."""
    f = lambda z: torch.sin(z).sum(-1)  # noqa: E731
    mu, ls = torch.tensor([0.3, -1.0]), torch.log(torch.tensor([0.5, 0.9]))
    s2 = (2 * ls).exp()
    exact = torch.stack([torch.cos(mu) * (-s2 / 2).exp(), -torch.sin(mu) * s2 * (-s2 / 2).exp()])
    assert _within(reparam_grads(f, mu, ls, 20_000, generator=gen), exact)[0]
    assert _within(score_function_grads(f, mu, ls, 40_000, baseline=True, generator=gen), exact)[0]


