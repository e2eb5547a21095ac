"""Exact spin + reservoir solver ``openlz.solve.exact_spins`` (paper 003, Eq. 1).

Oracles: QuTiP ``mesolve`` of the full 2^{L+1}-dimensional density matrix for small L
(an independent solver in the full space, no sectors, no interaction picture); the
closed form p = f-weighted enumeration of configuration probabilities; the two-level
Landau–Zener limit (L = 1, long sweep: p_∞ = R p0 + (1-R) f, paper 003 Eq. 16).
"""

from __future__ import annotations

import numpy as np
import pytest

from openlz.analytic.landau_zener import adiabaticity, diabatic_survival
from openlz.solve.exact_spins import (
    dense_hamiltonian,
    exact_spin_dynamics,
    free_fermion_dynamics,
    reservoir_configurations,
)


def _qutip_reference(eps, nu, rate, f, p0, k0, times):
    """QuTiP mesolve of ρ_S ⊗ ρ_B in the full space; returns p(t), k(t)."""
    qutip = pytest.importorskip("qutip")
    L = len(eps)
    dims = [2] * (L + 1)

    def site(op, j):
        return qutip.tensor([op if i == j else qutip.qeye(2) for i in range(L + 1)])

    H0 = sum(eps[n] * site(qutip.sigmaz(), n + 1) for n in range(L))
    for n in range(L):
        c = nu[n] * site(qutip.sigmap(), 0) * site(qutip.sigmam(), n + 1)
        H0 = H0 + c + c.dag()
    H = qutip.QobjEvo([H0, [site(qutip.sigmaz(), 0), lambda t: rate * t]])
    rs = qutip.Qobj(np.array([[p0, k0], [np.conj(k0), 1 - p0]]))
    rho0 = qutip.tensor([rs] + [qutip.Qobj(np.diag([fn, 1 - fn])) for fn in f])
    e_ops = [site(qutip.Qobj(np.diag([1.0, 0.0])), 0), site(qutip.sigmam(), 0)]
    assert rho0.dims[0] == dims
    res = qutip.mesolve(H, rho0, times, e_ops=e_ops,
                        options={"atol": 1e-11, "rtol": 1e-9, "nsteps": 10**6})
    return np.real(res.expect[0]), np.asarray(res.expect[1])


@pytest.mark.parametrize("method,atol", [("configurations", 1e-6), ("typicality", 0.075)])
def test_exact_matches_qutip_mesolve(method, atol):
    """L = 3, a hot reservoir (all sectors matter) with a coherent initial state.

    Configurations: exact to the ODE tolerance.  Typicality (256 samples, fixed seed):
    within 3x the statistical error sqrt(Σ P(C)² / samples) ≈ 0.024 reported by the solver.
    """
    eps = np.array([1.0, 2.0, 3.0])
    nu = np.array([0.3, 0.2, 0.25])
    f = np.array([0.6, 0.3, 0.45])
    rate, p0, k0 = 0.5, 0.6, 0.3 + 0.2j
    times = np.linspace(0.0, 8.0, 9)
    p_ref, k_ref = _qutip_reference(eps, nu, rate, f, p0, k0, times)
    res = exact_spin_dynamics(eps, nu, rate, f, p0, k0, times, method=method, samples=256)
    assert np.max(np.abs(res.p - p_ref)) < atol
    assert np.max(np.abs(res.k - k_ref)) < atol
    if method == "typicality":
        assert 3 * res.info["typicality_error_estimate"] < atol


def test_dense_hamiltonian_conserves_magnetization():
    """[H, Σ σ^z] = 0 for Eq. (1): the basis of the sector decomposition."""
    H = dense_hamiltonian(np.array([1.0, 2.0]), np.array([0.3, 0.4j]), 0.7)
    mz = np.diag([3 - 2 * bin(i).count("1") for i in range(8)]).astype(float)
    # index i = bits of kron(system, 1, 2) with |0⟩ = ↑: popcount counts down spins
    assert np.allclose(H @ mz, mz @ H)
    assert np.allclose(H, H.conj().T)


