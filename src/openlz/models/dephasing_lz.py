"""Landau–Zener transitions under a dephasing Lindbladian (paper 001), batched over parameters.

Model (paper 001, Eqs. 1.1, 3.1-3.5): ``eps d rho/ds = L_s rho`` with

    L_s rho = -i[H_s, rho] - (gamma_s/2)[sqrt H_s, [sqrt H_s, rho]],   H_s = (1/2)[[s, g], [g, -s]],

``sqrt H = sgn(H) sqrt|H|`` (library form: one jump operator ``sqrt(gamma_s) sqrt(H_s)``).  The
time variable is the paper's ``s`` (physical time ``t = s/eps``); ``eps`` is the adiabatic
parameter, ``gamma`` the dephasing strength: a number, or with ``gamma_profile`` (an
expression in s, e.g. ``--set gamma_profile="1+tanh(s/2)"``) the profile gamma_s = gamma *
profile(s); the paper's Theorem 3 asks gamma, gamma' and gamma'' to be bounded.  The Python
function :func:`solve_dephasing_lz` also takes a callable ``gamma(s)``.

n levels (paper 001, Sec. 4): ``levels = n`` replaces H_s by the spin-j Landau–Zener
(Majorana) Hamiltonian s J_z + g J_x, j = (n-1)/2 (n = 2 is Eq. 3.5), with the same
dephasing form sqrt(gamma) sqrt(H); ``initial_level`` -> ``final_level`` (ascending energy,
0 = ground) are the levels of the transition.  ``formula`` is then Sec. 4's
p_c + eps int tr(P_i (P_f')^2 P_i) 2 Re(-1/lambda_fi) ds with the coherent p_c of Majorana's
formula (``analytic.dephasing_lz.majorana_probability``); the ``*_limit`` and superadiabatic
observables exist for n = 2 only.

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
``formula_finite_interval`` is Eq. (1.3) on the window [-s_max, s_max]: the O(eps)
incoherent probability on a finite interval (no coherent term; compare with
``transition_probability``, which it matches to O(eps^2)).
``transition_probability_superadiabatic`` is the upper-band population at +s_max in the
superadiabatic basis (the slow mode of ``openlz.solve.dephasing_bloch``) from the
superadiabatic ground state at -s_max (the slow-manifold state reached from s = -inf);
at gamma = 0 it increases monotonically to Eq. (1.2) (paper 001, text after Eq. 1.2),
where the adiabatic-basis p oscillates.

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
from ..core.validation import parse_expression, require, require_nonnegative, require_positive
from ..errors import ParameterError, ValidityWarning
from .base import Model, Observable, Param, register
from .dephasing_lz_solver import (
    MAX_STEPS,
    solve_dephasing_lz,
    solve_spin_lz,
    step_nodes,
    transition_probability,
)

__all__ = ["MODEL", "solve_dephasing_lz", "solve_spin_lz", "transition_probability", "step_nodes",
           "gamma_profile"]

_SRC = "paper 001, Eq. (3.5)"
_LIMIT_ONLY_TWO = ("transition_probability_limit", "coherent_part_limit", "remainder",
                   "transition_probability_superadiabatic", "coherent_part_superadiabatic")


def gamma_profile(text: str) -> Any:
    """The profile function of ``--set gamma_profile=...`` (None for an empty string)."""
    text = str(text).strip()
    return parse_expression("gamma_profile", text) if text else None


def _same(name: str, values: np.ndarray) -> Any:
    v = np.asarray(values).ravel()
    require(name, values, v == v[0], "must be the same for the whole batch")
    return v[0]


def _validate(p: dict[str, np.ndarray]) -> None:
    require_positive("g", p["g"], _SRC)
    require_positive("eps", p["eps"], "paper 001, Eq. (2.6): adiabatic parameter")
    require_nonnegative("gamma", p["gamma"], "paper 001, Lemma 1: gamma >= 0")
    require_positive("s_max", p["s_max"], "window [-s_max, s_max]")
    prec = np.asarray(p["precision"]).astype(str)
    require("precision", prec, np.isin(prec, ["double", "extended"]),
            "must be 'double' or 'extended'")
    _same("precision", prec)
    n = np.asarray(p["levels"])
    require("levels", n, (n >= 2) & (n <= 12), "must be an integer in [2, 12] (spin-j LZ, "
            "n = 2j + 1 levels, paper 001 Sec. 4; the cost grows as n^6)")
    n = int(_same("levels", n))
    for name in ("initial_level", "final_level"):
        lev = np.asarray(p[name])
        require(name, lev, (lev >= 0) & (lev < n), f"must be a level index in [0, {n}) "
                "(ascending energy, 0 = ground state)")
        _same(name, lev)
    require("final_level", p["final_level"], p["final_level"] != p["initial_level"],
            "must differ from initial_level")
    prof_text = str(_same("gamma_profile", np.asarray(p["gamma_profile"]).astype(str)))
    prof = gamma_profile(prof_text)
    gmax = p["gamma"]
    if prof is not None:
        probe = np.linspace(-1.0, 1.0, 401)[None, :] * np.atleast_1d(p["s_max"]).astype(float)[:, None]
        vals = prof(probe)
        require("gamma_profile", prof_text, bool(np.all(np.isfinite(vals))),
                "must be finite on [-s_max, s_max] (Theorem 3: gamma_s bounded)")
        require("gamma_profile", prof_text, bool(np.all(vals >= 0)),
                "must be >= 0 on [-s_max, s_max] (Lemma 1: gamma_s >= 0)")
        gmax = p["gamma"] * np.max(vals, axis=-1).reshape(np.shape(p["s_max"]))
    steps = 4.0 * cf.dynamical_phase(p["s_max"], p["g"]) * np.hypot(1.0, gmax) / p["eps"] * (n - 1)
    require("s_max", p["s_max"], steps <= MAX_STEPS,
            f"(n-1) s_max^2 sqrt(1+gamma^2)/eps must stay below ~{MAX_STEPS / 2:.0e} (cost of "
            "resolving the phase)")


def _sweep_start(params: dict[str, np.ndarray]) -> np.ndarray:
    """s = -s_max"""
    return -np.asarray(params["s_max"], dtype=float)


def _per_point(gamma: np.ndarray, prof: Any) -> Any:
    """gamma_s for the batch: gamma (B,) times profile(s), s (B, ...); or the numbers."""
    if prof is None:
        return gamma
    return lambda s: gamma.reshape(gamma.shape + (1,) * (np.ndim(s) - 1)) * prof(s)


def _evaluate(params: dict[str, np.ndarray], times: np.ndarray | None, observables: list[str],
              options: dict[str, Any]) -> dict[str, Any]:
    g, eps, gamma, s_max = params["g"], params["eps"], params["gamma"], params["s_max"]
    n = int(np.asarray(params["levels"]).ravel()[0])
    i, f = (int(np.asarray(params[k]).ravel()[0]) for k in ("initial_level", "final_level"))
    prof = gamma_profile(str(np.asarray(params["gamma_profile"]).ravel()[0]))
    precision = str(np.asarray(params["precision"]).ravel()[0])
    two = n == 2 and (i, f) == (0, 1)
    if not two and list(observables) == list(MODEL.default_observables):
        observables = [o for o in observables if o not in _LIMIT_ONLY_TWO]
    bad = [o for o in observables if o in _LIMIT_ONLY_TWO]
    if bad and not two:
        raise ParameterError("levels", n, f"observable {bad[0]!r} exists only for levels = 2, "
                             "initial_level = 0, final_level = 1 (the superadiabatic tails are "
                             "two-level)")
    want_limit = any(o in observables for o in ("transition_probability_limit",
                                                "coherent_part_limit", "remainder"))
    want_sa = any(o.endswith("_superadiabatic") for o in observables)
    tail = 4.0 * eps / (s_max ** 2 + g ** 2)  # eps / e_S^2, expansion parameter of the tails
    if (want_limit or want_sa) and np.any(tail > 0.05):
        warnings.warn("dephasing-lz: the s_max -> inf continuation and the superadiabatic basis "
                      f"need eps/e(s_max)^2 << 1 (largest value {tail.max():.3g} > 0.05); "
                      "increase s_max", ValidityWarning, stacklevel=2)
    gam = _per_point(gamma, prof)
    if two:
        res = solve_dephasing_lz(eps, g, gamma, s_max, coherent=True, limit=want_limit,
                                 precision=precision, profile=prof, superadiabatic=want_sa)
        lz_c = cf.landau_zener(g, eps)
    else:
        res = solve_spin_lz(n, eps, g, gamma, s_max, i, f, coherent=True, precision=precision,
                            profile=prof)
        lz_c = cf.majorana_probability(cf.landau_zener(g, eps), n, i, f)
    form = lz_c + cf.spin_incoherent_part(eps, g, gam, n, i, f)
    if {"formula", "remainder"} & set(observables):
        # Eq. (1.5) is an expansion for small eps/g^2 (p depends on g^2/eps and gamma only,
        # paper 001 after Eq. 1.5): outside that regime it is not a probability (issue 12:
        # 1.18 at g = 0.158, eps = 0.0555)
        outside = (eps / g ** 2 > 1.0) | (form > 1.0)
        if np.any(outside):
            k = int(np.argmax(outside))
            warnings.warn(f"dephasing-lz: 'formula' (Eq. 1.5) is an asymptotic expansion for "
                          f"eps/g^2 << 1, used at eps/g^2 = {float((eps / g ** 2)[k]):.3g} "
                          f"(formula = {float(form[k]):.3g}) at {int(outside.sum())} of "
                          f"{outside.size} points; outside its regime it is not a probability",
                          ValidityWarning, stacklevel=2)
    values = {
        "transition_probability": res["p"],
        "coherent_part": res["p_coherent"],
        "incoherent_part": res["p"] - res["p_coherent"],
        "formula": form,
        "formula_finite_interval": cf.spin_incoherent_part(eps, g, gam, n, i, f, s_max),
        "landau_zener": cf.landau_zener(g, eps),
    }
    if want_limit:
        values["transition_probability_limit"] = res["p_limit"]
        values["coherent_part_limit"] = res["p_coherent_limit"]
        values["remainder"] = res["p_limit"] - form
    if want_sa:
        values["transition_probability_superadiabatic"] = res["p_superadiabatic"]
        values["coherent_part_superadiabatic"] = res["p_coherent_superadiabatic"]
    out: dict[str, Any] = {k: values[k] for k in observables}
    out["_attrs"] = {"steps": int(res["steps"]), "precision": precision,
                     "integrator": ("Magnus-6, adiabatic-frame Bloch" if two else
                                    f"Magnus-6, adiabatic-frame spin-{(n - 1) / 2:g} "
                                    "density matrix"),
                     "tail_expansion_parameter_max": float(tail.max()),
                     "formula_remainder_scale_max": float(np.max(gamma * (eps / g ** 2) ** 2)),
                     "accuracy": ("abs <= 1e-14 on p (rounding floor ~1e-18)" if two else
                                  "abs <= 1e-9 on p (tests against QuTiP, n = 3, 4; 1e-11 at "
                                  "gamma = 0 against Majorana's formula)"),
                     "hamiltonian": "(1/2)[[s, g], [g, -s]]" if n == 2 else
                                    f"s J_z + g J_x, spin {(n - 1) / 2:g}",
                     "gamma_profile": (prof.__doc__ if prof is not None else "constant")}
    return out


MODEL = register(Model(
    name="dephasing-lz",
    paper="001",
    summary="Landau-Zener sweep under a dephasing Lindbladian: p vs eps, gamma; Eq. (1.5)",
    params=(
        Param("g", 1.0, "minimal gap of H_s = (1/2)[[s,g],[g,-s]] (Eq. 3.5); default 1 (paper: "
              "any g > 0)"),
        Param("eps", 0.1, "adiabatic parameter, eps d rho/ds = L_s rho (Eq. 2.6); default 0.1"),
        Param("gamma", 0.2, "dephasing strength gamma >= 0 (Eq. 3.1); times gamma_profile(s) if "
              "given; default 0.2"),
        Param("gamma_profile", "", "profile of gamma_s = gamma * profile(s): an expression in s "
              "(numbers, + - * / **, pi, e, exp, tanh, cosh, ...), e.g. '1/cosh(s/3)**2'; "
              "empty (default): constant", kind="str"),
        Param("s_max", 30.0, "half window: evolution from -s_max to s_max; default 30"),
        Param("levels", 2, "number of levels n: 2 = Eq. (3.5); n > 2: spin-j LZ s J_z + g J_x, "
              "j = (n-1)/2 (Sec. 4); default 2", kind="int"),
        Param("initial_level", 0, "level the sweep starts in (ascending energy, 0 = ground)",
              kind="int"),
        Param("final_level", 1, "level whose population at +s_max is the transition probability",
              kind="int"),
        Param("precision", "double", "propagator arithmetic: 'double' (rounding floor ~1e-18 on p) "
              "or 'extended' (np.longdouble, ~5x slower, floor ~1e-21; for p below ~1e-8)", kind="str",
              numerical=True),
    ),
    observables=(
        Observable("transition_probability", "p = tr(P_f(S) U(S,-S) P_i(-S)), S = s_max (Eq. 2.8)"),
        Observable("coherent_part", "p_c: same with gamma = 0 (Hamiltonian term of Eq. 3.16)"),
        Observable("incoherent_part", "p - p_c (the p_d of Eq. 3.16)"),
        Observable("formula", "Eq. (1.5): exp(-pi g^2/2eps) + 2 eps gamma/(3 g^2 (1+gamma^2)); "
                   "n levels: Sec. 4 with Majorana's p_c; an expansion for eps/g^2 << 1 (warns "
                   "beyond eps/g^2 = 1 or above 1)"),
        Observable("formula_finite_interval", "Eq. (1.3) on [-s_max, s_max]: O(eps) incoherent "
                   "probability on the finite interval"),
        Observable("landau_zener", "exp(-pi g^2 / 2eps) (Eq. 1.2)"),
        Observable("transition_probability_limit", "p for s_max -> inf (superadiabatic tails)"),
        Observable("coherent_part_limit", "p_c for s_max -> inf (= Landau-Zener, Eq. 1.2)"),
        Observable("remainder", "R = p_limit - formula (Theorem 3: |R| <= C gamma eps^2)"),
        Observable("transition_probability_superadiabatic", "p at +s_max in the superadiabatic "
                   "basis (text after Eq. 1.2)"),
        Observable("coherent_part_superadiabatic", "the same at gamma = 0: monotone in s_max "
                   "(text after Eq. 1.2)"),
    ),
    evaluate_fn=_evaluate,
    validate_fn=_validate,
    default_observables=("transition_probability", "coherent_part", "incoherent_part", "formula",
                         "formula_finite_interval", "landau_zener", "transition_probability_limit",
                         "coherent_part_limit", "remainder"),
    initial_time=_sweep_start,
    initial_time_doc="paper 001, Eq. (2.8) at T = s_max: rho(-s_max) = P_i(-s_max), the "
                     "initial level's eigenprojection (levels ascending, default the lower "
                     "band); the *_limit and *_superadiabatic observables (Eq. 2.8's T -> inf; "
                     "the text after Eq. 1.2) start on the superadiabatic manifold reached "
                     "from s = -inf (openlz.solve.dephasing_bloch). No "
                     "time-resolved observables: the answer is taken at s = +s_max",
))
