import matplotlib

matplotlib.use("Agg")  # tests never open windows

import pytest
import torch
from torch import nn


def pytest_configure(config):
    # The course's models are small: on a 2-core machine running two test workers, one torch
    # thread per worker is faster than threads fighting over the cores (2-20x on tiny models).
    torch.set_num_threads(1)


@pytest.fixture
def gen():
    return torch.Generator().manual_seed(0)


class Runaway(nn.Module):
    """loss = −w²: gradient descent pushes |w| up geometrically; the loss stays finite long after it has grown by
    orders of magnitude (the divergence tests of fit)."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.ones(1))

    def loss(self, x):
        return -(self.w ** 2).sum() + 0.0 * x.sum()


@pytest.fixture
def runaway():
    return Runaway()
