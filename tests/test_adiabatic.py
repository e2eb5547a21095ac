"""General adiabatic master equation (paper 000, Eqs. 8–18), ``openlz.solve.adiabatic``.

Expected values: the generator built by hand from projectors (Eq. 9) with the library's
``liouvillian``; the Gibbs state, which is stationary for a Davies generator (closed form);
the Landau–Zener timescales of Eqs. (16)–(18); ``evolve_td`` on the full kron(L, 1) generator
as an independent integration path.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from openlz.core.baths import ohmic_bath
from openlz.core.liouvillian import liouvillian, vec
from openlz.core.operators import SX, SZ
from openlz.errors import ValidityWarning
from openlz.solve.adiabatic import (
    AdiabaticMasterEquation,
    adiabatic_generator,
    validity_timescales,
)
from openlz.solve.lindblad import evolve_td
from openlz.solve.ode import ODEOptions

DELTA = np.array([1.0, 2.0, 0.5])
V = np.array([0.1, 1.0, 2.0])
THETA = np.array([0.3, 1.0, 0.0])


def _lz(t: float) -> np.ndarray:
    return DELTA[:, None, None] * SX + (V * t)[:, None, None] * SZ


def _A() -> np.ndarray:
    return 0.5 * (np.cos(THETA)[:, None, None] * SZ + np.sin(THETA)[:, None, None] * SX)


def test_lz_generator_matches_projector_construction():
    """Eq. (8) with A(w) = Pi_a A Pi_b of Eq. (9), gamma of Eq. (11), H_LS of Eq. (14)."""
    bath = ohmic_bath(0.01, DELTA / 3, np.array([0.0, 0.5, 1.0]))
    me = AdiabaticMasterEquation(_lz, _A(), bath, lamb_shift=True)
    me.prepare(np.array([-5.0, 5.0]))
    t = 0.7
    E, Vv = np.linalg.eigh(_lz(t))
    Pm = Vv[:, :, 0, None] * Vv[:, :, 0].conj()[:, None, :]
    Pp = Vv[:, :, 1, None] * Vv[:, :, 1].conj()[:, None, :]
    A = _A()
    ops = [Pm @ A @ Pp, Pp @ A @ Pm, Pm @ A @ Pm + Pp @ A @ Pp]
    w1 = E[:, 1] - E[:, 0]
    freqs = [w1, -w1, 0 * w1]
    S = bath.lamb_shift(np.stack(freqs, axis=-1))          # direct quadrature, not the table
    hls = sum(S[:, i, None, None] * np.conj(np.swapaxes(o, -1, -2)) @ o for i, o in enumerate(ops))
    c_ops = [np.sqrt(bath.gamma(f))[:, None, None] * o for f, o in zip(freqs, ops, strict=True)]
    ref = liouvillian(_lz(t) + hls, c_ops)
    assert np.allclose(me.generator(t), ref, atol=1e-12)


def test_degenerate_bohr_frequencies_are_one_jump_operator():
    """Equally spaced ladder: pairs (0,1) and (1,2) share w = 1, so A(1) = a01|0><1| + a12|1><2|
    is ONE jump operator (cross terms kept), as the secular sum over distinct w requires."""
    H = np.diag([2.0, 1.0, 0.0]).astype(complex)[None]
    rng = np.random.default_rng(3)
    a = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
    A = (a + a.conj().T)[None]
    bath = ohmic_bath(0.2, 3.0, 0.7)
    gen = adiabatic_generator(H, A, bath.gamma, None)
    P = [np.diag(np.eye(3)[i]).astype(complex) for i in range(3)]     # energies 2, 1, 0
    E = np.array([2.0, 1.0, 0.0])
    ops = {}
    for i in range(3):
        for j in range(3):
            w = E[j] - E[i]
            ops[w] = ops.get(w, 0) + P[i] @ A[0] @ P[j]
    c_ops = [np.sqrt(bath.gamma(np.array(w))) * o for w, o in ops.items()]
    ref = liouvillian(H[0], c_ops)
    assert len(ops) == 5
    assert np.allclose(gen[0], ref, atol=1e-12)


def test_degenerate_levels_do_not_depend_on_eigenvector_choice():
    """Two degenerate levels: the generator is the same for any basis of the eigenspace
    (projector form of Eq. (9)); checked by rotating H's degenerate subspace."""
    rng = np.random.default_rng(5)
    a = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
    A = a + a.conj().T
    H = np.diag([1.0, 1.0, -0.5]).astype(complex)
    u, _ = np.linalg.qr(rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2)))
    U = np.eye(3, dtype=complex)
    U[:2, :2] = u                               # U H U^dag = H, but eigh may return any basis
    bath = ohmic_bath(0.1, 2.0, 0.3)
    g1 = adiabatic_generator(H[None], A[None], bath.gamma, bath.lamb_shift)
    g2 = adiabatic_generator((U @ H @ U.conj().T + 1e-15 * np.eye(3))[None], A[None],
                             bath.gamma, bath.lamb_shift)
    assert np.allclose(g1, g2, atol=1e-10)


def test_gibbs_state_is_stationary_and_trace_preserved():
    """Davies generator: d/dt Gibbs = 0 (KMS detailed balance), tr L(rho) = 0."""
    H = np.diag([0.0, 0.8, 2.1]).astype(complex)
    A = np.array([[0.3, 1.0, 0.2], [1.0, -0.4, 0.7], [0.2, 0.7, 0.1]], dtype=complex)
    T = 0.6
    bath = ohmic_bath(0.05, 3.0, T)
    gen = adiabatic_generator(H[None], A[None], bath.gamma, bath.lamb_shift)[0]
    gibbs = np.diag(np.exp(-np.diag(H).real / T))
    gibbs /= np.trace(gibbs)
    assert np.abs(gen @ vec(gibbs)).max() < 1e-13
    assert np.abs(vec(np.eye(3)) @ gen).max() < 1e-13


