"""Reference solutions of notebook 04's exercises; each checker accepts them and rejects a wrong answer."""

from course_lib.exercises import ch04


def kl_reference(mu, logvar):
    return 0.5 * (logvar.exp() + mu**2 - 1 - logvar).sum(-1)


def reparameterize_reference(mu, logvar, eps):
    return mu + (0.5 * logvar).exp() * eps


def test_kl(capsys):
    assert ch04.check_kl(kl_reference) is True
    assert ch04.check_kl(lambda mu, logvar: 0.5 * (logvar.exp() + mu**2 - 1 - logvar)) is False  # not summed
    assert ch04.check_kl(lambda mu, logvar: (logvar.exp() + mu**2 - 1 - logvar).sum(-1)) is False  # no ½
    assert ch04.check_kl(lambda mu, logvar: 1 / 0) is False  # raises: feedback, not a traceback
    assert ch04.check_kl(...) is None
    assert "not yet" in capsys.readouterr().out


def test_reparameterize():
    assert ch04.check_reparameterize(reparameterize_reference) is True
    assert ch04.check_reparameterize(lambda mu, logvar, eps: mu + logvar.exp() * eps) is False  # σ² not σ
    assert ch04.check_reparameterize(lambda mu, logvar, eps: mu.detach() + (0.5 * logvar).exp() * eps) is False
    assert ch04.check_reparameterize(
        lambda mu, logvar, eps: (mu + (0.5 * logvar).exp() * eps).detach()) is False  # no gradient
    assert ch04.check_reparameterize(...) is None


def test_iwae_k1():
    assert ch04.check_iwae_k1("equal in expectation") is True
    assert ch04.check_iwae_k1("always larger") is False
    assert ch04.check_iwae_k1(3) is False


def test_prior_mc_samples():
    assert ch04.check_prior_mc_samples(1e20) is True
    assert ch04.check_prior_mc_samples(10 ** 20.5) is True
    assert ch04.check_prior_mc_samples(1e6) is False
    assert ch04.check_prior_mc_samples("many") is False
    assert ch04.check_prior_mc_samples(None) is None
