"""Landau–Zener Markov chain and continuous-time equation of model ``spin-reservoir``.

Paper 003, Sec. II, Eqs. (6)–(23), for any increasing ramp ε_t (:mod:`openlz.analytic.ramps`),
level energies ε_n and couplings ν_n, and a reservoir with coherence q_n (Eq. 15).

**Geometry** (:func:`chain_geometry`): crossing times t_n (ε_{t_n} = ε_n), local rates
ε̇_n = dε_t/dt at t_n, sampling times τ_1 = 0, τ_n = (t_n + t_{n-1})/2, τ_{L+1} = t_L +
(t_L - t_{L-1})/2 (t_0 = 0; openlz's choice after the last level, the paper stops there).

**Per crossing** (Eqs. 9–11): δ_n = |ν_n|²/(2ε̇_n), R_n = e^{-2πδ_n}, the Stokes phase ϕ_n, and
α_n = ∫_{τ_n}^{τ_{n+1}} (ε̃_t + ε_n) dt with the ramp linearised at the crossing,
ε̃_t = ε_n + ε̇_n (t - t_n) — Eq. (9) exactly for ε_t = ε̇ t.

**Map** (Eqs. 13–14 with the phases made explicit)::

    p' = R p + a (1-R) + 2 sqrt(R(1-R)) Re[e^{iφ} k q*]
    k' = sqrt(R) e^{-iA} k - sqrt(1-R) e^{-i(A+φ)} q (2p - 1)

with a_n, q_n = q_n(0) e^{-2iε_n τ_n} (Eq. 15) and, per ``chain_phase``:

* ``"paper"``: A = α_n, φ = σϕ_n (Eq. 8 verbatim);
* ``"adiabatic"``: A = α_n + η_n, φ = σϕ_n + ζ_n - η_n, the adiabatic dynamical phases of the
  interval (:func:`openlz.analytic.landau_zener.adiabatic_phases`; Eq. 8 omits them — η_n ≠ 0
  when the interval is not centred on t_n, as the first one [0, τ_2]; ζ_n, the phase of the
  exchange amplitude, matters only when q_n ≠ 0);
* ``"dressed"``: A = 2∫ε_t dt + Σ_m (1 - 2a_m) Λ_nm (free phase plus the adiabatic level
  shifts of every reservoir spin, :func:`openlz.analytic.landau_zener.level_shift_phase`),
  φ as in ``"adiabatic"`` (openlz extension).

σ = +1 for ``collision="exact"`` (the partial trace of Eq. 8, which the exact numerics
confirm) and -1 for ``"printed"`` (Eqs. 13–14 as printed, ϕ → -ϕ).  A coupling ν_n < 0 (or
complex) adds -arg ν_n to φ (Eq. 8 takes ν_n > 0).  For q_n = 0 both collisions and the three
phase choices give the same p_n and |k_n|.

**Continuous time** (Eqs. 19–23): Γ_t = π D̄(ε_t) |ν(ε_t)|², D̄ the density of levels
(1/(ε_{n+1} - ε_n) at the midpoints, linear in between, constant outside), ν(ε) interpolated
between the levels; Eq. (19) uses ε̇_t D̄_t (1 - R_t) for the population rate.  They are
derived for the grand-canonical reservoir and ignore q_n.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.integrate import quad

from ..analytic.landau_zener import (
    adiabatic_phases,
    adiabaticity,
    diabatic_survival,
    fermi_spin_occupation,
    level_shift_phase,
    stokes_phase,
)
from ..analytic.ramps import LinearRamp, ProfileRamp
from ..solve.ode import ODEOptions, solve_ode

__all__ = ["ChainGeometry", "chain_geometry", "crossing_times", "lz_chain", "chain_map",
           "continuous_lz", "continuous_lz_profile", "validity_report", "CHAIN_PHASES",
           "COLLISIONS"]

CHAIN_PHASES = ("paper", "adiabatic", "dressed")
"""Phase conventions of the chain (module docstring): Eq. (8) verbatim, plus the adiabatic
phases η_n, ζ_n, or the free phase plus the level shifts of all reservoir spins."""
COLLISIONS = ("exact", "printed")
"""Collision maps: the partial trace of Eq. (8) (σ = +1), or Eqs. (13)–(14) as printed
(ϕ → -ϕ)."""


def crossing_times(L: int, level_spacing: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """τ_n, n = 1..L+1, for ε_n = n Δε and ε_t = ε̇ t (paper 003, text after Eq. 3): τ_1 = 0,
    τ_n = (n - 1/2) Δε/ε̇.  Shapes (B,) -> (B, L+1)."""
    unit = (np.asarray(level_spacing, dtype=float) / np.asarray(rate, dtype=float))[:, None]
    n = np.arange(1, L + 2, dtype=float)
    tau = (n - 0.5) * unit
    tau[:, 0] = 0.0
    return tau


@dataclass
class ChainGeometry:
    """Per point (B,) and level (L,): eps, nu (complex), t_cross, rate_n (B, L); tau (B, L+1);
    free_phase (B, L) = 2∫_{τ_n}^{τ_{n+1}} ε_t dt; ramps: one ramp object per point."""

    eps: np.ndarray
    nu: np.ndarray
    t_cross: np.ndarray
    rate_n: np.ndarray
    tau: np.ndarray
    free_phase: np.ndarray
    ramps: list

    @property
    def delta(self) -> np.ndarray:
        """δ_n = |ν_n|²/(2ε̇_n) (Eq. 10), (B, L)."""
        return adiabaticity(self.nu, self.rate_n)

    @property
    def R(self) -> np.ndarray:
        """R_n = exp(-2πδ_n) (Eq. 10), (B, L)."""
        return diabatic_survival(self.delta)

    @property
    def stokes(self) -> np.ndarray:
        """ϕ_n (Eq. 11), (B, L)."""
        return stokes_phase(self.delta)

    @property
    def alpha(self) -> np.ndarray:
        """α_n of Eq. (9) with the ramp linearised at t_n, (B, L)."""
        t0, t1 = self.tau[:, :-1], self.tau[:, 1:]
        tc = self.t_cross
        return 0.5 * self.rate_n * ((t1 - tc) ** 2 - (t0 - tc) ** 2) + 2 * self.eps * (t1 - t0)

    def level_shifts(self) -> np.ndarray:
        """Λ_nm = ∫_{τ_n}^{τ_{n+1}} s(ε_t - ε_m) dt, s(x) = sign(x)(sqrt(x² + |ν_m|²) - |x|),
        (B, L_n, L_m): closed form for a linear ramp, adaptive quadrature split at t_m for a
        profile."""
        B, L = self.eps.shape
        out = np.empty((B, L, L))
        for b, ramp in enumerate(self.ramps):
            t0, t1 = self.tau[b, :-1, None], self.tau[b, 1:, None]
            if isinstance(ramp, LinearRamp):
                out[b] = level_shift_phase(self.nu[b, None, :], ramp.rate_value,
                                           self.eps[b, None, :], t0, t1)
                continue
            for m in range(L):
                g2, em, tm = abs(self.nu[b, m]) ** 2, self.eps[b, m], self.t_cross[b, m]

                def s(t: float, g2=g2, em=em, ramp=ramp) -> float:
                    x = float(ramp.eps(np.array(t))) - em
                    return float(np.sign(x) * g2 / (np.sqrt(x * x + g2) + abs(x)))

                for n in range(L):
                    a, c = self.tau[b, n], self.tau[b, n + 1]
                    pts = [tm] if a < tm < c else None
                    out[b, n, m] = quad(s, a, c, points=pts, epsabs=1e-11, epsrel=1e-10,
                                        limit=200)[0]
        return out


def chain_geometry(eps: np.ndarray, nu: np.ndarray, ramps: list) -> ChainGeometry:
    """Crossing geometry for levels eps (B, L), couplings nu (B, L) and one ramp per point
    (:class:`~openlz.analytic.ramps.LinearRamp` or :class:`~openlz.analytic.ramps.ProfileRamp`).
    Levels must increase with n and lie above ε_{t=0}."""
    eps = np.atleast_2d(np.asarray(eps, dtype=float))
    nu = np.atleast_2d(np.asarray(nu, dtype=complex))
    B, L = eps.shape
    tc, rn = np.empty((B, L)), np.empty((B, L))
    for b, ramp in enumerate(ramps):
        tc[b] = ramp.crossings(eps[b])
        rn[b] = ramp.rate(tc[b])
    prev = np.concatenate([np.zeros((B, 1)), tc[:, :-1]], axis=1)
    tau = np.empty((B, L + 1))
    tau[:, 0] = 0.0
    tau[:, 1:L] = 0.5 * (tc[:, 1:] + tc[:, :-1])
    tau[:, L] = tc[:, -1] + 0.5 * (tc[:, -1] - prev[:, -1])
    free = np.empty((B, L))
    for b, ramp in enumerate(ramps):
        ph = ramp.phase(tau[b])
        free[b] = 2 * np.diff(ph)
    return ChainGeometry(eps, nu, tc, rn, tau, free, list(ramps))


def chain_map(p: np.ndarray, k: np.ndarray, a: np.ndarray, q: np.ndarray, R: np.ndarray,
              A: np.ndarray, phi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One collision (module docstring; Eqs. 13–14 with survival phase A and exchange phase φ).
    All arrays broadcast; returns (p', k')."""
    sr, st = np.sqrt(R), np.sqrt(1.0 - R)
    cross = np.real(np.exp(1j * phi) * k * np.conj(q))
    p_new = R * p + a * (1 - R) + 2 * sr * st * cross
    k_new = sr * np.exp(-1j * A) * k - st * np.exp(-1j * (A + phi)) * q * (2 * p - 1)
    return p_new, k_new


