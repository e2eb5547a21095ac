"""Closed forms of paper 004 (two spin qubits coupled through a magnetic medium).

Paper 004: "Bell-state generation for spin qubits via dissipative coupling" (main text
Eqs. 8–15 and Supplement Eqs. S52–S65).  Notation: ``a`` local relaxation, ``A`` dissipative
coupling (only ``|A|`` enters after the gauge of ref. [71]), ``a_tilde``/``A_tilde`` the reverse
(excitation) processes, ``delta = (Delta1 - Delta2)/2`` the local-field asymmetry,
``Gamma = |A| + |A_tilde|`` the net dissipative coupling.  Times in the same units as 1/rates.

Shapes: parameters are scalars or arrays ``(B,)``; time grids are ``(T,)``; functions of
both return ``(B, T)`` (or ``(T,)`` for scalar parameters) by broadcasting
``param[..., None]`` against ``t``.

Results beyond the paper, derived in the docstrings: :func:`steady_concurrence_optimal`
(steady concurrence at a = |A|, ã = |Ã|, δ = 0 for any temperature),
:func:`success_probability_postselected` (postselection success probability), and
:func:`concurrence_efficiency_t0` / :func:`success_probability_efficiency_t0` (finite detector
efficiency at T = 0).  :func:`cmax_postselected` is the maximum of the paper's own C(t) of
Eq. (13); it differs from the expression the paper prints (:func:`cmax_paper`), see there.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "sin_over_omega", "unmonitored_regime", "pt_regime",
    "x_y_h_t0", "populations_t0", "concurrence_t0", "decay_rate_t0",
    "concurrence_critical_paper_envelope",
    "steady_state_optimal", "steady_concurrence_optimal",
    "u_postselected", "concurrence_postselected", "concurrence_exceptional_point",
    "concurrence_pt_broken_delta0", "success_probability_postselected",
    "cmax_postselected", "cmax_paper", "concurrence_dm",
    "success_probability_efficiency_t0", "concurrence_efficiency_t0",
]


def _pt(param: np.ndarray | float, t: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Broadcast parameters (...,) against times (T,) -> (..., T)."""
    p = np.asarray(param, dtype=float)
    tt = np.asarray(t, dtype=float)
    if p.ndim == 0 or tt.ndim == 0:
        return p, tt
    return p[..., None], tt


def sin_over_omega(w2: np.ndarray | float, t: np.ndarray | float,
                   rate: np.ndarray | float = 0.0) -> np.ndarray:
    """e^{−rate·t} sin(ω t)/ω with ω = sqrt(w2), real in every regime (inputs broadcast).

    w2 > 0: sin(ω t)/ω;  w2 < 0: sinh(κ t)/κ with κ = sqrt(-w2);  w2 = 0: t (the critical
    point / exceptional point, where the two roots coalesce).  The damping factor is applied
    inside the exponentials, (e^{(κ−rate)t} − e^{−(κ+rate)t})/(2κ), so long times neither
    overflow nor give inf·0.
    """
    w2, t, rate = np.broadcast_arrays(np.asarray(w2, dtype=float), np.asarray(t, dtype=float),
                                      np.asarray(rate, dtype=float))
    w = np.sqrt(np.abs(w2))
    small = w * np.abs(t) < 1e-6
    ws = np.where(small, 1.0, w)
    env = np.exp(-rate * t)
    osc = env * np.sin(ws * t) / ws
    with np.errstate(over="ignore"):
        grow = (np.exp((ws - rate) * t) - np.exp(-(ws + rate) * t)) / (2 * ws)
    # series for |w t| << 1: t (1 -+ w2 t²/6)
    series = env * t * (1.0 - w2 * t**2 / 6.0)
    return np.where(small, series, np.where(w2 > 0, osc, grow))


