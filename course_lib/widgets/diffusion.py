"""A time slider through a diffusion model's forward noising and reverse denoising (notebook 07).

Both trajectories are computed once (:func:`precompute_trajectories`): the forward chain x_0 → x_T of the
schedule and an ancestral sampling run x_T → x_0 of the trained model. Moving the slider to t only swaps
the points and pixels shown (``set_offsets`` / ``set_data``, no re-plot). Optionally the learned noise
field −ε̂_θ(x, t) is drawn as arrows on a grid (it points along the score ∇ log q_t, towards the data);
that is one small network evaluation per move (:func:`score_arrows`, a plain function). The arrows are
scaled so the longest fills about one grid cell (their lengths stay proportional to |ε̂|), so they never
cover the cloud; the slider moves by T/100 per arrow key.
"""
from __future__ import annotations

import numpy as np
import torch

from course_lib.widgets.base import View, slider_layout, slider_style

__all__ = ["precompute_trajectories", "score_arrows", "cloud_spread", "DiffusionTimeView"]


@torch.no_grad()
def precompute_trajectories(model, x0, *, generator: torch.Generator | None = None):
    """Forward chain of ``x0`` (n, ...) and a reverse ancestral run of ``model`` with n samples.

    Returns ``(forward, reverse)``, each (T + 1, n, ...) in data units, both indexed by t
    (``reverse[t]`` is the sampler's state at step t; ``reverse[0]`` the samples).
    """
    s = model.schedule
    z0 = (x0 - model.shift) / model.scale
    fwd = s.trajectory(z0.reshape(len(z0), -1), generator=generator) * model.scale + model.shift
    rev = model.sample(len(x0), generator=generator, trajectory=True).states.flip(0)
    return fwd.reshape(s.T + 1, *x0.shape), rev.reshape(s.T + 1, *x0.shape)


def score_arrows(eps_fn, grid: torch.Tensor, t: int, longest: float) -> np.ndarray:
    """The arrows −ε̂_θ(x, t) at the ``grid`` points (m, 2), scaled so the longest has length ``longest``.

    Directions and relative lengths are the network's; t = 0 (the data, no noise) gives zero arrows.
    """
    if t == 0:
        return np.zeros((len(grid), 2), dtype=np.float32)
    with torch.no_grad():
        uv = -eps_fn(grid, torch.full((len(grid),), int(t), dtype=torch.long)).numpy()
    return uv * (longest / max(float(np.linalg.norm(uv, axis=1).max()), 1e-12))


def cloud_spread(points: np.ndarray) -> float:
    """The mean standard deviation per coordinate of a point cloud (n, 2): 1 for N(0, I)."""
    return float(np.asarray(points).std(0).mean())


