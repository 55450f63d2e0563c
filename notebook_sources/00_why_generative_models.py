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
# # 00 · Why generative models?
#
# A classifier answers a question about an object. A **generative model** can also *produce* objects:
# new digits, new images, new sentences, or several different correct answers to one question. This
# notebook shows, with small models you train in seconds, what that buys and what it costs, and ends
# with a map of the model families the rest of the course builds. The symbols used across the course are
# fixed once, in the [Notation](#Notation) section just below.

# %% [markdown]
# ## Notation
#
# One meaning per symbol for the whole course (a test checks that every formula's symbols are listed). The
# table follows the lecture notes; the last column says where the course departs from a slide and why. Skim it
# now and come back when a letter puzzles you.
#
# **Objects, data and sizes**
#
# | symbol | meaning | where | departs from a slide? |
# |---|---|---|---|
# | $x$, $x_i$ or $x^{(i)}$ | an object (image, point); the $i$-th training object | all | in the chain rule $\prod_j p(x_j \mid x_{<j})$ (00, 01, 08) a subscript is a *coordinate*, as on the slide |
# | $\mathbf x$, $\mathbf z$ | the same $x$, $z$ in bold, where a slide stresses that they are vectors | 01 | |
# | $\tilde x$, $\hat x$ | a corrupted object; a reconstruction or a prediction ($\hat y$, $\hat\theta$: an estimate) | 02–04 | |
# | $y$, $Y$ | an answer (label, target); the set of answers | 00, 03, 05–09 | |
# | $X$, $X^\ell$ | the object space; the training set $\{x_1, \dots, x_\ell\}$ (in 04's quote of the notes, $P(X)$, one object) | all | |
# | $n$ | number of coordinates of $x$ (pixels, features) | all | |
# | $\ell$ | number of training objects | all | the maximum-likelihood slide writes $m$ objects; here $m$ is the code size |
# | $m$ | dimension of the code $z$ (PCA, autoencoders, PPCA, VAE) | 02–04 | the VAE slide's latent size $L$ is $m$ here |
# | $N$, $N_k$, $N_a$ | a batch or tensor size (`(N, C, H, W)`); a number of samples or points ($N_a$ of a set $a$); counts of objects (00's $N_k$, $N_{kjv}$) | 00, 02, 03, 05, 06, 09 | |
# | $C$, $H$, $W$ in `(N, C, H, W)` | channels, height, width of an image tensor | 03 | only inside that shape |
# | $i$, $j$, $k$ | indices: objects ($i$), coordinates ($j$, also $i$ in a chain rule), components, classes, eigenvalues or samples ($k$) | all | |
# | $K$ | a number of terms indexed by $k$: mixture components (00, 01), importance samples (04, as in Burda et al.) | 00, 01, 04 | the uses never meet in one notebook |
# | $t$, $T$ | a step (of diffusion, of training) and a number of steps ($T_{\text{warm}}$ in 03) | 00, 03, 07 | |
# | $\mathcal V$, $v$ | the levels a pixel can take; one level | 00 | |
# | $F$, $G = FU$ | data matrix $(\ell, n)$ of centred objects, code matrix $(\ell, m)$ | 02, 04 | |
# | $U$, $\tilde U$, $V$ | orthonormal axes $(n, m)$ of PCA; all right and left singular vectors of $F$ | 02, 04 | the notes' $F = V\Sigma W^\top$ is written $F = V \operatorname{diag}(s)\,\tilde U^\top$ ($\Sigma$, $W$ have other meanings here) |
# | $s_k$ | the $k$-th singular value of $F$ | 02 | |
# | $\lambda_k$, $\Lambda_m$ | $k$-th largest eigenvalue of a sample covariance; the diagonal matrix of the first $m$ | 02, 04 | 02 divides the covariance by $\ell - 1$ (as scikit-learn), 04's PPCA by $\ell$ (maximum likelihood) |
# | $P$, $A$, $B$, $C$, $Q$, $R$ | a matrix named where it is used (projector $P$, linear AE weights $A$, $B$, invertible $C$, orthonormal basis $Q$, rotation or residuals $R$) | 02–04 | |
#
# **Models and their parameters**
#
# | symbol | meaning | where | departs from a slide? |
# |---|---|---|---|
# | $p$, $q$, $P$ | a probability or density; $q$ an approximation (an encoder) of the one written $p$ | all | |
# | $p_{\text{model}}(x; \theta)$, $p_{\text{data}}$ | a model with parameters $\theta$; the data distribution | 00, 01 | |
# | $\theta$, $\eta$ | parameters of a model ($\theta_G$, $\theta_D$ of a GAN; $\theta_k$ principal angles in 02; $\theta_{kjv}$ Naive Bayes' probabilities); $\eta$ a second parameter vector (01) | all | |
# | $z$ | latent code of an object | 00–07 | |
# | $f(x, \alpha)$, $f_\alpha$ | **encoder** with parameters $\alpha$: $x \mapsto z$ | 02–04 | as in the semi-supervised and VAE slides ($z = f(x_i, \alpha, \varepsilon)$); 03 renames the DAE slide's $f_\theta(g_\phi(\tilde x))$ |
# | $g(z, \beta)$, $g_\beta$ | **decoder** with parameters $\beta$: $z \mapsto \hat x$ | 02–04 | as in the semi-supervised slide; see the DAE slide above |
# | $q_\alpha(z \mid x)$, $p_\beta(x \mid z)$, $p(z)$ | probabilistic encoder, probabilistic decoder, prior | 04 | the review slide's $p_{\theta_x}(x \mid z)$ appears once; otherwise $p_\beta$ |
# | $\hat y(z, \gamma)$ | predictor on the code, parameters $\gamma$ | 03 | |
# | $h_\theta(x)$ | a regressor's prediction | 00 | |
# | $W$, $b$ | a weight matrix and a bias vector (a linear layer, logistic regression, the FVSBN, PPCA's loadings $W$) | 00–04 | |
# | $a$ | a pre-activation (logit); a "preferred value" in 03's one-coordinate argument | 01, 03 | |
# | $\pi_k$, $\mu$, $\mu_k$, $\Sigma_k$, $L_k$ | mixture weights, means, covariances and their Cholesky factors; $\pi_j(z)$ a Bernoulli decoder's pixel probabilities | 00, 01, 04 | |
# | $\sigma$, $\sigma^2$, $\sigma_p$ | a standard deviation and a variance of the Gaussian named next to it; $\sigma_p$ the prior's | all | |
# | $C$, $M$ | PPCA's covariance $WW^\top + \sigma^2 I$ and $W^\top W + \sigma^2 I$ | 04 | |
# | $\kappa$ | the Laplace pseudo-count | 00, 01 | the code's argument is `alpha` (the usual name in libraries) |
# | $\lambda$ | weight of an extra term (the $L_1$ and $\ell_{2,1}$ penalties, the supervised term, the R1 and gradient penalties; $\lambda(t)$ when it changes with the step, as the ELBO's weights in 07); the rate of an exponential density in 01 | 01, 03, 05–07 | an index always marks an eigenvalue $\lambda_k$ instead |
# | $\beta_{\mathrm{KL}}$ | weight of the KL term ($\beta$-VAE) | 04 | Higgins et al.'s $\beta$ names the decoder's parameters here |
# | $\beta_t$, $\bar\alpha_t$ | diffusion noise schedule at step $t$, and $\prod_{s \le t}(1 - \beta_s)$ | 00, 07 | Ho et al.'s letters, always with the step index $t$ |
# | $\rho$ | decay of an exponential moving average of weights | 05, 07 | Yazıcı et al.'s $\beta$ names the decoder's weights here |
# | $\mathcal M_D$, $\mathcal M_D^q$ | corruption process; the same with probability $q$ of leaving the input clean | 03 | |
# | $S$, $s_i$, $r_i$, $L_D$ | 03's robust AE: outlier matrix and its rows, residuals, the part of the data it reconstructs | 03 | Zhou & Paffenroth's letters |
# | $G(z)$, $D(x)$ | generator and discriminator (critic in 06) | 00, 05, 06 | always with an argument (02's code matrix $G = FU$ never takes one). The slide's parameters $\alpha$, $\beta$ are $\theta_G$, $\theta_D$ here |
# | $f$ in $\sup_{\|f\|_L \le 1}$ | a 1-Lipschitz test function in the Kantorovich–Rubinstein formula | 00, 06 | the slide's letter, kept inside that formula and 06's proof of it; the trained network is the critic $D$ |
#
# **Objectives, noise and operations**
#
# | symbol | meaning | where | departs from a slide? |
# |---|---|---|---|
# | $\mathscr L$, $\tilde{\mathscr L}$, $L_{\text{DAE}}$, $L(A, B)$ | an objective, named by its subscript or arguments (a log-likelihood $\mathscr L(\mu, \sigma)$ in 01; reconstruction, supervised, VAE, DAE) | 01–04 | |
# | $L_1$, $\|\cdot\|_1$, $\|\cdot\|_{2,1}$ | the $L_1$ norm, the sum of the rows' Euclidean norms | 03 | |
# | $KL$, $\mathrm{KL}$, $H$ | Kullback–Leibler divergence, entropy | 01, 04 | |
# | $\varepsilon$ | standard normal noise, $\varepsilon \sim \mathcal N(0, I)$ | 00, 01, 03, 04, 07 | |
# | $w_k$, $u(z)$ | importance weight; the integrand of a gradient estimator | 04 | the notes write $f$, which is the encoder here |
# | $I$, $I_m$ | identity matrix (of size $m$) | all | |
# | $\mathcal N$, $\mathcal U$ | normal and uniform distributions | all | |
# | $\delta$ | Dirac's delta | 03 | |
# | $\chi^2$ | Pearson's chi-squared divergence | 05 | |
# | $\Pi(P, Q)$, $\Gamma$ | the set of transport plans (joint distributions) with marginals $P$ and $Q$; one plan | 06 | Arjovsky et al. write a plan $\gamma$, which is the predictor's parameters here |
# | $\omega_k$ | the $k$-th frequency of a sinusoidal time embedding | 07 | |
# | $\tau$ | a sampling temperature (the scale of MaskGIT's Gumbel noise) | 08 | |
# | $o$, $\Omega$, $n_\Omega$ | an ordering of the positions; the set of masked positions and its size (08's MaskGIT bound) | 08 | Hoogeboom et al. write the ordering $\sigma$, a standard deviation here |
# | $l$ | a layer index (MADE's $m^l(k)$ in 08, as in Germain et al.) | 08 | |
# | $\pi$, $e$ | the numbers 3.14… and 2.71… (no index: $\pi_k$ are mixture weights) | all | |
# | $d$ in $dz$, $\partial$, $\nabla$ | differentials and gradients | all | |
#
# **Local letters.** Some letters name a quantity only for the sentence or formula around them and are defined
# there: $c$ (a constant or a centre), $b$ (a Bernoulli mask in 03, a Laplace scale in 01), $h$ (a hidden
# width in 03), $r$, $t$ (a mixing weight in an interpolation), $u$, $v$, and the $A$, $B$, $C$ above. They never
# carry a meaning from one section to the next.

