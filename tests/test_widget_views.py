"""Every course widget follows the View contract (issue 17, point 1; issue 9's one pattern):

* the picture always shows what the controls say: setting the controls draws exactly the pixels a
  fresh, undisplayed view draws for ``update(**controls)``; a direct ``update`` on a displayed view
  moves its controls with it;
* its text is at least the course minimum (14 px) at its natural size, and it fits an 800 px output area.
"""
import io

import numpy as np
import pytest
import torch
from PIL import Image

from course_lib import data
from course_lib.widgets import MIN_FONT_PX, View, min_font_px

MAX_WIDTH_PX = 800  # the narrowest output area the course supports (1280x800 with the file browser: 848 px)


class Blur(torch.nn.Module):
    def forward(self, x):
        return torch.nn.functional.avg_pool2d(x, 3, stride=1, padding=1)


def _decoder(z):
    k = z.shape[0]
    img = torch.zeros(k, 1, 8, 8)
    img[:, 0, :4] = torch.sigmoid(z[:, :1]).view(k, 1, 1)
    img[:, 0, 4:] = torch.sigmoid(z[:, 1:2]).view(k, 1, 1)
    return img


def _recording(loss, n, seed):
    from course_lib.gans import Recording

    rng = np.random.default_rng(seed)
    return Recording(loss, np.arange(n) * 100, rng.normal(size=(n, 50, 2)).astype(np.float32),
                     np.minimum(np.arange(n) * 2, 8), np.linspace(0, 0.9, n), 8)


# name -> (factory, new knob values a student could set with the controls)
def _likelihood():
    from course_lib.widgets.likelihood import LikelihoodView

    x = torch.randn(200, generator=torch.Generator().manual_seed(0)) * 1.5 + 2.0
    return LikelihoodView(x)


def _slice():
    from course_lib.likelihood import MixtureDensityNetwork, MSERegressor, two_branch_data
    from course_lib.widgets.mixture_density import ConditionalSliceView

    torch.manual_seed(0)
    x, y = two_branch_data(300, generator=torch.Generator().manual_seed(0))
    return ConditionalSliceView(x, y, MSERegressor(), MixtureDensityNetwork())


def _smoothing():
    from course_lib.likelihood import NaiveBayes, discretize
    from course_lib.widgets.naive_bayes import SmoothingView

    d = data.load_digits()
    xtr = discretize(d.x_train, 2).reshape(len(d.x_train), -1)
    xte = discretize(d.x_test, 2).reshape(len(d.x_test), -1)
    return SmoothingView(NaiveBayes(64, 10).fit(xtr, d.y_train), xte, d.y_test)


def _pca():
    from course_lib.autoencoders import PCA
    from course_lib.widgets.pca import PCAReconstructionView

    d = data.load_digits()
    pca = PCA(20).fit(d.x_train)
    return PCAReconstructionView(pca, d.x_test[:8], pca.error_curve(d.x_test, range(21)))


def _latent():
    from course_lib.widgets.latent import LatentView

    g = torch.Generator().manual_seed(0)
    return LatentView(_decoder, torch.randn(200, 3, generator=g), torch.arange(200) % 10, image_shape=(1, 8, 8),
                      images=torch.rand(200, 1, 8, 8, generator=g))


