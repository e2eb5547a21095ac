"""Finite-rate monitoring of |σz| between Lindblad and postselected dynamics (beyond paper 004,
which states only the two limits in its Discussion): closed forms at T = 0 from |ud>.

Measurement model (:mod:`openlz.models.magnetic_medium_ops`): a detector clicks at rate
κ_m tr(P2 ρ), P2 = |σz|/2 the projector on {uu, dd}; the record is postselected on no click
(and on no jump registered by the jump detector of efficiency η).  The no-click generator is
G = L − η Σ_k L_k·L_k† − (κ_m/2){P2, ·}.

**T = 0 from |ud> (no coherent coupling, no pure dephasing).**  Every relaxation jump out of
{ud, du} lands in |uu> (only the decay processes a, A act), and |uu> neither jumps nor decays.
The {ud, du} block of ρ~ therefore evolves exactly as in the ideal postselection, Eq. (13),
whatever η and κ_m: its trace is the ideal success probability P1(t) and its normalised
concurrence the ideal C1(t).  The jump flux −P1'(t) enters |uu> undetected with probability
1 − η, and the no-click condition removes |uu> at rate κ_m:

    u(t) = (1 − η) ∫_0^t e^{−κ_m (t − s)} (−P1'(s)) ds
         = (1 − η) [e^{−κ_m t} − P1(t) + κ_m ∫_0^t e^{−κ_m (t − s)} P1(s) ds]   (by parts),

so the success probability is P(t) = P1(t) + u(t) and, since ρ~ is an X state with ρ~_dd = 0
(Eq. S52), the conditional concurrence is C(t) = C1(t) P1(t) / P(t).  κ_m = 0 gives the
detector-efficiency result 1 − η(1 − P1) (``success_probability_efficiency_t0``); κ_m → ∞
gives u -> 0, i.e. Eq. (13), with u ≈ (1 − η)(−P1'(t))/κ_m: the approach is O(1/κ_m).

**Long-time limit: a measurement-induced transition.**  In the PT-broken regime (|δ| < Γ)
the {ud, du} block decays as e^{−κ_c t} with κ_c = 2(a − sqrt(Γ² − δ²)) (the paper's
"postselection rate" 2(a + ã − κ) at T = 0, text after Eq. 15), while |uu> is emptied at rate
κ_m.  For κ_m > κ_c the flux-fed u(t) follows the block, u ≈ (1 − η) κ_c P1 / (κ_m − κ_c), and
the conditional state tends to a mixture of the Bell state |a> (Eq. 14) and |uu> with

    C(∞) = (κ_m − κ_c) / (κ_m − η κ_c)     (= 1 − κ_c/κ_m for η = 0),

for κ_m ≤ κ_c the |uu> weight dominates and C(∞) = 0.  The entanglement of the long-time
conditional state switches on continuously at κ_m = κ_c (:func:`long_time_concurrence_t0`).
At the optimal point |A| = a, δ = 0 one has κ_c = 0: any κ_m > 0 gives the Bell state.

Shapes: parameters scalars or (B,), times (T,), results (B, T) (or (T,)), as in
:mod:`openlz.analytic.magnetic_medium`.
"""

from __future__ import annotations

import numpy as np

from .magnetic_medium import concurrence_postselected, success_probability_postselected

_Arr = np.ndarray | float

__all__ = ["monitor_weight_t0", "success_probability_monitor_t0", "concurrence_monitor_t0",
           "critical_measurement_rate", "long_time_concurrence_t0"]

# Gauss–Legendre nodes for the convolution integral
_GL_X, _GL_W = np.polynomial.legendre.leggauss(24)
#: the kernel e^{−x} is cut at x = 45 (e^{-45} ~ 3e-20)
_X_MAX = 45.0


def _convolution(t: np.ndarray, kappa: np.ndarray, a: np.ndarray, A_abs: np.ndarray,
                 delta: np.ndarray) -> np.ndarray:
    """κ ∫_0^t e^{−κ(t−s)} P1(s) ds = ∫_0^{κt} e^{−x} P1(t − x/κ) dx for (B,) parameters and
    (T,) times: composite Gauss–Legendre in x on panels of length <= min(1, κ / (2(a + |ω|)
    + 1)) (smooth integrand: e^{−x} times exponentials and trigonometric functions of x/κ)."""
    out = np.zeros((kappa.size, t.size))
    for b in range(kappa.size):
        k = float(kappa[b])
        if k == 0:
            continue
        w = np.sqrt(abs(float(delta[b]) ** 2 - float(A_abs[b]) ** 2))
        h = min(1.0, k / (2 * (float(a[b]) + w) + 1.0))
        for j, tt in enumerate(t):
            top = min(k * tt, _X_MAX)
            if top <= 0:
                continue
            n = max(1, int(np.ceil(top / h)))
            edges = np.linspace(0.0, top, n + 1)
            mid, half = (edges[1:] + edges[:-1]) / 2, np.diff(edges) / 2
            x = (mid[:, None] + half[:, None] * _GL_X[None, :]).ravel()
            wts = (half[:, None] * _GL_W[None, :]).ravel()
            s = tt - x / k
            p1 = success_probability_postselected(s, a[b], 0.0, delta[b], A_abs[b])
            out[b, j] = np.sum(wts * np.exp(-x) * p1)
    return out