# %% [markdown]
# ## Objectives
#
# After this notebook you can
#
# 1. state the difference between a **discriminative** model $p(y \mid x)$ and a **generative** model
#    $p(x, y)$, and derive a classifier from a generative model with $p(y \mid x) \propto p(x, y)$;
# 2. explain the **multi-modal output** problem: why a regressor trained with the mean squared error
#    predicts the *mean* of several correct answers, and how a conditional generative model (a mixture
#    density network) keeps all of them;
# 3. fit a **Naive Bayes** model $p(x, y) = p(y) \prod_j p(x_j \mid y)$ by maximum likelihood (counting,
#    with Laplace smoothing), use it to classify digits *and* to generate them, and explain why its
#    samples look noisy;
# 4. compare it with its discriminative twin, logistic regression (fewer assumptions, more accurate);
# 5. place the families of the course (autoregressive, VAE, GAN, diffusion, masked-token models) on one map
#    (an optional appendix checks one formula of each family).

# %% [markdown]
# ## Setup
#
# The first cell seeds every random generator and picks a device.

# %%
# on Colab only: install the course, keeping Colab's torch and Jupyter (no-op elsewhere)
import subprocess, sys
if "google.colab" in sys.modules:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                           "pot", "mlxtend",
                           "git+https://github.com/<owner>/genmodels-course@main"])

import course_lib

device = course_lib.setup(seed=0, threads=1)

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import display
from torch.nn import functional as F

from course_lib import data, viz
from course_lib.exercises import ch00
from course_lib.likelihood import draw_model_map
from course_lib.likelihood import (MixtureDensityNetwork, MSERegressor,
                                   branch_fractions, conditional_mean, true_log_density,
                                   two_branch_data)
from course_lib.likelihood import LogisticRegression, NaiveBayes, discretize
from course_lib.training import fit
from course_lib.widgets.mixture_density import ConditionalSliceView
from course_lib.widgets.naive_bayes import SmoothingView

# %% [markdown]
# ## Data
#
# Throughout the course we write $X$ for the set of **objects** (images, points, sentences) and $Y$ for
# the set of **answers** (labels, targets). Two data sets serve this notebook.
#
# ### Digits: objects $x \in X$ are 8×8 images, answers $y \in Y = \{0, \dots, 9\}$
#
# scikit-learn's 1,797 handwritten digits, split once (with a fixed permutation) into 1,438 training
# and 359 test images. Each pixel takes one of 17 grey levels $0, \frac{1}{16}, \dots, 1$.

# %%
digits = data.load_digits()
print(digits)
fig, ax = plt.subplots(figsize=(10, 2.6))
first = torch.stack([digits.x_train[digits.y_train == k][0] for k in range(10)])
viz.image_grid(first, nrow=10, ax=ax, title="one training image per class, y = 0 … 9")
plt.show()

# %% [markdown]
# Naive Bayes needs discrete pixels. We use two codings: **binary** pixels (on when the intensity
# exceeds ½, i.e. `data.binarize`) and the original **17 levels** (code $k$ for intensity $k/16$).
# `discretize(images, levels)` does both; the `assert`s check it against the library's `binarize` and
# against the original grey levels.

# %%
# (1438, 64) in {0, 1}
codes2_train = discretize(digits.x_train, 2).reshape(len(digits.x_train), -1)
# (359, 64)
codes2_test = discretize(digits.x_test, 2).reshape(len(digits.x_test), -1)
# (1438, 64) in {0..16}
codes17_train = discretize(digits.x_train, 17).reshape(len(digits.x_train), -1)
codes17_test = discretize(digits.x_test, 17).reshape(len(digits.x_test), -1)
assert torch.equal(codes2_train.float(),
                   data.binarize(digits.x_train).reshape(len(digits.x_train), -1))
assert torch.equal(codes17_train.float() / 16,
                   digits.x_train.reshape(len(digits.x_train), -1))
print("binary codes:", tuple(codes2_train.shape), " 17-level codes:",
      tuple(codes17_train.shape))

