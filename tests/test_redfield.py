"""Bloch–Redfield generator (openlz.solve.redfield) against QuTiP and closed forms."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

from openlz.core.baths import bose, ohmic_drude
from openlz.core.liouvillian import spost, spre, sprepost
from openlz.core.operators import SX, SZ
from openlz.models.coherence_engine import engine_redfield_generator
from openlz.solve.redfield import bosonic_power_spectrum, redfield_generator

qutip = pytest.importorskip("qutip")

# row-major vec (openlz) <-> column-stacked vec (QuTiP)
def _perm(n: int) -> np.ndarray:
    P = np.zeros((n * n, n * n))
    for i in range(n):
        for j in range(n):
            P[i * n + j, j * n + i] = 1.0
    return P


def _qutip_tensor(h, a, spec, sec_cutoff):
    R = qutip.bloch_redfield_tensor(qutip.Qobj(h), [(qutip.Qobj(a), lambda w: float(spec(np.array(w))))],
                                   sec_cutoff=sec_cutoff, fock_basis=True)
    P = _perm(h.shape[-1])
    return P @ R.full() @ P.T


def _drude_spectrum(eta, wc, T):
    return lambda w: bosonic_power_spectrum(w, lambda x: ohmic_drude(x, eta, wc), T, zero_slope=eta)


@pytest.mark.parametrize("sec_cutoff", [-1, 0.1])
def test_paper_system_matches_qutip_batched(sec_cutoff):
    """H = eps0 sigma_z, S = sigma_x + sigma_z, Drude J (paper 003 Eqs. 24-25) vs QuTiP's
    bloch_redfield_tensor (same spectrum, same secular choice), three parameter points in one
    batched call."""
    eps0 = np.array([1.0, 0.7, 1.3])
    eta = np.array([0.01, 0.05, 0.002])
    wc = np.array([10.0, 2.0, 5.0])
    beta = np.array([1.0, 0.3, 2.5])
    h = eps0[:, None, None] * SZ
    a = np.broadcast_to(SX + SZ, h.shape)
    spec = _drude_spectrum(eta[:, None, None], wc[:, None, None], 1 / beta[:, None, None])
    L = redfield_generator(h, [(a, spec)], secular_cutoff=None if sec_cutoff < 0 else sec_cutoff)
    assert L.shape == (3, 4, 4)
    for b in range(3):
        ref = _qutip_tensor(h[b], SX + SZ, _drude_spectrum(eta[b], wc[b], 1 / beta[b]), sec_cutoff)
        np.testing.assert_allclose(L[b], ref, atol=1e-13)
    if sec_cutoff < 0:  # the model's builder is the same generator
        np.testing.assert_allclose(engine_redfield_generator(eps0, eta, wc, beta), L, atol=1e-14)


@pytest.mark.parametrize("sec_cutoff", [-1, 0.1, 2.0])
def test_real_three_level_matches_qutip(sec_cutoff):
    """Random real symmetric H and A (3 levels), Drude bath, vs QuTiP for three secular choices."""
    rng = np.random.default_rng(7)
    x = rng.normal(size=(3, 3))
    y = rng.normal(size=(3, 3))
    h, a = x + x.T, y + y.T
    spec = _drude_spectrum(0.05, 3.0, 0.7)
    L = redfield_generator(h, [(a, spec)], secular_cutoff=None if sec_cutoff < 0 else sec_cutoff)
    np.testing.assert_allclose(L, _qutip_tensor(h, a, spec, sec_cutoff), atol=1e-12)


def test_complex_operators_match_operator_form():
    """Complex Hermitian H, A: the tensor equals the basis-free Redfield form
    D rho = [Lam rho, A] + [A, rho Lam^dag], Lam = sum_ab A_ab S(E_b - E_a)/2 |a><b|
    (Born–Markov, Lamb shift dropped; Breuer & Petruccione Eq. 3.118), built independently here.
    Secular tensor also vs QuTiP (QuTiP's non-secular tensor differs for complex eigenbasis
    matrix elements; see the coherence-engine report)."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
    y = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
    h, a = x + x.conj().T, y + y.conj().T
    spec = _drude_spectrum(0.05, 3.0, 0.7)
    e, v = np.linalg.eigh(h)
    a_e = v.conj().T @ a @ v
    w = e[:, None] - e[None, :]
    lam = v @ (0.5 * spec(-w) * a_e) @ v.conj().T
    ref = (-1j * (spre(h) - spost(h)) + sprepost(lam, a) - spre(a @ lam)
           + sprepost(a, lam.conj().T) - spost(lam.conj().T @ a))
    np.testing.assert_allclose(redfield_generator(h, [(a, spec)]), ref, atol=1e-13)
    np.testing.assert_allclose(redfield_generator(h, [(a, spec)], secular_cutoff=0.1),
                               _qutip_tensor(h, a, spec, 0.1), atol=1e-12)


