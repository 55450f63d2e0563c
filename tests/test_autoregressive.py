"""course_lib.autoregressive (notebook 08): the autoregressive property, exact normalisation, KV cache,
MaskGIT's masked-token loss and decoding, MAE masking, visual tokens, bad inputs, and quality."""
import math

import pytest
import torch

from course_lib.autoregressive import (MADE, MAE, CausalTransformer, CosineMaskSchedule, MaskGIT, PatchCodebook,
                                       PixelCNN, all_binary_vectors, binary_digits, causal_mask, conv_mask,
                                       kmeans, made_degrees, made_masks, patchify, random_masking, unpatchify)

SHAPE = (1, 4, 4)


def _randomised(model, seed=0, std=0.7):
    """Random weights big enough that every connection matters (a trained-like model, not ~uniform)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * std)
    return model.eval()


def _small_models():
    return {
        "made": _randomised(MADE(SHAPE, hidden=(24, 24), num_orderings=3)),
        "transformer": _randomised(CausalTransformer(SHAPE, d=16, layers=2, heads=2), std=0.4),
        "transformer_direct": _randomised(CausalTransformer(SHAPE, d=16, layers=2, heads=2, direct=True), std=0.4),
        "pixelcnn": _randomised(PixelCNN(SHAPE, channels=8, layers=2, first_kernel=3), std=0.4),
    }


# ----------------------------------------------------------------------------- autoregressive property
@pytest.mark.parametrize("name", ["made", "transformer", "transformer_direct", "pixelcnn"])
def test_all_16_pixel_images_sum_to_one(name):
    m = _small_models()[name]
    with torch.no_grad():
        logp = m.log_prob(all_binary_vectors(16).reshape(-1, *SHAPE))
    assert logp.shape == (2 ** 16,)
    assert abs(torch.logsumexp(logp, 0).exp().item() - 1) < 1e-5


def _ordering_positions(m, k=0):
    pos = torch.empty(16, dtype=torch.long)
    pos[m.orderings[k]] = torch.arange(16)
    return pos


@pytest.mark.parametrize("k", [0, 1, 2])
def test_made_jacobian_is_zero_on_and_after_each_pixel(k, gen):
    m = _small_models()["made"]
    x = (torch.rand(16, generator=gen) < 0.5).float()
    J = torch.autograd.functional.jacobian(lambda v: m._logits_flat(v[None], k)[0], x)   # (D out, D in)
    pos = _ordering_positions(m, k)
    later_or_same = pos[None, :] >= pos[:, None]          # [d, j]: j comes at or after d in ordering k
    assert torch.count_nonzero(J[later_or_same]) == 0
    assert torch.count_nonzero(J[~later_or_same]) > 0.5 * (~later_or_same).sum()   # and it does use the past


def test_made_masks_follow_the_degree_rule():
    g = torch.Generator().manual_seed(3)
    order = torch.randperm(6, generator=g)
    deg = made_degrees(order, (10, 7), g)
    masks = made_masks(deg)
    assert [tuple(mk.shape) for mk in masks] == [(10, 6), (7, 10), (6, 7)]
    # the product of the masks is the connectivity: output d reachable from input j only if j before d
    reach = (masks[2] @ masks[1] @ masks[0]) > 0
    assert not reach[deg[0][None, :] >= deg[0][:, None]].any()


def test_made_mixture_is_logsumexp_not_averaged_logits():
    m = _small_models()["made"]
    x = all_binary_vectors(16).reshape(-1, *SHAPE)
    with torch.no_grad():
        per = m.log_prob_per_ordering(x)          # (2^16, K)
        mix = m.log_prob(x)
        assert torch.allclose(mix, torch.logsumexp(per, 1) - math.log(3), atol=1e-6)
        # each component is normalised on its own
        assert torch.allclose(torch.logsumexp(per, 0), torch.zeros(3), atol=1e-5)
        # averaging logits over orderings is *not* a distribution: it does not sum to one
        from course_lib.autoregressive._common import bernoulli_log_prob
        flat = x.reshape(len(x), -1)
        avg = torch.stack([m._logits_flat(flat, k) for k in range(3)]).mean(0)
        assert abs(torch.logsumexp(bernoulli_log_prob(flat, avg), 0).exp().item() - 1) > 1e-3


@pytest.mark.parametrize("name", ["transformer", "transformer_direct"])
def test_transformer_logit_t_ignores_pixels_t_and_later(gen, name):
    m = _small_models()[name]
    x = (torch.rand(4, *SHAPE, generator=gen) < 0.5).float()
    with torch.no_grad():
        base = m.logits(x)                                   # (4, 16, 2)
        for t in range(16):
            y = x.clone().reshape(4, -1)
            y[:, t:] = 1 - y[:, t:]
            changed = m.logits(y.reshape(4, *SHAPE))
            assert torch.allclose(changed[:, :t + 1], base[:, :t + 1], atol=1e-6)
            if t + 1 < 16:
                assert not torch.allclose(changed[:, t + 1:], base[:, t + 1:], atol=1e-4)


def test_transformer_jacobian_wrt_input_embeddings_is_causal(gen):
    m = _small_models()["transformer"]
    x = (torch.rand(1, 16, generator=gen) < 0.5).long()
    emb = m.tok(m._inputs(x)).detach().requires_grad_(True)     # (1, 16, d): position s holds x_{s-1}

    def logits_from(e):
        h = e + m.pos(torch.arange(16))
        for blk in m.blocks:
            h = blk(h, causal=True)
        return m.head(m.ln(h))[0, :, 1] - m.head(m.ln(h))[0, :, 0]   # (16,) logit of x_t = 1
    J = torch.autograd.functional.jacobian(logits_from, emb)[:, 0].abs().sum(-1)   # (t, s)
    # input position s carries x_{s−1}: logit t may depend on s ≤ t (x_j, j < t) only
    assert torch.count_nonzero(torch.triu(J, 1)) == 0 and torch.count_nonzero(torch.tril(J)) > 100


def test_pixelcnn_jacobian_is_strictly_lower_triangular(gen):
    m = _small_models()["pixelcnn"]
    x = (torch.rand(16, generator=gen) < 0.5).float()
    J = torch.autograd.functional.jacobian(lambda v: m._logits_img(v.view(1, *SHAPE))[0], x)
    assert torch.count_nonzero(torch.triu(J)) == 0 and torch.count_nonzero(torch.tril(J, -1)) > 20


def test_conv_masks():
    assert conv_mask(3, "A").tolist() == [[1, 1, 1], [1, 0, 0], [0, 0, 0]]
    assert conv_mask(3, "B").tolist() == [[1, 1, 1], [1, 1, 0], [0, 0, 0]]
    assert causal_mask(3).tolist() == [[True, False, False], [True, True, False], [True, True, True]]


# ----------------------------------------------------------------------------- sampling
@pytest.mark.parametrize("direct", [False, True])
def test_kv_cache_sampling_equals_uncached_sampling(direct):
    m = _randomised(CausalTransformer((1, 8, 8), d=16, layers=2, heads=2, direct=direct), std=0.3)
    a = m.sample(20, generator=torch.Generator().manual_seed(5), use_cache=True)
    b = m.sample(20, generator=torch.Generator().manual_seed(5), use_cache=False)
    assert a.shape == (20, 1, 8, 8) and torch.equal(a, b)
    assert 0 < a.mean() < 1


@pytest.mark.parametrize("direct", [False, True])
def test_transformer_samples_follow_its_own_distribution(direct):
    """On 2x2 images the sample frequencies of all 16 configurations match exp(log_prob)."""
    m = _randomised(CausalTransformer((1, 2, 2), d=8, layers=1, heads=2, direct=direct), std=0.6)
    s = m.sample(20000, generator=torch.Generator().manual_seed(0)).reshape(-1, 4)
    idx = (s * torch.tensor([8, 4, 2, 1])).sum(1).long()
    freq = torch.bincount(idx, minlength=16).float() / len(idx)
    allx = all_binary_vectors(4)
    with torch.no_grad():
        p = m.log_prob(allx.reshape(-1, 1, 2, 2)).exp()
    assert (freq - p).abs().max() < 0.015


def test_made_sample_weights_pick_orderings():
    """weights=one-hot samples from one ordering only; the frequencies match that ordering's exp(log p_k)."""
    m = _randomised(MADE((1, 2, 2), hidden=(8,), num_orderings=3), std=0.8)
    allx = all_binary_vectors(4).reshape(-1, 1, 2, 2)
    with torch.no_grad():
        p1 = m.log_prob_per_ordering(allx)[:, 1].exp()
    s = m.sample(20000, generator=torch.Generator().manual_seed(0), weights=[0, 1, 0]).reshape(-1, 4)
    freq = torch.bincount((s * torch.tensor([8, 4, 2, 1])).sum(1).long(), minlength=16).float() / len(s)
    assert (freq - p1).abs().max() < 0.015
    with pytest.raises(ValueError, match="MADE.sample: weights must be 3 non-negative"):
        m.sample(2, weights=[1, -1, 1])