# %% [markdown]
# ### A question with two correct answers
#
# For the multi-modal output problem we need inputs with *several* right answers. Take
# $x \sim \mathcal U(0, 1)$ and let the answer be $y = +\sqrt{x}$ or $y = -\sqrt{x}$ with equal
# probability, observed with a little Gaussian noise ($\sigma = 0.05$): both signs are correct, as both
# "the cat sat" and "a cat was sitting" are correct translations of one sentence, or as many sharp
# images are correct predictions of the next video frame.

# %%
gen = torch.Generator().manual_seed(0)
P_UPPER, NOISE = 0.5, 0.05
# (2000, 1) each
x_toy, y_toy = two_branch_data(2000, p_upper=P_UPPER, noise=NOISE, generator=gen)
fig, ax = plt.subplots(figsize=(7, 4.5))
ax.scatter(x_toy[:, 0], y_toy[:, 0], s=5, alpha=0.4, color="gray")
ax.set(xlabel="input x", ylabel="answer y", title="training pairs: y = ±√x + noise")
plt.show()

# %% [markdown]
# ## Model
#
# ### Discriminative versus generative
#
# Given objects $X$ and answers $Y$, a **discriminative** model learns the conditional distribution
# $p(y \mid x)$ directly: it answers questions about $x$, nothing more. A **generative** model learns the
# joint distribution $p(x, y)$ (or just $p(x)$ when there are no answers). A joint contains the
# conditional, by the definition of conditional probability:
#
# $$p(y \mid x) = \frac{p(x, y)}{p(x)} = \frac{p(x, y)}{\sum_{y'} p(x, y')} \propto p(x, y),$$
#
# where "$\propto$" means "as a function of $y$, up to a factor that does not depend on $y$". So a
# generative model is also a classifier: $\arg\max_y p(y \mid x) = \arg\max_y p(x, y)$. It can do more:
# sample $y \sim p(y)$, then $x \sim p(x \mid y)$, i.e. **generate objects**. A discriminative model cannot
# generate objects. On the other hand it is more flexible: it makes no assumption about the structure of
# the feature space $X$ (how pixels depend on each other), because it never models $x$ at all.
#
# A tiny joint table makes the formula concrete: two kinds of scanned strokes $x$ and three digits $y$.

# %%
# NBVAL_CHECK_OUTPUT
joint = ch00.JOINT                          # p(x, y): rows x, columns y
p_x = joint.sum(axis=1, keepdims=True)      # p(x) = Σ_y p(x, y)
p_y_given_x = joint / p_x                   # p(y | x) = p(x, y) / p(x)
assert np.isclose(joint.sum(), 1.0) and np.allclose(p_y_given_x.sum(axis=1), 1.0)
# proportional: dividing by p(x) does not change which y wins
assert (p_y_given_x.argmax(1) == joint.argmax(1)).all()
for name, row in zip(ch00.X_VALUES, p_y_given_x):
    print(f"p(y | {name:11s}) for y = {ch00.Y_VALUES}:", np.round(row, 3))

# %% [markdown]
# ### Naive Bayes: the simplest generative classifier
#
# An 8×8 binary image has $2^{64}$ possible values: a full table $p(x, y)$ is hopeless. Naive Bayes
# assumes that, **given the class**, the pixels are independent:
#
# $$p(x, y) = p(y) \prod_{j=1}^{n} p(x_j \mid y).$$
#
# Each factor is a small categorical distribution: $p(y = k) = \pi_k$ and
# $p(x_j = v \mid y = k) = \theta_{kjv}$ for $v$ in $\{0, 1\}$ (binary pixels) or $\{0, \dots, 16\}$ (grey
# levels). For binary pixels with $\theta_{kj} = p(x_j = 1 \mid y = k)$,
#
# $$\log p(x, y = k) = \log \pi_k + \sum_{j=1}^n \big[x_j \log \theta_{kj} + (1 - x_j) \log (1 - \theta_{kj})\big],$$
#
# which has $10 \cdot 64 + 9 = 649$ free parameters instead of $10 \cdot 2^{64} - 1$.
#
# ### Logistic regression: its discriminative twin
#
# The discriminative model over the same pixels is multinomial logistic regression,
# $p(y = k \mid x) = \mathrm{softmax}(Wx + b)_k$. Ng & Jordan (2001) call the two a
# *generative–discriminative pair*: for binary pixels the Naive Bayes posterior $p(y \mid x)$ is itself a
# softmax of a linear function of $x$ (expand the log above: it is linear in $x_j$), so both describe
# the same family of classifiers. Naive Bayes picks its $W$ by modelling $p(x \mid y)$ under the
# independence assumption; logistic regression picks $W$ to predict $y$ as well as possible.
#
# ### Regression with MSE versus a mixture density network
#
# For the two-answer problem, a regressor $\hat y = h_\theta(x)$ (a small MLP) trained with the mean
# squared error predicts one number per $x$. A **mixture density network** (MDN; Bishop 1994) instead
# outputs the parameters of a whole conditional density, a mixture of $K$ Gaussians:
#
# $$p_\theta(y \mid x) = \sum_{k=1}^{K} \pi_k(x)\, \mathcal N\!\big(y;\, \mu_k(x),\, \sigma_k(x)^2\big),
# \qquad \pi(x) = \mathrm{softmax}(\cdot),\ \sigma_k(x) = \mathrm{softplus}(\cdot) > 0,$$
#
# all $3K$ numbers produced by one MLP. It is a *conditional generative model*: given $x$ we can sample
# answers $y \sim p_\theta(y \mid x)$. Here are the key lines of its log-density, checked against the
# library version (`MixtureDensityNetwork.log_prob`).

# %%
torch.manual_seed(0)
mdn = MixtureDensityNetwork(components=3, hidden=64)
regressor = MSERegressor(hidden=64)


def mdn_log_prob(model, y, x):
    """log p(y | x) for y, x of shape (n, 1): log Σ_k π_k N(y; μ_k, σ_k²)."""
    logits, mu, s = model.net(x).chunk(3, dim=1)           # (n, K) each
    log_pi = torch.log_softmax(logits, dim=1)
    sigma = F.softplus(s) + model.min_std
    log_normal = (-0.5 * ((y - mu) / sigma) ** 2 - torch.log(sigma)
                  - 0.5 * math.log(2 * math.pi))
    return torch.logsumexp(log_pi + log_normal, dim=1)     # (n,)


with torch.no_grad():
    assert torch.allclose(mdn_log_prob(mdn, y_toy[:50], x_toy[:50]),
                          mdn.log_prob(x_toy[:50], y_toy[:50]), atol=1e-5)
print(mdn)

