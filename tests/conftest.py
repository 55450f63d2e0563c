import matplotlib

matplotlib.use("Agg")  # tests never open windows

import pytest
import torch


@pytest.fixture
def gen():
    return torch.Generator().manual_seed(0)
