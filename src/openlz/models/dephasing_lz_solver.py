"""Numerics of the dephasing-lz model (paper 001): batched transition probabilities.

* :func:`solve_dephasing_lz` — two levels (Eq. 3.5): Bloch equations in the adiabatic frame,
  sixth-order Magnus (``openlz.solve.dephasing_bloch``), the s_max -> inf continuation by the
  superadiabatic slow/fast modes, and the transition probability in the superadiabatic basis.
* :func:`solve_spin_lz` — n = 2j + 1 levels (spin-j Landau–Zener, Sec. 4): the same Magnus
  steps on the n^2 real coordinates of the adiabatic-frame density matrix
  (``openlz.solve.dephasing_spin``), finite windows.

Dephasing strength: gamma_s = scale_b * profile(s) for parameter point b — a number/array
``gamma`` (no profile), a callable ``gamma(s)`` (the same profile for every point), or an
array ``gamma`` with a ``profile`` callable (a shape in s scaled per point).  Accuracy: see
:mod:`openlz.models.dephasing_lz`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..analytic import dephasing_lz as cf
from ..solve.dephasing_bloch import (
    Jet,
    limit_population,
    manifold_state,
    slow_fast_modes,
    tail_rate_integral,
    window_propagator,
)
from ..solve.dephasing_spin import spin_window_propagator

__all__ = ["solve_dephasing_lz", "solve_spin_lz", "transition_probability", "step_nodes",
           "MAX_STEPS"]

_JET_ORDER = 12
MAX_STEPS = 5_000_000
"""Largest number of Magnus steps one parameter point may take (a cost guard, not an accuracy
bound): the dephasing-lz model refuses points whose estimated count
4 Phi(s_max) sqrt(1 + gamma_max^2) (n - 1)/eps exceeds it (``--set s_max=...`` names the rule)."""


def step_nodes(s_max: np.ndarray, g: np.ndarray, eps: np.ndarray, per_radian: float = 2.0,
               per_efold: float = 400.0, stiffness: np.ndarray | float = 1.0) -> np.ndarray:
    """Step boundaries on [-s_max, s_max], one row per parameter point: (B,) -> (B, N+1).

    Uniform in F(s) = per_radian k Phi(s)/eps + per_efold asinh(s/g), Phi the dynamical phase
    (``cf.dynamical_phase``), k = ``stiffness`` (B,) = sqrt(1 + gamma_max^2), |i - gamma| times
    the phase rate: steps resolve the fast phase, the dephasing and the geometric rate
    th' = -g/(s^2+g^2).  N is the largest count of the batch (smaller problems get finer grids).
    """
    S, gg, ee = (np.asarray(a, float)[:, None] for a in (s_max, g, eps))
    ee = ee / np.broadcast_to(np.asarray(stiffness, float), S[:, 0].shape)[:, None]

    def big_f(s: np.ndarray) -> np.ndarray:
        return (per_radian * (cf.dynamical_phase(s, gg) + cf.dynamical_phase(S, gg)) / ee
                + per_efold * (np.arcsinh(s / gg) + np.arcsinh(S / gg)))

    total = big_f(S)
    n = int(np.ceil(total.max()))
    target = np.linspace(0.0, 1.0, n + 1)[None, :] * total
    s = -S + 2.0 * S * target / total
    for _ in range(100):  # Newton on a monotone convex-concave function, clipped
        r = np.hypot(s, gg)
        step = (big_f(s) - target) / (per_radian * r / ee + per_efold / r)
        s = np.clip(s - step, -S, S)
        if np.max(np.abs(step)) < 1e-13 * np.max(S):
            break
    s[:, 0], s[:, -1] = -S[:, 0], S[:, 0]
    return s


def _taylor_of_callable(fn: Any, s: np.ndarray, order: int, radius: float = 0.5) -> np.ndarray:
    """Taylor coefficients of a smooth vectorised fn at points s (...,): least-squares polynomial
    on 2*order+1 Chebyshev points of [s - radius, s + radius].  Returns (..., order+1)."""
    m = 2 * order + 1
    x = np.cos(np.pi * (np.arange(m) + 0.5) / m)
    vals = np.broadcast_to(np.asarray(fn(s[..., None] + radius * x), float), (*s.shape, m))
    vand = np.vander(x, order + 1, increasing=True)
    coef = vals @ np.linalg.pinv(vand).T
    return coef / radius ** np.arange(order + 1)


def _split_gamma(gamma: Any, profile: Any) -> tuple[Any, Any]:
    """(scale, profile): gamma_b(s) = scale_b * profile(s) (profile None: constant)."""
    if callable(gamma):
        if profile is not None:
            raise ValueError("give gamma as a callable or a profile, not both")
        return 1.0, gamma
    return gamma, profile


def _gamma_fn(scale: np.ndarray, profile: Any) -> Callable[[np.ndarray], np.ndarray]:
    """gamma(s) for s (B, ...): scale (B,) times profile(s) (or constant)."""
    def fn(s: np.ndarray) -> np.ndarray:
        sc = scale.reshape(scale.shape + (1,) * (s.ndim - 1))
        if profile is None:
            return np.broadcast_to(sc, s.shape)
        return sc * np.asarray(profile(s), float)
    return fn


def _doubled_batch(eps: Any, g: Any, s_max: Any, gamma: Any, profile: Any,
                   coherent: bool) -> tuple:
    """The batch (B,) of points, repeated with gamma = 0 when ``coherent`` (first B: the
    dephased run, last B: the coherent one): (B, eps, g, s_max, gamma scale, profile,
    stiffness sqrt(1 + max gamma^2)), each of size B or 2B."""
    scale, prof = _split_gamma(gamma, profile)
    eps_b, g_b, s_b, sc_b = _batch(eps, g, s_max, scale)
    nb = eps_b.size
    reps = 2 if coherent else 1
    flag = np.repeat([1.0, 0.0][:reps], nb)
    e2, g2, s2 = (np.tile(a, reps) for a in (eps_b, g_b, s_b))
    sc2 = np.tile(sc_b, reps) * flag
    stiff = np.sqrt(1.0 + _gamma_maximum(sc2, prof, s2) ** 2)
    return nb, e2, g2, s2, sc2, prof, stiff


def _gamma_maximum(scale: np.ndarray, profile: Any, s_max: np.ndarray) -> np.ndarray:
    """max over [-s_max, s_max] of |gamma_s| (201 probe points for a profile), (B,)."""
    scale = np.asarray(scale, float)
    if profile is None:
        return np.abs(scale)
    probe = np.linspace(-1.0, 1.0, 201)[None, :] * np.asarray(s_max, float)[:, None]
    return np.abs(scale) * np.max(np.abs(np.asarray(profile(probe), float)), axis=-1)


def _rates(g: np.ndarray, eps: np.ndarray, gamma: Callable):  # noqa: ANN202
    def rates(s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r = np.hypot(s, g[:, None])
        omega = r / eps[:, None]  # 2 e_s / eps
        return omega, gamma(s) * omega, -g[:, None] / r ** 2
    return rates


def _jets(g: np.ndarray, scale: np.ndarray, profile: Any):  # noqa: ANN202
    def jets(s: np.ndarray) -> tuple[Jet, Jet]:
        shape = (-1,) + (1,) * (s.ndim - 1)
        gg = g.reshape(shape)
        sj = Jet.variable(s, _JET_ORDER)
        r2 = sj * sj + gg ** 2
        th = r2.reciprocal() * (-gg)
        e = r2.sqrt() * 0.5
        if profile is not None:
            gj = Jet(_taylor_of_callable(profile, s, _JET_ORDER) * scale.reshape(shape)[..., None])
        else:
            gj = Jet.const(np.broadcast_to(scale.reshape(shape), s.shape), sj)
        return th, e * 2.0 * (1j - gj)
    return jets


def _cost_groups(n_steps: np.ndarray, spread: float = 1.5) -> list[np.ndarray]:
    """Indices grouped so that step counts within a group differ by at most ``spread``: a batch
    shares one step count, so cheap points are not run on the grid of the most expensive one."""
    order = np.argsort(n_steps)
    groups, start = [], 0
    for k in range(1, order.size + 1):
        if k == order.size or n_steps[order[k]] > spread * max(n_steps[order[start]], 1.0):
            groups.append(order[start:k])
            start = k
    return groups


def _batch(eps: Any, g: Any, s_max: Any, scale: Any) -> list[np.ndarray]:
    arrays = [np.atleast_1d(np.asarray(a, float)) for a in (eps, g, s_max, scale)]
    shape = np.broadcast_shapes(*[a.shape for a in arrays])
    return [np.broadcast_to(a, shape).ravel() for a in arrays]


def _superadiabatic_population(x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """(1 + r . n_sa)/2: upper population in the superadiabatic basis, n_sa = (1, Z)/|(1, Z)|
    in (u, v, w) coordinates; x (B, 4) = (1, q, v, w), z (B,) the slow mode's Z."""
    c = 1.0 / np.sqrt(1.0 + np.abs(z) ** 2)
    one_minus_c = np.abs(z) ** 2 * c / (1.0 + 1.0 / c)  # 1 - c without cancellation
    return x[:, 1] * c + 0.5 * one_minus_c + 0.5 * c * (x[:, 2] * z.real + x[:, 3] * z.imag)


