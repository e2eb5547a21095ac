"""Dephasing Lindbladians, Lemma 1's two-level reduction, parallel transport, Theorem 2.

Paper 001, Sec. 2.1.1: a Lindbladian L = (H, Gamma) is *dephasing* if every jump operator is a
function of the Hamiltonian, Gamma_alpha = f_alpha(H) (Eq. 2.4).  Its kernel contains every
spectral projection of H, and the projection onto ker L along ran L is
P rho = sum_j P_j rho P_j (Eq. 2.5).  Library convention (docs/design.md): the paper's Eq. (1.1),
L rho = -i[H, rho] + sum Gamma rho Gamma* - (1/2){Gamma* Gamma, rho}, is the library's
Lindblad form with jump operators L_alpha = Gamma_alpha = f_alpha(H) unchanged.

* :func:`operator_function` — f(H) through the eigendecomposition (batched, any dimension).
* :func:`dephasing_lindbladian` — L = (H, {f_alpha(H)}) as a superoperator (row-major vec).
* :func:`two_level_reduction` — Lemma 1: any minimally degenerate two-level dephasing L equals
  -i[H', .] - (gamma/2)[sqrt H', [sqrt H', .]] with H' = kappa (P+ - P-),
  kappa = (e+ - e- - sum Im(f+ conj f-))/2, gamma = sum |f+ - f-|^2 / (4 |kappa|).
* :func:`two_level_dephasing` — that form as a superoperator (jump L = sqrt(gamma) sqrt(H)).
* :func:`kernel_projection`, :func:`inverse_on_range` — P of Eq. (2.5) and L^{-1}(1 - P).
* :func:`parallel_transport` — T(s, s') of Eq. (2.9), dT/ds = [P', P] T.
* :func:`first_order_adiabatic` — a_{s,s'} of Theorem 2, Eq. (2.14).
* :class:`DephasingFamily` — all of the above for a family L_s = (H(s), {f_alpha(H(s))}).

Everything here is generic (any finite dimension, any H(s)); the Landau–Zener specialisation
lives in ``openlz.analytic.dephasing_lz`` and ``openlz.models.dephasing_lz``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..core.liouvillian import liouvillian, sprepost
from .ode import ODEOptions, solve_ode

__all__ = ["operator_function", "sqrt_hamiltonian", "dephasing_lindbladian", "TwoLevelReduction",
           "two_level_reduction", "two_level_dephasing", "spectral_projections",
           "kernel_projection", "inverse_on_range", "parallel_transport", "first_order_adiabatic",
           "DephasingFamily"]

Fn = Callable[[np.ndarray], np.ndarray]


def operator_function(h: np.ndarray, f: Fn) -> np.ndarray:
    """f(H) = sum_j f(e_j) |psi_j><psi_j| for Hermitian H (..., n, n); f acts on real arrays."""
    e, v = np.linalg.eigh(np.asarray(h, dtype=complex))
    fe = np.asarray(f(e), dtype=complex)
    return (v * fe[..., None, :]) @ np.conj(np.swapaxes(v, -1, -2))


def sqrt_hamiltonian(h: np.ndarray) -> np.ndarray:
    """sqrt(H) := sgn(H) sqrt|H| (paper 001, below Eq. 1.1), (..., n, n)."""
    return operator_function(h, lambda e: np.sign(e) * np.sqrt(np.abs(e)))


def dephasing_lindbladian(h: np.ndarray, fs: Sequence[Fn]) -> np.ndarray:
    """Superoperator of L = (H, {f_alpha(H)}) (paper 001, Eqs. 1.1 and 2.4), (..., n², n²)."""
    c_ops = [operator_function(h, f) for f in fs]
    return liouvillian(h, c_ops)


@dataclass(frozen=True)
class TwoLevelReduction:
    """Lemma 1's normal form: L = -i[H, .] - (gamma/2)[sqrt H, [sqrt H, .]].

    hamiltonian : H = kappa (P+ - P-), traceless, (..., 2, 2).
    gamma : dephasing strength >= 0, (...,).   kappa : (...,), may be negative.
    eigenvalue : lambda = L(E)/E for E = |psi+><psi-| (Eq. 3.4), (...,).
    """

    hamiltonian: np.ndarray
    gamma: np.ndarray
    kappa: np.ndarray
    eigenvalue: np.ndarray


def two_level_reduction(h: np.ndarray, fs: Sequence[Fn]) -> TwoLevelReduction:
    """Reduce L = (H~, {f_alpha(H~)}) on C^2 to Lemma 1's form (paper 001, proof of Lemma 1).

    With e± the eigenvalues of H~ (e+ > e-), f±_alpha = f_alpha(e±) and E = |psi+><psi-|,
    L E = lambda E with lambda = -i(e+ - e-) + sum (f+ conj(f-) - |f+|^2/2 - |f-|^2/2) (Eq. 3.4;
    the paper's f+ f- means f+ times the complex conjugate of f-).  Matching
    L~ E = (-2i kappa - 2 gamma |kappa|) E gives kappa = -Im(lambda)/2, gamma = -Re(lambda)/(2|kappa|).
    Requires minimal degeneracy (Im lambda != 0); raises ValueError otherwise.
    """
    h = np.asarray(h, dtype=complex)
    e, v = np.linalg.eigh(h)
    em, ep = e[..., 0], e[..., 1]
    fp = np.stack([np.asarray(f(ep), dtype=complex) for f in fs], -1) if fs else np.zeros(
        (*ep.shape, 0), complex)
    fm = np.stack([np.asarray(f(em), dtype=complex) for f in fs], -1) if fs else np.zeros(
        (*em.shape, 0), complex)
    lam = -1j * (ep - em) + np.sum(fp * np.conj(fm) - 0.5 * (np.abs(fp) ** 2 + np.abs(fm) ** 2),
                                   axis=-1)
    kappa = -0.5 * lam.imag
    if np.any(kappa == 0):
        raise ValueError("two_level_reduction: Im(lambda) = 0, the Lindbladian is not minimally "
                         "degenerate (paper 001, Lemma 1)")
    gamma = -lam.real / (2 * np.abs(kappa))
    vp, vm = v[..., :, 1], v[..., :, 0]
    proj = (vp[..., :, None] * np.conj(vp[..., None, :]) - vm[..., :, None] * np.conj(vm[..., None, :]))
    return TwoLevelReduction(kappa[..., None, None] * proj, gamma, kappa, lam)


def two_level_dephasing(h: np.ndarray, gamma: np.ndarray | float) -> np.ndarray:
    """-i[H, .] - (gamma/2)[sqrt H, [sqrt H, .]] (paper 001, Eqs. 3.1-3.3), (..., 4, 4).

    Library form: one jump operator L = sqrt(gamma) sqrt(H), since
    L rho L - (1/2){L^2, rho} = -(gamma/2)[sqrt H, [sqrt H, rho]] for Hermitian sqrt H.
    """
    g = np.sqrt(np.asarray(gamma, float))[..., None, None]
    return liouvillian(h, [g * sqrt_hamiltonian(h)])


def spectral_projections(h: np.ndarray) -> np.ndarray:
    """Eigenprojections of a non-degenerate Hermitian H, ascending energy: (..., n, n, n)."""
    _, v = np.linalg.eigh(np.asarray(h, dtype=complex))
    vt = np.swapaxes(v, -1, -2)  # (..., j, n)
    return vt[..., :, :, None] * np.conj(vt[..., :, None, :])


def kernel_projection(projections: np.ndarray) -> np.ndarray:
    """P rho = sum_j P_j rho P_j (paper 001, Eq. 2.5) from projections (..., k, n, n); (..., n², n²)."""
    return sprepost(projections, projections).sum(axis=-3)


def inverse_on_range(lind: np.ndarray, kproj: np.ndarray) -> np.ndarray:
    """L^{-1}(1 - P) for a Lindbladian whose kernel projection P commutes with L.

    For dephasing L (L P = P L = 0), L + P is invertible and (L + P)^{-1} = L^{-1}(1-P) + P.
    Shapes (..., m, m).
    """
    return np.linalg.inv(lind + kproj) - kproj


def _derivative(fn: Callable[[float], np.ndarray], s: float, h: float) -> np.ndarray:
    # fourth-order central difference (error ~ h^4 f^(5)); h ~ 1e-3 gives ~1e-12 for smooth f
    return (8 * (fn(s + h) - fn(s - h)) - (fn(s + 2 * h) - fn(s - 2 * h))) / (12 * h)


def parallel_transport(kproj: Callable[[float], np.ndarray], s: np.ndarray, s0: float,
                       options: ODEOptions | None = None, dstep: float = 1e-3) -> np.ndarray:
    """T(s, s0) of paper 001, Eq. (2.9): dT/ds = [P'_s, P_s] T, T(s0, s0) = 1.

    kproj : ``s -> P_s`` (m, m), e.g. ``kernel_projection(spectral_projections(H(s)))``.
    s : output points (T,), monotonic, starting anywhere on one side of s0.
    Returns (T, m, m).  P'_s by a fourth-order central difference of step ``dstep``.
    """
    s = np.atleast_1d(np.asarray(s, float))
    m = kproj(float(s0)).shape[-1]

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        p = kproj(t)
        dp = _derivative(kproj, t, dstep)
        return ((dp @ p - p @ dp) @ y.reshape(m, m)).reshape(1, -1)

    times = np.concatenate([[s0], s])
    y0 = np.eye(m, dtype=complex).reshape(1, -1)
    ys, _ = solve_ode(rhs, y0, times, options or ODEOptions(rtol=1e-10, atol=1e-12))
    return ys[1:, 0].reshape(-1, m, m)


def first_order_adiabatic(lind: Callable[[float], np.ndarray],
                          kproj: Callable[[float], np.ndarray],
                          state: Callable[[float], np.ndarray], s: np.ndarray, s0: float,
                          options: ODEOptions | None = None, dstep: float = 1e-3) -> np.ndarray:
    """a_{s,s'} of Theorem 2 (paper 001, Eq. 2.14) as vectorised matrices, (T, m).

        a_{s,s'} = L_s^{-1} P'_s + int_{s'}^{s} T(s, t) P'_t L_t^{-1} P'_t dt

    lind : ``s -> L_s`` (m, m);  kproj : ``s -> P_s`` (m, m) (projection onto ker L_s);
    state : ``s -> vec(P_s)`` (m,), a family of parallel-transported stationary states
    (Eq. 2.13, e.g. vec of a spectral projection).  The integral b(s) solves
    b' = [P'_s, P_s] b + P'_s L_s^{-1} P'_s, b(s') = 0, by the batched DOP853 of ``solve_ode``.
    Then rho(s) = P_s + eps a_{s,s'} solves eps rho' = L_s rho up to O(eps^2).
    """
    s = np.atleast_1d(np.asarray(s, float))

    def source(t: float) -> np.ndarray:
        p, dp = kproj(t), _derivative(kproj, t, dstep)
        return dp @ (inverse_on_range(lind(t), p) @ _derivative(state, t, dstep))

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        p, dp = kproj(t), _derivative(kproj, t, dstep)
        return ((dp @ p - p @ dp) @ y[0] + source(t))[None, :]

    m = kproj(float(s0)).shape[-1]
    times = np.concatenate([[s0], s])
    ys, _ = solve_ode(rhs, np.zeros((1, m), complex), times,
                      options or ODEOptions(rtol=1e-10, atol=1e-13))
    out = []
    for k, t in enumerate(s):
        local = inverse_on_range(lind(t), kproj(t)) @ _derivative(state, t, dstep)
        out.append(local + ys[k + 1, 0])
    return np.array(out)


@dataclass(frozen=True)
class DephasingFamily:
    """A driven dephasing Lindbladian L_s = (H(s), {f_alpha(H(s))}) (paper 001, Sec. 2.2).

    hamiltonian : ``s -> H(s)`` (n, n), Hermitian with simple spectrum for every s.
    functions : the Borel functions f_alpha (act on real arrays of eigenvalues).
    Methods return superoperators on row-major vec (n², n²) or vec states (n²,).
    """

    hamiltonian: Callable[[float], np.ndarray]
    functions: Sequence[Fn]

    def lindbladian(self, s: float) -> np.ndarray:
        return dephasing_lindbladian(self.hamiltonian(s), self.functions)

    def kernel_projection(self, s: float) -> np.ndarray:
        """P_s of Eq. (2.5)."""
        return kernel_projection(spectral_projections(self.hamiltonian(s)))

    def level(self, s: float, j: int) -> np.ndarray:
        """vec of the j-th spectral projection (ascending energy), a parallel-transported state."""
        return vec_state(spectral_projections(self.hamiltonian(s))[j])

    def parallel_transport(self, s: np.ndarray, s0: float, **kw) -> np.ndarray:  # noqa: ANN003
        """T(s, s0), Eq. (2.9): (T, n², n²)."""
        return parallel_transport(self.kernel_projection, s, s0, **kw)

    def first_order(self, s: np.ndarray, s0: float, j: int, **kw) -> np.ndarray:  # noqa: ANN003
        """a_{s,s0} of Theorem 2 (Eq. 2.14) for the family P_j(s): (T, n²)."""
        return first_order_adiabatic(self.lindbladian, self.kernel_projection,
                                     lambda t: self.level(t, j), s, s0, **kw)


def vec_state(rho: np.ndarray) -> np.ndarray:
    """Row-major vec of a matrix (the library's convention, ``core.liouvillian.vec``)."""
    return np.asarray(rho).reshape(*np.shape(rho)[:-2], -1)
