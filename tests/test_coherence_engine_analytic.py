"""Closed forms of the coherence engine (openlz.analytic.coherence_engine, paper 003 Sec. III)."""

from __future__ import annotations

import numpy as np
import pytest

from openlz.analytic.coherence_engine import (
    atom_is_physical,
    coherence_bound,
    collision_map,
    collision_superop,
    lz_parameters,
    thermal_population,
    work_parts,
    work_per_period,
)


def test_lz_parameters_limits():
    """R = exp(-pi nu^2 / rate) (Eq. 10); Stokes phase -> pi/4 as delta -> 0 and -> 0 as
    delta -> infinity (Eq. 11 with Stirling)."""
    R, phi = lz_parameters(np.array([1e-8, 0.1, 30.0]), 0.02)
    np.testing.assert_allclose(R, np.exp(-np.pi * np.array([1e-16, 0.01, 900.0]) / 0.02))
    assert phi[0] == pytest.approx(np.pi / 4, abs=1e-12)
    assert abs(phi[2]) < 1e-4


def test_thermal_population_and_bound():
    """a = 1/(exp(2 beta eps0) + 1); |q| <= sqrt(a(1-a)) iff [[a, q], [q*, 1-a]] >= 0."""
    beta = np.array([0.0, 1.0, 5.0])
    np.testing.assert_allclose(thermal_population(beta, 1.0), 1 / (np.exp(2 * beta) + 1))
    a = 0.2
    for q, expect in [(0.39 * np.exp(0.3j), True), (0.41j, False), (0.4, True)]:
        ev = np.linalg.eigvalsh(np.array([[a, q], [np.conj(q), 1 - a]]))
        assert (ev.min() >= -1e-12) == expect == bool(atom_is_physical(a, q))
    assert coherence_bound(a) == pytest.approx(0.4)


@pytest.mark.parametrize("sign", [-1, 1])
def test_collision_conserves_excitations_and_matches_superop(sign):
    """Eq. (27) + Eq. (29): p' + a' = p + a (the LZ map swaps excitations); the superoperator
    form applied to vec(rho) gives Eqs. (27)-(28)."""
    rng = np.random.default_rng(5)
    p, a, R, phi = rng.uniform(size=4)
    k = 0.3 * np.sqrt(p * (1 - p)) * np.exp(2j)
    q = 0.8 * coherence_bound(a) * np.exp(-1j)
    p1, k1, a1, _ = collision_map(p, k, a, q, R, phi, 0.0, sign)
    assert p1 + a1 == pytest.approx(p + a, abs=1e-15)
    rho = np.array([p, k, np.conj(k), 1 - p])
    out = collision_superop(R, phi, a, q, sign)[0] @ rho
    np.testing.assert_allclose(out, [p1, k1, np.conj(k1), 1 - p1], atol=1e-15)


def test_collision_is_cp_only_for_physical_atoms():
    """Choi matrix of the collision channel (Eqs. 27-28) is positive for a positive atom state
    and has a negative eigenvalue for |q|^2 > a(1-a): the reason unphysical q is rejected."""
    R, phi, a = 0.5, 0.4, 0.2

    def choi_min(q):
        S = collision_superop(R, phi, a, q)[0].reshape(2, 2, 2, 2)  # [i, j, k, l]: rho_kl -> rho'_ij
        C = np.einsum("ijkl->kilj", S).reshape(4, 4)
        return np.linalg.eigvalsh(0.5 * (C + C.conj().T)).min()

    assert choi_min(0.39j) > -1e-12
    assert choi_min(0.5j) < -1e-3


def test_work_eqs31_34():
    """Eqs. (32)-(34): W1 + W2 + W3 = 2 eps0 (a - a') with W1 = eps0 (2a - 1); the printed
    Eq. (31), W1 = 2 eps0 a - eps0 (1 - a), overshoots by exactly eps0 a (paper disagreement)."""
    eps0, a, a_out = 1.3, 0.12, 0.135
    w1, w2, w3 = work_parts(eps0, a, a_out)
    assert w1 + w2 + w3 == pytest.approx(work_per_period(eps0, a, a_out))
    assert w1 == pytest.approx(eps0 * (2 * a - 1))
    w1p, _, _ = work_parts(eps0, a, a_out, printed_w1=True)
    assert w1p + w2 + w3 - work_per_period(eps0, a, a_out) == pytest.approx(eps0 * a)
