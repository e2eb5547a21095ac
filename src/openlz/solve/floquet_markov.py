"""Floquet–Born–Markov master equation, batched over parameter points.

System–bath coupling H_sb = A x B with a thermal bosonic bath of spectral density J
(odd in frequency).  With X^K_ab the Floquet matrix elements of A
(``FloquetBasis.matrix_elements``, <psi_a|A|psi_b>(t) = sum_K X^K_ab e^{i(eps_ab + K w)t}),

* Floquet–Markov rates (paper 002, Eq. C4; QuTiP ``floquet_tensor``): the rate of the
  jump b -> a is
      Gamma_ab = 2 pi sum_K g(eps_a - eps_b + K omega) |X^K_ab|^2,
      g(E) = J(E) n(E),
  n the Bose function.  With J odd, g(E) = J(|E|)(1 + n(|E|)) for E < 0 (emission) and
  J(E) n(E) for E > 0 (absorption), g(0) = J'(0) T.  The 2 pi is the Fermi-golden-rule
  prefactor of the paper's Eq. (2)/(C1); the paper's Eq. (C4) omits it, but its statement
  that the A = 0 Floquet rates coincide with the eigenbasis rates of Eq. (C1) requires it.
  The paper's phase convention exp(+i gamma t) for the Floquet states maps onto ours by
  K -> -K, which leaves the sums unchanged.
* Secular (Lindblad-type) equation, Eq. (C3): populations p_a in the Floquet basis obey
  the Pauli equation dp_a/dt = sum_b (Gamma_ab p_b - Gamma_ba p_a); coherences decay.
  The steady state is diagonal in the Floquet basis; its period average is
  rho_bar = sum_a p_a <|u_a(t)><u_a(t)|>_T.
* Full period-averaged (Q = 0) Floquet–Markov generator, Eqs. (A4)–(A6), derived from
  the Born–Markov equation d rho/dt = -[A, Lam rho - rho Lam^+], Lam = int_0^inf C(tau)
  A(t, t - tau) dtau, keeping the real part of the bath response (no Lamb shift, as in
  Eq. A5).  In the Floquet basis, row-major vec(rho)_{a n + b} = rho_ab,
      L = -i diag(eps_a - eps_b) - M x 1 - 1 x M^*
          + sum_K [(X^K o W^K) x (X^K)^* + X^K x (X^K o W^K)^*],
      W^K_ab = pi g(eps_a - eps_b + K omega),  M_ac = sum_{b,K} (X^K_ba)^* X^K_bc W^K_bc.
  Its population block is the Pauli rate matrix above (tests check this).

Shapes: B points, n states, N sidebands in FFT order.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..core.baths import bose

__all__ = ["thermal_response", "sideband_response", "floquet_markov_rates", "pauli_generator", "pauli_steady_state",
           "floquet_markov_generator", "evolve_generator", "sideband_tail"]


def thermal_response(spectral_density: Callable[[np.ndarray], np.ndarray], T: np.ndarray | float
                     ) -> Callable[[np.ndarray], np.ndarray]:
    """g(E) = J(E) n(E, T) for an odd spectral density, with the E -> 0 limit taken.

    ``spectral_density`` maps an array of shape (B, ...) to the same shape (the batch axis
    first, so J may carry per-point parameters); ``T`` (B,) or scalar.  At E = 0 the value
    is J(E) n(E) evaluated at E = 1e-9 T (= J'(0) T up to O(1e-9)); at T = 0 it is
    J(|E|) for E < 0 and 0 for E >= 0.
    """
    T = np.asarray(T, dtype=float)

    def g(E: np.ndarray) -> np.ndarray:
        E = np.asarray(E, dtype=float)
        Tb = T.reshape(T.shape + (1,) * (E.ndim - T.ndim)) if T.ndim else T
        tiny = np.where(Tb > 0, 1e-9 * np.where(Tb > 0, Tb, 1.0), 0.0)
        Es = np.where(E == 0, tiny, E)
        Es = np.where(Es == 0, 1.0, Es)  # T = 0 and E = 0: J(1) n(1) = 0 (n = 0 for E > 0)
        with np.errstate(over="ignore", invalid="ignore"):
            return spectral_density(Es) * bose(Es, Tb)

    return g


def sideband_response(K: np.ndarray, quasienergies: np.ndarray, omega: np.ndarray,
                      response: Callable[[np.ndarray], np.ndarray], kmax: int | None = None
                      ) -> tuple[np.ndarray, np.ndarray]:
    """g(eps_a - eps_b + K omega) on the kept sidebands: (sel (N,) bool, G (B, N', n, n)).

    ``sel`` selects |K| <= kmax (all if None); G is what ``floquet_markov_rates`` and
    ``floquet_markov_generator`` need (pass it as ``G=`` to evaluate the bath once; a subset
    of points is then simply ``G[idx]``).
    """
    sel = np.ones(K.shape, bool) if kmax is None else np.abs(K) <= kmax
    q = np.asarray(quasienergies, dtype=float)
    e = q[:, None, :, None] - q[:, None, None, :] + K[sel][None, :, None, None] * omega[:, None, None, None]
    return sel, response(e)


def floquet_markov_rates(X: np.ndarray, K: np.ndarray, quasienergies: np.ndarray, omega: np.ndarray,
                         response: Callable[[np.ndarray], np.ndarray] | None, kmax: int | None = None,
                         *, G: np.ndarray | None = None) -> np.ndarray:
    """Gamma_ab (B, n, n), the rate of b -> a (paper 002, Eq. C4 with the 2 pi of Eq. C1).

    X : (B, N, n, n) matrix elements per sideband, K : (N,) sideband indices,
    quasienergies : (B, n), omega : (B,), response : g(E) on arrays (B, ...),
    kmax : keep |K| <= kmax (all if None); G : ``sideband_response(...)[1]`` instead of
    ``response``.  Diagonal entries Gamma_aa are the K != 0 elastic rates (they drop out of
    the populations but dephase coherences).
    """
    sel = np.ones(K.shape, bool) if kmax is None else np.abs(K) <= kmax
    if G is None:
        G = sideband_response(K, quasienergies, omega, response, kmax)[1]
    return 2 * np.pi * np.sum(G * np.abs(X[:, sel]) ** 2, axis=1)


def sideband_tail(X: np.ndarray, K: np.ndarray, kmax: int) -> np.ndarray:
    """Fraction of sum_K |X^K|^2 outside |K| <= kmax, per point (B,) (largest over a, b).

    A small value says the sideband truncation kmax converged the rates; the weight in the
    top quarter of the FFT band (|K| > N/4) says whether the time grid resolved the modes.
    """
    w = np.abs(X) ** 2
    tot = w.sum(axis=1)
    out = w[:, np.abs(K) > kmax].sum(axis=1)
    ok = tot > 1e-14 * tot.max(axis=(-1, -2), keepdims=True)
    return np.where(ok, out / np.where(ok, tot, 1.0), 0.0).max(axis=(-1, -2))


def pauli_generator(rates: np.ndarray) -> np.ndarray:
    """W (B, n, n) with dp/dt = W p: W_ab = Gamma_ab (a != b), W_aa = -sum_{c != a} Gamma_ca."""
    n = rates.shape[-1]
    off = rates * (1 - np.eye(n))
    return off - np.eye(n) * off.sum(axis=-2)[..., None, :]


def pauli_steady_state(rates: np.ndarray) -> np.ndarray:
    """Null vector of the Pauli rate matrix (secular steady state, Eq. C3), (B, n, n) -> (B, n).

    The kernel is found as the solution of W p = 0 with one row replaced by sum(p) = 1.
    Where W has a degenerate kernel (disconnected states, no rates at all) there is no unique
    null vector: those points are NaN (never an exception for the batch).
    ``openlz.solve.floquet_steady.floquet_steady_state`` answers them from an initial state.
    """
    W = pauli_generator(rates)
    # scale each point so that the solve is well conditioned whatever the rate magnitudes
    scale = np.max(np.abs(W), axis=(-1, -2), keepdims=True)
    Ws = W / np.where(scale > 0, scale, 1.0)
    Ws[..., -1, :] = 1.0
    rhs = np.zeros(W.shape[:-1])
    rhs[..., -1] = 1.0
    sing = np.linalg.cond(Ws) > 1e13
    Ws[sing] = np.eye(W.shape[-1])
    p = np.linalg.solve(Ws, rhs[..., None])[..., 0]
    p = np.clip(p.real, 0.0, None)
    p = p / p.sum(axis=-1, keepdims=True)
    p[sing] = np.nan
    return p


def floquet_markov_generator(X: np.ndarray, K: np.ndarray, quasienergies: np.ndarray,
                             omega: np.ndarray, response: Callable[[np.ndarray], np.ndarray] | None,
                             kmax: int | None = None, secular: bool = False, *,
                             G: np.ndarray | None = None) -> np.ndarray:
    """Period-averaged Floquet–Markov generator in the Floquet basis, (B, n^2, n^2).

    Row-major vec (index a n + b for rho_ab), d vec(rho)/dt = L vec(rho); see the module
    docstring (paper 002, Eqs. A4–A6).  ``secular=True`` keeps only the couplings between
    elements rho_ab and rho_cd with eps_a - eps_b = eps_c - eps_d (the Lindblad form C3,
    for non-degenerate quasienergies: populations among themselves, coherences decaying).
    """
    sel = np.ones(K.shape, bool) if kmax is None else np.abs(K) <= kmax
    Xs = X[:, sel]
    B, nk, n, _ = Xs.shape
    eps = quasienergies
    if G is None:
        G = sideband_response(K, eps, omega, response, kmax)[1]
    Wk = np.pi * G  # (B, K, n, n)
    XW = Xs * Wk
    # M_ac = sum_{K, b} (X^K_ba)^* (X^K o W^K)_bc: one (n x K n) @ (K n x n) product per point
    M = np.conj(np.swapaxes(Xs.reshape(B, nk * n, n), -1, -2)) @ XW.reshape(B, nk * n, n)
    # jump part sum_K [(X o W)_ac X^*_bd + X_ac (X o W)^*_bd] as one (n^2 x 2K) @ (2K x n^2) product
    # per point, indexed [(a c), (b d)], then reordered to [(a b), (c d)]
    left = np.concatenate([XW, Xs], axis=1).reshape(B, 2 * nk, n * n)
    right = np.conj(np.concatenate([Xs, XW], axis=1)).reshape(B, 2 * nk, n * n)
    jump = (np.swapaxes(left, -1, -2) @ right).reshape(B, n, n, n, n).transpose(0, 1, 3, 2, 4)
    eye = np.eye(n)
    L = jump - M[:, :, None, :, None] * eye[None, None, :, None, :] \
        - eye[None, :, None, :, None] * np.conj(M)[:, None, :, None, :]
    L = L.reshape(B, n * n, n * n)
    w = (eps[:, :, None] - eps[:, None, :]).reshape(B, n * n)
    L[:, np.arange(n * n), np.arange(n * n)] += -1j * w
    if secular:
        tol = 1e-9 * np.maximum(1.0, np.abs(omega))[:, None, None]
        keep = np.abs(w[:, :, None] - w[:, None, :]) < tol
        # population <-> coherence couplings vanish in the secular limit even if degenerate
        diag = (np.arange(n)[:, None] == np.arange(n)[None, :]).reshape(n * n)
        keep &= ~(diag[:, None] ^ diag[None, :])[None]
        L = np.where(keep, L, 0.0)
    return L


def evolve_generator(L: np.ndarray, v0: np.ndarray, times: np.ndarray,
                     t0: np.ndarray | float | None = None) -> np.ndarray:
    """exp(L (t - t0)) v0 for every t in ``times``; L (B, m, m), v0 (B, m), t0 (B,) or scalar.

    ``v0`` is the state at the initial time ``t0`` (default ``times[0]``); every time must be
    >= t0 (a dissipative generator is not evolved backwards; ValueError otherwise).  Each
    time is computed from t0 directly, so a result does not depend on which other times are
    requested.  Uses the eigendecomposition of L (any time grid, e.g. logarithmic, at the
    cost of one ``eig``); where the eigenvector matrix is ill conditioned (defective L) it
    falls back to exact ``expm``.  Returns (B, T, m).
    """
    from scipy.linalg import expm

    times = np.asarray(times, dtype=float)
    B = L.shape[0]
    t0 = np.broadcast_to(np.asarray(times[0] if t0 is None else t0, dtype=float), (B,))
    if times.size and np.any(times[None, :] < t0[:, None]):
        raise ValueError(f"evolve_generator: times before the initial time t0 = {float(t0.max()):g}")
    lam, V = np.linalg.eig(L)
    with np.errstate(invalid="ignore"):
        good = np.linalg.cond(V) < 1e8
    Vg = np.where(good[:, None, None], V, np.eye(L.shape[-1]))
    c = np.linalg.solve(Vg, v0[..., None])[..., 0]  # (B, m)
    dt = times[None, :] - t0[:, None]  # (B, T)
    out = np.einsum("bij,btj->bti", Vg, np.exp(lam[:, None, :] * dt[..., None]) * c[:, None, :])
    for b in np.nonzero(~good)[0]:  # rare: defective generator
        for i in range(times.size):
            out[b, i] = expm(L[b] * dt[b, i]) @ v0[b]
    return out