def _classify(x: np.ndarray, ref: np.ndarray, names: tuple[str, str, str],
              rtol: float = 1e-9) -> np.ndarray:
    x, ref = np.broadcast_arrays(np.abs(np.asarray(x, float)), np.abs(np.asarray(ref, float)))
    eq = np.isclose(x, ref, rtol=rtol, atol=1e-12)
    return np.where(eq, names[1], np.where(x > ref, names[0], names[2]))


def unmonitored_regime(delta: np.ndarray | float, A_abs: np.ndarray | float) -> np.ndarray:
    """Regime of the unmonitored T = 0 dynamics, Eqs. (8)–(9): ``underdamped`` (|δ| > |A|),
    ``critical`` (|δ| = |A|), ``overdamped`` (|δ| < |A|).  Array of str, shape of the inputs."""
    return _classify(delta, A_abs, ("underdamped", "critical", "overdamped"))


def pt_regime(delta: np.ndarray | float, gamma: np.ndarray | float) -> np.ndarray:
    """Regime of the postselected dynamics (text after Eq. 14): ``PT-exact`` (|δ| > Γ),
    ``EP`` (|δ| = Γ, exceptional point), ``PT-broken`` (|δ| < Γ)."""
    return _classify(delta, gamma, ("PT-exact", "EP", "PT-broken"))