def test_paper_eq25_explicit_rates():
    """Element-wise Eq. (25) of paper 003 with its W_12 = J n, W_21 = J (n+1),
    W_11 = W_22 = eta T, coded here as the paper writes it (loops over n, m, i, j)."""
    eps0, eta, wc, beta = 1.0, 0.02, 4.0, 0.8
    T = 1 / beta
    J, n = ohmic_drude(2 * eps0, eta, wc), bose(2 * eps0, T)
    W = np.array([[eta * T, J * n], [J * (n + 1), eta * T]])
    S = np.array([[1.0, 1.0], [1.0, -1.0]])
    Delta = np.array([[0, 2 * eps0], [-2 * eps0, 0]])
    R = np.zeros((4, 4), dtype=complex)
    for nn in range(2):
        for m in range(2):
            R[nn * 2 + m, nn * 2 + m] += -1j * Delta[nn, m]
            for i in range(2):
                for j in range(2):
                    val = S[nn, i] * S[j, m] * (W[nn, i] + W[m, j])
                    if j == m:
                        val -= sum(S[nn, l] * S[l, i] * W[l, i] for l in range(2))
                    if nn == i:
                        val -= sum(S[j, l] * S[l, m] * W[l, j] for l in range(2))
                    R[nn * 2 + m, i * 2 + j] += val
    L = engine_redfield_generator(eps0, eta, wc, beta)[0]
    np.testing.assert_allclose(L, R, atol=1e-14)


def test_gibbs_state_is_stationary():
    """Closed form: for S = sigma_x + sigma_z the Gibbs state is an exact stationary state of
    the non-secular Eq. (25) (detailed balance; thermal populations source no coherence)."""
    eps0, eta, wc, beta = 1.0, 0.05, 3.0, np.array([0.2, 1.0, 3.0])
    L = engine_redfield_generator(eps0, eta, wc, beta)
    pu = 1 / (1 + np.exp(2 * beta * eps0))
    gibbs = np.zeros((3, 4), dtype=complex)
    gibbs[:, 0], gibbs[:, 3] = pu, 1 - pu
    np.testing.assert_allclose(np.einsum("bij,bj->bi", L, gibbs), 0, atol=1e-15)


def test_evolution_matches_brmesolve():
    """exp(L t) rho0 vs QuTiP brmesolve (non-secular) for the paper's system."""
    eps0, eta, wc, beta = 1.0, 0.05, 5.0, 0.7
    L = engine_redfield_generator(eps0, eta, wc, beta)[0]
    rho0 = np.array([[0.3, 0.2 - 0.35j], [0.2 + 0.35j, 0.7]])
    spec = _drude_spectrum(eta, wc, 1 / beta)
    res = qutip.brmesolve(qutip.Qobj(eps0 * SZ), qutip.Qobj(rho0), [0.0, 7.3],
                          a_ops=[(qutip.Qobj(SX + SZ), lambda w: float(spec(np.array(w))))],
                          sec_cutoff=-1, options={"atol": 1e-12, "rtol": 1e-10})
    ours = (sla.expm(L * 7.3) @ rho0.reshape(-1)).reshape(2, 2)
    np.testing.assert_allclose(ours, res.states[-1].full(), atol=1e-8)


def test_power_spectrum_conventions():
    """S(w) = 2 J(w)(1 + n(w)); S(-w) = S(w) exp(-w/T) (detailed balance); S(0) = 2 eta T."""
    w = np.array([0.5, 2.0])
    spec = _drude_spectrum(0.1, 3.0, 0.4)
    np.testing.assert_allclose(spec(-w), spec(w) * np.exp(-w / 0.4), rtol=1e-12)
    np.testing.assert_allclose(spec(np.array(0.0)), 2 * 0.1 * 0.4)
    np.testing.assert_allclose(spec(w), 2 * ohmic_drude(w, 0.1, 3.0) * (1 + bose(w, 0.4)))


def test_independent_baths_add():
    """Two baths on the same operator with spectra S1, S2 equal one bath with S1 + S2
    (the dissipator is linear in S; the coherent part is counted once)."""
    h, a = 0.8 * SZ + 0.3 * SX, SX + SZ
    s1, s2 = _drude_spectrum(0.02, 2.0, 0.5), _drude_spectrum(0.05, 6.0, 1.5)
    two = redfield_generator(h, [(a, s1), (a, s2)])
    one = redfield_generator(h, [(a, lambda w: s1(w) + s2(w))])
    np.testing.assert_allclose(two, one, atol=1e-15)
    none = redfield_generator(h, [])
    np.testing.assert_allclose(none, -1j * (spre(h) - spost(h)), atol=1e-15)


def test_basis_covariance():
    """Physics is basis independent: for H' = V H V^dag, A' = V A V^dag (V a random unitary)
    the generator must be L' = (V x V*) L (V x V*)^dag.  (QuTiP 5.3's non-secular
    bloch_redfield_tensor fails this check by ~0.13 for this V: the discrepancy noted in
    test_complex_operators_match_operator_form.)"""
    from scipy.stats import unitary_group

    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    h, a = x + x.T, y + y.T
    v = unitary_group.rvs(3, random_state=4)
    spec = _drude_spectrum(0.05, 3.0, 0.7)
    s = np.kron(v, v.conj())
    L = redfield_generator(h, [(a, spec)])
    Lp = redfield_generator(v @ h @ v.conj().T, [(v @ a @ v.conj().T, spec)])
    np.testing.assert_allclose(Lp, s @ L @ s.conj().T, atol=1e-12)
