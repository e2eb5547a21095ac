"""Spin-j Landau–Zener sweeps (n = 2j + 1 levels) under a dephasing Lindbladian, adiabatic frame.

The n-level Landau–Zener (Majorana) Hamiltonian H_s = s J_z + g J_x = r_s R_s J_z R_s^dag,
r_s = sqrt(s^2 + g^2), R_s = exp(-i theta_s J_y), theta_s = atan2(g, s), has the levels
E_m = m r_s (m = -j .. j, ascending); n = 2 is paper 001's Eq. (3.5).  With Lemma 1's
dephasing form generalised to n levels (paper 001, Sec. 4), jump operator sqrt(gamma_s) sqrt(H_s),
sqrt(H) = sgn(H) sqrt|H| = sqrt(r) R sigma(J_z) R^dag with sigma(m) = sgn(m) sqrt|m|, the state in
the adiabatic frame rho~ = R^dag rho R obeys

    d rho~/ds = (r/eps) (-i[J_z, rho~]) + (gamma r/eps) (-(1/2)[sigma, [sigma, rho~]])
                + theta' (i [J_y, rho~]),                                             (*)

(the last term from R_s' = -i theta' J_y R_s).  The first two terms are diagonal on the
coherences |m><m'| (rotation (m - m') r/eps, damping gamma r (sigma_m - sigma_m')^2 / (2 eps))
and commute at different s; the geometric term couples neighbouring levels.  This is the
two-level Bloch system of ``openlz.solve.dephasing_bloch`` in n^2 real coordinates (an
orthonormal Hermitian basis, populations first), propagated by the same sixth-order Magnus
steps with exact exponentials.

For j >= 1 the Lindbladian is not minimally degenerate (equal level spacings), which Sec. 4
assumes; L^{-1}(1 - P) is still bounded, and the tests check Sec. 4's formula against these
numerics for n = 3 and 4.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .dephasing_bloch import window_propagator_generic
from .lindblad import hermitian_basis

__all__ = ["spin_matrices", "sigma_values", "frame_superoperators", "spin_window_propagator"]


def spin_matrices(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(J_x, J_y, J_z) for spin j = (n-1)/2 in the basis m = -j, ..., j (ascending), (n, n)."""
    j = (n - 1) / 2
    m = np.arange(n) - j
    jp = np.diag(np.sqrt(j * (j + 1) - m[:-1] * (m[:-1] + 1)), -1).astype(complex)  # <m+1|J+|m>
    jx = 0.5 * (jp + jp.T)
    jy = -0.5j * (jp - jp.T)
    return jx, jy, np.diag(m).astype(complex)


def sigma_values(n: int) -> np.ndarray:
    """sigma(m) = sgn(m) sqrt|m| for m = -j .. j: sqrt(H) = sqrt(r) R sigma(J_z) R^dag, (n,)."""
    m = np.arange(n) - (n - 1) / 2
    return np.sign(m) * np.sqrt(np.abs(m))


def _real(sup: Callable[[np.ndarray], np.ndarray], basis: np.ndarray) -> np.ndarray:
    """Matrix [tr(E_a S(E_b))] of a hermiticity-preserving superoperator in the basis E."""
    images = np.stack([sup(e) for e in basis])  # (n², n, n)
    return np.einsum("aij,bij->ab", np.conj(basis), images).real


def frame_superoperators(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(K, D, C) of (*) in the Hermitian basis of ``hermitian_basis(n)`` (populations first):
    K = -i[J_z, .], D = -(1/2)[sigma, [sigma, .]], C = i[J_y, .]; each (n², n²) real."""
    _, jy, jz = spin_matrices(n)
    sig = np.diag(sigma_values(n)).astype(complex)
    basis = hermitian_basis(n)

    def comm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a @ b - b @ a

    k = _real(lambda x: -1j * comm(jz, x), basis)
    d = _real(lambda x: -0.5 * comm(sig, comm(sig, x)), basis)
    c = _real(lambda x: 1j * comm(jy, x), basis)
    return k, d, c


def spin_window_propagator(n: int, g: np.ndarray, eps: np.ndarray, gamma: Callable,
                           nodes: np.ndarray, precision: str = "double") -> np.ndarray:
    """Propagator of (*) over the grid ``nodes`` (B, N+1) in the Hermitian basis: (B, n², n²).

    g, eps : (B,);  gamma : ``s (B, M) -> gamma_s (B, M)``.
    """
    k, d, c = frame_superoperators(n)

    def generator(s: np.ndarray) -> np.ndarray:
        r = np.hypot(s, g[:, None])
        om = r / eps[:, None]
        th = -g[:, None] / r ** 2
        dt = s.dtype
        return (om[..., None, None] * k.astype(dt) + (gamma(s) * om)[..., None, None] * d.astype(dt)
                + th[..., None, None] * c.astype(dt))

    return window_propagator_generic(generator, nodes, n * n, precision=precision)
