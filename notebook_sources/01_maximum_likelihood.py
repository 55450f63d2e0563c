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
# # 01 · Maximum likelihood
#
# Most generative models in this course are trained by one principle: choose the parameters θ that make
# the training data as probable as possible under the model. This notebook takes that principle apart
# and rebuilds it on three models of growing size — a Gaussian, a mixture of Gaussians, and a fully
# visible belief network over 64 binary pixels — each one trained with the same loop
# (`course_lib.training.fit`) that the rest of the course uses. Symbols follow the course's
# [notation table](00_why_generative_models.ipynb#Notation).

# %% [markdown]
# ## Objectives
#
# After this notebook you can
#
# 1. write the maximum-likelihood objective in the notes' notation and explain why we maximise
#    $\sum_i \log p$ instead of $\prod_i p$ (and *see* the product underflow);
# 2. derive the closed-form MLE of a Gaussian and check that gradient ascent finds the same point;
# 3. explain, and verify numerically, that maximising likelihood is minimising
#    $\mathrm{KL}(p_{\text{data}} \,\|\, p_{\text{model}})$;
# 4. fit a Gaussian mixture by gradient ascent with `logsumexp`, and compare it with EM;
# 5. build a *fully visible belief network* from the chain rule of probability, compute its exact
#    log-likelihood, check its autoregressive property and sample from it pixel by pixel;
# 6. place these *tractable explicit density* models next to *implicit* models such as GANs.

# %% [markdown]
# ## Setup
#
# The first cell seeds every random generator; the models here are tiny (at most 64×64 weights).

# %%
# on Colab only: install the course, keeping Colab's torch and Jupyter (no-op elsewhere)
import subprocess, sys
if "google.colab" in sys.modules:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                           "pot", "mlxtend",
                           "git+https://github.com/<owner>/genmodels-course@main"])

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import display
from scipy import stats

import course_lib
from course_lib import viz
from course_lib.data import binarize, load_digits, two_moons
from course_lib.exercises import ch01
from course_lib.autoregressive import FVSBN, IndependentBernoulli, all_binary_vectors
from course_lib.likelihood import GaussianMixture
from course_lib.likelihood import (Gaussian, cross_entropy, entropy,
                                   gaussian_log_likelihood, gaussian_log_prob,
                                   gaussian_mle, kl_divergence, kl_gaussian,
                                   log_likelihood_grid)
from course_lib.training import fit
from course_lib.widgets.likelihood import LikelihoodView

device = course_lib.setup(seed=0, threads=1)

# %% [markdown]
# ## Data
#
# Three data sets, one per model, each drawn from a seeded generator so every run sees the same numbers:
#
# * `x_1d`: $\ell = 200$ real numbers drawn from $\mathcal N(2, 1.5^2)$ (we pretend not to know that);
# * `moons_train`, `moons_test`: 1,000 + 1,000 points of the two-moons distribution in 2-D — a shape no
#   single Gaussian can describe;
# * `digits`: scikit-learn's 1,797 handwritten digits (8×8 pixels), binarised at 0.5 so each image is a
#   vector $\mathbf x \in \{0, 1\}^{64}$; 1,438 for training, 359 held out.

# %%
g = torch.Generator().manual_seed(0)
x_1d = 2.0 + 1.5 * torch.randn(200, generator=g, dtype=torch.float64)
moons_train = two_moons(1000, noise=0.1, generator=g)
moons_test = two_moons(1000, noise=0.1, generator=g)
digits = load_digits()
digits_train, digits_test = binarize(digits.x_train), binarize(digits.x_test)
print(f"x_1d {tuple(x_1d.shape)}, moons {tuple(moons_train.shape)} + "
      f"{tuple(moons_test.shape)}, digits {tuple(digits_train.shape)} + "
      f"{tuple(digits_test.shape)}")

fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
axes[0].hist(x_1d.numpy(), bins=30, color="tab:blue", alpha=0.6)
axes[0].set(title="x_1d: 200 numbers", xlabel="x", ylabel="count")
viz.scatter_2d(moons_train, ax=axes[1], title="two moons (train)", s=5)
axes[1].set(xlabel="$x_1$", ylabel="$x_2$")
viz.image_grid(digits_train[:32], nrow=8, ax=axes[2], title="binarised digits (8×8)")
plt.show()

# %% [markdown]
# ## Model
#
# ### Explicit and implicit density models
#
# A generative model describes a distribution $p_{\text{model}}(\mathbf x; \theta)$ over data. The notes
# (following Goodfellow's 2016 tutorial) sort models by how they *use* that distribution:
#
# * **Explicit density models** write $p_{\text{model}}(\mathbf x; \theta)$ down as a formula.
#   * **Tractable** ones can evaluate it exactly: a Gaussian, a Gaussian mixture, and *fully visible belief
#     networks* (FVBNs) — everything in this notebook — and, later, autoregressive models (notebook 08).
#     For them maximum likelihood is a direct computation.
#   * **Approximate** ones define a density they cannot evaluate, e.g. $p(\mathbf x) = \int p(\mathbf x|\mathbf z)p(\mathbf z)\,d\mathbf z$,
#     and maximise a bound on it instead: the VAE's ELBO (notebook 04).
# * **Implicit density models** never write $p_{\text{model}}$ down. They only offer a way to *sample* from
#   it, $\mathbf z \sim \mathcal N(0, I) \to G(\mathbf z)$, and are trained by interacting with
#   $p_{\text{model}}$ only through those samples. GANs are the main example (notebook 05): a second network
#   compares samples with data. They are not maximum-likelihood models by default, although the GAN game
#   can be modified to minimise the same divergence as maximum likelihood (Goodfellow 2014/2016).
#
# The rest of this notebook stays with tractable explicit models, where we can compute everything.
#
# ### Model 1 — a Gaussian
#
# $p_{\text{model}}(x; \theta) = \mathcal N(x; \mu, \sigma^2) = \frac{1}{\sqrt{2\pi\sigma^2}} \exp\!\big(-\frac{(x-\mu)^2}{2\sigma^2}\big)$,
# with $\theta = (\mu, \sigma)$. Its log is what we will add up:
# $\log p_{\text{model}}(x; \theta) = -\tfrac12\log(2\pi\sigma^2) - \frac{(x-\mu)^2}{2\sigma^2}$.