# %% [markdown]
# ## Objective
#
# ### Maximum likelihood
#
# Every model of this notebook is fitted by **maximum likelihood**: choose the parameters under which the
# training data are most probable. For i.i.d. examples $x^{(1)}, \dots, x^{(\ell)}$,
#
# $$\theta^* = \arg\max_\theta \prod_{i=1}^{\ell} p_{\text{model}}(x^{(i)}; \theta)
# = \arg\max_\theta \log \prod_{i=1}^{\ell} p_{\text{model}}(x^{(i)}; \theta)
# = \arg\max_\theta \sum_{i=1}^{\ell} \log p_{\text{model}}(x^{(i)}; \theta).$$
#
# The logarithm changes nothing about the maximiser (it is increasing) but turns a product of tiny
# numbers into a sum that a computer can hold (notebook 01 studies this in depth). Not every generative
# model is trained this way: some never write down $p_{\text{model}}$ at all, and some (GANs) do not use
# maximum likelihood by default but can be made to.
#
# * **Naive Bayes.** The log-likelihood of $(x^{(i)}, y^{(i)})$ splits into one term per factor, and each
#   categorical factor is maximised by its relative frequency:
#   $\hat\pi_k = N_k / \ell$, $\hat\theta_{kjv} = N_{kjv} / N_k$, where $N_k$ counts images of class $k$ and
#   $N_{kjv}$ those among them with pixel $j$ equal to $v$. **Fitting is counting.** A pixel never on in
#   class $k$ gets $\hat\theta = 0$ and then $\log 0 = -\infty$ for any test image that has it on, so we use
#   **Laplace smoothing**: add $\kappa$ pseudo-counts to every cell,
#   $\theta_{kjv} = (N_{kjv} + \kappa) / (N_k + \kappa\, |\mathcal V|)$ with $\mathcal V$ the set of levels a pixel
#   can take ($\kappa = 1$ by default; the code's argument is `alpha`, the usual name in libraries).
# * **Logistic regression** maximises the conditional log-likelihood $\sum_i \log p(y^{(i)} \mid x^{(i)})$
#   (the cross-entropy), plus a small L2 penalty.
# * **MDN**: minimise $-\frac1\ell\sum_i \log p_\theta(y^{(i)} \mid x^{(i)})$.
# * **MSE regressor**: minimise $\frac1\ell\sum_i (y^{(i)} - h_\theta(x^{(i)}))^2$. This is maximum likelihood
#   too, for the *unimodal* model $p(y \mid x) = \mathcal N(y; h_\theta(x), \sigma^2)$: its log-density is
#   $-\frac{(y - h_\theta(x))^2}{2\sigma^2} + \text{const}$. The assumption of one bump per $x$ is exactly
#   what fails on our data.
#
# ### What MSE learns: the mean
#
# For one fixed $x$, the constant $c$ minimising $\mathbb E[(y - c)^2 \mid x]$ satisfies
# $\frac{d}{dc} = -2(\mathbb E[y \mid x] - c) = 0$, so $c^* = \mathbb E[y \mid x]$. With answers
# $+\sqrt x$ (probability $p$) and $-\sqrt x$ (probability $1 - p$), a perfect MSE regressor predicts
# $(2p - 1)\sqrt x$: for $p = \frac12$ that is $0$, **a value that is never a correct answer.** A numerical
# check: scan $c$ over a grid for a sample of answers at $x = 0.64$.

# %%
# NBVAL_CHECK_OUTPUT
# y at x = 0.64, p = 1/2
answers = torch.tensor([0.8] * 50 + [-0.8] * 50)
cs = torch.linspace(-1, 1, 2001)
mse_of_c = ((answers[None, :] - cs[:, None]) ** 2).mean(1)
c_star = float(cs[mse_of_c.argmin()])
assert abs(c_star - float(answers.mean())) < 1e-3
assert abs(c_star - float(conditional_mean(torch.tensor([[0.64]]), 0.5))) < 1e-3
mse_at_answer = float(mse_of_c[(cs - 0.8).abs().argmin()])
# "twice" (prose)
assert np.isclose(mse_at_answer, 2 * float(mse_of_c.min()), rtol=1e-3)
print(f"argmin_c MSE = {round(c_star, 3) + 0.0:+.3f}; mean of the answers = "
      f"{round(float(answers.mean()), 3) + 0.0:+.3f}; MSE there = "
      f"{float(mse_of_c.min()):.3f}, MSE at a correct answer (+0.8) = "
      f"{mse_at_answer:.3f}")

# %% [markdown]
# The correct answer $+0.8$ costs *twice* the squared error of the useless answer $0$ (both printed above):
# MSE actively prefers averaging.

# %% [markdown]
# **Your turn (exercise 2).** Now the answers are not equally likely: at some $x$ the correct answer is
# `values[k]` with probability `probs[k]`. Write `best_constant(values, probs)`: the single prediction $c$ that
# a perfectly trained MSE regressor makes there, the minimiser of $\mathbb E[(y - c)^2]$. (Then compute it for
# $x = 0.64$ when $y = \pm\sqrt{x}$ with probabilities $0.7$ and $0.3$: is it one of the answers?)

# %%
best_constant = ...  # def best_constant(values, probs): return ...
ch00.check_best_constant(best_constant)

# %% [markdown]
# ## Training
#
# ### Naive Bayes: counting
#
# The key lines: one-hot codes, counts per class, smoothed log-frequencies, and the log-joint as a sum of
# picked log-probabilities. Then the library's `NaiveBayes` does the same and we check they agree.

# %%
def nb_fit(codes, y, levels, alpha=1.0, n_classes=10):
    # (N, n, levels): the one-hot level of each pixel
    onehot = F.one_hot(codes, levels).float()
    # N_kjv: (classes, n, levels)
    counts = torch.stack([onehot[y == k].sum(0) for k in range(n_classes)])
    # N_k: (classes,)
    class_counts = torch.bincount(y, minlength=n_classes).float()
    # log π_k
    log_prior = torch.log(class_counts / class_counts.sum())
    log_theta = torch.log(counts + alpha) - torch.log(class_counts[:, None, None]
                                                      + alpha * levels)
    return log_prior, log_theta


def nb_log_joint(codes, log_prior, log_theta):
    # (N, n, levels)
    onehot = F.one_hot(codes, log_theta.shape[-1]).float()
    # log p(x, y=k): (N, classes)
    return log_prior + torch.einsum("ndl,kdl->nk", onehot, log_theta)


log_prior, log_theta = nb_fit(codes2_train, digits.y_train, levels=2)
nb2 = NaiveBayes(n_features=64, n_classes=10, levels=2, alpha=1.0).fit(codes2_train,
                                                                       digits.y_train)
nb17 = NaiveBayes(n_features=64, n_classes=10, levels=17, alpha=1.0).fit(codes17_train,
                                                                         digits.y_train)
assert torch.allclose(nb_log_joint(codes2_test, log_prior, log_theta),
                      nb2.log_joint(codes2_test), atol=1e-4)
print(nb2, nb17, sep="\n")

# %% [markdown]
# Classification uses $p(y \mid x) \propto p(x, y)$: the prediction is the class with the largest
# log-joint. Naive Bayes is also famously **over-confident**: 64 correlated pixels are counted as 64
# independent pieces of evidence, so its posteriors are close to 0 or 1 even when it is wrong. The cell
# below prints its mean confidence $\max_y p(y \mid x)$ next to its accuracy, and the mean confidence on
# the test images it gets *wrong*: that last number is the symptom.

# %%
# NBVAL_CHECK_OUTPUT
acc_nb2 = nb2.accuracy(codes2_test, digits.y_test)
acc_nb17 = nb17.accuracy(codes17_test, digits.y_test)
print(f"Naive Bayes test accuracy: binary pixels {acc_nb2:.3f}, 17 grey levels "
      f"{acc_nb17:.3f}")
post = nb2.predict_log_proba(codes2_test[:1]).exp()[0]
print("p(y | first test image):", np.round(post.numpy(), 3), " true label:",
      int(digits.y_test[0]))
confidence = float(nb2.predict_log_proba(codes2_test).exp().max(1).values.mean())
print(f"mean confidence max_y p(y | x) on the test set: {confidence:.3f} (accuracy "
      f"{acc_nb2:.3f})")
proba_test = nb2.predict_log_proba(codes2_test).exp()
wrong = proba_test.argmax(1) != digits.y_test
conf_wrong = float(proba_test[wrong].max(1).values.mean())
print(f"mean confidence on the {int(wrong.sum())} misclassified test images: "
      f"{conf_wrong:.3f}")

# %% [markdown]
# **Fitting by counting is maximum likelihood.** With $\kappa = 0$ the estimate is the relative frequency;
# moving any $\theta_{kj}$ away from it lowers the training log-likelihood. We check both numerically.