def _args(t: np.ndarray, *vals: _Arr) -> tuple[np.ndarray, list[np.ndarray], bool]:
    tt = np.asarray(t, float).reshape(-1)
    arrs = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, float)) for v in
                                 vals))
    scalar = all(np.ndim(v) == 0 for v in vals)
    return tt, arrs, scalar


def monitor_weight_t0(t: np.ndarray, a: _Arr, A_abs: _Arr, delta: _Arr, kappa: _Arr,
                      efficiency: _Arr = 0.0) -> np.ndarray:
    """u(t), the undetected |uu> weight of ρ~ at T = 0 from |ud> (module docstring)."""
    tt, (a_, A_, d_, k_, e_), scalar = _args(t, a, A_abs, delta, kappa, efficiency)
    p1 = success_probability_postselected(tt, a_, 0.0, d_, A_)          # (B, T)
    conv = _convolution(tt, k_, a_, A_, d_)
    u = (1 - e_)[:, None] * (np.exp(-k_[:, None] * tt[None, :]) - p1 + conv)
    u = np.maximum(u, 0.0)
    return u[0] if scalar else u


def success_probability_monitor_t0(t: np.ndarray, a: _Arr, A_abs: _Arr, delta: _Arr,
                                   kappa: _Arr, efficiency: _Arr = 0.0) -> np.ndarray:
    """P(t) = P1(t) + u(t): probability of no click and no detected jump, T = 0, from |ud>."""
    tt, (a_, A_, d_, k_, e_), scalar = _args(t, a, A_abs, delta, kappa, efficiency)
    p = success_probability_postselected(tt, a_, 0.0, d_, A_) + np.atleast_2d(
        monitor_weight_t0(tt, a_, A_, d_, k_, e_))
    return p[0] if scalar else p


def concurrence_monitor_t0(t: np.ndarray, a: _Arr, A_abs: _Arr, delta: _Arr, kappa: _Arr,
                      efficiency: _Arr = 0.0) -> np.ndarray:
    """C(t) = C1(t) P1(t) / (P1(t) + u(t)) of the no-click state, T = 0, from |ud>."""
    tt, (a_, A_, d_, k_, e_), scalar = _args(t, a, A_abs, delta, kappa, efficiency)
    p1 = success_probability_postselected(tt, a_, 0.0, d_, A_)
    c1 = concurrence_postselected(tt, d_, A_)
    u = np.atleast_2d(monitor_weight_t0(tt, a_, A_, d_, k_, e_))
    c = c1 * p1 / (p1 + u)
    return c[0] if scalar else c


def critical_measurement_rate(a: _Arr, A_abs: _Arr, delta: _Arr, a_tilde: _Arr = 0.0,
                              A_tilde_abs: _Arr = 0.0) -> np.ndarray:
    """κ_c = 2(a + ã − Re sqrt(Γ² − δ²)), Γ = |A| + |Ã|: the decay rate of the Bell mode |a> of
    the postselected dynamics (text after Eq. 15, "postselection rate").  At T = 0 the
    long-time conditional entanglement switches on at κ_m = κ_c."""
    g = np.asarray(A_abs, float) + np.asarray(A_tilde_abs, float)
    k = np.sqrt(np.maximum(g**2 - np.asarray(delta, float) ** 2, 0.0))
    return 2 * (np.asarray(a, float) + np.asarray(a_tilde, float) - k)


def long_time_concurrence_t0(a: _Arr, A_abs: _Arr, delta: _Arr, kappa: _Arr,
                      efficiency: _Arr = 0.0) -> np.ndarray:
    """C(t → ∞) of the no-click state at T = 0 in the PT-broken regime (|δ| < |A|):
    (κ_m − κ_c)/(κ_m − η κ_c) for κ_m > κ_c, else 0 (module docstring).  NaN where |δ| >= |A|
    (PT-exact or exceptional point: no single limit from this formula)."""
    kc = critical_measurement_rate(a, A_abs, delta)
    k = np.asarray(kappa, float)
    e = np.asarray(efficiency, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(k > kc, (k - kc) / (k - e * kc), 0.0)
    return np.where(np.abs(np.asarray(delta, float)) < np.asarray(A_abs, float), c, np.nan)