# %%
def log_normal(x, mu, sigma):
    """log N(x; mu, sigma^2), element-wise."""
    return -0.5 * torch.log(2 * math.pi * sigma ** 2) - (x - mu) ** 2 / (2 * sigma ** 2)


mine = log_normal(x_1d, torch.tensor(1.0), torch.tensor(2.0))
# course_lib
assert torch.allclose(mine, gaussian_log_prob(x_1d, 1.0, 2.0))
# scipy
assert np.allclose(mine.numpy(), stats.norm.logpdf(x_1d.numpy(), loc=1.0, scale=2.0))
print("log N(x; 1, 2²) for the first three samples:", mine[:3].numpy().round(3))

# %% [markdown]
# ### Model 2 — a mixture of Gaussians
#
# $K$ Gaussians with weights $\pi_k \ge 0$, $\sum_k \pi_k = 1$:
#
# $$p_{\text{model}}(\mathbf x; \theta) = \sum_{k=1}^K \pi_k\, \mathcal N(\mathbf x; \boldsymbol\mu_k, \Sigma_k),
# \qquad \log p_{\text{model}}(\mathbf x) = \operatorname{logsumexp}_k\big[\log \pi_k + \log \mathcal N(\mathbf x; \boldsymbol\mu_k, \Sigma_k)\big].$$
#
# The second form is how to compute it: far from a component, $\mathcal N(\mathbf x; \boldsymbol\mu_k, \Sigma_k)$
# underflows to 0 in floating point, while its log is an ordinary number, and
# $\operatorname{logsumexp}_k a_k = a^* + \log\sum_k e^{a_k - a^*}$ (with $a^* = \max_k a_k$) never overflows or
# underflows. To let gradient steps go anywhere, `course_lib.likelihood.mixture.GaussianMixture` stores unconstrained
# parameters: $\pi = \operatorname{softmax}(\text{logits})$ and $\Sigma_k = L_k L_k^\top$ with $L_k$ lower
# triangular with a positive diagonal. The key lines:

# %%
gmm = GaussianMixture(n_components=8).init_from_data(
    moons_train, generator=torch.Generator().manual_seed(0))

with torch.no_grad():
    # K Gaussians
    comps = torch.distributions.MultivariateNormal(gmm.means,
                                                   scale_tril=gmm.scale_tril())
    # (K,)
    log_pi = torch.log_softmax(gmm.logits, dim=0)
    # (n, K) -> (n,)
    log_p_mine = torch.logsumexp(log_pi + comps.log_prob(moons_train[:, None, :]),
                                 dim=1)
    assert torch.allclose(log_p_mine, gmm.log_prob(moons_train), atol=1e-5)
print(gmm)

# %% [markdown]
# ### Model 3 — a fully visible belief network (FVBN)
#
# For a vector $\mathbf x = (x_1, \dots, x_n)$ the chain rule of probability is an identity, not an assumption:
#
# $$p_{\text{model}}(\mathbf x) = \prod_{i=1}^n p_{\text{model}}(x_i \mid x_1, \dots, x_{i-1}).$$
#
# A fully visible belief network models each one-dimensional conditional directly — no hidden variables,
# every variable is "visible". For binary pixels in raster order, the simplest choice makes each conditional a
# logistic regression on the pixels before it (the *fully visible sigmoid belief network*, FVSBN; Frey 1998;
# NADE, Larochelle & Murray 2011, replaces the logistic regression by a small shared network):
#
# $$p(x_i = 1 \mid \mathbf x_{<i}) = \operatorname{sigmoid}\Big(b_i + \sum_{j<i} W_{ij}\, x_j\Big).$$
#
# All $n$ logits come from *one* matrix product if $W$ is masked to be strictly lower triangular, so the
# exact log-likelihood $\log p(\mathbf x) = \sum_i \big[x_i \log \operatorname{sigmoid}(a_i) + (1-x_i)\log(1-\operatorname{sigmoid}(a_i))\big]$ costs
# one forward pass. Setting $W = 0$ gives the baseline where every pixel is independent,
# $p(\mathbf x) = \prod_i p(x_i)$ — Naive Bayes without its class variable (notebook 00).

# %%
n = 64
# pixel i sees pixels 0..i-1 only
mask = torch.tril(torch.ones(n, n), diagonal=-1)
torch.manual_seed(0)
W, b = 0.3 * torch.randn(n, n), torch.randn(n)
x_flat = digits_train[:5].reshape(5, n)
# (5, 64): a_i for every pixel at once
logits = x_flat @ (W * mask).T + b
log_p_mine = -torch.nn.functional.binary_cross_entropy_with_logits(
    logits, x_flat, reduction="none").sum(1)

fvsbn = FVSBN(shape=(1, 8, 8))
with torch.no_grad():
    fvsbn.linear.weight.copy_(W)
    fvsbn.linear.bias.copy_(b)
    assert torch.allclose(log_p_mine, fvsbn.log_prob(digits_train[:5]), atol=1e-5)