class DiffusionTimeView(View):
    """Forward (top) and reverse (bottom) process at step t: a 2-D cloud and a digit side by side.

    Args:
        points_fwd, points_rev: (T + 1, n, 2) trajectories of the 2-D model (index = t).
        digit_fwd, digit_rev: (T + 1, 1, 8, 8) or (T + 1, 8, 8) trajectories of one digit (same T).
        eps_fn: optional ``(x (m, 2), t (m,)) -> ε̂`` in the points model's units, for the arrows.
        lim: half-width of the 2-D axes (two moons reach x ≈ 4).

    One knob, ``t`` (0 = data, T = noise); ``update(t)`` returns ``{"t", "forward_std", "reverse_std"}``.
    """

    knobs = ("t",)
    title = "Diffusion through time: noising (top) and denoising (bottom)"

    def __init__(self, points_fwd, points_rev, digit_fwd, digit_rev, *, eps_fn=None, lim: float = 4.5,
                 grid: int = 13):
        super().__init__()
        pf, pr = (np.asarray(torch.as_tensor(a).float()) for a in (points_fwd, points_rev))
        df, dr = (np.asarray(torch.as_tensor(a).float()).reshape(len(a), 8, 8)
                  for a in (digit_fwd, digit_rev))
        if pf.ndim != 3 or pf.shape[2] != 2 or pr.shape != pf.shape:
            raise ValueError("DiffusionTimeView: points_fwd and points_rev must both have shape "
                             f"(T + 1, n, 2), got {pf.shape} and {pr.shape}")
        if len(df) != len(pf) or len(dr) != len(pf):
            raise ValueError(f"DiffusionTimeView: digit trajectories must have T + 1 = {len(pf)} frames "
                             f"like the points, got {len(df)} and {len(dr)}")
        self.T = len(pf) - 1
        self.step = max(1, self.T // 100)                  # an arrow key moves T/100 steps
        self.pf, self.pr, self.df, self.dr = pf, pr, df, dr
        self.eps_fn = eps_fn
        lf = self.figure(2, 2, figsize=(8.4, 7.2), dpi=72, gridspec_kw={"width_ratios": [1.25, 1]})
        (axf, axdf), (axr, axdr) = lf.axes
        self.sc_f = axf.scatter(pf[0, :, 0], pf[0, :, 1], s=5, color="#0072B2", alpha=0.6)
        self.sc_r = axr.scatter(pr[0, :, 0], pr[0, :, 1], s=5, color="#D55E00", alpha=0.6, zorder=2)
        for ax, name in ((axf, "forward q(x_t | x_0)"), (axr, "reverse: DDPM sampling")):
            ax.set_xlim(-lim, lim)
            ax.set_ylim(-lim, lim)
            ax.set_aspect("equal")
            ax.set_title(name, fontsize=13)
        self.quiver = None
        if eps_fn is not None:
            g = np.linspace(-lim * 0.9, lim * 0.9, grid)
            gx, gy = np.meshgrid(g, g)
            self._grid = torch.tensor(np.stack([gx.ravel(), gy.ravel()], 1), dtype=torch.float32)
            self._cell = float(g[1] - g[0])                  # longest arrow: 0.9 of a grid cell
            zeros = np.zeros(grid * grid)
            self.quiver = axr.quiver(gx.ravel(), gy.ravel(), zeros, zeros, color="0.3", angles="xy",
                                     scale_units="xy", scale=1.0, width=0.005, headwidth=4,
                                     headlength=5, zorder=1)   # under the samples
        # light digits on dark, as in every other figure of the course
        kw = dict(cmap="gray", vmin=-0.25, vmax=1.25, interpolation="nearest")
        self.im_f = axdf.imshow(df[0], **kw)
        self.im_r = axdr.imshow(dr[0], **kw)
        for ax, name in ((axdf, "forward: a digit"), (axdr, "reverse: a sampled digit")):
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(name, fontsize=13)
        artists = [self.sc_f, self.sc_r, self.im_f, self.im_r]
        lf.animate(*artists, *([self.quiver] if self.quiver is not None else []))
        self.update(t=0)

    @property
    def info(self) -> str:
        """The status line without markup."""
        return self.status.replace("<b>", "").replace("</b>", "")

    def draw(self, t) -> dict:
        """Show step t (0 = data, T = noise) of both processes; returns the mean spread of the two clouds.

        A t beyond 0..T set by code is drawn at the nearest end, a fractional t at the nearest whole
        step (the status line says so); NaN or a non-number is refused naming the knob.
        """
        v = self.clamp("t", t, 0, self.T)
        t = int(round(v))
        if t != v and "t" not in self._clamped:
            self._clamped["t"] = (v, t)
        self.sc_f.set_offsets(self.pf[t])
        self.sc_r.set_offsets(self.pr[t])
        self.im_f.set_data(self.df[t])
        self.im_r.set_data(self.dr[t])
        if self.quiver is not None:
            uv = score_arrows(self.eps_fn, self._grid, t, 0.9 * self._cell)
            self.quiver.set_UVC(uv[:, 0], uv[:, 1])
            self.quiver.set_visible(t > 0)             # no noise at t = 0: no arrows (not dots)
        return {"t": t, "forward_std": cloud_spread(self.pf[t]), "reverse_std": cloud_spread(self.pr[t])}

    def status_line(self, state: dict) -> str:
        return (f"<b>t = {state['t']} of {self.T}</b>: spread (std) of the clouds: forward "
                f"<b>{state['forward_std']:.2f}</b>, reverse <b>{state['reverse_std']:.2f}</b>")

    def controls(self) -> dict:
        import ipywidgets as W

        return {"t": W.IntSlider(value=int(self.values["t"]), min=0, max=self.T, step=self.step,
                                 description="step t", continuous_update=True, layout=slider_layout(),
                                 style=slider_style())}
