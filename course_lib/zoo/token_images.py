"""Notebook 08's shipped MNIST token models as image samplers (used by notebook 09's leaderboard).

Both models generate 7x7 grids of visual tokens (ids of the k-means codebook ``codebook_mnist``) and
the codebook decodes them into 28x28 images. :func:`tokens_transformer_mnist` wraps the causal
transformer ``ar_tokens_mnist`` (49 sequential passes with the key-value cache),
:func:`maskgit_tokens_mnist` wraps MaskGIT ``maskgit_tokens_mnist`` (K parallel passes).

Only shipped, hash-checked weights are loaded: a missing or altered file raises
:class:`course_lib.checkpoints.CheckpointError` (rebuild with ``scripts/train_autoregressive.py``);
nothing is trained here, so a caller can skip the model and say why.
"""
from __future__ import annotations

import torch
from torch import nn

from course_lib._checks import check_choice, check_float, check_int
from course_lib.autoregressive import CausalTransformer, MaskGIT, PatchCodebook
from course_lib.checkpoints import load_into
from course_lib.zoo import autoregressive as zoo

__all__ = ["TokenImageSampler", "codebook_mnist", "tokens_transformer_mnist", "maskgit_tokens_mnist"]


class TokenImageSampler(nn.Module):
    """A token model and the codebook that decodes its tokens: ``sample(n, generator)`` → (n, 1, 28, 28) in [0, 1].

    ``model`` is a :class:`CausalTransformer` or :class:`MaskGIT` over (7, 7) grids of ``codebook.k``
    symbols; ``sample_kwargs`` are passed to its ``sample`` (e.g. ``steps=8`` for MaskGIT).
    ``network_evaluations`` is the number of network passes per batch of samples (49 or K).
    """

    def __init__(self, model: nn.Module, codebook: PatchCodebook, name: str, **sample_kwargs):
        super().__init__()
        if not isinstance(model, (CausalTransformer, MaskGIT)):
            raise TypeError(f"TokenImageSampler: model must be a CausalTransformer or MaskGIT, got {type(model).__name__}")
        if model.vocab != codebook.k or model.shape != codebook.grid:
            raise ValueError(f"TokenImageSampler: model (shape {model.shape}, vocab {model.vocab}) does not match the "
                             f"codebook (grid {codebook.grid}, k {codebook.k})")
        self.model, self.codebook, self.name = model.eval(), codebook.eval(), name
        self.sample_kwargs = sample_kwargs

    @property
    def network_evaluations(self) -> int:
        return self.sample_kwargs.get("steps", 8) if isinstance(self.model, MaskGIT) else self.model.T

    @torch.no_grad()
    def sample_tokens(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """(n, 7, 7) int64 token ids."""
        n = check_int(n, f"{self.name}.sample_tokens: n", min_value=1)
        return self.model.sample(n, generator=generator, **self.sample_kwargs)

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """(n, 1, 28, 28) images in [0, 1]: sampled tokens decoded by the codebook (reproducible given ``generator``)."""
        n = check_int(n, f"{self.name}.sample: n", min_value=1)
        return self.codebook.decode(self.sample_tokens(n, generator)).clamp(0, 1)

    def extra_repr(self) -> str:
        return f"name={self.name!r}, sample_kwargs={self.sample_kwargs}"


def _load(name: str, directory=None) -> nn.Module:
    model = zoo.build(name)
    # CheckpointError if missing, altered or of another architecture
    load_into(model, name) if directory is None else load_into(model, name, directory)
    return model.float().eval()


def codebook_mnist(directory=None) -> PatchCodebook:
    """The shipped k-means codebook (k = 64 codewords of 4x4 patches). ``directory``: default the shipped one."""
    return _load("codebook_mnist", directory)


def tokens_transformer_mnist(directory=None) -> TokenImageSampler:
    """The causal transformer over 49 MNIST tokens (``ar_tokens_mnist``), decoded by the codebook."""
    return TokenImageSampler(_load("ar_tokens_mnist", directory), codebook_mnist(directory),
                             "transformer on tokens (08)", use_cache=True)


def maskgit_tokens_mnist(steps: int = 8, order: str = "confidence", directory=None,
                         choice_temperature: float | None = None) -> TokenImageSampler:
    """MaskGIT over the same 49 tokens (``maskgit_tokens_mnist``), decoded in ``steps`` passes by the codebook.

    ``choice_temperature``: the Gumbel noise scale of the confidence ranking; None = the checkpoint's
    recipe (``zoo.SPECS["maskgit_tokens_mnist"]["sample"]``, where its choice is explained)."""
    steps = check_int(steps, "maskgit_tokens_mnist: steps", min_value=1, max_value=49)
    check_choice(order, "maskgit_tokens_mnist: order", {"confidence", "random"})
    tau = zoo.SPECS["maskgit_tokens_mnist"]["sample"]["choice_temperature"] if choice_temperature is None else \
        check_float(choice_temperature, "maskgit_tokens_mnist: choice_temperature", min_value=0.0)
    return TokenImageSampler(_load("maskgit_tokens_mnist", directory), codebook_mnist(directory),
                             f"MaskGIT on tokens, K={steps} (08)", steps=steps, order=order,
                             choice_temperature=tau)