print("log p(x) of five digits under a random FVSBN:", log_p_mine.numpy().round(2))

# %% [markdown]
# ## Objective
#
# ### From $\prod p$ to $\sum \log p$
#
# Given $\ell$ examples $\mathbf x^{(1)}, \dots, \mathbf x^{(\ell)}$, maximum likelihood picks
#
# $$\begin{aligned}\theta^* &= \arg \max_{\theta} \prod_{i=1}^{\ell} p_{\text{model}}(\mathbf{x}^{(i)}; \theta) \\
# &= \arg \max_{\theta} \log \prod_{i=1}^{\ell} p_{\text{model}}(\mathbf{x}^{(i)}; \theta) \\
# &= \arg \max_{\theta} \sum_{i=1}^{\ell} \log p_{\text{model}}(\mathbf{x}^{(i)}; \theta).\end{aligned}$$
#
# The first step is allowed because $\log$ is strictly increasing, so it moves no maximum. The second step is
# what makes the objective computable: a product of many numbers below 1 leaves the range of floating point
# long before it becomes small enough to be interesting. Below: 1,000 values of the density of
# $\mathcal N(2, 1.5^2)$ at its own samples, each below the density's peak $1/(1.5\sqrt{2\pi}) < 1$.

# %%
# NBVAL_CHECK_OUTPUT
x_big = 2.0 + 1.5 * torch.randn(1000, generator=torch.Generator().manual_seed(1),
                                dtype=torch.float64)
densities = stats.norm.pdf(x_big.numpy(), loc=2.0, scale=1.5)
product = np.prod(densities)
log_sum = gaussian_log_likelihood(x_big, 2.0, 1.5).item()
print(f"the densities: largest {densities.max():.3f}, "
      f"median {np.median(densities):.3f}, "
      f"{(densities < 0.1).mean():.0%} below 0.1")
print(f"product of 1,000 densities (float64): {product}")
print(f"sum of their logs: {log_sum:.3f}   (the product is e^{log_sum:.0f} ≈ "
      f"10^{log_sum / math.log(10):.0f}; the smallest float64 is ≈ 10^-324)")
assert product == 0.0 and math.isfinite(log_sum)

# %% [markdown]
# On a few examples, where the product is still representable, both forms pick the same θ:

# %%
few = x_big[:20]
mus = np.linspace(0, 4, 401)
prod_curve = np.array([np.prod(stats.norm.pdf(few.numpy(), m, 1.5)) for m in mus])
sum_curve = np.array([gaussian_log_likelihood(few, m, 1.5).item() for m in mus])
assert prod_curve.argmax() == sum_curve.argmax()

fig, axes = plt.subplots(1, 2, figsize=(12, 4))
axes[0].plot(mus, prod_curve)
axes[0].set(title=r"$\prod_i p(x^{(i)}; \mu)$, 20 samples", xlabel="μ",
            ylabel="likelihood")
axes[1].plot(mus, sum_curve, color="tab:orange")
axes[1].set(title=r"$\sum_i \log p(x^{(i)}; \mu)$", xlabel="μ", ylabel="log-likelihood")
for ax in axes:
    ax.axvline(mus[sum_curve.argmax()], ls="--", color="black", label="same argmax")
    ax.legend()
plt.show()

# %% [markdown]
# ### The Gaussian's MLE in closed form
#
# With the log-likelihood $\mathscr L(\mu, \sigma) = \sum_{i=1}^{\ell} \log \mathcal N(x^{(i)}; \mu, \sigma^2) = -\frac{\ell}{2} \log(2\pi\sigma^2) - \frac{1}{2\sigma^2}\sum_i (x^{(i)}-\mu)^2$,
# setting the derivatives to zero gives
#
# $$\frac{\partial \mathscr L}{\partial \mu} = \frac{1}{\sigma^2}\sum_i (x^{(i)} - \mu) = 0 \;\Rightarrow\; \hat\mu = \frac1\ell \sum_i x^{(i)},
# \qquad \frac{\partial \mathscr L}{\partial \sigma} = -\frac{\ell}{\sigma} + \frac1{\sigma^3}\sum_i (x^{(i)}-\mu)^2 = 0 \;\Rightarrow\; \hat\sigma^2 = \frac1\ell\sum_i (x^{(i)}-\hat\mu)^2 .$$
#
# The MLE of the variance divides by $\ell$, not $\ell-1$: it is the *biased* sample variance (its expectation is
# $\frac{\ell-1}{\ell}\sigma^2$). Maximum likelihood optimises fit to the data, not unbiasedness.

# %%
# NBVAL_CHECK_OUTPUT
mu_hat, sigma_hat = gaussian_mle(x_1d)
assert np.isclose(mu_hat, x_1d.numpy().mean())
assert np.isclose(sigma_hat, x_1d.numpy().std(ddof=0))
# scipy's fit is the MLE as well
assert np.allclose(stats.norm.fit(x_1d.numpy()), (mu_hat, sigma_hat))
print(f"closed form: mu_hat = {mu_hat:.3f}, sigma_hat = {sigma_hat:.3f} "
      f"(unbiased std would be {x_1d.numpy().std(ddof=1):.3f})")