# %%
nb_mle = NaiveBayes(64, 10, levels=2, alpha=0.0).fit(codes2_train, digits.y_train)
# (10, 64)
theta_hat = nb_mle.log_probs[:, :, 1].exp()
freq = torch.stack([codes2_train[digits.y_train == k].float().mean(0)
                    for k in range(10)])
assert torch.allclose(theta_hat, freq, atol=1e-6)


def train_log_lik(theta, k=3, j=27):
    """Log-likelihood of the class-k images in pixel j as a function of θ_kj."""
    xj = codes2_train[digits.y_train == k, j].float()
    return float((xj * math.log(theta) + (1 - xj) * math.log(1 - theta)).sum())


thetas = np.linspace(0.01, 0.99, 99)
ll = [train_log_lik(t) for t in thetas]
t_hat = float(theta_hat[3, 27])
assert train_log_lik(t_hat) >= max(ll) - 1e-9
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(thetas, ll, label="log-likelihood of class-3 images")
ax.axvline(t_hat, color="tab:red", ls="--", label=f"count ratio N₃ᵢ₁/N₃ = {t_hat:.3f}")
ax.set(xlabel="θ = p(pixel 27 on | y = 3)", ylabel="log-likelihood",
       title="counting maximises the likelihood")
ax.legend()
plt.show()

# %% [markdown]
# ### Logistic regression, trained with `fit`
#
# The discriminative twin, on the same binary pixels, trained by gradient descent on the cross-entropy
# (`course_lib.training.fit` is the course's one training loop).

# %%
torch.manual_seed(0)
logreg = LogisticRegression(n_features=64, n_classes=10)
hist_lr = fit(logreg, (codes2_train.float(), digits.y_train), steps=200, batch_size=256,
              lr=0.05, desc="logistic regression")
acc_lr = logreg.accuracy(codes2_test.float(), digits.y_test)
print(f"test accuracy: logistic regression {acc_lr:.3f} vs Naive Bayes {acc_nb2:.3f} "
      "(same binary pixels)")

# %% [markdown]
# The discriminative model wins: it does not have to believe that the pixels of a digit are independent
# given its class (they are not: strokes are continuous). Ng & Jordan (2001) add a twist: with **few
# training examples** Naive Bayes is often better, because it approaches its (worse) asymptotic error much
# faster. A learning curve over training-set sizes shows both effects. (We use $\kappa = 0.3$ here:
# with two images per class, $\kappa = 1$ pseudo-count per cell is a strong prior; exercise 5 explores
# $\kappa$.)

# %%
from tqdm.auto import tqdm

order = torch.randperm(len(codes2_train), generator=torch.Generator().manual_seed(1))
sizes = [20, 50, 100, 250, 600, len(codes2_train)]
curve = {"Naive Bayes": [], "logistic regression": []}
for n in tqdm(sizes, desc="learning curve"):
    idx = order[:n]
    xs, ys = codes2_train[idx], digits.y_train[idx]
    nb_n = NaiveBayes(64, 10, levels=2, alpha=0.3).fit(xs, ys)
    curve["Naive Bayes"].append(nb_n.accuracy(codes2_test, digits.y_test))
    torch.manual_seed(0)
    lr_n = LogisticRegression(64, 10)
    fit(lr_n, (xs.float(), ys), steps=150, batch_size=min(n, 256), lr=0.05,
        progress=False)
    curve["logistic regression"].append(lr_n.accuracy(codes2_test.float(),
                                                      digits.y_test))

fig, ax = plt.subplots(figsize=(7.5, 4.5))
for name, accs in curve.items():
    ax.plot(sizes, accs, "o-", label=name)
ax.set_xscale("log")
ax.set(xlabel="training images (log scale)", ylabel="test accuracy",
       title="generative vs discriminative (binary pixels)")
ax.legend()
plt.show()
print({k: np.round(v, 3).tolist() for k, v in curve.items()})

# %% [markdown]
# With a handful of images per class, the generative model's strong assumption is an advantage: it has
# only per-pixel frequencies to estimate. With the whole training set the assumption becomes the
# bottleneck and the discriminative model, which spends all its capacity on $p(y \mid x)$, is ahead.

# %% [markdown]
# ### The regressor and the MDN, trained with `fit`
#
# Same data, same optimiser, same number of steps; only the objective differs.

# %%
torch.manual_seed(0)
hist_reg = fit(regressor, (x_toy, y_toy), steps=500, batch_size=256, lr=1e-2,
               desc="MSE regressor")
hist_mdn = fit(mdn, (x_toy, y_toy), steps=500, batch_size=256, lr=1e-2,
               desc="mixture density network")
fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), layout="constrained")
viz.plot_history(hist_reg, ["loss"], ax=axes[0], title="MSE regressor",
                 ylabel="squared error")
axes[0].axhline(0.5 + NOISE ** 2, color="black", ls=":",
                label="Var(y) = E[x] + σ²\n(best a mean can do)")
# the curve's first spike is on the left; its plateau is low
axes[0].legend(loc="upper right")
viz.plot_history(hist_mdn, ["loss"], ax=axes[1], title="mixture density network",
                 ylabel="−log-likelihood (nats)")
plt.show()

# %% [markdown]
# The regressor's loss stalls at about $\mathrm{Var}(y) = \mathbb E[x] + \sigma^2 \approx 0.5$: it
# cannot do better than predicting the mean. The MDN's negative log-likelihood keeps falling (it goes
# below zero because a density can exceed 1).

# %% [markdown]
# ## Sampling and visualising
#
# ### Two answers: the regressor averages, the generative model samples both

# %%
x_test_toy, y_test_toy = two_branch_data(2000, p_upper=P_UPPER, noise=NOISE, x_min=0.2,
                                         generator=gen)
with torch.no_grad():
    pred = regressor(x_test_toy)
samples = mdn.sample(x_test_toy, generator=gen)

fig, axes = plt.subplots(1, 2, figsize=(13, 4.6), sharey=True)
for ax, yy, title in [(axes[0], pred, "MSE regressor: one prediction per x"),
                      (axes[1], samples, "MDN: samples y ~ p(y | x)")]:
    ax.scatter(x_toy[:, 0], y_toy[:, 0], s=4, alpha=0.2, color="gray",
               label="training pairs")
    ax.scatter(x_test_toy[:, 0], yy[:, 0], s=5,
               color="tab:red" if yy is pred else "tab:blue", label=title.split(":")[0])
    ax.set(xlabel="input x", title=title)
    ax.legend(loc="lower left", markerscale=3)
axes[0].set_ylabel("answer y")
plt.show()

# %% [markdown]
# Numbers for the picture, on new inputs with $x \ge 0.2$ (so the branches are well apart): how far the
# regressor is from the mean of the two answers, and which fraction of predictions / samples land within
# $3\sigma = 0.15$ of each branch.

# %%
frac_reg = branch_fractions(x_test_toy, pred, width=3 * NOISE)
frac_mdn = branch_fractions(x_test_toy, samples, width=3 * NOISE)
gap = float((pred - conditional_mean(x_test_toy, P_UPPER)).abs().max())
print(f"regressor: max |h(x) - E[y|x]| = {gap:.3f};  near +√x {frac_reg['upper']:.2f}, "
      f"near -√x {frac_reg['lower']:.2f}, near neither {frac_reg['neither']:.2f}")
print(f"MDN samples:                      near +√x {frac_mdn['upper']:.2f}, "
      f"near -√x {frac_mdn['lower']:.2f}, near neither {frac_mdn['neither']:.2f}")
with torch.no_grad():
    nll_mdn = float(-mdn.log_prob(x_test_toy, y_test_toy).mean())
