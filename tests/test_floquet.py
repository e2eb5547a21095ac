"""Floquet tools (openlz.solve.floquet, floquet_markov) against QuTiP and closed forms."""

from __future__ import annotations

import numpy as np
import pytest

from openlz.analytic.driven_qubits import bath_operator, drive_diagonal, h0_matrix
from openlz.core.baths import ohmic_exponential
from openlz.solve.floquet import (
    floquet_basis,
    label_by_overlap,
    period_propagators,
    period_propagators_split,
)
from openlz.solve.floquet_markov import (
    evolve_generator,
    floquet_markov_generator,
    floquet_markov_rates,
    pauli_generator,
    pauli_steady_state,
    thermal_response,
)

qt = pytest.importorskip("qutip")

KAPPA, WC, TEMP = 0.001, 10.0, 0.00467


def _points():
    """Three (eps0, A, omega, J) points: the paper's headline, a resonance, and J > 0."""
    return np.array([[3.7, 3.8, 1.0, -2.5], [3.25, 2.0, 1.0, -2.5], [1.3, 1.1, 1.7, 1.5]])


def _h0(pts):
    return h0_matrix(pts[:, 0], 0.1, 0.15, pts[:, 3])


def _propagators(pts, steps):
    A, om = pts[:, 1], pts[:, 2]
    return period_propagators_split(_h0(pts), drive_diagonal(),
                                    lambda t: A[:, None] * np.sin(om[:, None] * t) / om[:, None], om, steps)


def _qutip_basis(row):
    eps0, A, om, J = row
    h0 = qt.Qobj(h0_matrix(eps0, 0.1, 0.15, J), dims=[[2, 2], [2, 2]])
    d = qt.Qobj(np.diag(drive_diagonal()) * A, dims=[[2, 2], [2, 2]])
    H = [h0, [d, lambda t: np.cos(om * t)]]
    return qt.FloquetBasis(H, 2 * np.pi / om, options={"atol": 1e-11, "rtol": 1e-11})


def _response(T=TEMP):
    return thermal_response(lambda E: ohmic_exponential(E, KAPPA, WC), T)


def test_quasienergies_match_qutip():
    """Quasienergies of the driven-qubits H(t) vs QuTiP FloquetBasis (independent ODE propagator)."""
    pts = _points()
    fb = floquet_basis(_propagators(pts, 256), pts[:, 2])
    for b, row in enumerate(pts):
        q = _qutip_basis(row).e_quasi
        np.testing.assert_allclose(np.sort(fb.quasienergies[b]), np.sort(q), atol=1e-8)


def test_split_propagator_is_fourth_order_and_matches_magnus():
    """The split method converges as N^-4 to the commutator-free Magnus propagator (an
    independent integrator), and both agree at fine grids."""
    pts = _points()
    A, om = pts[:, 1], pts[:, 2]
    h0 = _h0(pts)
    d = np.diag(drive_diagonal())

    def ham(t):
        return h0 + (A * np.cos(om * t))[:, None, None] * d

    ref = period_propagators(ham, om, 512)[:, -1]
    errs = [np.abs(_propagators(pts, n)[:, -1] - ref).max() for n in (32, 64)]
    assert errs[1] < 2e-5
    assert errs[0] / errs[1] > 10  # 4th order: ideally 16
    np.testing.assert_allclose(ref, _propagators(pts, 256)[:, -1], atol=1e-7)
    # unitarity of the stored intermediate propagators
    U = _propagators(pts, 64)
    eye = np.conj(np.swapaxes(U, -1, -2)) @ U
    np.testing.assert_allclose(eye, np.broadcast_to(np.eye(4), eye.shape), atol=1e-12)


def test_floquet_modes_are_periodic_and_fourier_consistent():
    """u_a(t + T) = u_a(t) (Floquet theorem) and sum_K u_a(K) e^{-iK w t} reproduces u_a(t)."""
    pts = _points()
    U = _propagators(pts, 64)
    fb = floquet_basis(U, pts[:, 2])
    T = 2 * np.pi / pts[:, 2]
    # u_a(T) from the last propagator equals u_a(0)
    uT = U[:, -1] @ fb.modes[:, 0] * np.exp(1j * fb.quasienergies * T[:, None])[:, None, :]
    np.testing.assert_allclose(uT, fb.modes[:, 0], atol=1e-10)
    K, uk = fb.fourier_modes()
    t = T[:, None] * np.array([0.0, 0.37, 0.81])[None, :]
    direct = np.einsum("bjxa,btj->btxa", uk, np.exp(-1j * K[None, None, :] * pts[:, 2, None, None] * t[..., None]))
    np.testing.assert_allclose(direct, fb.modes_at(t), atol=1e-10)
    np.testing.assert_allclose(fb.modes_at(np.zeros((3, 1)))[:, 0], fb.modes[:, 0], atol=1e-10)