def lz_chain_general(geom: ChainGeometry, a: np.ndarray, q0: np.ndarray | None, p0: np.ndarray,
                     k0: np.ndarray, chain_phase: str = "paper", collision: str = "exact"
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Markov chain of Eqs. (13)–(14) (module docstring) at τ_1..τ_{L+1}.

    a : (B, L) reservoir populations; q0 : (B, L) coherences ⟨↑|ρ_n(0)|↓⟩ at t = 0 or None;
    p0, k0 : (B,).  Returns p (B, L+1), k (B, L+1).
    """
    if chain_phase not in CHAIN_PHASES:
        raise ValueError(f"chain_phase must be one of {CHAIN_PHASES}, got {chain_phase!r}")
    if collision not in COLLISIONS:
        raise ValueError(f"collision must be one of {COLLISIONS}, got {collision!r}")
    B, L = geom.eps.shape
    sigma = 1.0 if collision == "exact" else -1.0
    R, alpha = geom.R, geom.alpha
    phi = sigma * geom.stokes - np.angle(geom.nu)
    A = alpha
    if chain_phase != "paper":
        zeta, eta = adiabatic_phases(geom.nu, geom.rate_n, geom.t_cross, geom.tau[:, :-1],
                                     geom.tau[:, 1:])
        A, phi = alpha + eta, phi + zeta - eta
        if chain_phase == "dressed":
            lam = geom.level_shifts()
            A = geom.free_phase + np.einsum("bm,bnm->bn", 1 - 2 * a, lam)
    if q0 is None:
        q = np.zeros((B, L), dtype=complex)
    else:
        q = np.asarray(q0, dtype=complex) * np.exp(-2j * geom.eps * geom.tau[:, :-1])  # Eq. 15
    p = np.empty((B, L + 1))
    k = np.empty((B, L + 1), dtype=complex)
    p[:, 0], k[:, 0] = p0, k0
    for n in range(L):
        p[:, n + 1], k[:, n + 1] = chain_map(p[:, n], k[:, n], a[:, n], q[:, n], R[:, n],
                                             A[:, n], phi[:, n])
    return p, k


def uniform_geometry(L: int, level_spacing: np.ndarray, nu: np.ndarray, rate: np.ndarray
                     ) -> ChainGeometry:
    """ε_n = n Δε, ν_n = ν, ε_t = ε̇ t (the paper's Fig. 2), vectorised over (B,)."""
    de, rate = np.asarray(level_spacing, dtype=float), np.asarray(rate, dtype=float)
    n = np.arange(1, L + 1, dtype=float)
    eps = de[:, None] * n
    tau = crossing_times(L, de, rate)
    return ChainGeometry(eps, np.broadcast_to(np.asarray(nu, dtype=complex)[:, None],
                                              eps.shape).copy(),
                         eps / rate[:, None], np.broadcast_to(rate[:, None], eps.shape).copy(),
                         tau, rate[:, None] * (tau[:, 1:] ** 2 - tau[:, :-1] ** 2),
                         [LinearRamp(r) for r in rate])


def lz_chain(L: int, level_spacing: np.ndarray, nu: np.ndarray, rate: np.ndarray,
             beta: np.ndarray, mu: np.ndarray, p0: np.ndarray, k0: np.ndarray,
             chain_phase: str = "paper") -> tuple[np.ndarray, np.ndarray]:
    """Grand-canonical Markov chain (paper 003, Eqs. 16–17), uniform levels, batched (B,).

    Returns p (B, L+1), k (B, L+1) at τ_1..τ_{L+1} (:func:`crossing_times`).
    """
    geom = uniform_geometry(L, level_spacing, nu, rate)
    a = fermi_spin_occupation(geom.eps, np.asarray(beta)[:, None], np.asarray(mu)[:, None])
    return lz_chain_general(geom, a, None, p0, k0, chain_phase)


def continuous_lz(level_spacing: np.ndarray, nu: np.ndarray, rate: np.ndarray,
                  beta: np.ndarray, mu: np.ndarray, p0: np.ndarray, k0: np.ndarray,
                  times: np.ndarray, eq19: bool = False,
                  time_unit: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Continuous-time Landau–Zener master equation, batched; times (T,) >= 0 shared; the
    initial state (p0, k0) is at t = 0 (paper 003, Eq. 21).

    Eqs. (22)–(23): dp/dt = Γ (f(ε̇t) - p), k(t) = k0 exp(-iε̇t² - Γt/2), Γ = π|ν|²/Δε.
    ``eq19=True``: population rate ε̇ D̄ (1 - R) of Eq. (19) instead of Γ.
    ``time_unit`` (B,): ``times`` are then dimensionless and point b is evaluated at
    ``time_unit[b] * times`` — one batched solve for per-point grids that share their shape,
    such as the crossing times τ_n = (n - 1/2) Δε/ε̇ (the ODE is integrated in u = t / unit).
    Returns p (B, T), k (B, T).
    """
    if np.size(times) and float(np.min(times)) < 0:
        raise ValueError(f"times must be >= 0 (the initial time, paper 003 Eq. 21), got "
                         f"{float(np.min(times)):g}")
    gamma = np.pi * np.abs(nu) ** 2 / level_spacing
    rate_p = rate / level_spacing * -np.expm1(-2 * np.pi * adiabaticity(nu, rate)) if eq19 \
        else gamma
    unit = np.ones_like(np.asarray(rate, dtype=float)) if time_unit is None \
        else np.asarray(time_unit, dtype=float)

    def rhs(u: float, y: np.ndarray) -> np.ndarray:
        f = fermi_spin_occupation(rate * unit * u, beta, mu)
        return (unit * rate_p * (f - y[:, 0]))[:, None]

    p = _integrate_from_zero(rhs, np.asarray(p0, dtype=float)[:, None], times)[..., 0]
    t = unit[:, None] * np.asarray(times, dtype=float)[None, :]
    k = np.asarray(k0)[:, None] * np.exp(-1j * rate[:, None] * t**2 - 0.5 * gamma[:, None] * t)
    return p, k


def _integrate_from_zero(rhs: Any, y0: np.ndarray, times: np.ndarray) -> np.ndarray:
    """y at ``times`` (any order, repeats) from y(0) = y0 (B, M); returns (B, T, M)."""
    grid = np.concatenate([[0.0], np.asarray(times, dtype=float)])
    order = np.argsort(grid, kind="stable")
    uniq, inv = np.unique(grid[order], return_inverse=True)
    ys, _ = solve_ode(rhs, y0, uniq, ODEOptions(rtol=1e-10, atol=1e-12))
    y_sorted = ys[inv]
    y = np.empty((grid.size,) + y_sorted.shape[1:], dtype=y_sorted.dtype)
    y[order] = y_sorted
    return np.moveaxis(y[1:], 0, 1)


def continuous_lz_profile(eps: np.ndarray, nu: np.ndarray, ramp: LinearRamp | ProfileRamp,
                          beta: float, mu: float, p0: float, k0: complex, times: np.ndarray,
                          eq19: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Eqs. (19)/(22)–(23) for one point with levels eps (L,), couplings nu (L,) and any ramp
    (module docstring).  Returns p (T,), k (T,); the state (p0, k0) is at t = 0."""
    eps = np.asarray(eps, dtype=float)
    g = np.abs(np.asarray(nu))
    if eps.size > 1:
        mids, dens = 0.5 * (eps[1:] + eps[:-1]), 1.0 / np.diff(eps)
    else:
        mids, dens = eps, np.array([1.0 / (eps[0] - float(ramp.eps(np.array(0.0))))])

    def rates(t: float) -> tuple[float, float]:
        e = float(ramp.eps(np.array(t)))
        d = float(np.interp(e, mids, dens))
        gn = float(np.interp(e, eps, g))
        gam = np.pi * d * gn * gn
        if not eq19:
            return gam, gam
        r = float(ramp.rate(np.array(t)))
        return r * d * -np.expm1(-np.pi * gn * gn / r), gam

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        rp, gam = rates(t)
        f = fermi_spin_occupation(float(ramp.eps(np.array(t))), beta, mu)
        return np.array([[rp * (f - y[0, 0]), gam]])

    y = _integrate_from_zero(rhs, np.array([[float(p0), 0.0]]), times)[0]
    t = np.asarray(times, dtype=float)
    k = complex(k0) * np.exp(-2j * ramp.phase(t) - 0.5 * y[:, 1])
    return y[:, 0], k


def validity_report(geom: ChainGeometry) -> dict[str, Any]:
    """Conditions of the collision picture (paper 003, Eqs. 2–3) per batch point, at every
    level: gap_n = ε_{n+1} - ε_n (n < L; the last level reuses the previous gap, L = 1 the gap
    above ε_{t=0}) > 2|ν_n| and gap_n >= sqrt(ε̇_n) max(1, 2|ν_n|/sqrt(ε̇_n))."""
    eps = geom.eps
    e0 = np.array([float(r.eps(np.array(0.0))) for r in geom.ramps])[:, None]
    full = np.concatenate([e0, eps], axis=1)
    gaps = np.diff(full, axis=1)
    if eps.shape[1] > 1:
        gaps = np.concatenate([gaps[:, 1:], gaps[:, -1:]], axis=1)
    g = np.abs(geom.nu)
    bound3 = np.sqrt(geom.rate_n) * np.maximum(1.0, 2 * g / np.sqrt(geom.rate_n))
    gap_ok = np.all(gaps > 2 * g, axis=1)
    time_ok = np.all(gaps >= bound3, axis=1)
    R = geom.R
    return {"eq2_spacing_gt_2nu": gap_ok.tolist(), "eq3_bound": np.max(bound3, axis=1).tolist(),
            "eq3_spacing_ge_bound": time_ok.tolist(),
            "R": (R[:, 0] if np.allclose(R, R[:, :1]) else R).tolist()}