# %% [markdown]
# ### Maximum likelihood = minimum $\mathrm{KL}(p_{\text{data}} \,\|\, p_{\text{model}})$
#
# Dividing the objective by $\ell$ changes nothing, and as $\ell$ grows the average becomes an expectation
# under the data distribution:
#
# $$\frac1\ell \sum_{i=1}^{\ell} \log p_{\text{model}}(\mathbf x^{(i)}; \theta) \;\xrightarrow{\ell\to\infty}\; \mathbb E_{\mathbf x\sim p_{\text{data}}}\big[\log p_{\text{model}}(\mathbf x; \theta)\big].$$
#
# Its negative is the *cross-entropy*, which splits into the entropy of the data (no θ in it) plus the
# Kullback–Leibler divergence:
#
# $$-\mathbb E_{p_{\text{data}}}[\log p_{\text{model}}] = \underbrace{-\mathbb E_{p_{\text{data}}}[\log p_{\text{data}}]}_{H(p_{\text{data}})}
#   + \underbrace{\mathbb E_{p_{\text{data}}}\Big[\log \frac{p_{\text{data}}}{p_{\text{model}}}\Big]}_{\mathrm{KL}(p_{\text{data}}\,\|\,p_{\text{model}})} .$$
#
# So the average negative log-likelihood and the KL differ by a constant, and the same θ minimises both.
# Let us check this where every term can be computed exactly: $p_{\text{data}}$ is a two-bump distribution on
# $\{0, \dots, 10\}$ and the model family is Binomial$(10, \theta)$, which *cannot* represent two bumps.

# %%
ks = np.arange(11)
p_data = 0.6 * stats.binom.pmf(ks, 10, 0.2) + 0.4 * stats.binom.pmf(ks, 10, 0.75)
p_data = p_data / p_data.sum()
# m = 100,000 draws
sample = torch.multinomial(torch.tensor(p_data), 100_000, replacement=True,
                           generator=torch.Generator().manual_seed(2)).numpy()
# The sample enters the average NLL only through how often each value occurs, so we sum
# over the 11 values (weighted by their counts) instead of over the 100,000 draws: the
# same number, 10,000x cheaper.
counts = np.bincount(sample, minlength=11)
assert np.isclose(-stats.binom.logpmf(sample, 10, 0.3).mean(),
                  -(counts @ stats.binom.logpmf(ks, 10, 0.3)) / len(sample))

thetas = np.linspace(0.02, 0.98, 481)
# from data
avg_nll = np.array([-(counts @ stats.binom.logpmf(ks, 10, t)) / len(sample)
                    for t in thetas])
cross_ent = np.array([cross_entropy(p_data, stats.binom.pmf(ks, 10, t)).item()
                      for t in thetas])
kl_curve = np.array([kl_divergence(p_data, stats.binom.pmf(ks, 10, t)).item()
                     for t in thetas])
H = entropy(p_data).item()

# exactly: cross-entropy = H + KL
assert np.allclose(cross_ent, H + kl_curve)
# the sample average ≈ cross-entropy (1 %)
assert np.abs(avg_nll / (kl_curve + H) - 1).max() < 0.01
# same minimiser (grid step 0.002)
assert abs(thetas[avg_nll.argmin()] - thetas[kl_curve.argmin()]) <= 0.004

fig, axes = plt.subplots(1, 2, figsize=(14, 5.8), layout="constrained")
axes[0].plot(thetas, avg_nll, label="average NLL of 100,000 samples")
axes[0].plot(thetas, kl_curve, label=r"KL$(p_{data}\,\|\,p_\theta)$")
axes[0].axhline(H, color="gray", ls=":", label=f"H(p_data) = {H:.3f}")
axes[0].axvline(thetas[kl_curve.argmin()], color="black", ls="--",
                label=f"both minimised at θ = {thetas[kl_curve.argmin()]:.3f}")
axes[0].set(title="MLE ⇔ min KL (they differ by H)", xlabel="θ", ylabel="nats",
            ylim=(0, 8))
# below: the curves fill the axes
axes[0].legend(loc="upper center", bbox_to_anchor=(0.5, -0.18))
t_star = thetas[kl_curve.argmin()]
axes[1].bar(ks - 0.2, p_data, width=0.4, label=r"$p_{data}$")
axes[1].bar(ks + 0.2, stats.binom.pmf(ks, 10, t_star), width=0.4,
            label=f"best Binomial(10, {t_star:.2f})")
axes[1].set(title="the MLE covers both bumps", xlabel="k", ylabel="probability")
axes[1].legend(loc="upper center", bbox_to_anchor=(0.5, -0.18))
plt.show()

# %% [markdown]
# The right panel shows what "minimise $\mathrm{KL}(p_{\text{data}}\|p_{\text{model}})$" means when the family is
# too simple: this KL is large wherever $p_{\text{data}}$ has mass and $p_{\text{model}}$ has little, so the
# best binomial spreads out to cover *both* bumps and puts its mode in the valley between them — mass where no
# data is. (For this family the minimiser has a closed form: $\theta^* = \mathbb E_{p_{\text{data}}}[k]/10$.)
# Notebook 05 meets the other direction, $\mathrm{KL}(p_{\text{model}}\|p_{\text{data}})$, and mode dropping.
#
# The same decomposition for Gaussians, with the closed-form KL
# $\mathrm{KL}(\mathcal N(\mu_p,\sigma_p^2)\|\mathcal N(\mu_q,\sigma_q^2)) = \log\frac{\sigma_q}{\sigma_p} + \frac{\sigma_p^2 + (\mu_p-\mu_q)^2}{2\sigma_q^2} - \frac12$
# and the Gaussian entropy $\tfrac12\log(2\pi e\sigma_p^2)$:

