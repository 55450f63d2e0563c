"""The shipped models of the course: one registry, name → build, recipe, checkpoint (notebooks 04-09).

The zoo stands above the model families and ``evaluation`` (it builds models of every family and scores
them) and below the widgets and exercises (which never load a checkpoint themselves).

| module | what | used by |
|---|---|---|
| ``registry`` | :data:`SHIPPED`: every checkpoint's builder, recipe and script; :func:`build`, :func:`load`, :func:`load_or_train` | notebooks, ``scripts/train_*.py`` |
| ``autoregressive`` | notebook 08's specs and their training recipe (:func:`~course_lib.zoo.autoregressive.train_shipped`) | 08 |
| ``diffusion`` | the diffusion architectures of ``scripts/train_diffusion.py`` and their DDIM samplers | 07, 09 |
| ``token_images`` | 08's token models decoded by the k-means codebook into images | 09 |
| ``leaderboard`` | every course model on the same features and reference | 09 |
"""
from __future__ import annotations

from course_lib.zoo import autoregressive, diffusion, token_images
from course_lib.zoo.registry import SHIPPED, Shipped, build, load, load_or_train
from course_lib.zoo.leaderboard import (COLUMNS, DIGITS_MODELS, MNIST_MODELS, RESULTS_DIR, CourseModels,
                                        course_samplers, format_leaderboard, leaderboard, load_leaderboard,
                                        nearest_neighbour_ratio, save_leaderboard)

__all__ = [
    "autoregressive", "diffusion", "token_images",
    "SHIPPED", "Shipped", "build", "load", "load_or_train",
    "COLUMNS", "DIGITS_MODELS", "MNIST_MODELS", "RESULTS_DIR", "CourseModels", "course_samplers",
    "format_leaderboard", "leaderboard", "load_leaderboard", "nearest_neighbour_ratio", "save_leaderboard",
]