def test_rates_match_qutip_floquet_tensor():
    """Gamma_ab (b -> a) vs the population block of QuTiP's floquet_tensor (R[aa, bb] = rate b -> a)."""
    pts = _points()
    fb = floquet_basis(_propagators(pts, 128), pts[:, 2])
    aop = bath_operator(1.0, 0.1)
    K, X = fb.matrix_elements(aop)
    rates = floquet_markov_rates(X, K, fb.quasienergies, fb.omega, _response(), kmax=30)

    def spec(w):
        w = np.asarray(w)
        return np.where(w > 0, KAPPA * w * np.exp(-np.abs(w) / WC), 0.0)

    for b, row in enumerate(pts):
        fq = _qutip_basis(row)
        with np.errstate(over="ignore"):
            R = qt.floquet_tensor(fq, [qt.Qobj(aop, dims=[[2, 2], [2, 2]])], [spec], w_th=TEMP, kmax=30,
                                  nT=128).full()
        pop = R[np.ix_(np.arange(4) * 5, np.arange(4) * 5)].real
        # same quasienergy ordering (both ascending); compare off-diagonal rates
        mine = rates[b] * (1 - np.eye(4))
        theirs = pop * (1 - np.eye(4))
        np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-9 * np.abs(theirs).max())


def test_full_generator_population_block_is_pauli_and_trace_preserving():
    """Eq. (A6): the population block of the Q = 0 generator is the Pauli rate matrix (Eq. C3),
    and the generator preserves the trace."""
    pts = _points()
    fb = floquet_basis(_propagators(pts, 64), pts[:, 2])
    K, X = fb.matrix_elements(bath_operator(1.0, 0.3))
    rates = floquet_markov_rates(X, K, fb.quasienergies, fb.omega, _response(), kmax=24)
    L = floquet_markov_generator(X, K, fb.quasienergies, fb.omega, _response(), kmax=24)
    idx = np.arange(4) * 5
    np.testing.assert_allclose(L[:, idx][:, :, idx], pauli_generator(rates), atol=1e-15)
    np.testing.assert_allclose(L[:, idx, :].sum(axis=1), 0.0, atol=1e-15)


def test_full_generator_at_zero_drive_matches_qutip_bloch_redfield():
    """At A = 0 the Floquet–Markov equation is the (non-secular) Bloch–Redfield equation:
    lab-frame rho(t) vs QuTiP brmesolve with sec_cutoff = -1 and S(w) = 2 pi g(-w).

    omega is chosen larger than the spectrum's width so that every level lies in one Brillouin
    zone: the Q = 0 average (Eq. A6) then drops nothing (otherwise it removes couplings between
    coherences of different zone offsets, a partial secular approximation)."""
    eps0, J, om = 2.2, -2.5, 20.0
    h0 = h0_matrix(eps0, 0.3, 0.45, J)
    U = period_propagators_split(h0[None], drive_diagonal(), lambda t: 0 * t, np.array([om]), 32)
    fb = floquet_basis(U, np.array([om]))
    aop = bath_operator(1.0, 0.4)
    kap = 0.02  # larger coupling so that the test sees relaxation within a short time
    g = thermal_response(lambda E: ohmic_exponential(E, kap, WC), 0.3)
    K, X = fb.matrix_elements(aop)
    L = floquet_markov_generator(X, K, fb.quasienergies, fb.omega, g)
    psi0 = np.array([0.6, 0.0, 0.8j, 0.0])
    rho0 = np.outer(psi0, psi0.conj())
    u0 = fb.modes[:, 0]
    times = np.linspace(0.0, 40.0, 9)
    rf = evolve_generator(L, (np.conj(np.swapaxes(u0, -1, -2)) @ rho0 @ u0).reshape(1, 16), times)
    W = fb.modes_at(times)
    rho = (W @ rf.reshape(1, -1, 4, 4) @ np.conj(np.swapaxes(W, -1, -2)))[0]

    def spectrum(w):
        return 2 * np.pi * g(-np.asarray(w, dtype=float))

    Hq = qt.Qobj(h0, dims=[[2, 2], [2, 2]])
    res = qt.brmesolve(Hq, qt.Qobj(rho0, dims=[[2, 2], [2, 2]]), times,
                       a_ops=[[qt.Qobj(aop, dims=[[2, 2], [2, 2]]), spectrum]], sec_cutoff=-1,
                       options={"atol": 1e-11, "rtol": 1e-10})
    ref = np.array([s.full() for s in res.states])
    np.testing.assert_allclose(rho, ref, atol=2e-6)


def test_pauli_steady_state_detailed_balance():
    """Closed form: for two states with rates r_01, r_10 the null vector is p0 = r_01/(r_01 + r_10)."""
    rates = np.array([[[0.0, 3.0], [1.0, 0.0]], [[0.0, 1e-9], [2e-9, 0.0]]])
    p = pauli_steady_state(rates)
    np.testing.assert_allclose(p[:, 0], [0.75, 1 / 3], rtol=1e-12)


def test_thermal_response_limits():
    """g(E) = J(E) n(E): emission J(|E|)(1 + n), absorption J n, and g(0) = kappa T (Ohmic)."""
    g = _response(0.1)
    E = np.array([-2.0, 2.0, 0.0])
    n = 1 / np.expm1(2.0 / 0.1)
    J = KAPPA * 2.0 * np.exp(-2.0 / WC)
    np.testing.assert_allclose(g(E), [J * (1 + n), J * n, KAPPA * 0.1], rtol=1e-8)
    g0 = _response(0.0)
    np.testing.assert_allclose(g0(E), [J, 0.0, 0.0], rtol=1e-12)


def test_label_by_overlap_picks_best_permutation():
    """Brute-force assignment on a hand-built overlap table."""
    w = np.array([[[0.1, 0.9, 0.0], [0.8, 0.1, 0.1], [0.1, 0.0, 0.9]]])
    np.testing.assert_array_equal(label_by_overlap(w), [[1, 0, 2]])