nll_true = float(-true_log_density(x_test_toy, y_test_toy, p_upper=P_UPPER,
                                   noise=NOISE).mean())
print(f"test NLL per example: MDN {nll_mdn:.3f} nats, true density {nll_true:.3f} nats")

# %% [markdown]
# ### Widget: a slice at one $x$
#
# Move $x$. On the left, the dotted line is the slice and the blue dots are MDN samples on it; the red star
# is the regressor's prediction. On the right, the density $p(y \mid x)$ along that slice: the MDN (blue)
# follows the true density (dashed) with a bump at each answer, while the regressor's prediction (red)
# sits in the gap. Near $x = 0$ the two answers merge and the regressor is right again.

# %% [markdown]
# *Widgets live in the running kernel: after reopening the notebook or restarting the kernel they read
# "Error displaying widget" until you run the notebook again (Run → Run All Cells), then they come back.*

# %%
slice_view = ConditionalSliceView(x_toy, y_toy, regressor, mdn, p_upper=P_UPPER,
                                  noise=NOISE)
display(slice_view.widget())

# %% [markdown]
# ### Naive Bayes generates digits
#
# Because it models $p(x, y)$, Naive Bayes can sample: pick $y$, then draw each pixel from
# $p(x_j \mid y)$ **independently**. Top row: the mean images $\mathbb E[x \mid y]$ (the $\theta_{kj}$);
# below, samples with binary pixels and with 17 grey levels.

# %%
gen_nb = torch.Generator().manual_seed(0)
# 4 samples per class
labels = torch.arange(10).repeat(4)
s2, _ = nb2.sample(40, y=labels, generator=gen_nb)                    # codes (40, 64)
s17, _ = nb17.sample(40, y=labels, generator=gen_nb)
to_img = lambda c, L: (c.float() / (L - 1)).reshape(-1, 1, 8, 8)     # noqa: E731
fig, axes = plt.subplots(3, 1, figsize=(10, 9.5),
                         gridspec_kw={"height_ratios": [1.3, 4, 4]})
viz.image_grid(nb2.pixel_probs().reshape(10, 1, 8, 8), nrow=10, ax=axes[0],
               title="θ_k = p(pixel on | y = k)")
viz.image_grid(to_img(s2, 2), nrow=10, ax=axes[1],
               title="Naive Bayes samples, binary pixels")
viz.image_grid(to_img(s17, 17), nrow=10, ax=axes[2],
               title="Naive Bayes samples, 17 grey levels")
plt.show()

# %% [markdown]
# The samples have the right *average* shape but are speckled: a stroke is drawn pixel by pixel with no
# pixel knowing whether its neighbour was drawn. In real digits, neighbouring pixels are strongly
# correlated given the class; in Naive Bayes samples they are, by construction, independent. The
# correlation matrices of the 64 pixels for class 3 show it.