# %%
# NBVAL_CHECK_OUTPUT
N = torch.distributions.Normal
for mu_q, s_q in [(0.0, 1.0), (2.0, 1.5), (3.0, 0.5)]:
    ours = kl_gaussian(2.0, 1.5, mu_q, s_q).item()
    ref = torch.distributions.kl_divergence(N(2.0, 1.5), N(mu_q, s_q)).item()
    # 1,000 draws of N(2, 1.5²)
    nll = -gaussian_log_prob(x_big, mu_q, s_q).mean().item()
    assert math.isclose(ours, ref, rel_tol=1e-6, abs_tol=1e-9)
    print(f"q = N({mu_q}, {s_q}²): KL = {ours:.3f}, average NLL − KL = "
          f"{nll - ours:.2f} (entropy of p: "
          f"{0.5 * math.log(2 * math.pi * math.e * 1.5 ** 2):.2f})")

# %% [markdown]
# ## Training
#
# ### Gradient ascent on $\sum \log p$ finds the closed form
#
# `course_lib.likelihood.mle.Gaussian` is a model of the course interface: `log_prob(x)`, `loss(x)` $= -\frac1\ell\sum_i\log p$
# (so `fit`'s gradient *descent* on the loss is gradient *ascent* on the log-likelihood) and `sample(n)`.
# It stores $\log\sigma$, so $\sigma = e^{\log\sigma}$ stays positive whatever the step. We record the path.

# %%
gauss = Gaussian(mu=-1.5, sigma=4.0).double()
path = [(gauss.mu.item(), gauss.sigma.item())]
hist_gauss = fit(gauss, x_1d, steps=500, batch_size=len(x_1d), lr=0.05, desc="Gaussian",
                 callback=lambda step, metrics: path.append((gauss.mu.item(),
                                                             gauss.sigma.item())))
path = np.array(path)
print(gauss)
assert abs(gauss.mu.item() - mu_hat.item()) < 1e-2
assert abs(gauss.sigma.item() - sigma_hat.item()) < 1e-2

# %%
mu_grid, sig_grid = np.linspace(-2, 5, 200), np.linspace(0.6, 4.5, 200)
surface = log_likelihood_grid(x_1d, mu_grid, sig_grid)
fig, axes = plt.subplots(1, 2, figsize=(14, 5), layout="constrained")
cs = axes[0].contour(mu_grid, sig_grid, surface,
                     levels=np.sort(surface.max() - np.geomspace(0.5, 600, 12)))
axes[0].plot(path[:, 0], path[:, 1], ".-", color="tab:red", ms=3,
             label="gradient ascent (Adam)")
axes[0].plot(mu_hat, sigma_hat, "*", color="black", ms=18, label="closed-form MLE")
axes[0].set(title="ℒ(μ, σ) and the path of fit()", xlabel="μ", ylabel="σ")
axes[0].legend()
axes[1].plot(hist_gauss.steps("loss"), hist_gauss["loss"])
axes[1].axhline(0.5 * math.log(2 * math.pi * sigma_hat.item() ** 2) + 0.5,
                color="black", ls="--",
                label=r"minimum: $\frac{1}{2}\log(2\pi\hat\sigma^2) + \frac{1}{2}$")
nll_min = 0.5 * math.log(2 * math.pi * sigma_hat.item() ** 2) + 0.5
# the first steps' large values would flatten the rest
top = float(np.percentile(hist_gauss["loss"], 90))
axes[1].set(title="average NLL during fit()", xlabel="step", ylabel="nats per sample",
            ylim=(nll_min - 0.05 * (top - nll_min), top))
axes[1].legend()
plt.show()

# %% [markdown]
# ### A Gaussian mixture by gradient ascent
#
# The mixture's log-likelihood has no closed-form maximum (the sum sits inside the log), but it is a
# differentiable function of θ, so the same `fit` climbs it. Two practical points: the start matters (the
# likelihood has local maxima, e.g. two components sharing one bump), so `init_from_data` places the means
# with k-means++ seeding; and the likelihood is unbounded if a component collapses onto one data point
# ($\sigma \to 0$), which a floor on the scales (`min_scale`) prevents. We track the held-out log-likelihood
# and compare with the classical algorithm for mixtures, EM (scikit-learn's `GaussianMixture`).

# %%
from sklearn.mixture import GaussianMixture as SklearnGMM

torch.manual_seed(0)
gmm = GaussianMixture(n_components=8).init_from_data(
    moons_train, generator=torch.Generator().manual_seed(0))
hist_gmm = fit(gmm, moons_train, steps=300, batch_size=len(moons_train), lr=0.1,
               desc="GMM",
               eval_fn=lambda m: {"test_loglik": m.log_prob(moons_test).mean()},
               eval_every=25)
em = SklearnGMM(8, covariance_type="full", random_state=0).fit(moons_train.numpy())
em_test = em.score(moons_test.numpy())   # average held-out log-likelihood, like ours
with torch.no_grad():
    gmm_test = gmm.log_prob(moons_test).mean().item()
print(f"held-out average log-likelihood: gradient ascent {gmm_test:.3f}, EM "
      f"(scikit-learn) {em_test:.3f}")
assert gmm_test > em_test - 0.05

fig, ax = plt.subplots(figsize=(8, 4.5))
ax.plot(hist_gmm.steps("loss"), -np.array(hist_gmm["loss"]), label="train")
ax.plot(hist_gmm.steps("test_loglik"), hist_gmm["test_loglik"], "o-", label="held out")
ax.axhline(em_test, color="black", ls="--", label="EM, held out")
late = np.concatenate([-np.array(hist_gmm["loss"])[20:], hist_gmm["test_loglik"][1:],
                       [em_test]])
