"""Closed forms of paper 002 (two strongly driven, coupled qubits with asymmetric bath couplings).

Basis: the library's ``|00>, |01>, |10>, |11>`` with sigma_z|0> = +|0>, which is the paper's
sigma_z^(1) x sigma_z^(2) basis (|00> has energy -eps0 in H0^(0), Eq. B1).

* ``h0_matrix``: H0 = sum_i (-eps0/2 sz_i - Delta_i/2 sx_i) - J/2 (s+ s- + s- s+), Eqs. (B1)–(B2).
* ``unperturbed_levels``: E_s0 = -eps0, E_e- = J/2, E_e+ = -J/2, E_s1 = eps0 (App. B; the paper's
  "E_e+- = -+|J|/2" is this for J < 0; for J > 0 the two Bell states swap, Fig. 1b).
* ``perturbative_eigenstates``: the first-order states of Eq. (B3) as printed.
* ``fgr_rates``: Fermi-golden-rule rates between H0 eigenstates, Eq. (2)/(C1).
* ``perturbative_rates``: the closed forms of Eq. (C2).
* ``effective_rate_tensor``: the full tensor Gamma_ij,kl of Eq. (C8); ``tensor_dissipator``
  its dissipator, Eq. (C7); ``effective_rates``: its diagonal Gamma_ij,ij, Eq. (C9).
* ``critical_amplitude``: A_c = |eps0| - eps_c, eps_c = |J|/2 (Sec. III).

Rate convention: ``rates[..., f, i]`` is the rate of the jump i -> f, i.e. the paper's
Gamma_fi = Gamma_{f<-i}.  The paper writes g(E) = n_th(E) J(E) with E = E_i - E_f (Eq. C1);
read literally this is the *absorption* factor, which would make every relaxation rate
exponentially small at T_b = 0.00467 omega.  We use g evaluated at the energy taken from the
bath, E_f - E_i, with J odd (``openlz.solve.floquet_markov.thermal_response``): for a decay
(E_i > E_f) this is J(E_if)(1 + n(E_if)), the emission rate the paper's discussion uses.

Sign note on Eq. (B3): first-order perturbation theory in this basis gives the |e-> admixture
of |s0> as -Delta_-/(eps0 + J/2) (the paper prints +); the sign depends on which qubit is
written first in |01>.  ``perturbative_eigenstates`` reproduces the paper; the rates of
Eq. (C2) are implemented as printed, and the tests measure their deviation from the exact
FGR rates.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["h0_matrix", "drive_diagonal", "bath_operator", "unperturbed_levels",
           "perturbative_eigenstates", "fgr_rates", "perturbative_rates", "effective_rates",
           "effective_rate_tensor", "tensor_dissipator",
           "critical_amplitude", "resonance_detunings"]

_SZ = np.diag([1.0, -1.0]).astype(complex)
_SX = np.array([[0, 1], [1, 0]], dtype=complex)
_SP = np.array([[0, 1], [0, 0]], dtype=complex)
_I2 = np.eye(2, dtype=complex)
SZ1, SZ2 = np.kron(_SZ, _I2), np.kron(_I2, _SZ)
SX1, SX2 = np.kron(_SX, _I2), np.kron(_I2, _SX)
FLIPFLOP = np.kron(_SP, _SP.T) + np.kron(_SP.T, _SP)


def _b(x: np.ndarray | float) -> np.ndarray:
    return np.asarray(x, dtype=float)[..., None, None]


def h0_matrix(eps0: np.ndarray, delta1: np.ndarray, delta2: np.ndarray, J: np.ndarray) -> np.ndarray:
    """H0 of paper 002, Eqs. (B1)–(B2), shape (..., 4, 4) for parameters of shape (...)."""
    return (-_b(eps0) / 2 * (SZ1 + SZ2) - _b(delta1) / 2 * SX1 - _b(delta2) / 2 * SX2
            - _b(J) / 2 * FLIPFLOP)


def drive_diagonal() -> np.ndarray:
    """Diagonal of D with V(t) = A cos(omega t) D, D = -(sz1 + sz2)/2 (paper 002, Sec. II); (4,)."""
    return -0.5 * np.real(np.diag(SZ1 + SZ2))


def bath_operator(gamma1: np.ndarray, xi: np.ndarray) -> np.ndarray:
    """A = gamma1 sz1 + gamma2 sz2 with gamma2 = xi gamma1, Eq. (1); (..., 4, 4)."""
    return _b(gamma1) * (SZ1 + _b(xi) * SZ2)


def unperturbed_levels(eps0: np.ndarray, J: np.ndarray) -> dict[str, np.ndarray]:
    """Energies of H0^(0) (Eq. B1): s0 = |00>, e- , e+ = (|01> -+ |10>)/sqrt2, s1 = |11>."""
    eps0, J = np.asarray(eps0, float), np.asarray(J, float)
    return {"s0": -eps0, "e-": J / 2, "e+": -J / 2, "s1": eps0}


def perturbative_eigenstates(eps0: np.ndarray, delta1: np.ndarray, delta2: np.ndarray,
                             J: np.ndarray) -> dict[str, np.ndarray]:
    """First-order eigenstates of Eq. (B3) (unnormalised, as printed), each (..., 4).

    Delta_pm = (Delta1 pm Delta2) / (2 sqrt 2).
    """
    eps0, J = np.asarray(eps0, float)[..., None], np.asarray(J, float)[..., None]
    dm = ((np.asarray(delta1, float) - np.asarray(delta2, float)) / (2 * np.sqrt(2)))[..., None]
    dp = ((np.asarray(delta1, float) + np.asarray(delta2, float)) / (2 * np.sqrt(2)))[..., None]
    s0, s1 = np.array([1.0, 0, 0, 0]), np.array([0, 0, 0, 1.0])
    em, ep = np.array([0, 1.0, -1.0, 0]) / np.sqrt(2), np.array([0, 1.0, 1.0, 0]) / np.sqrt(2)
    a, b = eps0 + J / 2, eps0 - J / 2
    return {
        "s0": s0 + dm / a * em + dp / b * ep,
        "s1": s1 + dm / b * em - dp / a * ep,
        "e-": em - dm / a * s0 - dm / b * s1,
        "e+": ep - dp / b * s0 + dp / a * s1,
    }


def fgr_rates(energies: np.ndarray, states: np.ndarray, coupling: np.ndarray,
              response: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """FGR rates between eigenstates, Eq. (2)/(C1): rates[f, i] = 2 pi g(E_f - E_i) |<f|A|i>|^2.

    energies (B, n), states (B, n, n) (columns), coupling A (B, n, n) or (n, n),
    response g on arrays (B, ...) (see the module docstring for the sign of E).
    Returns (B, n, n); the diagonal is set to 0.
    """
    a = np.conj(np.swapaxes(states, -1, -2)) @ coupling @ states
    e = energies[:, :, None] - energies[:, None, :]
    r = 2 * np.pi * response(e) * np.abs(a) ** 2
    n = energies.shape[-1]
    return r * (1 - np.eye(n))


def perturbative_rates(eps0: np.ndarray, delta1: np.ndarray, delta2: np.ndarray, J: np.ndarray,
                       gamma1: np.ndarray, xi: np.ndarray, energies: np.ndarray,
                       response: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Closed forms of Eq. (C2), rates[..., f, i] (B, 4, 4); entries not given are NaN.

    Labels 0..3 follow the energy ordering for J < 0 (0 = s0, 1 = e-, 2 = e+, 3 = s1, valid for
    eps0 > eps_c); for J > 0 the paper swaps 1 <-> 2 (|1> = e+, |2> = e-), done here.
    ``energies`` (B, 4) are the H0 eigenvalues in ascending order used in g(E_if); the other
    arguments are (B,) or scalars.
    """
    eps0, J = np.asarray(eps0, float), np.asarray(J, float)
    g1, xi = np.asarray(gamma1, float), np.asarray(xi, float)
    dm = (np.asarray(delta1, float) - np.asarray(delta2, float)) / (2 * np.sqrt(2))
    dp = (np.asarray(delta1, float) + np.asarray(delta2, float)) / (2 * np.sqrt(2))
    a, b = eps0 + J / 2, eps0 - J / 2
    amp = {  # (f, i) -> amplitude in units of gamma1, Eq. (C2)
        (1, 2): (1 - xi) + 2 * (1 + xi) * dm * dp / (eps0 ** 2 - J ** 2 / 4),
        (0, 1): (1 - xi) * dp / b + (1 + xi) * dm / a,
        (1, 3): (1 - xi) * dp / a + (1 + xi) * dm / b,
        (0, 2): (1 + xi) * dp / b + (1 - xi) * dm / a,
        (2, 3): (1 + xi) * dp / a + (1 - xi) * dm / b,
    }
    nb = energies.shape[0]
    out = np.full((nb, 4, 4), np.nan)
    rows = np.arange(nb)
    swap = np.broadcast_to(J > 0, (nb,))
    relabel = np.array([0, 2, 1, 3])
    for (f, i), c in amp.items():
        ff = np.where(swap, relabel[f], f)
        ii = np.where(swap, relabel[i], i)
        e_fi = energies[rows, ff] - energies[rows, ii]
        out[rows, ff, ii] = 2 * np.pi * response(e_fi) * g1 ** 2 * np.broadcast_to(c, (nb,)) ** 2
    return out