# %%
real3 = codes2_train[digits.y_train == 3].float()
fake3, _ = nb2.sample(4000, y=torch.full((4000,), 3), generator=gen_nb)
# pixels that vary in class 3
keep = (real3.std(0) > 0.1) & (fake3.float().std(0) > 0.1)
corr_real = np.corrcoef(real3[:, keep].numpy().T)
corr_fake = np.corrcoef(fake3[:, keep].float().numpy().T)
off = ~np.eye(len(corr_real), dtype=bool)
fig, axes = plt.subplots(1, 2, figsize=(10, 4.8), layout="constrained")
for ax, c, title in [(axes[0], corr_real, "real 3s"),
                     (axes[1], corr_fake, "Naive Bayes 3s")]:
    im = ax.imshow(c, cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set(title=title, xlabel="pixel (varying ones)")
    ax.grid(False)
axes[0].set_ylabel("pixel (varying ones)")
fig.suptitle("correlations between the pixels of class-3 images")
fig.colorbar(im, ax=axes, shrink=0.8, label="correlation")
plt.show()
mean_corr_real = np.abs(corr_real[off]).mean()
mean_corr_fake = np.abs(corr_fake[off]).mean()
print(f"mean |correlation| between pixels: real {mean_corr_real:.3f}, Naive Bayes "
      f"samples {mean_corr_fake:.3f}")

# %% [markdown]
# ### Widget: Laplace smoothing
#
# The pseudo-count $\kappa$ is the one knob of Naive Bayes. Move it (log scale): the top row shows
# $\theta_k$, the bottom row one sample per class drawn with *fixed* random numbers (a pixel is on when
# its uniform number is below $\theta$), and the curves show test accuracy and the mean test
# log-likelihood $\log p(x, y)$. Small $\kappa$ trusts the counts; large $\kappa$ drags every $\theta$
# towards $\frac12$, so samples become noise and the likelihood collapses. (With $\kappa = 0$ exactly, any
# test image with a pixel never seen "on" in its class gets probability 0: see the count below.)

# %%
smoothing_view = SmoothingView(nb2, codes2_test, digits.y_test)
display(smoothing_view.widget())
with torch.no_grad():
    ll_mle_test = nb_mle.log_joint(codes2_test).gather(1, digits.y_test[:, None])[:, 0]
print(f"alpha = 0: {int(torch.isinf(ll_mle_test).sum())} of {len(ll_mle_test)} test "
      "images get log p(x, y) = -inf")

# %% [markdown]
# The fix is to let each pixel depend on the pixels drawn before it, with the **chain rule** of
# probability instead of the independence assumption: that is the autoregressive model of notebook 01.

# %% [markdown]
# ## A map of the course
#
# Goodfellow (2016) sorts generative models trained by maximum likelihood by how they treat the density
# $p_{\text{model}}(x)$:
#
# * **Tractable explicit density.** *Fully visible belief networks* decompose an $n$-dimensional $x$ with
#   the chain rule into one-dimensional conditionals,
#   $$p_{\text{model}}(x) = \prod_{i=1}^n p_{\text{model}}(x_i \mid x_1, \dots, x_{i-1})
#   = p(x_1)\, p(x_2 \mid x_1) \cdots p(x_n \mid x_1, \dots, x_{n-1}).$$
#   **Autoregressive models, including Transformers**, are of this kind. Naive Bayes is the special case
#   where every factor ignores the previous pixels: $p(x_i \mid x_{<i}, y) = p(x_i \mid y)$.
# * **Approximate explicit density.** A **VAE** defines $p(x) = \int p(x \mid z; \theta)\, p(z)\, dz$ with a
#   latent $z$; the integral is intractable and training maximises a lower bound (the ELBO). **Diffusion
#   models** corrupt data step by step, $x_0 \to x_1 \to \dots \to x_T \approx \mathcal N(0, I)$, and learn
#   to reverse the chain; they are also trained with an ELBO (NLL or ELBO, like autoregressive models).
# * **Implicit density.** A **GAN** only offers a sampler, $z \sim \mathcal N(0, I) \to G \to x$, and is
#   trained by interacting with $p_{\text{model}}$ only through its samples (a discriminator judges them).
#
# One family fits none of the three boxes: **masked generative models** (MaskGIT, MAGE). They are trained like
# BERT, by cross-entropy on randomly hidden tokens given the visible ones, so they are trained by a
# likelihood, but of the hidden tokens, not of $x$, and they are not trained through samples either. They
# generate by unmasking many tokens in parallel over a few steps. The map gives them their own branch, with
# an arrow to the approximate densities: reweighted, their loss is an upper bound on $-\log p(x)$ of an
# order-agnostic autoregressive model (absorbing-state diffusion), which notebook 08 computes for MaskGIT.

# %%
# laid out for the narrowest output area (840 px)
fig, ax = plt.subplots(figsize=(9.3, 6.2))
draw_model_map(ax)
plt.show()

# %% [markdown]
# The same map as a table, with the notebook that teaches each family:
#
# | notebook | family | what is modelled | trained by |
# |---|---|---|---|
# | 00 (this one) | Naive Bayes; mixture density network | $p(y)\prod_j p(x_j \mid y)$; $p(y \mid x)$ | counting; max likelihood |
# | 01 | maximum likelihood, autoregressive models (FVBN) | $\prod_i p(x_i \mid x_{<i})$ | max likelihood |
# | 02 | PCA and the autoencoder | codes $z = f(x)$, reconstructions | reconstruction error |
# | 03 | autoencoder family (denoising, sparse, stacked convolutional, robust) | codes and reconstructions | reconstruction error + regulariser |
# | 04 | variational autoencoders | $\int p(x \mid z)p(z)\,dz$ | ELBO |
# | 05 | GANs (non-saturating, LSGAN) | a sampler $G(z)$ | minimax game |
# | 06 | Wasserstein GANs | a sampler $G(z)$ | Earth Mover's distance, Lipschitz critic |
# | 07 | diffusion models | $x_0 \to x_1 \to \dots \to x_T \approx \mathcal N(0, I)$ and back | ELBO / denoising |
# | 08 | autoregressive Transformers and masked models (MaskGIT, MAGE) | next token / masked tokens | max likelihood / cross-entropy on masked tokens |
# | 09 | evaluating generative models | Inception Score, FID | (not a loss) |

# %% [markdown]
# ## Checks
#
# The claims of this notebook, as assertions (they run every time the notebook does).

# %%
# Naive Bayes classifies digits well, and its discriminative twin better
assert acc_nb2 >= 0.85 and acc_nb17 >= 0.88, (acc_nb2, acc_nb17)
assert acc_lr > acc_nb2, (acc_lr, acc_nb2)
# Ng & Jordan's two regimes: Naive Bayes ahead with 20 and 50 images, logistic
# regression with all of them
assert all(curve["Naive Bayes"][i] > curve["logistic regression"][i]
           for i in (0, 1)), curve
assert curve["logistic regression"][-1] > curve["Naive Bayes"][-1], curve
# Naive Bayes is over-confident: its mean max-posterior exceeds its accuracy, and it is
# confident on the images it gets wrong (counting, no training: only float rounding
# varies, ~1e-6, far below both margins)
assert confidence > acc_nb2 + 0.02 and conf_wrong > 0.7, (confidence, conf_wrong)
# the MSE regressor learns the mean of the two answers, which is never a correct
# answer...
assert gap < 0.15 and frac_reg["neither"] == 1.0
assert hist_reg.mean_last("loss", 50) > 0.45
# ...while the MDN's samples hit both branches in the right proportions, with a
# near-true likelihood
assert frac_mdn["upper"] > 0.4 and frac_mdn["lower"] > 0.4
assert frac_mdn["neither"] < 0.05
assert nll_mdn - nll_true < 0.1
# the widget shows the same thing at one x
# own view
w = ConditionalSliceView(x_toy, y_toy, regressor, mdn, p_upper=P_UPPER,
                         noise=NOISE).update(x=0.64)
assert abs(w["prediction"]) < 0.15 and w["mass_upper"] > 0.35 and w["mass_lower"] > 0.35
# the smoothing widget: α = 1 is the notebook's model; α = 100 is much worse
# an undisplayed view: the widget keeps its α
check_view = SmoothingView(nb2, codes2_test, digits.y_test)
w1, w100 = check_view.update(alpha=1.0), check_view.update(alpha=100.0)
assert w1["accuracy"] == acc_nb2 and w100["log_lik"] < w1["log_lik"] - 5
assert torch.isinf(ll_mle_test).any()  # α = 0 assigns probability 0 to some test digits
# Naive Bayes samples are less correlated than real digits (the independence assumption)
assert mean_corr_real > 2 * mean_corr_fake
print("all checks passed")

# %% [markdown]
# ## Summary
#
# * A **discriminative** model learns $p(y \mid x)$; a **generative** model learns $p(x, y)$ and gets
#   $p(y \mid x) \propto p(x, y)$ for free, and can also **generate** objects. Discriminative models cannot
#   generate, but they make no assumptions about the feature space and are often more accurate
#   (logistic regression beat Naive Bayes on digits once there was enough data).
# * **Multi-modal outputs**: MSE training learns $\mathbb E[y \mid x]$, the average of all correct answers,
#   which may be no answer at all. A conditional generative model (here an MDN trained by maximum
#   likelihood) represents every answer and samples them.
# * **Naive Bayes**, $p(x, y) = p(y)\prod_i p(x_i \mid y)$, is fitted by counting (= maximum likelihood), with
#   Laplace smoothing against zero counts. Its samples show the cost of the independence assumption.
# * The families of the course: tractable explicit (autoregressive, incl. Transformers), approximate
#   explicit (VAE, diffusion), implicit (GAN), and masked-token models (MaskGIT, MAGE) on their own branch.
#
# Next: notebook 01 makes maximum likelihood precise and replaces the independence assumption with the
# chain rule (autoregressive models).

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell: the checker tests it on cases of its own and prints
# whether it is right, with a hint if not. Worked solutions are in `solutions/ch00.py` at the root of the
# repository (to read it from a cell: `%load ../solutions/ch00.py`): open it only after trying.
#
# **Exercise 1 (a new prior).** The table `ch00.JOINT` came from a school where the digits 0, 1 and 7 are not
# equally common. In another school they are. Keep $p(x \mid y)$ of the table, set $p(y) = \frac13$, and compute
# the new $p(y \mid x)$ for both values of $x$, as a `(2, 3)` array (rows `ch00.X_VALUES`, columns `ch00.Y_VALUES`).

# %%
answer = ...  # a (2, 3) array computed from ch00.JOINT
ch00.check_posterior(answer)

# %% [markdown]
# **Exercise 2** is the *Your turn* cell under "What MSE learns: the mean".

# %% [markdown]
# **Exercise 3 (a piece of a model: the sampler).** Write `sample_nb(log_prior, theta, n_draws, generator)`
# that draws `n_draws` objects from a Bernoulli Naive Bayes: labels from $p(y)$ = `log_prior.exp()` (one entry
# per class), then each pixel independently with $p(x_j = 1 \mid y = k)$ = `theta[k, j]` (`theta` has one row
# per class and $n$ columns, one per pixel). Return `(x, y)` with `x` of shape `(n_draws, n)` holding 0/1 and
# `y` of shape `(n_draws,)`, and use `generator` for every random number so that a seed fixes the draws. The checker draws 20,000 objects and compares every frequency with the
# model's probability.

# %%
# def sample_nb(log_prior, theta, n_draws, generator=None): ...; return x, y
sample_nb = ...
ch00.check_nb_sampler(sample_nb)

# %% [markdown]
# **Exercise 4.** Write `count_parameters(n_pixels, n_classes, levels)` returning the pair
# `(naive_bayes, full_table)`: the number of free parameters of a Naive Bayes whose pixels take `levels`
# values, and of an unrestricted table $p(x, y)$ over the same objects and classes.

# %%
# def count_parameters(n_pixels, n_classes, levels): return nb, full
count_parameters = ...
ch00.check_nb_parameter_count(count_parameters)

# %% [markdown]
# **Exercise 5 (open).** Re-run the learning curve with the 17-level pixels for Naive Bayes and the raw
# intensities for logistic regression. Does the crossing point move? Then try `nb2.set_alpha(a)` for
# `a` in `[0.01, 0.1, 1, 10, 100, 1000]`: which smoothing gives the best test accuracy, and what happens to the
# samples when $\kappa$ is large? (Expected outcome and code: `solutions/ch00.py`.)

# %% [markdown]
# ## Appendix (optional): three formulas of the map, checked
#
# For the curious, or for a second reading after notebooks 04–07: each of the three families of the map
# comes with one formula, and each is checked here on a small example. Nothing later in this notebook
# depends on it.
#
# First the chain rule: build a random
# joint distribution of three binary variables, compute its conditionals, and multiply them back.

# %%
rng = np.random.default_rng(0)
p = rng.random((2, 2, 2))
p /= p.sum()                                                    # p(x1, x2, x3)
p1 = p.sum(axis=(1, 2))                                         # p(x1)
p2_given_1 = p.sum(axis=2) / p1[:, None]                        # p(x2 | x1)
p3_given_12 = p / p.sum(axis=2, keepdims=True)                  # p(x3 | x1, x2)
chain = p1[:, None, None] * p2_given_1[:, :, None] * p3_given_12
assert np.allclose(chain, p)
print("p(x1) p(x2|x1) p(x3|x1,x2) reproduces the joint: max error",
      float(np.abs(chain - p).max()))

# %% [markdown]
# Second, the diffusion chain $x_0 \to x_1 \to \dots \to x_T \approx \mathcal N(0, I)$. Read literally as
# $x_t = x_{t-1} + \varepsilon_t$, the variance grows by $\mathrm{Var}(\varepsilon)$ at every step and never
# settles. The version used in practice (Ho et al. 2020, notebook 07) shrinks as it adds noise,
#
# $$x_t = \sqrt{1 - \beta_t}\, x_{t-1} + \sqrt{\beta_t}\, \varepsilon_t, \qquad \varepsilon_t \sim \mathcal N(0, I),$$
#
# so that after enough steps $x_T$ is (very nearly) $\mathcal N(0, I)$ whatever the data. Here on the
# two-moons data, standardised.

# %%
from scipy import stats

moons = data.two_moons(3000, generator=torch.Generator().manual_seed(0))
moons = (moons - moons.mean(0)) / moons.std(0)
betas = torch.linspace(1e-3, 0.1, 200)                         # T = 200 steps
xt, snapshots = moons.clone(), {0: moons}
g_diff = torch.Generator().manual_seed(0)
naive = moons.clone()
for t, beta in enumerate(betas, start=1):
    xt = (torch.sqrt(1 - beta) * xt
          + torch.sqrt(beta) * torch.randn(xt.shape, generator=g_diff))
    # x + ε1 + ... (no shrinking)
    naive = naive + torch.sqrt(beta) * torch.randn(naive.shape, generator=g_diff)
    if t in (10, 40, 200):
        snapshots[t] = xt.clone()
fig, axes = plt.subplots(1, 4, figsize=(15, 3.9), sharex=True, sharey=True)
for ax, (t, pts) in zip(axes, snapshots.items()):
    viz.scatter_2d(pts, ax=ax, s=3, lim=3.5, title=f"$x_{{{t}}}$" if t else "data $x$")
    ax.set_xlabel("first coordinate")
axes[0].set_ylabel("second coordinate")
plt.show()
cov = torch.cov(xt.T)
ks = stats.kstest(xt[:, 0].numpy(), "norm")
print(f"x_200: mean {xt.mean(0).numpy().round(3)}, covariance "
      f"{cov.double().numpy().round(3).tolist()}, KS p-value vs N(0,1) "
      f"{ks.pvalue:.2f};  without shrinking: variance {naive.var(0).numpy().round(2)}")
alpha_bar = float(torch.prod(1 - betas))
assert alpha_bar < 1e-3                      # the data's contribution √ᾱ · x is gone
assert torch.allclose(cov, torch.eye(2), atol=0.1) and ks.pvalue > 0.01
assert (naive.var(0) > 3.0).all()           # the naive chain keeps growing: 1 + Σβ ≈ 11

# %% [markdown]
# Finally the implicit model, $z \sim \mathcal N(0, I) \to \boxed{\text{Model}} \to x$. Sampling is
# one forward pass, but the density of $x$ is out of reach: here a (random, untrained) network maps a
# **one**-dimensional $z$ to the plane, so all samples lie on a curve and $p(x)$ is not even a density in
# 2-D. A GAN's generator is the same kind of object (a 100-dimensional $z$ mapped into a 784-dimensional
# image space), which is why GANs are trained through samples only (notebook 05).

# %%
torch.manual_seed(0)
# z (n, 1) -> x (n, 2)
G = torch.nn.Sequential(torch.nn.Linear(1, 64), torch.nn.Tanh(), torch.nn.Linear(64, 2))
z = torch.randn(2000, 1, generator=torch.Generator().manual_seed(0))
with torch.no_grad():
    x_implicit = G(3 * z)
fig, axes = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [1, 1.3]})
axes[0].hist(z[:, 0].numpy(), bins=50, color="tab:gray")
axes[0].set(xlabel="z", ylabel="count", title="z ~ N(0, 1)")
sc = axes[1].scatter(x_implicit[:, 0], x_implicit[:, 1], s=4, alpha=0.5,
                     c=z[:, 0].numpy(), cmap="viridis")