def solve_dephasing_lz(eps: Any, g: Any = 1.0, gamma: Any = 0.0, s_max: Any = 30.0,
                       coherent: bool = True, limit: bool = True, per_radian: float = 2.0,
                       per_efold: float = 400.0, precision: str = "double",
                       profile: Callable[[np.ndarray], np.ndarray] | None = None,
                       superadiabatic: bool = False) -> dict[str, np.ndarray]:
    """Transition probabilities of paper 001's two-level model for a batch of parameter points.

    eps, g, s_max : numbers or arrays broadcasting to (B,).
    gamma : number/array (B,) or a vectorised callable ``gamma(s)`` (bounded, smooth; the same
        profile for every point; s has any shape).
    profile : optional callable: gamma_s = gamma_b * profile(s) for array gamma.
    per_radian, per_efold : grid density (module docstring of the model; the defaults give
        <= 1e-14 on p).
    precision : ``"double"`` (rounding floor ~1e-18 on p) or ``"extended"`` (``np.longdouble``,
        ~5x slower, floor ~1e-21: relative 1e-10 down to p ~ 1e-10 at gamma = 0, x86-64).
    superadiabatic : also the upper population in the superadiabatic basis at +s_max from the
        superadiabatic (slow-manifold) state at -s_max (needs the tails; implies the limit's
        ingredients).
    Returns {"p": (B,), "p_limit", "p_coherent", "p_coherent_limit", "p_superadiabatic",
    "p_coherent_superadiabatic" (when requested), "steps": int}.
    """
    nb, e2, g2, s2, sc2, prof, stiff = _doubled_batch(eps, g, s_max, gamma, profile, coherent)
    prop = np.empty((e2.size, 4, 4))
    steps = 0
    for idx in _cost_groups(per_radian * stiff * 2 * cf.dynamical_phase(s2, g2) / e2
                            + per_efold * 2 * np.arcsinh(s2 / g2)):
        nodes = step_nodes(s2[idx], g2[idx], e2[idx], per_radian, per_efold, stiff[idx])
        if nodes.shape[1] > MAX_STEPS:
            raise RuntimeError(f"dephasing-lz: {nodes.shape[1]} steps exceed {MAX_STEPS}")
        prop[idx] = window_propagator(_rates(g2[idx], e2[idx], _gamma_fn(sc2[idx], prof)), nodes,
                                      precision=precision)
        steps = max(steps, nodes.shape[1] - 1)
    out: dict[str, Any] = {"p": prop[:nb, 1, 0], "steps": steps}
    if coherent:
        out["p_coherent"] = prop[nb:, 1, 0]
    if limit or superadiabatic:
        jets = _jets(g2, sc2, prof)
        th_m, lam_m = jets(-s2)
        z_m, _, _ = slow_fast_modes(th_m, lam_m, e2)
        x0 = manifold_state(z_m.value, tail_rate_integral(jets, e2, s2, -1))
        x_end = np.einsum("bij,bj->bi", prop, x0)
        th_p, lam_p = jets(s2)
        z_p, v_p, x_p = slow_fast_modes(th_p, lam_p, e2)
        if limit:
            p_lim = limit_population(x_end, z_p.value, v_p.value, x_p.value,
                                     tail_rate_integral(jets, e2, s2, +1))
            out["p_limit"] = p_lim[:nb]
            if coherent:
                out["p_coherent_limit"] = p_lim[nb:]
        if superadiabatic:
            p_sa = _superadiabatic_population(x_end, z_p.value)
            out["p_superadiabatic"] = p_sa[:nb]
            if coherent:
                out["p_coherent_superadiabatic"] = p_sa[nb:]
    return out