# the range the curves occupy after the first steps
ax.set(title="GMM (K = 8): average log-likelihood", xlabel="step",
       ylabel="nats per point", ylim=(late.min() - 0.1, late.max() + 0.1))
ax.legend()
plt.show()

# %% [markdown]
# ### An FVBN on binarised digits vs independent pixels
#
# The independent-pixel baseline has a closed-form MLE, the pixel means $\hat\theta_i = \frac1\ell\sum_j x^{(j)}_i$.
# Many border pixels are 0 in every training image, so the pure MLE gives them probability exactly 0 and a
# test image with one of them on would get $\log p = -\infty$; one pseudo-count per outcome (Laplace smoothing,
# $\kappa = 1$) avoids that. The FVSBN starts from the same model ($W = 0$, $b$ = those logits) and learns $W$
# by gradient ascent on the exact log-likelihood.

# %%
independent = IndependentBernoulli(shape=(1, 8, 8)).fit_closed_form(digits_train,
                                                                    alpha=1.0)
torch.manual_seed(0)
fvsbn = FVSBN(shape=(1, 8, 8)).init_bias_from_data(digits_train, alpha=1.0)
hist_fvbn = fit(fvsbn, digits_train, steps=500, batch_size=128, lr=1e-2, desc="FVSBN",
                eval_fn=lambda m: {"test_nll": -m.log_prob(digits_test).mean()},
                eval_every=50)
with torch.no_grad():
    nll_ind = -independent.log_prob(digits_test).mean().item()
    nll_fvsbn = -fvsbn.log_prob(digits_test).mean().item()
print(f"test NLL (nats per image): independent pixels {nll_ind:.2f}, FVSBN "
      f"{nll_fvsbn:.2f} ({nll_fvsbn / 64 / math.log(2):.3f} vs "
      f"{nll_ind / 64 / math.log(2):.3f} bits per pixel)")
assert nll_fvsbn < nll_ind - 4.0

fig, ax = plt.subplots(figsize=(8, 4.5))
ax.plot(hist_fvbn.steps("loss"), hist_fvbn["loss"], alpha=0.5,
        label="FVSBN, train batch")
ax.plot(hist_fvbn.steps("test_nll"), hist_fvbn["test_nll"], "o-", label="FVSBN, test")
ax.axhline(nll_ind, color="black", ls="--", label="independent pixels, test")
ax.set(title="negative log-likelihood of binarised digits", xlabel="step",
       ylabel="nats per image")
ax.legend()
plt.show()

# %% [markdown]
# **Your turn (exercise 4): the KL between two independent-pixel models.** Maximum likelihood minimises
# $\mathrm{KL}(p_{\text{data}} \,\|\, p_{\text{model}})$; for two models that treat pixels as independent coins,
# $p(x) = \prod_j \theta_j^{x_j}(1 - \theta_j)^{1 - x_j}$ and $q(x)$ the same with $\eta_j$, the KL over all
# $2^n$ images has a short closed form. Find it on paper, then write `kl_bernoulli(theta_p, theta_q)` for numpy
# vectors of length $n$ (entries of `theta_p` may be exactly 0 or 1; use $0 \log 0 = 0$). The checker compares it
# with the definition summed over all $2^n$ images, and refuses SciPy's and torch's KL functions.

# %%
kl_bernoulli = ...  # def kl_bernoulli(theta_p, theta_q): return float(...)
ch01.check_kl_bernoulli(kl_bernoulli)

# %% [markdown]
# ## Sampling and visualising
#
# ### The mixture's density and samples
#
# Ancestral sampling: pick a component $k \sim \text{Categorical}(\pi)$, then $\mathbf x = \boldsymbol\mu_k + L_k\boldsymbol\varepsilon$.

# %%
t1, t2 = np.linspace(-1.6, 2.6, 200), np.linspace(-1.1, 1.6, 150)
G1, G2 = np.meshgrid(t1, t2)
with torch.no_grad():
    dens = gmm.log_prob(torch.tensor(np.stack([G1.ravel(), G2.ravel()], 1),
                                     dtype=torch.float32)).exp()
gmm_samples = gmm.sample(1000, generator=torch.Generator().manual_seed(3))

fig, axes = plt.subplots(1, 2, figsize=(14, 6), layout="constrained")
cf = axes[0].contourf(G1, G2, dens.reshape(G1.shape).numpy(), levels=20, cmap="viridis")
fig.colorbar(cf, ax=axes[0], label="density")
axes[0].scatter(*gmm.means.detach().numpy().T, marker="x", color="white", s=80,
                label="component means")
axes[0].set(title="p_model(x) of the fitted mixture", xlabel="$x_1$", ylabel="$x_2$")
axes[0].legend(loc="lower left")
viz.scatter_2d(moons_test, ax=axes[1], label="held-out data", s=5)
viz.scatter_2d(gmm_samples, ax=axes[1], label="mixture samples", s=5,
               color="tab:orange", title="data vs 1,000 samples")
axes[1].set(xlabel="$x_1$", ylabel="$x_2$")
# below: no point hidden
axes[1].legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2, markerscale=3)
plt.show()

# %% [markdown]
# ### Digits drawn pixel by pixel
#
# Sampling an FVBN follows the chain rule in order: draw $x_1$, then $x_2 \mid x_1$, … — 64 sequential steps
# for one 8×8 image (generation is slow for autoregressive models; training is not, one pass gives every
# conditional). Independent pixels produce a blurry cloud of "average digit" pixels; the FVSBN's samples have
# strokes, because each pixel knows its neighbours above and to the left. The matrix $W$ shows what each
# pixel looks at: strictly below the diagonal. Which earlier pixels matter most? The cell after the figure
# averages $W_{i, i-d}$ over $i$ for each offset $d$: $d = 1$ is the pixel to the left, $d = 8$ the pixel above.

