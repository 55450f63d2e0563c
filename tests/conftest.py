import matplotlib

matplotlib.use("Agg")  # tests never open windows

import pytest
import torch


def pytest_configure(config):
    # The course's models are small: on a 2-core machine running two test workers, one torch
    # thread per worker is faster than threads fighting over the cores (2-20x on tiny models).
    torch.set_num_threads(1)


@pytest.fixture
def gen():
    return torch.Generator().manual_seed(0)
