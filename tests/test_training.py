import math

import pytest
import torch
from torch import nn

from course_lib.training import History, TrainingDiverged, batches, fit


class GaussianMean(nn.Module):
    """Minimal model of the interface: fit the mean of unit-variance Gaussian data by max likelihood."""

    def __init__(self):
        super().__init__()
        self.mu = nn.Parameter(torch.zeros(2))

    def log_prob(self, x):
        return torch.distributions.Normal(self.mu, 1.0).log_prob(x).sum(-1)

    def loss(self, x):
        return -self.log_prob(x).mean()

    def sample(self, n):
        return self.mu + torch.randn(n, 2)


def test_fit_learns_and_logs(gen):
    x = torch.randn(2000, 2, generator=gen) + torch.tensor([3.0, -1.0])
    model = GaussianMean()
    h = fit(model, x, steps=300, lr=0.05, batch_size=200, progress=False, generator=gen)
    assert torch.allclose(model.mu.detach(), x.mean(0), atol=0.1)
    assert len(h["loss"]) == 300 and h.steps("loss")[-1] == 300
    # the loss reaches the entropy of N(0, I) in 2-D plus nothing: 1 + log(2 pi) ≈ 2.84
    assert h.mean_last("loss") == pytest.approx(1 + math.log(2 * math.pi), abs=0.1)
    assert h.seconds > 0 and "loss=" in repr(h)


def test_fit_eval_fn_and_callback_and_continuation(gen):
    x = torch.randn(500, 2, generator=gen)
    model, seen = GaussianMean(), []
    h = fit(model, x, steps=20, eval_fn=lambda m: {"mu_norm": m.mu.norm()}, eval_every=5,
            callback=lambda s, m: seen.append(s), progress=False)
    assert h.steps("mu_norm") == [5, 10, 15, 20]
    assert seen == list(range(1, 21))
    fit(model, x, steps=5, progress=False, history=h)
    assert h.steps("loss")[-1] == 25


def test_fit_with_sampler_and_tuple_data(gen):
    model = GaussianMean()
    fit(model, lambda b: torch.randn(b, 2) + 1, steps=200, lr=0.05, progress=False)
    assert torch.allclose(model.mu.detach(), torch.ones(2), atol=0.2)

    class Labeled(GaussianMean):
        def loss(self, x, y):
            return super().loss(x + y[:, None].float())

    fit(Labeled(), (torch.zeros(10, 2), torch.ones(10, dtype=torch.long)), steps=3, progress=False)


def test_fit_stops_on_nan_with_explanation():
    class Exploding(GaussianMean):
        def loss(self, x):
            return (self.mu.sum() * 0 + float("nan")) if self.mu.abs().sum() > 0 else super().loss(x)

    with pytest.raises(TrainingDiverged, match=r"step 2: loss became nan.*learning rate"):
        fit(Exploding(), torch.randn(100, 2) + 5, steps=10, progress=False)


def test_fit_stops_on_metric_inf():
    class Bad(GaussianMean):
        def loss(self, x):
            return {"loss": super().loss(x), "ratio": torch.tensor(float("inf"))}

    with pytest.raises(TrainingDiverged, match="ratio became inf"):
        fit(Bad(), torch.randn(100, 2), steps=3, progress=False)


def test_fit_custom_train_step():
    class TwoOpt(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Parameter(torch.zeros(1)), nn.Parameter(torch.zeros(1))

        def configure_optimizers(self, lr):
            return {"a": torch.optim.SGD([self.a], lr=lr), "b": torch.optim.SGD([self.b], lr=lr)}

        def train_step(self, x, opts):
            la = ((self.a - x.mean()) ** 2).sum()
            opts["a"].zero_grad(); la.backward(); opts["a"].step()
            lb = ((self.b + x.mean()) ** 2).sum()
            opts["b"].zero_grad(); lb.backward(); opts["b"].step()
            return {"loss_a": la.item(), "loss_b": lb.item()}

    m = TwoOpt()
    h = fit(m, torch.full((64, 1), 2.0), steps=100, lr=0.1, progress=False)
    assert m.a.item() == pytest.approx(2.0, abs=1e-3) and m.b.item() == pytest.approx(-2.0, abs=1e-3)
    assert set(h.keys()) == {"loss_a", "loss_b"}


@pytest.mark.parametrize("kwargs,exc,msg", [
    (dict(steps=0), ValueError, "steps must be >= 1"),
    (dict(steps=5, lr=-1.0), ValueError, "lr must be > 0"),
    (dict(steps=5, batch_size=0), ValueError, "batch_size must be >= 1"),
])
def test_fit_validates(kwargs, exc, msg):
    with pytest.raises(exc, match=msg):
        fit(GaussianMean(), torch.randn(10, 2), progress=False, **kwargs)


def test_fit_rejects_bad_model_and_data():
    with pytest.raises(TypeError, match="nn.Module"):
        fit(object(), torch.randn(3, 2), steps=1)
    with pytest.raises(TypeError, match="neither loss"):
        fit(nn.Linear(2, 2), torch.randn(3, 2), steps=1)
    with pytest.raises(TypeError, match="data must be a tensor"):
        fit(GaussianMean(), [[1.0, 2.0]], steps=1)

    class VectorLoss(GaussianMean):
        def loss(self, x):
            return -self.log_prob(x)

    with pytest.raises(ValueError, match="scalar tensor.*mean"):
        fit(VectorLoss(), torch.randn(8, 2), steps=1, progress=False)


def test_batches_cover_epoch_and_reject_mismatch(gen):
    x = torch.arange(10)
    it = batches(x, 5, generator=gen)
    seen = torch.cat([next(it), next(it)])
    assert sorted(seen.tolist()) == list(range(10))
    with pytest.raises(ValueError, match="same length"):
        next(batches((torch.zeros(3), torch.zeros(4)), 2))


def test_history_errors():
    h = History()
    with pytest.raises(KeyError, match="available"):
        h["loss"]