# ---------------------------------------------------------------------------------------------
# unmonitored dynamics at T = 0 from |ud>  (Eqs. 8–9, S55–S64)
# ---------------------------------------------------------------------------------------------
def x_y_h_t0(t: np.ndarray, a: np.ndarray | float, A_abs: np.ndarray | float,
             delta: np.ndarray | float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x = Re<ud|ρ|du>, y = Im<ud|ρ|du>, h = <du|ρ|du> at T = 0 from ρ(0) = |ud><ud|.

    Solution of Eq. (S59) for all three regimes (Eq. S61 is the overdamped case):
    with s(t) = sin(ω0 t)/ω0, ω0² = δ² − |A|² (Eq. 9),
        x = −|A| e^{−2at} s(2t)/2,   y = −δ |A| e^{−2at} s(t)²,   h = |A|² e^{−2at} s(t)².
    Shapes: (B,) parameters and (T,) times -> (B, T).
    """
    a_, tt = _pt(a, t)
    A_, _ = _pt(A_abs, t)
    d_, _ = _pt(delta, t)
    w2 = d_**2 - A_**2
    s1 = sin_over_omega(w2, tt, a_)        # e^{−at} s(t)
    s2 = sin_over_omega(w2, 2 * tt, a_)    # e^{−2at} s(2t)
    x = -A_ * s2 / 2
    y = -d_ * A_ * s1**2
    h = A_**2 * s1**2
    return x, y, h


def populations_t0(t: np.ndarray, a: np.ndarray | float, A_abs: np.ndarray | float,
                   delta: np.ndarray | float) -> np.ndarray:
    """Populations (uu, ud, du, dd) at T = 0 from |ud>, Eqs. (S56)–(S57), (S62):
    ρ_du = h, ρ_ud = h + e^{−2at}, ρ_uu = 1 − 2h − e^{−2at}, ρ_dd = 0.  Shape (..., T, 4)."""
    _, _, h = x_y_h_t0(t, a, A_abs, delta)
    a_, tt = _pt(a, t)
    env = np.exp(-2 * a_ * tt) * np.ones_like(h)
    return np.stack([1 - 2 * h - env, h + env, h, np.zeros_like(h)], axis=-1)


def concurrence_t0(t: np.ndarray, a: np.ndarray | float, A_abs: np.ndarray | float,
                   delta: np.ndarray | float) -> np.ndarray:
    """C(t) = 2|ρ_{ud,du}| = 2 sqrt(x² + y²) at T = 0 from |ud> (Eq. S52 with ρ_dd = 0).

    Underdamped (text after Eq. 9): C = 2 e^{−2at} |A sin ω0t| sqrt(δ² − |A cos ω0t|²)/ω0²;
    overdamped (Eq. S63): C = 2 |A| sinh(κ0 t) e^{−2at} sqrt(|A cosh κ0 t|² − δ²)/κ0²;
    critical (δ = |A|): C = 2 |A| t e^{−2at} sqrt(1 + δ² t²).  Shape (B, T).
    """
    x, y, _ = x_y_h_t0(t, a, A_abs, delta)
    return 2 * np.sqrt(x**2 + y**2)


def concurrence_critical_paper_envelope(t: np.ndarray, a: float, A_abs: float) -> np.ndarray:
    """The caption of Fig. 2 says C(t) ∝ t e^{−2at} at the critical point; normalised to the
    exact small-t slope 2|A| this is 2|A| t e^{−2at}.  The exact critical C (see
    :func:`concurrence_t0`) carries an extra factor sqrt(1 + |A|² t²)."""
    return 2 * A_abs * np.asarray(t) * np.exp(-2 * a * np.asarray(t))


def decay_rate_t0(a: np.ndarray | float, A_abs: np.ndarray | float,
                  delta: np.ndarray | float) -> np.ndarray:
    """Entanglement decay rate 1/τ = 2(a − Re κ0), κ0 = sqrt(|A|² − δ²) (Eq. S64; 2a when
    underdamped or critical, where κ0 is imaginary or 0)."""
    k2 = np.asarray(A_abs, float) ** 2 - np.asarray(delta, float) ** 2
    return 2 * (np.asarray(a, float) - np.sqrt(np.maximum(k2, 0.0)))


# ---------------------------------------------------------------------------------------------
# steady states at the optimal point a = |A|, ã = |Ã|, δ = 0  (Eq. S65 and its finite-T analogue)
# ---------------------------------------------------------------------------------------------
def steady_state_optimal(ratio: np.ndarray | float, p_singlet: np.ndarray | float) -> np.ndarray:
    """Long-time state at a = |A|, ã = |Ã|, δ = 0 and no coherent coupling, shape (..., 4, 4).

    Derivation (beyond the paper, which gives only T = 0, Eq. S65): only J1 ∝ (σ1− + σ2−) and
    J3 ∝ (σ1+ + σ2+) are operative; both annihilate the singlet |S> (a dark state) and act as
    collective spin-1 ladder operators on the triplet, with rates ∝ ã and a.  Detailed balance
    on the ladder T+ = uu <-> T0 <-> T− = dd gives populations ∝ 1 : r : r², r = ã/a, while the
    singlet weight p_S = <S|ρ0|S> is conserved.  Hence
        ρ∞ = p_S |S><S| + (1 − p_S)(|T+><T+| + r |T0><T0| + r² |T−><T−|)/(1 + r + r²)
    (coherences between |S> and |uu> also survive but oscillate at the Zeeman splitting;
    they vanish from |ud>).  At r = 0, p_S = 1/2 this is Eq. (S65).
    """
    r = np.asarray(ratio, float)
    p = np.asarray(p_singlet, float)
    r, p = np.broadcast_arrays(r, p)
    q = (1 - p) / (1 + r + r**2)
    s2 = 1 / np.sqrt(2)
    S = np.array([0, s2, -s2, 0])
    T0 = np.array([0, s2, s2, 0])
    rho = (p[..., None, None] * np.outer(S, S) + (q * r)[..., None, None] * np.outer(T0, T0))
    rho = rho.astype(complex)
    rho[..., 0, 0] += q
    rho[..., 3, 3] += q * r**2
    return rho


def steady_concurrence_optimal(ratio: np.ndarray | float,
                               p_singlet: np.ndarray | float = 0.5) -> np.ndarray:
    """Steady concurrence at a = |A|, ã = |Ã|, δ = 0 (see :func:`steady_state_optimal`).

    With q = (1 − p_S)/(1 + r + r²) the X-state formula (Eq. S52) gives
    C∞ = max(0, |p_S − q r| − 2 q r).  From |ud> (p_S = 1/2):
    C∞ = (1 − r)² / (2 (1 + r + r²)) — 1/2 at T = 0 (Eq. S65), 0.3649 for r = 0.1
    (Fig. S4a, "around 0.35"), 0 at r = 1 (infinite temperature, Fig. S5).
    """
    r = np.asarray(ratio, float)
    p = np.asarray(p_singlet, float)
    q = (1 - p) / (1 + r + r**2)
    return np.maximum(0.0, np.abs(p - q * r) - 2 * q * r)


# ---------------------------------------------------------------------------------------------
# postselected (no-jump) dynamics, Eqs. (11)–(15)
# ---------------------------------------------------------------------------------------------
def u_postselected(t: np.ndarray, delta: np.ndarray | float, gamma: np.ndarray | float
                   ) -> np.ndarray:
    """u(t) = Γ² [sin(ωt)/ω]², ω² = δ² − Γ² (Eq. 14): the weight ratio that fixes C(t)."""
    d_, tt = _pt(delta, t)
    g_, _ = _pt(gamma, t)
    return (g_ * sin_over_omega(d_**2 - g_**2, tt)) ** 2


def concurrence_postselected(t: np.ndarray, delta: np.ndarray | float,
                             gamma: np.ndarray | float) -> np.ndarray:
    """Concurrence of the normalised no-jump state, Eq. (13), from |ud>.

    In the subspace {ud, du}, H_eff = −δ σz − iΓ σx − i(a + ã) (Eq. 12), so
    ψ(t) ∝ (cos ωt + iδ s, −Γ s) with s = sin(ωt)/ω.  With u = Γ² s²:
    |ψ_ud|² = 1 + u, |ψ_du|² = u and C = 2 sqrt(u (1 + u)) / (1 + 2u).
    Special cases: tanh 2Γt at δ = 0 (PT-broken, Fig. 3), 2Γt sqrt(1 + Γ²t²)/(1 + 2Γ²t²) at
    the exceptional point δ = Γ.  Shape (B, T).
    """
    u = u_postselected(t, delta, gamma)
    # for u >> 1 use v = 1/u: C = 2 sqrt(1 + v)/(2 + v) (u may overflow to inf at long times)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        v = 1.0 / np.where(u > 1, u, 1.0)
        big = 2 * np.sqrt(1 + v) / (2 + v)
        small = 2 * np.sqrt(u * (1 + u)) / (1 + 2 * u)
    return np.where(u > 1, big, small)


def concurrence_exceptional_point(t: np.ndarray, gamma: float) -> np.ndarray:
    """Paper 004, text after Eq. (15): C(t) = 2Γt sqrt(1 + Γ²t²) / (1 + 2Γ²t²) at δ = Γ."""
    gt = gamma * np.asarray(t, float)
    return 2 * gt * np.sqrt(1 + gt**2) / (1 + 2 * gt**2)


def concurrence_pt_broken_delta0(t: np.ndarray, gamma: float) -> np.ndarray:
    """Paper 004, text after Eq. (15) and Fig. 3: C(t) = tanh 2Γt at δ = 0."""
    return np.tanh(2 * gamma * np.asarray(t, float))


def success_probability_postselected(t: np.ndarray, a: np.ndarray | float,
                                     a_tilde: np.ndarray | float, delta: np.ndarray | float,
                                     gamma: np.ndarray | float) -> np.ndarray:
    """No-jump probability tr ρ~(t) from |ud> (beyond the paper; from Eq. 13's denominator):
    P(t) = e^{−2(a + ã)t} (1 + 2u(t)), u as in :func:`u_postselected`.  At δ = 0:
    e^{−2(a+ã)t} cosh 2Γt, which tends to 1/2 at the optimal point Γ = a + ã (the singlet
    weight of |ud>).  Shape (B, T)."""
    a_, tt = _pt(np.asarray(a, float) + np.asarray(a_tilde, float), t)
    d_, _ = _pt(delta, t)
    g_, _ = _pt(gamma, t)
    damped = g_ * sin_over_omega(d_**2 - g_**2, tt, a_)   # e^{−(a+ã)t} Γ s(t)
    return np.exp(-2 * a_ * tt) + 2 * damped**2


def success_probability_efficiency_t0(t: np.ndarray, a: np.ndarray | float,
                                      A_abs: np.ndarray | float, delta: np.ndarray | float,
                                      efficiency: np.ndarray | float) -> np.ndarray:
    """Success probability with detector efficiency η_det at T = 0 from |ud> (beyond the paper).

    At T = 0 every jump out of {ud, du} lands in |uu>, which neither jumps nor decays any more.
    The {ud, du} block therefore evolves exactly as for η_det = 1 (trace P1(t), the ideal
    success probability), and |uu> collects the undetected fraction (1 − η_det)(1 − P1):
    P_η(t) = 1 − η_det (1 − P1(t)).  Shape (B, T).
    """
    p1 = success_probability_postselected(t, a, 0.0, delta, A_abs)
    e, _ = _pt(efficiency, t)
    return 1 - e * (1 - p1)


def concurrence_efficiency_t0(t: np.ndarray, a: np.ndarray | float, A_abs: np.ndarray | float,
                              delta: np.ndarray | float, efficiency: np.ndarray | float
                              ) -> np.ndarray:
    """Conditional concurrence with detector efficiency η_det at T = 0 from |ud> (beyond the
    paper): C_η = C1 P1 / P_η, C1 the ideal postselected C(t) (Eq. 13), P1 its success
    probability, P_η = 1 − η_det (1 − P1).  η_det = 1 gives Eq. (13); η_det = 0 gives
    C1 P1 = 2 e^{−2at} sqrt(u(1+u)), identical to the unmonitored Eqs. (8)–(9), (S63).
    """
    p1 = success_probability_postselected(t, a, 0.0, delta, A_abs)
    c1 = concurrence_postselected(t, delta, A_abs)
    e, _ = _pt(efficiency, t)
    return c1 * p1 / (1 - e * (1 - p1))


def cmax_postselected(eta: np.ndarray | float) -> np.ndarray:
    """Maximal concurrence of the postselected C(t) of Eq. (13) from |ud>, η = |δ|/Γ.

    C = 2 sqrt(u(1+u))/(1+2u) grows with u and u ≤ Γ²/ω² = 1/(η² − 1) in the PT-exact
    regime, so C_max = 2η/(1 + η²) for η > 1 and 1 (reached as t -> ∞) for η ≤ 1.
    This is NOT the paper's printed C_max (see :func:`cmax_paper`)."""
    eta = np.abs(np.asarray(eta, float))
    return np.where(eta > 1, 2 * eta / (1 + eta**2), 1.0)


def cmax_paper(eta: np.ndarray | float) -> np.ndarray:
    """Paper 004, text after Eq. (15), as printed: C_max(η) = sqrt(2 − 1/η²)/η for η > 1
    (1 for η ≤ 1).  It equals :func:`cmax_postselected` only at η = 1; at η = 2.5
    (Fig. 3, δ = 5, Γ = 2) it gives 0.543 whereas the maximum of Eq. (13) is 0.690."""
    eta = np.abs(np.asarray(eta, float))
    with np.errstate(divide="ignore", invalid="ignore"):
        val = np.sqrt(np.maximum(2 - 1 / np.where(eta > 0, eta, 1.0) ** 2, 0.0)) / eta
    return np.where(eta > 1, val, 1.0)


def concurrence_dm(t: np.ndarray, dm: np.ndarray | float) -> np.ndarray:
    """Supplement (iv): H = D ẑ·(σ1 × σ2) from |ud> gives |ψ(t)> = cos 2Dt |ud> − sin 2Dt |du>,
    C(t) = |sin 4Dt|.  Shape (B, T)."""
    d_, tt = _pt(dm, t)
    return np.abs(np.sin(4 * d_ * tt))