def test_single_spin_long_sweep_is_landau_zener():
    """L = 1 swept far through the crossing: p_∞ = R p0 + (1-R) f (paper 003, Eq. 16);
    |k| = sqrt(R) |k0| (Eq. 17).  The finite-time oscillations are averaged out over a late
    window; what remains is the first-order correction of the sudden start at detuning
    ε_1 (initial state diabatic, not adiabatic): |R_exact - R| <= |ν|/ε_1 (here 0.015; a
    plain two-level solve_ivp from -40 to 40 gives the same R_exact = 0.5612 vs R = 0.5681)."""
    nu, rate, eps1, f = 0.3, 0.5, 20.0, 0.25
    times = np.concatenate([[0.0], np.linspace(70.0, 120.0, 401)])
    res = exact_spin_dynamics(np.array([eps1]), nu, rate, np.array([f]), 0.7, 0.3, times)
    R = diabatic_survival(adiabaticity(nu, rate))
    R_from_p = (np.mean(res.p[1:]) - f) / (0.7 - f)
    R_from_k = (np.mean(np.abs(res.k[1:])) / 0.3) ** 2
    assert R_from_p == pytest.approx(R, abs=nu / eps1)
    assert R_from_k == pytest.approx(R, abs=nu / eps1)
    assert R_from_p == pytest.approx(0.5612, abs=5e-4)  # independent two-level solve_ivp


def test_reservoir_configurations_order_and_weights():
    """Best-first enumeration: decreasing P(C), weights = Π f^c (1-f)^(1-c), sum to 1."""
    f = np.array([0.1, 0.7, 0.4, 0.02])
    masks, w, missing = reservoir_configurations(f, tol=0.0, max_configs=100)
    assert masks.size == 16 and missing == pytest.approx(0.0, abs=1e-12)
    assert np.all(np.diff(w) <= 1e-15)
    bits = (masks[:, None] >> np.arange(1, 5)) & 1
    assert np.allclose(w, np.prod(np.where(bits == 1, f, 1 - f), axis=1))
    masks2, w2, missing2 = reservoir_configurations(f, tol=0.05)
    assert missing2 <= 0.05 and missing2 == pytest.approx(1 - w2.sum())


def test_spin_model_is_not_free_fermions():
    """The Jordan–Wigner strings matter (π flux in the two-excitation sector): the spin
    coherence differs from the resonant-level model by ~1e-2 for a hot L = 3 reservoir,
    while with a cold reservoir (sectors N <= 1 only) they agree to the ODE tolerance."""
    eps = np.array([1.0, 2.0, 3.0])
    nu = np.array([0.3, 0.2, 0.25])
    times = np.linspace(0.0, 8.0, 9)
    hot = np.array([0.6, 0.3, 0.45])
    a = exact_spin_dynamics(eps, nu, 0.5, hot, 0.6, 0.3 + 0.2j, times)
    b = free_fermion_dynamics(eps, nu, 0.5, hot, 0.6, 0.3 + 0.2j, times)
    assert np.max(np.abs(a.k - b.k)) > 3e-3
    cold = np.zeros(3)
    a = exact_spin_dynamics(eps, nu, 0.5, cold, 0.6, 0.3 + 0.2j, times)
    b = free_fermion_dynamics(eps, nu, 0.5, cold, 0.6, 0.3 + 0.2j, times)
    assert np.max(np.abs(a.p - b.p)) < 1e-7 and np.max(np.abs(a.k - b.k)) < 1e-7


def test_chunked_output_equals_single_chunk(monkeypatch):
    """Output times are processed in memory-bounded chunks; a one-time-point budget gives
    the same result (same ODE, restarted at each chunk boundary, to the ODE tolerance)."""
    import openlz.solve.exact_spins as es

    eps = np.array([1.0, 2.0, 3.0])
    f = np.array([0.6, 0.3, 0.45])
    times = np.linspace(0.0, 6.0, 7)
    a = exact_spin_dynamics(eps, 0.3, 0.5, f, 0.6, 0.3 + 0.2j, times)
    monkeypatch.setattr(es, "CHUNK_BYTES", 1.0)
    b = exact_spin_dynamics(eps, 0.3, 0.5, f, 0.6, 0.3 + 0.2j, times)
    assert np.allclose(a.p, b.p, atol=1e-8) and np.allclose(a.k, b.k, atol=1e-8)