@pytest.mark.parametrize("name", ["made", "pixelcnn"])
def test_samples_are_reproducible_and_binary(name):
    m = _small_models()[name]
    a = m.sample(6, generator=torch.Generator().manual_seed(1))
    b = m.sample(6, generator=torch.Generator().manual_seed(1))
    assert a.shape == (6, *SHAPE) and torch.equal(a, b) and set(a.unique().tolist()) <= {0.0, 1.0}


# ----------------------------------------------------------------------------- MaskGIT
def test_cosine_schedule():
    s = CosineMaskSchedule()
    assert s.gamma(0.0).item() == pytest.approx(1) and s.gamma(1.0).item() == pytest.approx(0, abs=1e-7)
    assert s.num_masked(torch.tensor([0.0, 0.5, 0.999]), 64).tolist() == [64, math.ceil(64 * math.cos(math.pi / 4)), 1]
    assert [s.remaining(k, 4, 64) for k in range(5)] == [64] + [int(64 * math.cos(math.pi / 2 * k / 4)) for k in range(1, 4)] + [0]


def test_maskgit_loss_is_on_masked_tokens_only():
    m = _randomised(MaskGIT(SHAPE, d=16, heads=2), std=0.3)
    x = (torch.rand(8, *SHAPE, generator=torch.Generator().manual_seed(0)) < 0.5).float()
    mask = m.random_mask(8, torch.Generator().manual_seed(7))
    assert 0 < mask.sum() < mask.numel()
    captured = {}

    def keep(_, __, out):
        out.retain_grad()
        captured["logits"] = out
    h = m.head.register_forward_hook(keep)
    loss = m.loss(x, generator=torch.Generator().manual_seed(7))
    h.remove()
    loss.backward()
    g = captured["logits"].grad                                       # (8, 16, 2)
    assert torch.count_nonzero(g[~mask]) == 0 and torch.count_nonzero(g[mask]) == 2 * mask.sum()
    tokens = x.reshape(8, -1).long()
    ref = torch.nn.functional.cross_entropy(captured["logits"][mask], tokens[mask])
    assert loss.item() == pytest.approx(ref.item(), abs=1e-6)