# %%
gs = torch.Generator().manual_seed(4)
# 2 x 2: each panel ~400 px at 840
fig, axes = plt.subplots(2, 2, figsize=(10, 10), layout="constrained")
axes = axes.ravel()
viz.image_grid(digits_test[:36], nrow=6, ax=axes[0], title="test data")
viz.image_grid(independent.sample(36, generator=gs), nrow=6, ax=axes[1],
               title="independent pixels")
viz.image_grid(fvsbn.sample(36, generator=gs), nrow=6, ax=axes[2],
               title="FVSBN samples")
Wm = (fvsbn.linear.weight * fvsbn.linear.mask).detach().numpy()
lim = np.abs(Wm).max()
im = axes[3].imshow(Wm, cmap="RdBu_r", vmin=-lim, vmax=lim)
axes[3].set(title="learned W (masked)", xlabel="input pixel j", ylabel="output pixel i")
fig.colorbar(im, ax=axes[3], fraction=0.046, label="weight $W_{ij}$")
plt.show()

# %%
# mean W_{i,i-d}
by_offset = np.array([np.mean([Wm[i, i - d] for i in range(d, 64)])
                      for d in range(1, 64)])
top = np.argsort(by_offset)[::-1][:3] + 1
print("offsets d with the largest mean weight W_{i,i-d}:",
      ", ".join(f"d = {d} ({by_offset[d - 1]:.2f})" for d in top))
assert {1, 8} <= set(top.tolist()), \
    "the left neighbour and the pixel above should be among the top three"

# %% [markdown]
# ### Widget: fit a Gaussian by hand
#
# Move μ and σ (drag, or click a slider handle and use the arrow keys). Left: the data, the current model
# density (red) and the MLE fit (dashed). Right: the log-likelihood $\mathscr L(\mu, \sigma)$ of the 200 points
# relative to its maximum, the current point and the MLE (star); the current value of $\mathscr L$ is printed
# on the plot and below the sliders. Things to try: with μ at the star, make σ too small or too large
# — how fast does $\mathscr L$ fall on each side? Why is the surface much steeper towards small σ?

# %% [markdown]
# *Widgets live in the running kernel: after reopening the notebook or restarting the kernel they read
# "Error displaying widget" until you run the notebook again (Run → Run All Cells), then they come back.*

# %%
view = LikelihoodView(x_1d)
display(view.widget())

# %% [markdown]
# ## Checks
#
# The claims above, verified numerically (a failing assert stops the notebook):
#
# 1. the FVSBN is *autoregressive*: the logit of pixel $i$ does not change when pixels $\ge i$ change, and the
#    Jacobian $\partial a / \partial \mathbf x$ is strictly lower triangular;
# 2. its probabilities of all $2^n$ configurations sum to 1 (exact normalisation, here $n = 12$: 4,096 vectors);
# 3. the mixture's density integrates to 1 over the plane;
# 4. the widget's printed log-likelihood equals scipy's sum of `logpdf`s.

# %%
# NBVAL_CHECK_OUTPUT
x = digits_test[:8]
with torch.no_grad():
    base = fvsbn.logits(x)
    for i in [0, 1, 10, 31, 63]:
        y = x.clone().reshape(8, 64)
        # flip pixel i and all after it
        y[:, i:] = 1 - y[:, i:]
        assert torch.equal(fvsbn.logits(y.reshape(8, 1, 8, 8))[:, : i + 1],
                           base[:, : i + 1])
J = torch.autograd.functional.jacobian(lambda v: fvsbn.linear(v), x[0].reshape(64))
assert torch.count_nonzero(torch.triu(J)) == 0
print("autoregressive: logit i unchanged when pixels >= i change; Jacobian strictly "
      "lower triangular")

tiny = FVSBN(shape=(12,))
with torch.no_grad():
    tiny.linear.weight.copy_(torch.randn(12, 12,
                                         generator=torch.Generator().manual_seed(5)))
    total = torch.logsumexp(tiny.log_prob(all_binary_vectors(12)), 0).exp().item()
# a float32 sum of 4,096 terms: 1e-5 is ~100 times its rounding error
print("sum over all 2^12 configurations of p(x) equals 1 within 1e-5:",
      abs(total - 1) < 1e-5)
assert abs(total - 1) < 1e-5

u = torch.linspace(-6, 7, 521)
U1, U2 = torch.meshgrid(u, u, indexing="ij")
with torch.no_grad():
    dens_grid = gmm.log_prob(torch.stack([U1.ravel(), U2.ravel()], 1)).exp()
    mass = dens_grid.sum().item() * (u[1] - u[0]).item() ** 2
print("integral of the mixture density over the plane (Riemann sum) is 1 within 1e-2:",
      abs(mass - 1) < 1e-2)
assert abs(mass - 1) < 1e-2

# an undisplayed view: the widget above keeps its sliders
check_view = LikelihoodView(x_1d)
out = check_view.update(mu=1.0, sigma=2.0)
assert math.isclose(out["log_likelihood"],
                    stats.norm.logpdf(x_1d.numpy(), 1.0, 2.0).sum(), rel_tol=1e-10)
assert check_view.text.get_text() == f"{out['log_likelihood']:.2f}"
print(f"widget at (1, 2): log-likelihood {out['log_likelihood']:.2f}")