fig.colorbar(sc, ax=axes[1], label="z of the sample")
axes[1].set(xlabel="x₁", ylabel="x₂", title="x = G(z): samples, but no p(x)")
plt.show()
# the samples lie on a curve: around any sample, its nearest neighbours spread along one
# direction only
d = torch.cdist(x_implicit[:200], x_implicit)
# 5 nearest neighbours of 200 samples
nn_idx = d.topk(6, largest=False).indices[:, 1:]
local = x_implicit[nn_idx] - x_implicit[:200, None]                   # (200, 5, 2)
sv = torch.linalg.svdvals(local)                                      # (200, 2)
# locally one-dimensional
assert float((sv[:, 1] / sv[:, 0]).median()) < 0.05
print("median ratio of the local singular values: "
      f"{float((sv[:, 1] / sv[:, 0]).median()):.4f} (0 = a curve)")

# %% [markdown]
# ## References
#
# * I. Goodfellow. *NIPS 2016 Tutorial: Generative Adversarial Networks.* arXiv:1701.00160, 2016 (why
#   study generative models, multi-modal outputs, maximum likelihood, the taxonomy of explicit/implicit
#   models and fully visible belief networks).
# * A. Y. Ng, M. I. Jordan. *On Discriminative vs. Generative Classifiers: A Comparison of Logistic
#   Regression and Naive Bayes.* NeurIPS 2001.
# * C. M. Bishop. *Mixture Density Networks.* Technical report NCRG/94/004, Aston University, 1994.
# * C. M. Bishop. *Pattern Recognition and Machine Learning*, Springer 2006, §4.2 (probabilistic generative
#   classifiers) and §5.6 (mixture density networks).
# * D. P. Kingma, M. Welling. *Auto-Encoding Variational Bayes.* ICLR 2014 (notebook 04).
# * I. Goodfellow et al. *Generative Adversarial Nets.* NeurIPS 2014 (notebook 05).
# * J. Ho, A. Jain, P. Abbeel. *Denoising Diffusion Probabilistic Models.* NeurIPS 2020 (notebook 07).
# * A. Vaswani et al. *Attention Is All You Need.* NeurIPS 2017; H. Chang et al. *MaskGIT: Masked Generative
#   Image Transformer.* CVPR 2022; T. Li et al. *MAGE: MAsked Generative Encoder to Unify Representation
#   Learning and Image Synthesis.* CVPR 2023 (notebook 08).
# * The course's lecture notes (`seeds/`): discriminative vs generative models, Naive Bayes, the model map.