def test_maskgit_mask_counts_follow_the_schedule():
    m = MaskGIT((1, 8, 8), d=8, heads=2)
    g = torch.Generator().manual_seed(0)
    r = torch.rand(500, generator=torch.Generator().manual_seed(0))
    mask = m.random_mask(500, g)
    assert torch.equal(mask.sum(1), m.schedule.num_masked(r, 64))
    assert mask.float().mean().item() == pytest.approx(2 / math.pi, abs=0.03)   # E[cos(πr/2)] = 2/π


@pytest.mark.parametrize("order", ["confidence", "random"])
@pytest.mark.parametrize("K", [1, 4, 16])
def test_maskgit_decodes_in_K_passes_and_keeps_decided_tokens(order, K):
    m = _randomised(MaskGIT((1, 4, 4), d=16, heads=2), std=0.3)
    x, trace = m.sample(5, generator=torch.Generator().manual_seed(0), steps=K, order=order, return_trace=True)
    assert len(trace) == K + 1 and x.shape == (5, 1, 4, 4) and set(x.unique().tolist()) <= {0.0, 1.0}
    assert (trace[0] == m.mask_id).all() and not (trace[-1] == m.mask_id).any()
    for k in range(1, K + 1):
        prev, cur = trace[k - 1], trace[k]
        decided = prev != m.mask_id
        assert torch.equal(cur[decided], prev[decided])            # never revised once decided
        n_masked = (cur == m.mask_id).sum(1)
        assert (n_masked == min(m.schedule.remaining(k, K, 16), int((prev[0] == m.mask_id).sum()) - 1)).all() or k == K


