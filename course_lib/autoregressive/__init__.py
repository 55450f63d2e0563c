"""Autoregressive and masked models of images (notebook 08: 08_autoregressive_and_masked_models).

File → concept → where it is taught:

- ``fvsbn.py``: FVSBN and the
  independent-pixel baseline — notebook 01, recapped at the start of notebook 08.
- ``made.py``: MADE, masks from degrees/orderings, several orderings as a logsumexp mixture — 08 §MADE.
- ``transformer.py``: GPT-style causal transformer with exact log p(x) and a key-value cache — 08 §transformer.
- ``pixelcnn.py``: masked convolutions (type A/B masks) — 08 §likelihood table.
- ``masked.py``: MaskGIT (cosine mask schedule, masked-token loss, K-pass confident/random decoding)
  and MAGE's features — 08 §MaskGIT.
- ``mae.py``: masked autoencoder (argsort-of-noise masking, encoder on visible patches) — 08 §MAE.
- ``tokens.py`` / ``patches.py``: visual tokens from a k-means patch codebook; patchify — 08 §visual tokens.
- ``_common.py``: input checks, the binarised digits split 1000/350/447 (``binary_digits``).
- ``recipes.py``: ``train_autoregressive`` (one-cycle, the best validation checkpoint) and bits per pixel — 08.

Every generative model here follows the course contract: ``loss(x)``, ``sample(n, generator=...)``
and ``log_prob(x)`` where a tractable likelihood exists (MADE, transformer, PixelCNN: exact).
"""
from course_lib.autoregressive._common import binary_digits
from course_lib.autoregressive.made import MADE, made_degrees, made_masks
from course_lib.autoregressive.mae import MAE, random_masking
from course_lib.autoregressive.masked import CosineMaskSchedule, MaskGIT
from course_lib.autoregressive.patches import patchify, unpatchify
from course_lib.autoregressive.pixelcnn import MaskedConv2d, PixelCNN, conv_mask
from course_lib.autoregressive.tokens import PatchCodebook, kmeans
from course_lib.autoregressive.transformer import Block, CausalTransformer, causal_mask
from course_lib.autoregressive.recipes import bits_per_pixel, train_autoregressive

from course_lib.autoregressive.fvsbn import FVSBN, IndependentBernoulli, all_binary_vectors

__all__ = [
    "FVSBN", "IndependentBernoulli", "all_binary_vectors", "binary_digits",
    "MADE", "made_degrees", "made_masks",
    "CausalTransformer", "Block", "causal_mask",
    "PixelCNN", "MaskedConv2d", "conv_mask",
    "MaskGIT", "CosineMaskSchedule",
    "MAE", "random_masking", "patchify", "unpatchify",
    "PatchCodebook", "kmeans", "train_autoregressive", "bits_per_pixel",
]