def test_lz_validity_timescales_eqs_16_to_18():
    """tau_S = 1/(2 Omega) (Eq. 16); tau_A = 2 Omega²/(v Delta) at t = 0 and Omega²/(v² t) for
    large t (the two branches of Eq. 18); tau_R = 1/(lambda² gamma(2 Omega))."""
    lam2 = 0.01
    bath = ohmic_bath(lam2, DELTA / 3, 0.0)
    t = np.array([0.0, 30.0])
    rep = validity_timescales(_lz, bath.gamma, t)
    Om = np.sqrt((V[:, None] * t) ** 2 + DELTA[:, None] ** 2)
    assert np.allclose(rep.tau_S, 1 / (2 * Om), rtol=1e-12)
    assert np.allclose(rep.tau_A[:, 0], 2 * DELTA / V, rtol=1e-6)
    assert np.allclose(rep.tau_A[:, 1], np.minimum(Om[:, 1] ** 2 / (V**2 * 30.0),
                                                   2 * Om[:, 1] ** 2 / (V * DELTA)), rtol=1e-6)
    gam = lam2 * 2 * np.pi * 2 * Om * np.exp(-2 * Om / (DELTA[:, None] / 3))
    with np.errstate(over="ignore"):
        assert np.allclose(rep.tau_R, 1 / gam, rtol=1e-10)
    # third point: tau_A/tau_S = 4 Delta²/v = 0.5 < 10 -> reported and warned
    assert list(rep.holds) == [True, True, False]
    with pytest.warns(ValidityWarning, match="tau_S << tau_A"):
        rep.warn()


def test_evolve_local_equals_full_pair_generator():
    """L_t (x) id integrated on the (n², m²) matrix == evolve_td with kron(L_t, 1) on 4x4 pairs."""
    bath = ohmic_bath(0.09, DELTA / 3, np.array([0.2, 0.0, 1.0]))
    me = AdiabaticMasterEquation(_lz, _A(), bath, lamb_shift=True)
    times = np.linspace(-2.0, 2.0, 5)
    me.prepare(times)
    psi = np.array([0.6, 0.0, 0.0, 0.8], dtype=complex)
    rho0 = np.broadcast_to(np.outer(psi, psi.conj()), (3, 4, 4))
    opts = ODEOptions(rtol=1e-10, atol=1e-12)
    got, _ = me.evolve(rho0, times, opts, ref_dim=2)

    def big(t: float) -> np.ndarray:
        L = me.generator(t).reshape(3, 2, 2, 2, 2)          # [s, s', u, u']
        eye = np.eye(2)
        # (L (x) 1) on row-major vec of the pair: indices (s r, s' r') <- (u q, u' q')
        full = np.einsum("bsxuy,rq,RQ->bsrxRuqyQ", L, eye, eye)
        return full.reshape(3, 16, 16)

    ref, _ = evolve_td(big, rho0, times, opts)
    assert np.allclose(got, ref, atol=1e-8)
    tr = np.einsum("btii->bt", got).real
    assert np.allclose(tr, 1.0, atol=1e-9)


def test_validity_warning_from_master_equation_object():
    bath = ohmic_bath(0.01, DELTA / 3, 0.0)
    me = AdiabaticMasterEquation(_lz, _A(), bath)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        me.validity(np.linspace(-1, 1, 21)).warn()
    assert any(issubclass(r.category, ValidityWarning) for r in rec)


def test_evolve_warns_for_the_annealing_example_and_h_may_return_n_by_n():
    """Issue 10 item 3: AdiabaticMasterEquation for the 2-qubit annealing H(s) = (1-s)(-X1-X2)
    + s(Z1Z2 + 0.3 Z1), s = t/10, H(t) returning (n, n), bath on Z1 + Z2: evolve() works with and
    without the Lamb shift (one table), warns, and keeps the report.  Expected ratio from
    first-order perturbation theory at the degenerate start: the pair |+-> , |-+> splits by
    gap = 2s (Z1Z2 couples them), so tau_S = 1/(2s) and tau_A = gap/|d gap/dt| = t, i.e.
    min tau_A/tau_S = 2 t1²/10 at the first grid point t1 = 0.05 (201 points on [0, 10])."""
    I2 = np.eye(2)
    X = np.array([[0, 1], [1, 0]], dtype=complex)
    Z = np.diag([1.0, -1.0]).astype(complex)
    X1, X2, Z1, Z2 = np.kron(X, I2), np.kron(I2, X), np.kron(Z, I2), np.kron(I2, Z)

    def H(t: float) -> np.ndarray:
        s = t / 10
        return (1 - s) * (-X1 - X2) + s * (Z1 @ Z2 + 0.3 * Z1)

    bath = ohmic_bath(0.05, 4.0, 0.5)
    rho0 = np.full((4, 4), 0.25, dtype=complex)
    times = np.linspace(0.0, 10.0, 3)
    for ls in (True, False):
        me = AdiabaticMasterEquation(H, Z1 + Z2, bath, lamb_shift=ls)
        with pytest.warns(ValidityWarning, match=r"evolve: tau_S << tau_A .* fails"):
            rho, _ = me.evolve(rho0, times)
        assert rho.shape == (3, 4, 4) and len(me.tables) == int(ls)
        assert np.allclose(np.einsum("tii->t", rho).real, 1.0, atol=1e-9)
        assert float(me.last_validity.ratio_A) == pytest.approx(2 * 0.05**2 / 10, rel=0.02)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        me.evolve(rho0, times, validity_factor=None)        # opt-out: no warning