@pytest.mark.parametrize("K", [1, 3, 8])
def test_maskgit_inpainting_keeps_the_canvas_and_schedules_the_unknown_cells(K):
    m = _randomised(MaskGIT((1, 4, 4), d=16, heads=2), std=0.3)
    full = m.sample(4, generator=torch.Generator().manual_seed(0), steps=4).reshape(4, 16).long()
    canvas = full.clone()
    canvas[:, :8] = m.mask_id                                        # top half unknown, bottom half given
    x, trace = m.sample(4, generator=torch.Generator().manual_seed(1), steps=K, return_trace=True, canvas=canvas)
    assert torch.equal(x.reshape(4, 16)[:, 8:].long(), full[:, 8:]) and not (trace[-1] == m.mask_id).any()
    for k in range(1, K):
        assert ((trace[k] == m.mask_id).sum(1) == min(m.schedule.remaining(k, K, 8), int((trace[k - 1][0] == m.mask_id).sum()) - 1)).all()
    # an all-MASK canvas is unconditional sampling, draw for draw
    blank = torch.full((4, 16), m.mask_id)
    g1, g2 = torch.Generator().manual_seed(5), torch.Generator().manual_seed(5)
    assert torch.equal(m.sample(4, generator=g1, steps=K, canvas=blank), m.sample(4, generator=g2, steps=K))
    with pytest.raises(ValueError, match="same MASK cells in every row"):
        bad = canvas.clone()
        bad[0, 9] = m.mask_id
        m.sample(4, steps=2, canvas=bad)
    with pytest.raises(ValueError, match="more than the canvas's 8 MASK cells"):
        m.sample(4, steps=9, canvas=canvas)


def test_maskgit_confident_order_keeps_the_most_confident_tokens():
    m = _randomised(MaskGIT((1, 4, 4), d=16, heads=2), std=0.5)
    _, trace = m.sample(3, generator=torch.Generator().manual_seed(1), steps=4, return_trace=True,
                        choice_temperature=0.0)
    with torch.no_grad():
        probs = torch.softmax(m.logits(trace[0]), -1)
    kept = trace[1] != m.mask_id
    conf = probs.gather(-1, trace[1].clamp_max(1)[..., None]).squeeze(-1)
    for i in range(3):   # every kept token is at least as confident as any re-masked candidate's best
        assert conf[i][kept[i]].min() >= probs[i][~kept[i]].max(-1).values.min() - 1e-6


def test_maskgit_positions_are_on_the_token_scale():
    m = MaskGIT((1, 8, 8), d=64)
    ratio = m.pos.std().item() / m.tok.weight.std().item()
    assert 0.5 < ratio < 2


# ----------------------------------------------------------------------------- MAE
def test_random_masking_properties():
    g = torch.Generator().manual_seed(0)
    ids_keep, mask, ids_restore = random_masking(50, 49, 0.75, g)
    L_keep = round(49 * 0.25)
    assert ids_keep.shape == (50, L_keep) and mask.shape == (50, 49)
    assert (mask.sum(1) == 49 - L_keep).all()
    assert (mask.gather(1, ids_keep) == 0).all()                       # kept patches are unmasked
    ids_shuffle = ids_restore.argsort(1)
    assert torch.equal(ids_shuffle.gather(1, ids_restore), torch.arange(49).expand(50, -1))
    assert len({tuple(r) for r in mask.long().tolist()}) == 50        # a different mask per image
    assert mask.mean(0).min() > 0.4                                    # every position gets masked