# %% [markdown]
# ## Summary
#
# * Maximum likelihood: $\theta^* = \arg\max_\theta \prod_i p_{\text{model}}(\mathbf x^{(i)}; \theta) = \arg\max_\theta \sum_i \log p_{\text{model}}(\mathbf x^{(i)}; \theta)$.
#   The log moves no maximum and keeps the numbers representable (1,000 densities multiply to 0.0 in float64).
# * For a Gaussian the maximiser is closed-form: the sample mean and the *biased* variance. Gradient ascent
#   with `fit` reaches the same point — and is what we use when no closed form exists.
# * Maximising likelihood = minimising $\mathrm{KL}(p_{\text{data}}\|p_{\text{model}})$: the average NLL equals
#   $H(p_{\text{data}}) + \mathrm{KL}$, a constant away. When the family is too simple, this KL makes the model
#   cover all the data, even at the price of mass between modes.
# * Mixtures: $\log p = \operatorname{logsumexp}_k[\log\pi_k + \log\mathcal N_k]$, trained by gradient ascent
#   to the same held-out likelihood as EM here; initialisation and a variance floor matter.
# * Fully visible belief networks use the chain rule $p(\mathbf x) = \prod_i p(x_i\mid x_{<i})$: exact
#   likelihood in one pass (masked weights), sequential sampling. The FVSBN beats independent pixels by
#   more than 4 nats per digit (the notebook asserts it; the exact figure is printed above).
# * These are *tractable explicit* density models. VAEs (notebook 04) have an explicit but intractable
#   density and maximise a bound; GANs (notebook 05) are *implicit*: they only sample.

# %% [markdown]
# ## Exercises
#
# Each exercise asks for a function. Replace the `...` with your function (keep the name) and run the cell:
# the checker calls it on cases of its own and prints ✅ or a hint. Worked solutions: `solutions/ch01.py` at
# the root of the repository (to read it from a cell: `%load ../solutions/ch01.py`; open it after trying).
#
# **1. A noise model with a kink.** The Laplace density $p(x; \mu, b) = \frac{1}{2b} e^{-|x - \mu| / b}$ has heavier
# tails than the Gaussian. Derive the MLE of $(\mu, b)$ from $\ell$ samples and write `laplace_mle(x)` returning the
# pair. Compare $\hat\mu$ with the Gaussian's $\hat\mu$: which one would an outlier move?

# %%
# def laplace_mle(x):
#     return mu_hat, b_hat
laplace_mle = ...
ch01.check_laplace_mle(laplace_mle)

# %% [markdown]
# **2. Exponential.** Waiting times $x^{(i)} > 0$ with $p(x; \lambda) = \lambda e^{-\lambda x}$. Derive the MLE of
# $\lambda$ and write `exponential_mle(x)`.

# %%
exponential_mle = ...
ch01.check_exponential_mle(exponential_mle)

# %% [markdown]
# **3. (A piece of a model: the FVSBN sampler.)** Write `sample_fvsbn(W, b, n, generator)` returning `n` binary
# images of `D = len(b)` pixels drawn from the fully visible sigmoid belief network
# $p(x_d = 1 \mid x_{<d}) = \operatorname{sigmoid}(b_d + \sum_{j<d} W_{dj} x_j)$, where `W` is `(D, D)` and strictly lower
# triangular. Use `generator` for every random number. The checker draws 40,000 images from a 4-pixel model and
# compares their distribution with the exact one over all 16 images.

# %%
sample_fvsbn = ...  # def sample_fvsbn(W, b, n, generator=None): ...; return x  (n, D)
ch01.check_fvsbn_sampler(sample_fvsbn)

# %% [markdown]
# **4. The KL between two independent-pixel models** is the *Your turn* cell under "An FVBN on binarised
# digits vs independent pixels". Then, on paper: why is $\mathrm{KL}(p\|q) \ne \mathrm{KL}(q\|p)$ in general, and
# which of the two does maximum likelihood minimise?

# %% [markdown]
# **5. (Open.)** Refit the mixture with `n_components=2` and with `n_components=30`. Which has the higher
# *training* log-likelihood? The higher *held-out* log-likelihood? What does this say about choosing $K$ by
# likelihood on the training data? (Expected outcome and code: `solutions/ch01.py`.)

# %% [markdown]
# ## References
#
# * I. Goodfellow. *NIPS 2016 Tutorial: Generative Adversarial Networks*. arXiv:1701.00160, 2016 — maximum
#   likelihood, the taxonomy of explicit/implicit density models, fully visible belief networks.
# * I. Goodfellow et al. *Generative Adversarial Nets*. NeurIPS 2014.
# * B. Frey. *Graphical Models for Machine Learning and Digital Communication*. MIT Press, 1998 — logistic
#   autoregressive (fully visible sigmoid belief) networks.
# * H. Larochelle, I. Murray. *The Neural Autoregressive Distribution Estimator*. AISTATS 2011.
# * C. Bishop. *Pattern Recognition and Machine Learning*. Springer, 2006 — ch. 2 (Gaussian MLE, the biased
#   variance), ch. 9 (mixtures of Gaussians and EM).
# * K. Murphy. *Probabilistic Machine Learning: An Introduction*. MIT Press, 2022 — MLE, KL divergence,
#   cross-entropy.
# * D. Arthur, S. Vassilvitskii. *k-means++: The Advantages of Careful Seeding*. SODA 2007 — the mixture's
#   initialisation.
# * D. Kingma, J. Ba. *Adam: A Method for Stochastic Optimization*. ICLR 2015 — the optimiser inside `fit`.
