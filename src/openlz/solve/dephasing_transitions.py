"""Incoherent transition rates between two levels of any H(s) under a dephasing Lindbladian.

Paper 001, Sec. 4: for a dephasing Lindbladian L_s = -i[H_s, .] + sum_a D[Gamma_a(s)],
Gamma_a = f_a(H_s) (Eq. 2.4), the probability of a transition between two non-degenerate levels
P_i -> P_f of H_s over [s0, s1] is (Eq. 3.16, which "remains unchanged") the coherent part
p_c = tr(P_f U_0 P_i) plus an incoherent part whose O(eps) term is the T^11 term of Eq. (3.25)
computed with the two-level reduction of L_s on the levels i, f::

    p = p_c + eps int_{s0}^{s1} rate(s) ds + O(gamma eps^2),
    rate = tr(P_i (P_f')^2 P_i) * 2 Re(-1/lambda_fi),                                    (*)

lambda_fi the eigenvalue of L_s on |psi_f><psi_i| (Eq. 3.4)::

    lambda_fi = -i (E_f - E_i) + sum_a [f_a(E_f) conj f_a(E_i) - (|f_a(E_f)|^2 + |f_a(E_i)|^2)/2],

so 2 Re(-1/lambda) = sum_a |f_a(E_f) - f_a(E_i)|^2 / |lambda|^2.  With Lemma 1's normal form
(kappa = -Im(lambda)/2, gamma = -Re(lambda)/(2|kappa|)) this is gamma/((1+gamma^2)|kappa|), the
integrand of Eqs. (1.3)/(1.5) with e_s = |kappa_s| (the half gap of the reduced h_s: "e_s being
the energy gap of h_s", Sec. 4).  The Fubini–Study factor is
tr(P_i (P_f')^2 P_i) = |<psi_f|H'|psi_i>|^2 / (E_f - E_i)^2 (Eq. 1.4 for the LZ Hamiltonian).
Transitions i -> k -> f through a third level are O(eps^2).

Levels are numbered by ascending energy (0 = ground state) and must stay non-degenerate.
Everything is batched: H (..., n, n), jump values (..., n), rates (...).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.integrate import quad_vec

__all__ = ["sqrt_function", "level_function_values", "coherence_eigenvalue",
           "fubini_study_rate", "incoherent_rate", "incoherent_probability", "derivative"]

Fn = Callable[[np.ndarray], np.ndarray]


def sqrt_function(e: np.ndarray) -> np.ndarray:
    """f(e) = sgn(e) sqrt|e| (paper 001, below Eq. 1.1): Gamma = sqrt(gamma) sqrt(H), Eq. (3.3)."""
    e = np.asarray(e, dtype=float)
    return np.sign(e) * np.sqrt(np.abs(e))


def level_function_values(energies: np.ndarray, f_ops: Sequence[Fn],
                          gamma: np.ndarray | float = 1.0) -> np.ndarray:
    """sqrt(gamma) f_a(E_j): energies (..., n) -> (..., K, n) for K functions."""
    g = np.sqrt(np.asarray(gamma, dtype=float))[..., None, None]
    vals = np.stack([np.broadcast_to(np.asarray(f(energies), dtype=complex), energies.shape)
                     for f in f_ops], axis=-2) if f_ops else np.zeros(
        (*np.shape(energies)[:-1], 0, np.shape(energies)[-1]), complex)
    return g * vals


def coherence_eigenvalue(energies: np.ndarray, fvals: np.ndarray, f: int, i: int) -> np.ndarray:
    """lambda_fi of L on |psi_f><psi_i| (paper 001, Eq. 3.4): (..., n), (..., K, n) -> (...)."""
    ff, fi = fvals[..., :, f], fvals[..., :, i]
    diss = np.sum(ff * np.conj(fi) - 0.5 * (np.abs(ff) ** 2 + np.abs(fi) ** 2), axis=-1)
    return -1j * (energies[..., f] - energies[..., i]) + diss


def fubini_study_rate(energies: np.ndarray, vecs: np.ndarray, dh: np.ndarray, f: int,
                      i: int) -> np.ndarray:
    """tr(P_i (P_f')^2 P_i) = |<f|H'|i>|^2/(E_f - E_i)^2 from eigh output and H' (...)."""
    amp = np.einsum("...a,...ab,...b->...", np.conj(vecs[..., :, f]), dh, vecs[..., :, i])
    return np.abs(amp) ** 2 / (energies[..., f] - energies[..., i]) ** 2


def derivative(h: Callable[[float], np.ndarray], s: float, step: float) -> np.ndarray:
    """H'(s) by the fourth-order central difference (error ~ step^4 H^(5)/30)."""
    return (8 * (h(s + step) - h(s - step)) - (h(s + 2 * step) - h(s - 2 * step))) / (12 * step)


def incoherent_rate(h: np.ndarray, dh: np.ndarray, f_ops: Sequence[Fn],
                    gamma: np.ndarray | float, i: int, f: int) -> np.ndarray:
    """rate(s) of (*) for H (..., n, n), H' (..., n, n), gamma (...): (...)."""
    e, v = np.linalg.eigh(np.asarray(h, dtype=complex))
    lam = coherence_eigenvalue(e, level_function_values(e, f_ops, gamma), f, i)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(lam != 0, -2.0 * lam.real / np.abs(lam) ** 2, 0.0)
    return fubini_study_rate(e, v, np.asarray(dh, dtype=complex), f, i) * factor


def incoherent_probability(h: Callable[[float], np.ndarray], s0: float, s1: float,
                           eps: np.ndarray | float, gamma: Callable[[float], np.ndarray] | np.ndarray
                           | float, i: int, f: int, f_ops: Sequence[Fn],
                           dh: Callable[[float], np.ndarray] | None = None,
                           rtol: float = 1e-8, atol: float = 1e-14) -> np.ndarray:
    """eps int_{s0}^{s1} rate(s) ds of (*): the O(eps) incoherent part of Sec. 4 / Eq. (1.3).

    h : s -> H(s) (..., n, n);  dh : s -> H'(s) (default: fourth-order central difference with
    step 1e-3 (1 + |s|));  gamma : number, array (...) or callable s -> (...);  eps (...).
    Adaptive Gauss–Kronrod (``scipy.integrate.quad_vec``) to ``rtol``/``atol``.  Returns (...).

    The default rtol 1e-8 is what the integrand supports in general: with f = sgn(e) sqrt|e|
    and a level at E = 0 (spin-1 LZ, say) the eigenvalue's rounding (~1e-16 ||H||) becomes
    ~1e-8 in sqrt|E|, and tighter tolerances only make the quadrature chase that noise.
    """
    def dh_num(s: float) -> np.ndarray:
        return derivative(h, s, 1e-3 * (1.0 + abs(s)))

    dfun = dh or dh_num

    def integrand(s: float) -> np.ndarray:
        g = gamma(s) if callable(gamma) else gamma
        return np.asarray(incoherent_rate(h(s), dfun(s), f_ops, g, i, f), dtype=float)

    val, _ = quad_vec(integrand, s0, s1, epsrel=rtol, epsabs=atol, limit=2000)
    return np.asarray(eps, dtype=float) * val
