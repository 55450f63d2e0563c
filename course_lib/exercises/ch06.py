"""Auto-checked exercises of 06_wasserstein_gans (reference solutions: ``solutions/ch06.py``, tested by
``tests/test_exercises_ch06.py``).

Each checker takes a function the student writes and runs it on cases of its own against an independent
reference (SciPy, a linear program, autograd); passing SciPy's or the course's function instead is refused.
"""
from __future__ import annotations

import numpy as np
import torch

from course_lib.exercises import check, feedback, not_answered, uses_library

__all__ = ["check_emd_1d", "check_one_sided_penalty", "check_c_transform"]


def check_emd_1d(answer):
    """Exercise 1: ``answer(x, y)`` → the EMD between two 1-D samples of **different** sizes (uniform weights),
    from the two empirical CDFs: ∫ |F_x(t) − F_y(t)| dt, without an OT solver. Checked against
    ``scipy.stats.wasserstein_distance`` on samples of its own."""
    from scipy.stats import wasserstein_distance

    from course_lib.evaluation import emd_1d

    if not_answered(answer):
        return feedback(None)
    if uses_library(answer, objects=(wasserstein_distance, emd_1d)) is not None:
        return feedback(False, "write it yourself from the two CDFs, not with SciPy's or the course's function")
    rng = np.random.default_rng(7)
    cases = [(rng.normal(size=50), rng.normal(2.0, 0.5, size=80)), (rng.uniform(size=7), rng.exponential(size=3)),
             (np.array([0.0, 1.0, 2.0]), np.array([2.0, 0.0, 1.0])), (rng.normal(size=1), rng.normal(size=9))]

    def ok(f):
        return all(np.isclose(float(f(x.copy(), y.copy())), wasserstein_distance(x, y), rtol=1e-9, atol=1e-12)
                   for x, y in cases)

    return check(answer, ok, "both CDFs are step functions that only change at the pooled, sorted sample "
                 "points: between two neighbouring points |F_x − F_y| is constant, so the integral is a sum of "
                 "widths times heights (np.searchsorted counts how many points lie at or below t)",
                 "for equal sizes this is the sort-and-match formula of the notebook.")


def check_one_sided_penalty(answer):
    """Exercise 2: ``answer(D, real, fake, eps)`` → the one-sided gradient penalty
    E[max(0, ‖∇D(x̂)‖ − 1)²] at x̂ = eps·real + (1 − eps)·fake (eps of shape (n, 1)), as a scalar tensor that
    can be backpropagated into D's weights (a critic is trained through it). Checked on critics of its own,
    against autograd."""
    from course_lib.gans.losses import gradient_penalty

    if not_answered(answer):
        return feedback(None)
    if uses_library(answer, objects=(gradient_penalty,)) is not None:
        return feedback(False, "the course's gradient_penalty is the two-sided one; write the one-sided one")

    def reference(D, x_hat):
        x_hat = x_hat.clone().requires_grad_(True)
        (gr,) = torch.autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)
        return (torch.clamp(gr.norm(dim=1) - 1, min=0) ** 2).mean()

    def ok(f):
        g = torch.Generator().manual_seed(2)
        for scale in (0.3, 3.0):      # a critic mostly flatter than 1, and one mostly steeper
            torch.manual_seed(int(scale * 10))
            D = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
            with torch.no_grad():
                D[0].weight.mul_(scale)
            real, fake = torch.randn(32, 2, generator=g), torch.randn(32, 2, generator=g) + 1
            eps = torch.rand(32, 1, generator=g)
            got = f(D, real, fake, eps)
            want = reference(D, eps * real + (1 - eps) * fake)
            if not isinstance(got, torch.Tensor) or got.numel() != 1:
                return False
            if not torch.allclose(got.reshape(()), want, rtol=1e-5, atol=1e-8):
                return False
            gw = torch.autograd.grad(got.reshape(()), D[0].weight, allow_unused=True)[0]   # it must train D
            gw_ref = torch.autograd.grad(want, D[0].weight)[0]
            if gw is None or not torch.allclose(gw, gw_ref, rtol=1e-4, atol=1e-8):
                return False
        return True

    return check(answer, ok, "interpolate, make x̂ require a gradient, take ∇ of D(x̂).sum() with respect to "
                 "x̂ keeping the graph (so the penalty can be differentiated again, with respect to D's weights), "
                 "then penalise only norms above 1",
                 "unlike the two-sided penalty it leaves a flatter-than-1 critic alone.")


def check_c_transform(answer):
    """Exercise 3: ``answer(u, x, y)`` → the c-transform v_j = min_i (‖x_i − y_j‖ − u_i) of potentials u (n,) on
    points x (n, d), evaluated at points y (m, d). Checked on transport problems of its own: v must be the
    largest v with u_i + v_j ≤ ‖x_i − y_j‖, and from an optimal u of the dual LP, (u, v) must reach the EMD."""
    from scipy.optimize import linprog

    from course_lib.evaluation import cost_matrix, emd

    def ok(f):
        rng = np.random.default_rng(4)
        for n in (3, 6):
            x, y = rng.normal(size=(n, 2)), rng.normal(size=(n, 2)) + 0.5
            C = cost_matrix(x, y)
            u_rand = rng.normal(size=n)
            v = np.asarray(f(u_rand.copy(), x.copy(), y.copy()), dtype=float)
            if v.shape != (n,) or not np.allclose(v, (C - u_rand[:, None]).min(0), rtol=1e-9, atol=1e-12):
                return False
            A = np.hstack([np.kron(np.eye(n), np.ones((n, 1))), np.kron(np.ones((n, 1)), np.eye(n))])
            u_opt = linprog(-np.full(2 * n, 1 / n), A_ub=A, b_ub=C.ravel(), bounds=(None, None), method="highs").x[:n]
            v_opt = np.asarray(f(u_opt, x, y), dtype=float)
            if not np.isclose(u_opt.mean() + v_opt.mean(), emd(x, y), rtol=1e-7):
                return False
        return True

    return check(answer, ok, "for each y_j, the constraint u_i + v_j ≤ d(x_i, y_j) must hold for every i at "
                 "once: which i is the binding one?",
                 "replacing v by the c-transform of u can only raise the dual objective: step 2 of the argument.")
