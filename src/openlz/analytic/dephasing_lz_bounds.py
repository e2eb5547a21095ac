"""The estimates behind paper 001's Theorem 3: Appendix A, Eqs. (3.27)-(3.29), Lemmas 3-5.

Closed forms (constant gamma; H_s of Eq. 3.5, E_s of Eq. 3.9):

* :func:`a_minus` / :func:`a_minus_norm` — a^-_{tau,-T,0} = g(i E*_tau + h.c.)/(16 e^3) (Eq. 3.18)
  and its trace norm g/(8 e^3) (Eq. 3.27).
* :func:`a_tilde_plus` / :func:`a_tilde_plus_norm` — ã^+_{T,tau} (Eq. 3.22) and
  g/(8 sqrt(1+gamma^2) e^3) (Eq. 3.28).
* :func:`dephasing_norm_bound` — ||D_tau||_1 <= 4 e_tau (Eq. 3.29 / A.4), attained on E_tau;
  :func:`induced_trace_norm` computes the left side numerically.
* :func:`b_correction` — b^±_{s,s'} of Appendix A.1 (the remainder's source, Eq. 2.16) with
  its bound ||b||_1 <= c e^-3 (A.2).
* :func:`lemma3_bound` — the bound of Lemma 3's proof for the T^12 term,
  eps int gamma/2 ||ã+|| ||D|| ||a^-_{-T}|| = eps gamma g^2 atan(T/g)/(4 g sqrt(1+gamma^2) e_T^3)
  -> 0 as T -> inf.

Numerics: :func:`incoherent_decomposition` evaluates the nine terms
eps int gamma/2 tr(T^ij_tau) dtau of Eq. (3.23) from the exact propagators (scipy DOP853 on the
lab-frame 2x2 equations), so Lemmas 3 (T^2j, T^j2 -> 0), 4 (T^13 + T^31 = O(gamma eps^2)) and
5 (T^33 = O(gamma eps^3)) and Eq. (3.25) (T^11) can be checked term by term.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

from .dephasing_lz import e_operator, eigenprojections, gap, lz_hamiltonian

__all__ = ["trace_norm", "a_minus", "a_minus_norm", "a_tilde_plus", "a_tilde_plus_norm",
           "dephasing_superoperator", "dephasing_norm_bound", "induced_trace_norm",
           "b_correction", "lemma3_bound", "incoherent_decomposition"]


def _dag(a: np.ndarray) -> np.ndarray:
    return np.conj(np.swapaxes(a, -1, -2))


def trace_norm(a: np.ndarray) -> np.ndarray:
    """||A||_1 = sum of singular values, (..., n, n) -> (...)."""
    return np.linalg.svd(np.asarray(a), compute_uv=False).sum(axis=-1)


def a_minus(s: np.ndarray, g: float) -> np.ndarray:
    """a^-_{s,-T,0} = g (i E*_s + h.c.)/(16 e_s^3) (paper 001, Eq. 3.18), (..., 2, 2)."""
    x = 1j * _dag(e_operator(s, g))
    return g * (x + _dag(x)) / (16 * gap(s, g) ** 3)[..., None, None]


def a_minus_norm(s: np.ndarray, g: float) -> np.ndarray:
    """||a^-_{s,-T,0}||_1 = g/(8 e_s^3) (paper 001, Eq. 3.27)."""
    return g / (8 * gap(s, g) ** 3)


def a_tilde_plus(s: np.ndarray, g: float, gamma: float) -> np.ndarray:
    """ã^+_{T,s} = -g((i - gamma) E*_s + h.c.)/(16 (1+gamma^2) e_s^3) (Eq. 3.22), (..., 2, 2)."""
    x = (1j - gamma) * _dag(e_operator(s, g))
    return -g * (x + _dag(x)) / (16 * (1 + gamma ** 2) * gap(s, g) ** 3)[..., None, None]


def a_tilde_plus_norm(s: np.ndarray, g: float, gamma: float) -> np.ndarray:
    """||ã^+_{T,s}||_1 = g/(8 sqrt(1+gamma^2) e_s^3) (paper 001, Eq. 3.28)."""
    return g / (8 * np.sqrt(1 + gamma ** 2) * gap(s, g) ** 3)


def dephasing_superoperator(s: float, g: float) -> np.ndarray:
    """D_s rho = -[sqrt H_s, [sqrt H_s, rho]] (Eq. 3.3) on row-major vec, (4, 4)."""
    h = lz_hamiltonian(s, g)
    e, v = np.linalg.eigh(h)
    sq = (v * (np.sign(e) * np.sqrt(np.abs(e)))) @ _dag(v)
    eye = np.eye(2)
    left, right = np.kron(sq, eye), np.kron(eye, sq.T)
    comm = left - right
    return -comm @ comm


def dephasing_norm_bound(s: np.ndarray, g: float) -> np.ndarray:
    """4 e_s, the bound ||D_s||_1 <= 4 e_s of Eq. (3.29) / (A.4)."""
    return 4 * gap(s, g)


def induced_trace_norm(sup: np.ndarray, samples: int = 2000, seed: int = 0) -> float:
    """sup over rho of ||S rho||_1 / ||rho||_1 for a superoperator (n², n²) (row-major vec).

    The trace-norm unit ball is the convex hull of |x><y|, so the supremum is over rank-one
    inputs: random ones, then a local refinement of the best by coordinate ascent.
    """
    rng = np.random.default_rng(seed)
    n = int(round(np.sqrt(sup.shape[0])))

    def ratio(x: np.ndarray, y: np.ndarray) -> float:
        r = np.outer(x, np.conj(y))
        return float(trace_norm((sup @ r.reshape(-1)).reshape(n, n)) / trace_norm(r))

    best, arg = -1.0, None
    for _ in range(samples):
        x = rng.normal(size=n) + 1j * rng.normal(size=n)
        y = rng.normal(size=n) + 1j * rng.normal(size=n)
        val = ratio(x, y)
        if val > best:
            best, arg = val, (x, y)
    step = 0.3
    for _ in range(400):
        x, y = arg
        dx = step * (rng.normal(size=n) + 1j * rng.normal(size=n))
        dy = step * (rng.normal(size=n) + 1j * rng.normal(size=n))
        val = ratio(x + dx, y + dy)
        if val > best:
            best, arg = val, (x + dx, y + dy)
        else:
            step *= 0.97
    return best


def b_correction(s: float, s0: float, g: float, gamma: float, sign: int = -1) -> np.ndarray:
    """b^±_{s,s'} of paper 001, Appendix A.1, constant gamma (gamma' = 0), (2, 2)::

        b± = -± g^3 ((i - gamma) E_s + h.c.)/(512 (1+gamma^2) e_s^3) int_{s'}^{s} gamma/((1+gamma^2) e^5)
             -± ( g (i - gamma)/(32 (1+gamma^2)^2 e_s^4) * 3 s (i - gamma)/(4 e_s^2) E_s + h.c. )

    (with gamma' = 0 the printed gamma-dot terms vanish).  Eq. (2.16) defines
    b = L^{-1} P' int T P' L^{-1} P'± + L^{-1}(1 - P) d/ds(L^{-1} P'±); the tests compare.
    """
    e = float(gap(s, g))
    eop = e_operator(s, g)
    lam = 1j - gamma
    integral = gamma / (1 + gamma ** 2) * _int_e5(s0, s, g)
    x = lam * eop
    first = g ** 3 * (x + _dag(x)) / (512 * (1 + gamma ** 2) * e ** 3) * integral
    y = g * lam / (32 * (1 + gamma ** 2) ** 2 * e ** 4) * (3 * s * lam / (4 * e ** 2)) * eop
    return -sign * (first + y + _dag(y))


def _int_e5(a: float, b: float, g: float) -> float:
    """int_a^b e_t^-5 dt, e = sqrt(t^2+g^2)/2: 32 [t(2t^2+3g^2)/(3g^4(t^2+g^2)^(3/2))]_a^b."""
    def prim(t: float) -> float:
        return t * (2 * t * t + 3 * g * g) / (3 * g ** 4 * (t * t + g * g) ** 1.5)
    return 32.0 * (prim(b) - prim(a))


def lemma3_bound(eps: float, g: float, gamma: float, T: float) -> float:
    """Bound of |eps int_{-T}^{T} gamma/2 tr(T^12) dtau| from Lemma 3's proof (Eqs. 3.26-3.29):
    eps gamma/2 int ||ã+_tau|| 4 e_tau ||a^-_{-T}|| dtau = eps gamma g^2 atan(T/g) /
    (4 g sqrt(1+gamma^2) e_T^3)  (||U_eps,0||_1 = 1, Eq. 3.13); -> 0 as T -> inf."""
    e_t = float(gap(T, g))
    return eps * gamma * g * np.arctan(T / g) / (4 * np.sqrt(1 + gamma ** 2) * e_t ** 3)


def _sqrt_h(s: float, g: float) -> np.ndarray:  # (2, 2) at one s
    e = float(gap(s, g))
    return lz_hamiltonian(s, g) / np.sqrt(e)  # sgn(H) sqrt|H| = H/sqrt(e) for eigenvalues ±e


def incoherent_decomposition(eps: float, g: float, gamma: float, T: float, nodes: int = 2000,
                             rtol: float = 1e-11) -> dict[str, float]:
    """The nine terms eps int_{-T}^{T} gamma/2 tr(X_i D_tau Y_j) dtau of Eq. (3.23), constant gamma.

    X = (ã^+_{T,tau}, -U*(T,tau) ã^+_{T,T}, eps r~^+(T,tau)), Y = (a^-_{tau}, -U_0(tau,-T) a^-_{-T},
    eps r^-_0(tau,-T)), with U* the dual of the full (dephasing) propagator and U_0 the
    Hamiltonian one, both from scipy DOP853 (rtol ``rtol``) on the lab-frame 2x2 equations with
    dense output; eps r = (U P - P - eps a + eps U a_edge)/eps from Eqs. (3.17), (3.21).  The
    tau integral is composite 16-point Gauss–Legendre in tau = g tan(x), max(``nodes``, 16
    per radian of the phase) points.  Keys "11" .. "33",
    "sum" (= p_d, the incoherent part of Eq. 3.16 on [-T, T]) and "p_d" (tr(P+ U P-) -
    tr(P+ U_0 P-) from the same propagators).
    """
    pp_T, _ = eigenprojections(T, g)
    _, pm_mT = eigenprojections(-T, g)

    def coherent_rhs(t: float, y: np.ndarray) -> np.ndarray:
        h = lz_hamiltonian(t, g)
        m = y.reshape(2, 2, -1)
        out = -1j * (np.einsum("ij,jkb->ikb", h, m) - np.einsum("ijb,jk->ikb", m, h))
        return out.reshape(-1) / eps

    def dual_rhs(t: float, y: np.ndarray) -> np.ndarray:  # eps dV/dt = -L*_t V
        h, j = lz_hamiltonian(t, g), np.sqrt(gamma) * _sqrt_h(t, g)
        m = y.reshape(2, 2, -1)
        jj = j @ j
        lstar = (1j * (np.einsum("ij,jkb->ikb", h, m) - np.einsum("ijb,jk->ikb", m, h))
                 + np.einsum("ij,jkb,kl->ilb", j, m, j)
                 - 0.5 * (np.einsum("ij,jkb->ikb", jj, m) + np.einsum("ijb,jk->ikb", m, jj)))
        return -lstar.reshape(-1) / eps

    def full_rhs(t: float, y: np.ndarray) -> np.ndarray:  # eps drho/dt = L_t rho
        h, j = lz_hamiltonian(t, g), np.sqrt(gamma) * _sqrt_h(t, g)
        m = y.reshape(2, 2)
        return (-1j * (h @ m - m @ h) + j @ m @ j - 0.5 * (j @ j @ m + m @ j @ j)).reshape(-1) / eps

    fwd = solve_ivp(coherent_rhs, (-T, T), np.stack([pm_mT, a_minus(-T, g)], -1).reshape(-1)
                    .astype(complex), method="DOP853", rtol=rtol, atol=1e-14, dense_output=True)
    bwd = solve_ivp(dual_rhs, (T, -T), np.stack([pp_T, a_tilde_plus(T, g, gamma)], -1).reshape(-1)
                    .astype(complex), method="DOP853", rtol=rtol, atol=1e-14, dense_output=True)
    full = solve_ivp(full_rhs, (-T, T), pm_mT.reshape(-1).astype(complex), method="DOP853",
                     rtol=rtol, atol=1e-14)
    phase = 2 * float(_phase(T, g)) / eps  # radians of the fastest oscillation on [-T, T]
    panels = int(max(nodes, 16 * phase)) // 16 + 1
    x16, w16 = np.polynomial.legendre.leggauss(16)  # composite 16-point Gauss-Legendre
    top = np.arctan(T / g)
    edges = np.linspace(-top, top, panels + 1)
    half = 0.5 * np.diff(edges)[:, None]
    xs = (0.5 * (edges[:-1] + edges[1:])[:, None] + half * x16).ravel()
    wx = (half * w16).ravel()
    m = xs.size
    taus = g * np.tan(xs)
    jac = wx * g / np.cos(xs) ** 2
    yf = np.moveaxis(fwd.sol(taus).reshape(2, 2, 2, m), -1, 0)  # (m, 2, 2, 2)
    yb = np.moveaxis(bwd.sol(taus).reshape(2, 2, 2, m), -1, 0)
    pp, pm = eigenprojections(taus, g)
    am, at = a_minus(taus, g), a_tilde_plus(taus, g, gamma)
    ys = (am, -yf[..., 1], (yf[..., 0] - pm) / eps - am + yf[..., 1])
    # the (P+ - P-) part of a-hat (Eq. 3.22) is killed by D, so a~ could replace it; it is kept
    xs_ = (at, -yb[..., 1], (yb[..., 0] - pp) / eps - _a_hat_plus(T, taus, g, gamma)
           + yb[..., 1])
    # D rho = -[S, [S, rho]] with S = sqrt(H) = H/sqrt(e)
    sq = lz_hamiltonian(taus, g) / np.sqrt(gap(taus, g))[:, None, None]

    def dep(y: np.ndarray) -> np.ndarray:
        c = sq @ y - y @ sq
        return -(sq @ c - c @ sq)

    terms = np.zeros((3, 3))
    for k in range(3):
        dy = dep(ys[k])
        for i in range(3):
            vals = np.einsum("tij,tji->t", xs_[i], dy).real
            terms[i, k] = float(np.sum(jac * (gamma / 2) * vals))
    out = {f"{i + 1}{k + 1}": eps * terms[i, k] for i in range(3) for k in range(3)}
    out["sum"] = float(eps * terms.sum())
    rho_t = full.y[:, -1].reshape(2, 2)
    coh = fwd.y[:, -1].reshape(2, 2, 2)[..., 0]
    out["p_d"] = float(np.trace(pp_T @ rho_t).real - np.trace(pp_T @ coh).real)
    out["nodes"] = m
    return out


def _phase(s: float, g: float) -> float:
    r = np.hypot(s, g)
    return 0.5 * (s * r + g * g * np.arcsinh(s / g))


def _a_hat_plus(T: float, tau: float, g: float, gamma: float) -> np.ndarray:
    """â^+_{T,tau} = ã^+_{T,tau} + g^2 (P+ - P-)/64 int_T^tau gamma/((1+gamma^2) e^5) (Eq. 3.22);
    tau (m,) -> (m, 2, 2)."""
    pp, pm = eigenprojections(tau, g)
    ints = np.array([_int_e5(T, float(t), g) for t in np.atleast_1d(tau)])
    return a_tilde_plus(tau, g, gamma) + g ** 2 * (pp - pm) / 64 * (gamma / (1 + gamma ** 2)
                                                                    * ints)[:, None, None]