def effective_rates(overlaps: np.ndarray, floquet_rates: np.ndarray) -> np.ndarray:
    """Eq. (C9): R_ij = sum_ab |<i|u_a(0)>|^2 |<u_b(0)|j>|^2 Gamma_ab, (B, 4, 4).

    overlaps[b, i, a] = |<i|u_a(0)>|^2 (H0 eigenstate i, Floquet state a);
    floquet_rates[b, a, c] = rate c -> a.  Diagonal set to 0.
    """
    r = np.einsum("zia,zac,zjc->zij", overlaps, floquet_rates, overlaps)
    n = r.shape[-1]
    return r * (1 - np.eye(n))


def effective_rate_tensor(amplitudes: np.ndarray, floquet_rates: np.ndarray) -> np.ndarray:
    """Eq. (C8): Gamma_ij,kl = sum_ab <i|u_a(0)><u_b(0)|j><l|u_b(0)><u_a(0)|k> Gamma_ab, (B, n, n, n, n).

    amplitudes[b, i, a] = <i|u_a(0)> (H0 eigenstate i, Floquet state a at t = 0);
    floquet_rates[b, a, c] = Gamma_ac, the rate c -> a.  The interaction-picture jump operators
    of Eq. (C5), |u_a(0)><u_b(0)| = sum_ij <i|u_a(0)><u_b(0)|j> |i><j| (Eq. C6), turn Eq. (C5)
    into Eq. (C7) with this tensor exactly; its diagonal Gamma_ij,ij is Eq. (C9)
    (``effective_rates``).  Index order [i, j, k, l] as in the paper.
    """
    c = np.asarray(amplitudes, dtype=complex)
    g = np.asarray(floquet_rates, dtype=float)
    return np.einsum("zab,zia,zjb,zka,zlb->zijkl", g, c, np.conj(c), np.conj(c), c)