def _denoising():
    from course_lib.widgets.denoising import DenoisingView

    x = torch.rand(6, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    return DenoisingView({"identity": torch.nn.Identity(), "blur": Blur()}, x)


def _vae_latent():
    from course_lib.vae import VAE
    from course_lib.widgets.vae_explorer import VAELatentView

    torch.manual_seed(0)
    vae = VAE(image_shape=(1, 8, 8), latent_dim=2, hidden=16).eval()
    x = (torch.rand(60, 1, 8, 8, generator=torch.Generator().manual_seed(0)) > 0.5).float()
    return VAELatentView(vae, x, torch.arange(60) % 10, n_grid=5)


def _beta():
    from course_lib.widgets.vae_explorer import BetaSweepView

    g = torch.Generator().manual_seed(0)
    results = [{"beta": b, "codes": torch.randn(60, 2, generator=g), "recon": torch.rand(4, 1, 8, 8, generator=g),
                "samples": torch.rand(8, 1, 8, 8, generator=g), "rate": 10 / b, "distortion": 50 * b}
               for b in (0.5, 1.0, 4.0)]
    return BetaSweepView(results, torch.arange(60) % 10, torch.rand(4, 1, 8, 8, generator=g))


def _mode_collapse():
    from course_lib.widgets.mode_collapse import ModeCollapseView

    recs = {"a": _recording("a", 5, 0), "b": _recording("b", 3, 1)}
    real = data.gaussian_ring(200, generator=torch.Generator().manual_seed(0))
    return ModeCollapseView(recs, real, data.ring_centers(8), 0.02)


def _emd():
    from course_lib.widgets.emd import EMDView

    return EMDView(n=15)


def _lines():
    from course_lib.widgets.divergences import ParallelLinesView

    return ParallelLinesView()


def _diffusion_time():
    from course_lib.diffusion import make_ddpm
    from course_lib.widgets.diffusion import DiffusionTimeView, precompute_trajectories

    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    pts, dig = make_ddpm("points", T=20, hidden=16, blocks=1), make_ddpm("digits", T=20, hidden=16, blocks=1)
    pf, pr = precompute_trajectories(pts, torch.randn(30, 2, generator=g), generator=g)
    df, dr = precompute_trajectories(dig, torch.rand(1, 1, 8, 8, generator=g), generator=g)
    return DiffusionTimeView(pf, pr, df[:, 0], dr[:, 0], eps_fn=pts.eps_fn())


VIEWS = {
    "likelihood": (_likelihood, {"mu": 1.2, "sigma": 2.0}),
    "conditional slice": (_slice, {"x": 0.64}),
    "smoothing": (_smoothing, {"alpha": 10.0}),
    "pca": (_pca, {"m": 5}),
    "latent": (_latent, {"z1": 0.3, "z3": -0.2, "i": 4, "t": 0.8}),
    "denoising": (_denoising, {"kind": "masking", "level": 0.3}),
    "vae latent": (_vae_latent, {"z2": 1.0, "j": 7, "t": 0.25}),
    "beta sweep": (_beta, {"beta": 4.0}),
    "mode collapse": (_mode_collapse, {"loss": "b", "frame": 2}),
    "emd": (_emd, {"shift": 1.5, "scale": 0.8}),
    "parallel lines": (_lines, {"theta": -0.35}),
    "diffusion time": (_diffusion_time, {"t": 7}),
}


def _pixels(lf):
    return np.asarray(Image.open(io.BytesIO(lf.render())))


@pytest.fixture(params=sorted(VIEWS), scope="module")
def case(request):
    factory, knobs = VIEWS[request.param]
    return factory, knobs


def test_controls_and_picture_agree(case):
    factory, knobs = case
    view = factory()
    assert isinstance(view, View) and set(knobs) <= set(view.knobs)
    view.widget()
    controls = view._controls
    for k, v in knobs.items():  # what a student does: move the controls
        controls[k].value = v
    assert {k: controls[k].value for k in knobs} == {k: view.values[k] for k in knobs}
    shown = [np.asarray(Image.open(io.BytesIO(img.value))) for img in view.image_widgets()]
    fresh = factory()  # an undisplayed view updated with the controls' values draws the same pixels
    fresh.update(**{k: c.value for k, c in controls.items()})
    for a, lf in zip(shown, fresh.figures):
        assert np.array_equal(a, _pixels(lf))
    assert fresh.status == view.status and view.status in view._status_widget.value


def test_direct_update_moves_the_displayed_controls(case):
    factory, knobs = case
    view = factory()
    view.widget()
    view.update(**knobs)
    for k, v in knobs.items():
        assert view._controls[k].value == view.values[k]
    assert view.image_widgets()[0].value == view.lf.render()  # the image holds the current picture


def test_readable_and_fits_the_output_area(case):
    factory, _ = case
    view = factory()
    for lf in view.figures:
        lf.render()
        assert min_font_px(lf.fig) >= MIN_FONT_PX - 1e-6
        w, h = lf.canvas.get_width_height()
        assert w <= MAX_WIDTH_PX, f"{type(view).__name__} figure is {w} px wide"
    img = view.image_widgets()[0]
    assert img.layout.max_width == "100%" and img.layout.height == "auto"  # scales down on a narrow output area


def test_update_rejects_unknown_and_duplicate_knobs():
    view = _lines()
    with pytest.raises(TypeError, match="unknown knob"):
        view.update(phi=1.0)
    with pytest.raises(TypeError, match="twice"):
        view.update(0.1, theta=0.2)
    with pytest.raises(TypeError, match="at most 1 positional"):
        view.update(0.1, 0.2)


def test_replayed_frames_equal_fresh_renders():
    view = _beta()  # β views replay each β's PNG after its first render
    view.lf.image  # noqa: B018  (displayed)
    view.update(beta=4.0)
    first = bytes(view.lf.image.value)
    view.update(beta=0.5)
    renders = view.lf.render_count
    view.update(beta=4.0)
    assert view.lf.render_count == renders  # replayed, not rendered
    assert bytes(view.lf.image.value) == first
    fresh = _beta()
    fresh.update(beta=4.0)
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(first))), _pixels(fresh.lf))