def test_mae_encoder_sees_visible_patches_only_and_loss_is_on_masked():
    m = MAE(image_size=(8, 8), patch=2, d=16, dec_d=8).eval()
    x = torch.rand(4, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    patches = patchify(x, 2)
    ids_keep, mask, ids_restore = random_masking(4, 16, 0.75, torch.Generator().manual_seed(3))
    y = patches.clone()
    y[mask.bool()] = torch.rand(int(mask.sum()), 4)                        # scramble the hidden patches
    assert torch.allclose(m.encode(patches, ids_keep), m.encode(y, ids_keep))
    # the loss ignores what the decoder predicts for visible patches
    _, pred, mk = m.forward_masked(x, generator=torch.Generator().manual_seed(3))
    pred.retain_grad()
    per_patch = ((pred - patches) ** 2).mean(-1)
    ((per_patch * mk).sum() / mk.sum()).backward()
    assert torch.count_nonzero(pred.grad[mk == 0]) == 0
    assert m.loss(x, generator=torch.Generator().manual_seed(3)).item() == pytest.approx(
        float(((per_patch * mk).sum() / mk.sum()).detach()), abs=1e-6)


def test_mae_reconstruct_pastes_visible_patches():
    m = MAE(image_size=(8, 8), patch=2, d=16, dec_d=8)
    x = torch.rand(3, 1, 8, 8)
    recon, maskimg = m.reconstruct(x, 0.5, torch.Generator().manual_seed(0))
    assert recon.shape == x.shape and maskimg.shape == x.shape
    assert torch.equal(recon[maskimg == 0], x[maskimg == 0])
    assert maskimg.mean().item() == pytest.approx(0.5)


def test_patchify_roundtrip():
    x = torch.rand(2, 1, 28, 28)
    p = patchify(x, 4)
    assert p.shape == (2, 49, 16) and torch.equal(unpatchify(p, 4, (28, 28)), x)
    assert torch.equal(p[0, 1], x[0, 0, :4, 4:8].reshape(-1))          # raster order of patches


# ----------------------------------------------------------------------------- tokens
def test_kmeans_matches_sklearn_inertia():
    from sklearn.cluster import KMeans
    g = torch.Generator().manual_seed(0)
    x = torch.cat([torch.randn(200, 3, generator=g) * 0.3 + c for c in torch.randn(6, 3, generator=g) * 4])
    _, ours = kmeans(x, 6, generator=g)
    ref = KMeans(6, n_init=10, random_state=0).fit(x.numpy()).inertia_
    assert ours <= ref * 1.05
    # reproducible for a seeded generator (the seed goes to scikit-learn's k-means++ start)
    a, _ = kmeans(x, 6, generator=torch.Generator().manual_seed(3))
    b, _ = kmeans(x, 6, generator=torch.Generator().manual_seed(3))
    assert torch.equal(a, b) and a.dtype == x.dtype and a.shape == (6, 3)


def test_codebook_encode_decode():
    imgs = torch.rand(40, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    cb = PatchCodebook(k=8, patch=4, image_size=(8, 8)).fit(imgs, generator=torch.Generator().manual_seed(0))
    ids = cb.encode(imgs)
    assert ids.shape == (40, 2, 2) and ids.dtype == torch.int64
    dec = cb.decode(ids)
    assert torch.equal(cb.encode(dec), ids)                            # centroids encode to themselves
    err = ((dec - imgs) ** 2).mean().item()
    assert err < ((imgs - imgs.mean()) ** 2).mean().item()


# ----------------------------------------------------------------------------- bad input


def test_binary_digits_split():
    d = binary_digits()
    assert [len(d[k]) for k in ("x_train", "x_val", "x_test")] == [1000, 350, 447]
    assert d["x_train"].shape[1:] == (1, 8, 8) and set(d["x_train"].unique().tolist()) == {0.0, 1.0}


# ----------------------------------------------------------------------------- quality (brief training)
@pytest.fixture(scope="module")
def digits():
    return binary_digits()


def _independent_nll(d):
    from course_lib.autoregressive import IndependentBernoulli
    return IndependentBernoulli((1, 8, 8)).fit_closed_form(d["x_train"]).loss(d["x_test"]).item()


def _train(model, d, steps, lr, bs=64):
    from course_lib.autoregressive import train_autoregressive
    torch.manual_seed(0)
    train_autoregressive(model, d["x_train"], d["x_val"], steps=steps, lr=lr, batch_size=bs, eval_every=50,
                   progress=False, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        return model.loss(d["x_test"]).item()


@pytest.mark.slow
def test_made_beats_independent_pixels_clearly(digits):
    torch.manual_seed(0)
    nll = _train(MADE(hidden=(256,), num_orderings=2), digits, 400, 2e-3, bs=100)
    assert nll < _independent_nll(digits) - 4.0, nll          # 25.1 → about 19


@pytest.mark.slow
def test_transformer_learns(digits):
    torch.manual_seed(0)
    nll = _train(CausalTransformer(d=32, layers=2, heads=4), digits, 250, 5e-3)
    assert nll < _independent_nll(digits) - 3.0, nll


@pytest.mark.slow
def test_pixelcnn_learns(digits):
    torch.manual_seed(0)
    nll = _train(PixelCNN(channels=32, layers=2), digits, 250, 3e-3)
    assert nll < _independent_nll(digits) - 3.0, nll


@pytest.mark.slow
def test_maskgit_uses_bidirectional_context():
    """Images all-0 or all-1 (4x4): the marginal of a masked pixel is ln 2 nats; seeing any visible pixel,
    on either side, tells it exactly. A MaskGIT that learns drives the masked-token loss far below ln 2,
    and decoded one token per pass its samples are constant images."""
    from course_lib.training import fit
    g = torch.Generator().manual_seed(0)
    x = (torch.rand(512, 1, 1, 1, generator=g) < 0.5).float().expand(-1, 1, 4, 4).contiguous()
    torch.manual_seed(0)
    m = MaskGIT((1, 4, 4), d=32, layers=2, heads=4)
    fit(m, x, steps=150, lr=3e-3, batch_size=64, progress=False, schedule="one_cycle")
    with torch.no_grad():
        ce = m.loss(x, generator=torch.Generator().manual_seed(1)).item()
        # rows with every pixel masked carry no information: ln 2 per token there is the floor
        mask = m.random_mask(len(x), torch.Generator().manual_seed(1))
    floor = math.log(2) * mask[mask.all(1)].sum().item() / mask.sum().item()
    assert ce < floor + 0.05 < 0.5 * math.log(2), (ce, floor)
    # one token per pass (K = T): each new token sees the decided ones, so images come out constant
    s = m.sample(200, generator=torch.Generator().manual_seed(2), steps=16).reshape(200, -1)
    constant = ((s == 0).all(1) | (s == 1).all(1)).float().mean().item()
    assert constant > 0.9 and 0.3 < s.mean().item() < 0.7, (constant, s.mean())
    # K = 1 draws all 16 tokens at once, independently: constant images become rare (2 · 2^-16 each)
    s1 = m.sample(200, generator=torch.Generator().manual_seed(2), steps=1).reshape(200, -1)
    assert ((s1 == 0).all(1) | (s1 == 1).all(1)).float().mean().item() < 0.1


@pytest.mark.slow
def test_mae_reconstructs_hidden_patches_from_visible_ones():
    """Constant grey images (level c ~ U(0, 1)): a hidden patch equals every visible one, so an MAE that
    uses the visible patches beats the best blind guess (the mean, error var(c) = 1/12) by far."""
    from course_lib.training import fit
    g = torch.Generator().manual_seed(0)
    x = torch.rand(512, 1, 1, 1, generator=g).expand(-1, 1, 8, 8).contiguous()
    torch.manual_seed(0)
    m = MAE(image_size=(8, 8), patch=2, d=32, dec_d=32)
    fit(m, x, steps=200, lr=3e-3, batch_size=64, progress=False, schedule="one_cycle")
    with torch.no_grad():
        mse = m.loss(x[:128], generator=torch.Generator().manual_seed(1)).item()
    assert mse < 0.2 / 12, mse


# ----------------------------------------------------------------------------- shipped checkpoints
@pytest.mark.parametrize("name", ["ar_made_digits", "ar_transformer_digits", "ar_pixelcnn_digits"])
def test_shipped_likelihood_checkpoints_reproduce_their_manifests(name, digits):
    from course_lib.checkpoints import load_into
    from course_lib.zoo import autoregressive as zoo
    model = zoo.build(name)
    meta = load_into(model, name)
    with torch.no_grad():
        nll = model.eval().loss(digits["x_test"]).item()
    assert nll == pytest.approx(meta["metrics"]["test_nll_nats"], abs=1e-3)
    goal = {"ar_made_digits": 18.0, "ar_transformer_digits": 17.5, "ar_pixelcnn_digits": 19.0}[name]
    assert nll <= goal


def test_every_spec_has_a_shipped_checkpoint_under_2mb():
    from course_lib.checkpoints import CHECKPOINT_DIR, manifest
    from course_lib.zoo import autoregressive as zoo
    for name in zoo.SPECS:
        meta = manifest(name)
        assert (CHECKPOINT_DIR / f"{name}.pt").stat().st_size < 2_000_000, name
        assert meta["script"] == "scripts/train_autoregressive.py"


def test_train_autoregressive_logs_a_monitor_without_validation_data():
    from course_lib.autoregressive import MaskGIT, train_autoregressive

    x = torch.randint(0, 4, (64, 4, 4), generator=torch.Generator().manual_seed(0))   # token grids
    model = MaskGIT((4, 4), vocab=4, d=16, layers=1, heads=2)
    calls = []

    def monitor(m):
        calls.append(m.training)
        return {"score": float(len(calls))}
    hist, _ = train_autoregressive(model, x, None, steps=6, eval_every=3, monitor=monitor, progress=False,
                                   generator=torch.Generator().manual_seed(0))
    assert hist.steps("score") == [3, 6] and hist["score"] == [1.0, 2.0]
    assert calls == [False, False]   # called in eval mode
    with pytest.raises(ValueError, match="train_autoregressive: monitor must be"):
        train_autoregressive(model, x, x, steps=2, monitor=monitor, progress=False)
