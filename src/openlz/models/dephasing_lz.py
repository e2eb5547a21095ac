"""Landau–Zener transitions under a dephasing Lindbladian (paper 001), batched over parameters.

Model (paper 001, Eqs. 1.1, 3.1-3.5): ``eps d rho/ds = L_s rho`` with

    L_s rho = -i[H_s, rho] - (gamma_s/2)[sqrt H_s, [sqrt H_s, rho]],   H_s = (1/2)[[s, g], [g, -s]],

``sqrt H = sgn(H) sqrt|H|`` (library form: one jump operator ``sqrt(gamma_s) sqrt(H_s)``).  The
time variable is the paper's ``s`` (physical time ``t = s/eps``); ``eps`` is the adiabatic
parameter, ``gamma`` the dephasing strength (a number here; the Python function
:func:`solve_dephasing_lz` also takes a callable profile ``gamma(s)``).

What ``p`` means.  The system starts in the lower band, rho(-s_max) = P-_{-s_max}; the
*transition probability* is the population of the other (upper) band at the end,
``p(eps, gamma, s_max) = tr(P+_{s_max} U(s_max, -s_max) P-_{-s_max})`` (Eq. 2.8 at T = s_max).
By the symmetry of the two bands this is also the probability to end in the lower band when
starting in the upper one.  ``coherent_part`` is the same quantity for the Hamiltonian evolution
(gamma = 0, the first term of Eq. 3.16) and ``incoherent_part = p - p_c`` (the p_d of Eq. 3.16).
The ``*_limit`` observables are ``s_max -> inf`` (Eq. 2.8): the state at ``-s_max`` is taken on
the superadiabatic (slow) manifold of the ground state from ``s = -inf``, and the population at
``+s_max`` is continued to ``+inf`` along it (``openlz.solve.dephasing_bloch``); for gamma = 0
this is the Landau–Zener probability, Eq. (1.2).  ``formula`` is Eq. (1.5) without its
O(gamma eps^2) remainder; ``remainder`` = p_limit - formula is the R of Theorem 3.

For constant gamma, R = -p_inc^2 + O(eps^3) (openlz observation, not in the paper:
``analytic.dephasing_lz.saturated_formula``).

Numerics: Bloch equations in the adiabatic frame (the fast phase is carried exactly by the
exponential of each Magnus step), sixth-order Magnus on a grid uniform in ``2 sqrt(1+gamma^2)
steps per radian of the dynamical phase + 400 per e-fold of |s|``, all steps of all
parameter points exponentiated and multiplied at once (points are grouped by cost).

Accuracy (measured against an independent solver written in the tests: lab-frame Bloch
equations, Gragg–Bulirsch–Stoer extrapolation in ``np.longdouble``, itself converged to
~1e-17; Radau tails for the ``s_max -> inf`` limit): absolute error <= 1e-14 on p and on
p_limit (tests: eps in [0.05, 2], gamma in [0.05, 20], constant and a tanh profile; largest
error measured 4e-15, also over eps in [0.03, 1], ``tests/test_dephasing_lz.py``).  The per-e-fold density sets it near the crossing: 80 per
e-fold (the default before) gave 1-4e-13, 400 costs +14 % steps at eps = 0.1, s_max = 30 and
2x at eps = 1 (where the grid is small).  For gamma = 0 the error is relative: 1e-10 down to
p ~ 1e-7 (Eq. 1.2); the floor (~1e-18 absolute) is rounding accumulated over ~s_max^2/eps
radians.  ``precision=extended`` (np.longdouble) lowers the floor to ~1e-21 (relative 1e-10
at p ~ 1e-10) at ~5x the cost; it does not change the 1e-14 of the grid.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..analytic import dephasing_lz as cf
from ..core.validation import require, require_nonnegative, require_positive
from ..errors import ValidityWarning
from ..solve.dephasing_bloch import (
    Jet,
    limit_population,
    manifold_state,
    slow_fast_modes,
    tail_rate_integral,
    window_propagator,
)
from .base import Model, Observable, Param, register

__all__ = ["MODEL", "solve_dephasing_lz", "transition_probability", "step_nodes"]

_SRC = "paper 001, Eq. (3.5)"
_JET_ORDER = 12
_MAX_STEPS = 5_000_000


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
    vals = np.asarray(fn(s[..., None] + radius * x), float)
    vand = np.vander(x, order + 1, increasing=True)
    coef = vals @ np.linalg.pinv(vand).T
    return coef / radius ** np.arange(order + 1)


def _gamma_fn(gamma: Any, flag: np.ndarray) -> Any:
    """gamma(s) for s (B, ...): constant (B,) or callable, times flag (B,) (0 = coherent run)."""
    if callable(gamma):
        return lambda s: np.asarray(gamma(s), float) * flag.reshape(flag.shape + (1,) * (s.ndim - 1))
    gm = np.asarray(gamma, float) * flag
    return lambda s: np.broadcast_to(gm.reshape(gm.shape + (1,) * (s.ndim - 1)), s.shape)


def _rates(g: np.ndarray, eps: np.ndarray, gamma: Any):  # noqa: ANN202
    def rates(s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r = np.hypot(s, g[:, None])
        omega = r / eps[:, None]  # 2 e_s / eps
        return omega, gamma(s) * omega, -g[:, None] / r ** 2
    return rates


def _jets(g: np.ndarray, gamma_raw: Any, flag: np.ndarray):  # noqa: ANN202
    def jets(s: np.ndarray) -> tuple[Jet, Jet]:
        shape = (-1,) + (1,) * (s.ndim - 1)
        gg = g.reshape(shape)
        sj = Jet.variable(s, _JET_ORDER)
        r2 = sj * sj + gg ** 2
        th = r2.reciprocal() * (-gg)
        e = r2.sqrt() * 0.5
        if callable(gamma_raw):
            gj = Jet(_taylor_of_callable(gamma_raw, s, _JET_ORDER) * flag.reshape(shape)[..., None])
        else:
            gj = Jet.const(np.broadcast_to((np.asarray(gamma_raw, float) * flag).reshape(shape),
                                           s.shape), sj)
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


def solve_dephasing_lz(eps: Any, g: Any = 1.0, gamma: Any = 0.0, s_max: Any = 30.0,
                       coherent: bool = True, limit: bool = True, per_radian: float = 2.0,
                       per_efold: float = 400.0, precision: str = "double"
                       ) -> dict[str, np.ndarray]:
    """Transition probabilities of paper 001's model for a batch of parameter points.

    eps, g, s_max : numbers or arrays broadcasting to (B,).
    gamma : number/array (B,) or a vectorised callable ``gamma(s)`` (bounded, smooth; the same
        profile for every point; s has any shape).
    per_radian, per_efold : grid density (module docstring; the defaults give <= 1e-14 on p).
    precision : ``"double"`` (rounding floor ~1e-18 on p) or ``"extended"`` (``np.longdouble``,
        ~5x slower, floor ~1e-21: relative 1e-10 down to p ~ 1e-10 at gamma = 0, x86-64).
    Returns {"p": (B,), "p_limit", "p_coherent", "p_coherent_limit" (when requested),
    "steps": int}.  See the module docstring for the definitions.
    """
    arrays = [np.atleast_1d(np.asarray(a, float)) for a in (eps, g, s_max)]
    if not callable(gamma):
        arrays.append(np.atleast_1d(np.asarray(gamma, float)))
    arrays = [np.broadcast_to(a, np.broadcast_shapes(*[b.shape for b in arrays])).ravel()
              for a in arrays]
    eps_b, g_b, s_b = arrays[:3]
    gam_b = gamma if callable(gamma) else arrays[3]
    nb = eps_b.size
    reps = 2 if coherent else 1
    flag = np.repeat([1.0, 0.0][:reps], nb)
    e2, g2, s2 = (np.tile(a, reps) for a in (eps_b, g_b, s_b))
    gam2 = gam_b if callable(gam_b) else np.tile(gam_b, reps)
    gfun = _gamma_fn(gam2, flag)
    if callable(gam_b):
        probe = np.linspace(-1.0, 1.0, 201)[None, :] * s2[:, None]
        gmax = np.max(np.abs(gfun(probe)), axis=-1)
    else:
        gmax = gam2 * flag
    stiff = np.sqrt(1.0 + gmax ** 2)
    prop = np.empty((e2.size, 4, 4))
    steps = 0
    for idx in _cost_groups(per_radian * stiff * 2 * cf.dynamical_phase(s2, g2) / e2
                            + per_efold * 2 * np.arcsinh(s2 / g2)):
        nodes = step_nodes(s2[idx], g2[idx], e2[idx], per_radian, per_efold, stiff[idx])
        if nodes.shape[1] > _MAX_STEPS:
            raise RuntimeError(f"dephasing-lz: {nodes.shape[1]} steps exceed {_MAX_STEPS}")
        sub_gamma = _gamma_fn(gam2 if callable(gam2) else gam2[idx], flag[idx])
        prop[idx] = window_propagator(_rates(g2[idx], e2[idx], sub_gamma), nodes,
                                      precision=precision)
        steps = max(steps, nodes.shape[1] - 1)
    out: dict[str, Any] = {"p": prop[:nb, 1, 0], "steps": steps}
    if coherent:
        out["p_coherent"] = prop[nb:, 1, 0]
    if limit:
        jets = _jets(g2, gam2, flag)
        th_m, lam_m = jets(-s2)
        z_m, _, _ = slow_fast_modes(th_m, lam_m, e2)
        x0 = manifold_state(z_m.value, tail_rate_integral(jets, e2, s2, -1))
        x_end = np.einsum("bij,bj->bi", prop, x0)
        th_p, lam_p = jets(s2)
        z_p, v_p, x_p = slow_fast_modes(th_p, lam_p, e2)
        p_lim = limit_population(x_end, z_p.value, v_p.value, x_p.value,
                                 tail_rate_integral(jets, e2, s2, +1))
        out["p_limit"] = p_lim[:nb]
        if coherent:
            out["p_coherent_limit"] = p_lim[nb:]
    return out


def transition_probability(eps: Any, g: Any = 1.0, gamma: Any = 0.0, s_max: Any = 30.0,
                           limit: bool = False, precision: str = "double") -> np.ndarray:
    """p(eps, gamma, s_max) = tr(P+_{s_max} U(s_max, -s_max) P-_{-s_max}) (paper 001, Eq. 2.8),
    or its ``s_max -> inf`` limit when ``limit``.  gamma may be a callable profile.  Shape (B,)."""
    res = solve_dephasing_lz(eps, g, gamma, s_max, coherent=False, limit=limit,
                             precision=precision)
    return res["p_limit"] if limit else res["p"]


# --------------------------------------------------------------------------- the model
def _validate(p: dict[str, np.ndarray]) -> None:
    require_positive("g", p["g"], _SRC)
    require_positive("eps", p["eps"], "paper 001, Eq. (2.6): adiabatic parameter")
    require_nonnegative("gamma", p["gamma"], "paper 001, Lemma 1: gamma >= 0")
    require_positive("s_max", p["s_max"], "window [-s_max, s_max]")
    prec = np.asarray(p["precision"]).astype(str)
    require("precision", prec, np.isin(prec, ["double", "extended"]),
            "must be 'double' or 'extended'")
    require("precision", prec, prec == prec.ravel()[0], "must be the same for the whole batch")
    steps = 4.0 * cf.dynamical_phase(p["s_max"], p["g"]) * np.hypot(1.0, p["gamma"]) / p["eps"]
    require("s_max", p["s_max"], steps <= _MAX_STEPS,
            f"s_max^2 sqrt(1+gamma^2)/eps must stay below ~{_MAX_STEPS / 2:.0e} (cost of resolving "
            "the phase)")


def _evaluate(params: dict[str, np.ndarray], times: np.ndarray | None, observables: list[str],
              options: dict[str, Any]) -> dict[str, Any]:
    g, eps, gamma, s_max = params["g"], params["eps"], params["gamma"], params["s_max"]
    want_limit = any(o in observables for o in ("transition_probability_limit",
                                                "coherent_part_limit", "remainder"))
    tail = 4.0 * eps / (s_max ** 2 + g ** 2)  # eps / e_S^2, expansion parameter of the tails
    if want_limit and np.any(tail > 0.05):
        warnings.warn("dephasing-lz: the s_max -> inf continuation needs eps/e(s_max)^2 << 1 "
                      f"(largest value {tail.max():.3g} > 0.05); increase s_max", ValidityWarning,
                      stacklevel=2)
    precision = str(np.asarray(params["precision"]).ravel()[0])
    res = solve_dephasing_lz(eps, g, gamma, s_max, coherent=True, limit=want_limit,
                             precision=precision)
    form = cf.formula(eps, g, gamma)
    values = {
        "transition_probability": res["p"],
        "coherent_part": res["p_coherent"],
        "incoherent_part": res["p"] - res["p_coherent"],
        "formula": form,
        "landau_zener": cf.landau_zener(g, eps),
    }
    if want_limit:
        values["transition_probability_limit"] = res["p_limit"]
        values["coherent_part_limit"] = res["p_coherent_limit"]
        values["remainder"] = res["p_limit"] - form
    out: dict[str, Any] = {k: values[k] for k in observables}
    out["_attrs"] = {"steps": int(res["steps"]), "precision": precision,
                     "integrator": "Magnus-6, adiabatic-frame Bloch",
                     "tail_expansion_parameter_max": float(tail.max()),
                     "formula_remainder_scale_max": float(np.max(gamma * (eps / g ** 2) ** 2)),
                     "accuracy": ("abs <= 1e-14 on p (rounding floor ~1e-18)" if precision == "double"
                                  else "abs <= 1e-14 on p (rounding floor ~1e-21)")}
    return out


MODEL = register(Model(
    name="dephasing-lz",
    paper="001",
    summary="Landau-Zener sweep under a dephasing Lindbladian: p vs eps, gamma; Eq. (1.5)",
    params=(
        Param("g", 1.0, "minimal gap of H_s = (1/2)[[s,g],[g,-s]] (Eq. 3.5); default 1 (paper: "
              "any g > 0)"),
        Param("eps", 0.1, "adiabatic parameter, eps d rho/ds = L_s rho (Eq. 2.6); default 0.1"),
        Param("gamma", 0.2, "dephasing strength gamma >= 0 (Eq. 3.1), constant; default 0.2"),
        Param("s_max", 30.0, "half window: evolution from -s_max to s_max; default 30"),
        Param("precision", "double", "propagator arithmetic: 'double' (rounding floor ~1e-18 on p) "
              "or 'extended' (np.longdouble, ~5x slower, floor ~1e-21; for p below ~1e-8)", kind="str",
              numerical=True),
    ),
    observables=(
        Observable("transition_probability", "p = tr(P+_S U(S,-S) P-_{-S}), S = s_max (Eq. 2.8)"),
        Observable("coherent_part", "p_c: same with gamma = 0 (Hamiltonian term of Eq. 3.16)"),
        Observable("incoherent_part", "p - p_c (the p_d of Eq. 3.16)"),
        Observable("formula", "Eq. (1.5): exp(-pi g^2/2eps) + 2 eps gamma/(3 g^2 (1+gamma^2))"),
        Observable("landau_zener", "exp(-pi g^2 / 2eps) (Eq. 1.2)"),
        Observable("transition_probability_limit", "p for s_max -> inf (superadiabatic tails)"),
        Observable("coherent_part_limit", "p_c for s_max -> inf (= Landau-Zener, Eq. 1.2)"),
        Observable("remainder", "R = p_limit - formula (Theorem 3: |R| <= C gamma eps^2)"),
    ),
    evaluate_fn=_evaluate,
    validate_fn=_validate,
))
