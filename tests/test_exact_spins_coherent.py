"""Exact solver with reservoir coherence q_n ≠ 0 and non-linear ramps (paper 003, Eqs. 1, 15).

Oracles: QuTiP ``mesolve`` of ρ_S ⊗ (⊗_n ρ_n) in the full 2^{L+1} space with the coherent
reservoir states ρ_n = [[a_n, q_n], [q_n*, 1 - a_n]] and ε_t given as a QuTiP coefficient
(no sectors, no interaction picture, no ramp object); and, for the decomposition of ρ_B into
pure vectors, the dense Kronecker product ⊗_n ρ_n built with numpy.
"""

from __future__ import annotations

import numpy as np
import pytest

from openlz.analytic.ramps import ProfileRamp
from openlz.solve.exact_spins import exact_spin_dynamics
from openlz.solve.exact_spins_states import reservoir_vectors, spin_density

EPS = np.array([1.0, 2.0, 3.0])
NU = np.array([0.3, 0.2, 0.25])
A = np.array([0.6, 0.3, 0.45])
Q = np.array([0.3, 0.2j, -0.25 + 0.1j])  # |q_n|² <= a_n (1 - a_n)
P0, K0 = 0.6, 0.3 + 0.2j


def _qutip_reference(eps_t, times):
    qutip = pytest.importorskip("qutip")
    L = EPS.size

    def site(op, j):
        return qutip.tensor([op if i == j else qutip.qeye(2) for i in range(L + 1)])

    H0 = sum(EPS[n] * site(qutip.sigmaz(), n + 1) for n in range(L))
    for n in range(L):
        c = NU[n] * site(qutip.sigmap(), 0) * site(qutip.sigmam(), n + 1)
        H0 = H0 + c + c.dag()
    H = qutip.QobjEvo([H0, [site(qutip.sigmaz(), 0), eps_t]])
    rho0 = qutip.tensor([qutip.Qobj(np.array([[P0, K0], [np.conj(K0), 1 - P0]]))]
                        + [qutip.Qobj(r) for r in spin_density(A, Q)])
    e_ops = [site(qutip.Qobj(np.diag([1.0, 0.0])), 0), site(qutip.sigmam(), 0)]
    res = qutip.mesolve(H, rho0, times, e_ops=e_ops,
                        options={"atol": 1e-11, "rtol": 1e-9, "nsteps": 10**6})
    return np.real(res.expect[0]), np.asarray(res.expect[1])


def test_reservoir_vectors_reproduce_the_product_state():
    """Σ_j w_j |R_j⟩⟨R_j| = ⊗_n ρ_n exactly (all 2^L eigen-configurations kept), and the
    typicality vectors average to it within their stated error."""
    L = A.size
    dense = spin_density(A, Q)[0]
    for r in spin_density(A, Q)[1:]:
        dense = np.kron(dense, r)  # kron(spin 1, ..., spin L), index 0 = all up

    def to_dense(masks, amps):
        v = np.zeros(2**L, dtype=complex)
        for m, c in zip(masks, amps, strict=True):
            bits = [(int(m) >> n) & 1 for n in range(1, L + 1)]  # 1 = up
            v[sum((1 - b) << (L - 1 - i) for i, b in enumerate(bits))] += c
        return v

    vecs, w, info = reservoir_vectors(A, Q, "configurations", 1e-15, 2**L, 1, 0)
    assert info["configurations"] == 2**L and info["missing_weight"] < 1e-12
    rho = sum(wj * np.outer(to_dense(*v), np.conj(to_dense(*v)))
              for wj, v in zip(w, vecs, strict=True))
    assert np.max(np.abs(rho - dense)) < 1e-14
    vecs, w, info = reservoir_vectors(A, Q, "typicality", 0.0, 1, 400, 1)
    rho = sum(wj * np.outer(to_dense(*v), np.conj(to_dense(*v)))
              for wj, v in zip(w, vecs, strict=True))
    # Tr ρ_B² = Π (a² + (1-a)² + 2|q|²) (module docstring of exact_spins_states)
    purity = np.prod(A**2 + (1 - A) ** 2 + 2 * np.abs(Q) ** 2)
    assert info["typicality_error_estimate"] == pytest.approx(np.sqrt(purity / 400), rel=1e-12)
    assert np.max(np.abs(rho - dense)) < 4 * info["typicality_error_estimate"]


@pytest.mark.parametrize("method,atol", [("configurations", 1e-7), ("typicality", 0.105)])
def test_coherent_reservoir_matches_qutip(method, atol):
    """Linear sweep ε̇ = 0.5, L = 3, hot coherent reservoir.  Configurations: to the ODE
    tolerance (measured 4e-10).  Typicality (256 samples, seed 0): within 3x the reported
    error sqrt(Tr ρ_B²/256) = 0.034 (measured 0.024)."""
    times = np.linspace(0.0, 8.0, 9)
    p_ref, k_ref = _qutip_reference(lambda t: 0.5 * t, times)
    res = exact_spin_dynamics(EPS, NU, 0.5, A, P0, K0, times, method=method, samples=256, q=Q)
    assert res.info["coherent"]
    assert np.max(np.abs(res.p - p_ref)) < atol
    assert np.max(np.abs(res.k - k_ref)) < atol
    if method == "typicality":
        assert 3 * res.info["typicality_error_estimate"] < atol


def test_nonlinear_ramp_with_coherence_matches_qutip():
    """ε_t = -0.2 + 0.4 t + 0.05 t² (a ProfileRamp: phase by Gauss–Legendre panels) with the
    coherent reservoir; measured difference 5e-9."""
    times = np.linspace(0.0, 8.0, 9)
    fn = lambda t: -0.2 + 0.4 * t + 0.05 * t**2  # noqa: E731
    p_ref, k_ref = _qutip_reference(fn, times)
    res = exact_spin_dynamics(EPS, NU, ProfileRamp(fn), A, P0, K0, times, q=Q)
    assert np.max(np.abs(res.p - p_ref)) < 1e-7
    assert np.max(np.abs(res.k - k_ref)) < 1e-7


def test_zero_coherence_takes_the_diagonal_path():
    """q = 0 given explicitly is the grand-canonical reservoir (same numbers as q=None)."""
    times = np.linspace(0.0, 6.0, 4)
    r0 = exact_spin_dynamics(EPS, NU, 0.5, A, P0, K0, times)
    r1 = exact_spin_dynamics(EPS, NU, 0.5, A, P0, K0, times, q=0.0)
    assert not r1.info["coherent"]
    assert np.array_equal(r0.p, r1.p) and np.array_equal(r0.k, r1.k)