def transition_probability(eps: Any, g: Any = 1.0, gamma: Any = 0.0, s_max: Any = 30.0,
                           limit: bool = False, precision: str = "double") -> np.ndarray:
    """p(eps, gamma, s_max) = tr(P+_{s_max} U(s_max, -s_max) P-_{-s_max}) (paper 001, Eq. 2.8),
    or its ``s_max -> inf`` limit when ``limit``.  gamma may be a callable profile.  Shape (B,)."""
    res = solve_dephasing_lz(eps, g, gamma, s_max, coherent=False, limit=limit,
                             precision=precision)
    return res["p_limit"] if limit else res["p"]


def solve_spin_lz(n: int, eps: Any, g: Any = 1.0, gamma: Any = 0.0, s_max: Any = 30.0,
                  initial: int = 0, final: int = 1, coherent: bool = True,
                  per_radian: float = 2.0, per_efold: float = 400.0,
                  precision: str = "double",
                  profile: Callable[[np.ndarray], np.ndarray] | None = None
                  ) -> dict[str, np.ndarray]:
    """Spin-j LZ (n = 2j + 1 levels, H_s = s J_z + g J_x) under sqrt(H) dephasing on
    [-s_max, s_max]: p = tr(P_final(S) U P_initial(-S)) (levels ascending), batched (B,).

    The grid is :func:`step_nodes` with the phase of the fastest coherence, (n - 1) r/eps.
    Returns {"p": (B,), "p_coherent" (when requested), "populations": (B, n) final adiabatic
    populations, "steps": int}.
    """
    nb, e2, g2, s2, sc2, prof, stiff = _doubled_batch(eps, g, s_max, gamma, profile, coherent)
    fast = e2 / (n - 1)  # the grid resolves the phase of the fastest coherence
    pops = np.empty((e2.size, n))
    steps = 0
    for idx in _cost_groups(per_radian * stiff * 2 * cf.dynamical_phase(s2, g2) / fast
                            + per_efold * 2 * np.arcsinh(s2 / g2)):
        nodes = step_nodes(s2[idx], g2[idx], fast[idx], per_radian, per_efold, stiff[idx])
        if nodes.shape[1] > MAX_STEPS:
            raise RuntimeError(f"dephasing-lz: {nodes.shape[1]} steps exceed {MAX_STEPS}")
        prop = spin_window_propagator(n, g2[idx], e2[idx], _gamma_fn(sc2[idx], prof), nodes,
                                      precision=precision)
        pops[idx] = prop[:, :n, initial]  # populations come first in the Hermitian basis
        steps = max(steps, nodes.shape[1] - 1)
    out: dict[str, Any] = {"p": pops[:nb, final], "populations": pops[:nb], "steps": steps}
    if coherent:
        out["p_coherent"] = pops[nb:, final]
    return out