def tensor_dissipator(tensor: np.ndarray) -> np.ndarray:
    """The dissipator of Eq. (C7), sum_ijkl G_ij,kl (L_ij rho L_kl^dag - {L_kl^dag L_ij, rho}/2),
    L_ij = |i><j|, as a row-major superoperator (B, n^2, n^2) (vec(rho)[a n + b] = rho_ab).

    With L_ij rho L_kl^dag = |i><j| rho |l><k| and L_kl^dag L_ij = delta_ki |l><j|:
    D[rho] = sum_jl G_xj,yl rho_jl |x><y| - (M rho + rho M)/2, M_lj = sum_i G_ij,il.
    """
    G = np.asarray(tensor)
    B, n = G.shape[0], G.shape[1]
    eye = np.eye(n)
    # jump term: (|i><j| rho |l><k|)_xy = d_xi rho_jl d_ky  ->  S[x y, j l] = G[x, j, y, l]
    jump = G.transpose(0, 1, 3, 2, 4)  # [z, x, y, j, l]
    # anticommutator: sum_ijl G_ij,il |l><j| = M with M_lj = sum_i G[i, j, i, l]
    M = np.einsum("zijil->zlj", G)
    # M rho: (M rho)_xy = M_xj rho_jy -> [x y, j l] = M_xj d_yl;  rho M: rho_xl M_ly -> d_xj M_ly
    left = M[:, :, None, :, None] * eye[None, None, :, None, :]
    right = eye[None, :, None, :, None] * M.transpose(0, 2, 1)[:, None, :, None, :]
    return (jump - 0.5 * (left + right)).reshape(B, n * n, n * n)


def critical_amplitude(eps0: np.ndarray, J: np.ndarray) -> np.ndarray:
    """A_c = |eps0| - eps_c with eps_c = |J|/2: amplitude reaching the avoided crossing (Sec. III)."""
    return np.abs(np.asarray(eps0, float)) - np.abs(np.asarray(J, float)) / 2


def resonance_detunings(J: float, omega: float, lo: float, hi: float) -> dict[str, np.ndarray]:
    """SE resonances eps0 = m omega + |J|/2 and ES resonances eps0 = m omega - |J|/2 in [lo, hi] (Sec. IV)."""
    m = np.arange(-100, 101)
    se = m * omega + abs(J) / 2
    es = m * omega - abs(J) / 2
    return {"SE": se[(se >= lo) & (se <= hi)], "ES": es[(es >= lo) & (es <= hi)]}
