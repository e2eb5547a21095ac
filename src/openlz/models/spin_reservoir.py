"""Model ``spin-reservoir``: a driven spin swept across the levels of a finite spin reservoir.

Paper 003, Sec. II, Eqs. (1)–(23), Fig. 2.  H(t) = ε_t σ^z + Σ_n ε_n σ^z_n +
Σ_n (ν_n σ^+ σ^-_n + H.c.).  Paper's case (defaults): ε_t = ε̇ t, ε_n = n Δε (n = 1..L),
ν_n = ν, a grand-canonical product reservoir a_n = f_n = 1/(exp(2β(ε_n - μ)) + 1), q_n = 0,
and a system state ρ_S = [[p0, k0], [k0*, 1-p0]].  Beyond the paper's figures (all in its
Eqs. 6–15): reservoir coherence q_n = ``q_re`` + i ``q_im`` (equal for all n, the
⟨↑|ρ_n|↓⟩ of Eq. 15 at t = 0; ``q_relative=true`` makes it a fraction of the positivity bound
sqrt(a_n(1 - a_n))), level energies and couplings from expressions in n (``levels``,
``couplings``), and an increasing non-linear sweep ε_t (``ramp``, an expression in t).
Three descriptions of the same dynamics:

* **Markov chain** (Eqs. 13–14; Eqs. 16–17 for q = 0): one Landau–Zener collision per
  reservoir level, with R_n, δ_n, ϕ_n, α_n per crossing (Eqs. 9–11, observables on the
  ``level`` axis), sampled at τ_1 = 0, τ_n = (t_n + t_{n-1})/2 and τ_{L+1} after the last level
  (:mod:`openlz.models.spin_reservoir_chain`).  ``chain_phase``: ``"paper"`` uses α_n of
  Eq. (9) and Eq. (8) verbatim; ``"adiabatic"`` adds the adiabatic dynamical phases η_n
  (diagonal; non-zero for the off-centre first interval [0, τ_2]) and ζ_n (exchange amplitude;
  matters only with reservoir coherence); ``"dressed"`` uses the free phase 2∫ε_t dt plus the
  adiabatic level shifts of *all* reservoir spins (openlz extension).  ``collision``:
  ``"exact"`` is the partial trace of Eq. (8) (what the exact numerics confirm), ``"printed"``
  Eqs. (13)–(14) as printed (ϕ → -ϕ).  For q = 0, p_n and |k_n| depend on neither choice.
* **Continuous-time Landau–Zener master equation** (Eqs. 22–23, Lindblad form):
  dp/dt = Γ (f(ε_t) - p), dk/dt = -2iε_t k - Γ k/2, Γ = π D̄ |ν|², D̄ = 1/Δε.  In the library's
  Lindblad convention: L_+ = sqrt(Γ f(ε_t)) σ^+, L_- = sqrt(Γ (1 - f(ε_t))) σ^-, H = ε_t σ^z.
  Eq. (19) (rate ε̇ D̄ (1 - R) instead of Γ) is also returned (``p_continuous_eq19``).  With
  profiles D̄ and ν are interpolated in ε_t; the equations ignore q (derived for q = 0).
* **Exact** dynamics of Eq. (1) (:func:`openlz.solve.exact_spins.exact_spin_dynamics`):
  magnetization sectors, exact configuration sum (or typicality) over the reservoir state,
  interaction-picture DOP853.  Not the paper's Crank–Nicolson.  With q ≠ 0 the initial state
  is not block-diagonal in the magnetization; each pure component is split over the sectors.
  Every exact observable carries the accuracy of the reservoir average per point as variable
  attributes: ``exact_method``, ``missing_weight`` and ``error_bound_p`` (configuration sum; a
  ``TruncationWarning`` when ``max_configs`` truncates it beyond ``config_tol``) and
  ``typicality_error_estimate`` (typicality: sqrt(Tr ρ_B² / samples)).

Known finite-time-phase caveats of the chain with reservoir coherence (measured by the tests
against the exact solver): with ``chain_phase="paper"`` the q terms carry the wrong phase
(Eq. 8 omits ζ_n, ~Δε²/(4ε̇) per crossing), so p_n misses the exact populations by up to
~2 sqrt(R(1-R)) |k q|; ``"adiabatic"`` restores them in the fast regime.  The level shifts of
the reservoir spins by the system, and the spins' mean-field precession, are in no chain.

Observables on the ``crossing`` axis (n = 1..L+1, times ``t_crossing`` = τ_n), on the
``level`` axis (n = 1..L) and, on request, on the ``time`` axis (``*_t``).

Initial time: t = 0, fixed by the paper ("initial states at time t = 0", τ_1 = 0, Sec. II;
Eq. 21 integrates from 0).  Every description starts there, whatever times are requested;
times before 0 are refused.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..analytic.landau_zener import fermi_spin_occupation
from ..analytic.ramps import LinearRamp, ProfileRamp
from ..core.validation import (
    require,
    require_finite,
    require_nonnegative,
    require_positive,
    require_tolerance,
)
from ..errors import ParameterError, ValidityWarning
from ..solve.exact_spins import exact_spin_dynamics
from ..solve.ode import ODEOptions
from .base import Model, Observable, Param, register
from .spin_reservoir_chain import (
    CHAIN_PHASES,
    COLLISIONS,
    ChainGeometry,
    chain_geometry,
    continuous_lz,
    continuous_lz_profile,
    crossing_times,
    lz_chain,
    lz_chain_general,
    uniform_geometry,
    validity_report,
)

__all__ = ["MODEL", "crossing_times", "lz_chain", "continuous_lz", "validity_report",
           "point_profiles"]

_SRC = "paper 003, Sec. II"
#: the paper's initial time ("initial states at time t = 0", τ_1 = 0; Sec. II)
INITIAL_TIME = 0.0
_VARS = {"levels": ("n", "L", "level_spacing"), "couplings": ("n", "L", "nu", "level_spacing"),
         "ramp": ("t", "rate", "level_spacing")}


def _expression(name: str, text: str):
    from ..core.validation import parse_expression

    return parse_expression(name, text, _VARS[name])


def _is_uniform(params: dict[str, np.ndarray]) -> bool:
    return bool(np.all(params["levels"] == "uniform") and np.all(params["couplings"] == "uniform")
                and np.all(params["ramp"] == "linear"))


def point_profiles(params: dict[str, np.ndarray], b: int
                   ) -> tuple[np.ndarray, np.ndarray, LinearRamp | ProfileRamp]:
    """(ε_n (L,), ν_n (L,), ramp) of batch point b from the model parameters."""
    L = int(params["L"][b])
    de, nu, rate = float(params["level_spacing"][b]), float(params["nu"][b]), \
        float(params["rate"][b])
    n = np.arange(1, L + 1, dtype=float)
    lv, cp, rp = (str(params[k][b]) for k in ("levels", "couplings", "ramp"))
    eps = de * n if lv == "uniform" else np.array(_expression("levels", lv)(n, L, de), float)
    nus = np.full(L, nu) if cp == "uniform" else \
        np.array(_expression("couplings", cp)(n, L, nu, de), float)
    if rp == "linear":
        ramp: LinearRamp | ProfileRamp = LinearRamp(rate)
    else:
        fn = _expression("ramp", rp)
        ramp = ProfileRamp(lambda t, fn=fn, rate=rate, de=de: fn(t, rate, de), text=rp)
    return eps, nus, ramp


def _geometry(params: dict[str, np.ndarray]) -> ChainGeometry:
    L = int(params["L"][0])
    if _is_uniform(params):
        return uniform_geometry(L, params["level_spacing"], params["nu"], params["rate"])
    prof = [point_profiles(params, b) for b in range(params["L"].size)]
    return chain_geometry(np.stack([p[0] for p in prof]), np.stack([p[1] for p in prof]),
                          [p[2] for p in prof])


def _reservoir(params: dict[str, np.ndarray], eps: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray | None]:
    """a_n (B, L) thermal (after Eq. 15) and q_n (B, L) at t = 0 (None if all zero)."""
    a = fermi_spin_occupation(eps, params["beta"][:, None], params["mu"][:, None])
    q = (params["q_re"] + 1j * params["q_im"])[:, None] * np.ones_like(a)
    if np.any(params["q_relative"]):
        q = np.where(params["q_relative"][:, None], q * np.sqrt(a * (1 - a)), q)
    return a, (q if np.any(q != 0) else None)


_CROSS = ("crossing",)
_LEVEL = ("level",)
_OBS = (
    Observable("t_crossing", "sampling times τ_n of the chain (Sec. II), n = 1..L+1", _CROSS,
               "time"),
    Observable("p_chain", "Markov chain population p_n (Eq. 13; Eq. 16 for q = 0)", _CROSS),
    Observable("abs_k_chain", "Markov chain |k_n| (Eq. 14; Eq. 17 for q = 0)", _CROSS),
    Observable("re_k_chain", "Re k_n, Markov chain (Eq. 14, phase per chain_phase)", _CROSS),
    Observable("im_k_chain", "Im k_n, Markov chain (Eq. 14)", _CROSS),
    Observable("p_continuous", "continuous-time LZ master equation p(τ_n) (Eq. 22)", _CROSS),
    Observable("abs_k_continuous", "|k(τ_n)| of Eq. (23)", _CROSS),
    Observable("re_k_continuous", "Re k(τ_n) of Eq. (23)", _CROSS),
    Observable("p_continuous_eq19", "p(τ_n) of Eq. (19) (rate ε̇ D̄ (1-R))", _CROSS),
    Observable("p_exact", "exact p(τ_n) of the full Hamiltonian Eq. (1)", _CROSS),
    Observable("abs_k_exact", "exact |k(τ_n)|, Eq. (1)", _CROSS),
    Observable("re_k_exact", "exact Re k(τ_n), Eq. (1)", _CROSS),
    Observable("im_k_exact", "exact Im k(τ_n), Eq. (1)", _CROSS),
    Observable("eps_n", "reservoir level energies ε_n (Eq. 1)", _LEVEL, "energy"),
    Observable("nu_n", "couplings ν_n (Eq. 1)", _LEVEL, "energy"),
    Observable("crossing_time", "crossing times t_n, ε_{t_n} = ε_n (Sec. II)", _LEVEL, "time"),
    Observable("crossing_rate", "sweep rate ε̇_n = dε_t/dt at t_n (Eqs. 9-10)", _LEVEL,
               "energy/time"),
    Observable("delta_n", "adiabaticity δ_n = |ν_n|²/(2ε̇_n) (Eq. 10)", _LEVEL),
    Observable("R_n", "diabatic survival R_n = exp(-2πδ_n) (Eq. 10)", _LEVEL),
    Observable("stokes_phase_n", "Stokes phase ϕ_n (Eq. 11)", _LEVEL),
    Observable("alpha_n", "finite-time phase α_n (Eq. 9; ramp linearised at t_n)", _LEVEL),
    Observable("p_continuous_t", "p(t) of Eq. (22) on the time grid", ("time",)),
    Observable("re_k_continuous_t", "Re k(t) of Eq. (23) on the time grid", ("time",)),
    Observable("abs_k_continuous_t", "|k(t)| of Eq. (23) on the time grid", ("time",)),
    Observable("p_exact_t", "exact p(t), Eq. (1), on the time grid", ("time",)),
    Observable("re_k_exact_t", "exact Re k(t), Eq. (1), on the time grid", ("time",)),
    Observable("abs_k_exact_t", "exact |k(t)|, Eq. (1), on the time grid", ("time",)),
)


def _scalar(params: dict[str, np.ndarray], name: str) -> Any:
    v = params[name]
    if np.unique(v).size != 1:
        raise ParameterError(name, v.tolist(), "must be the same for every batch point "
                             "(it sets array shapes or the solver)")
    return v[0].item() if hasattr(v[0], "item") else v[0]


def _broadcast(params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    B = np.broadcast_shapes(*(np.shape(np.atleast_1d(v)) for v in params.values()))
    return {k: np.broadcast_to(np.atleast_1d(v), B).ravel() for k, v in params.items()}


def _validate_profiles(params: dict[str, np.ndarray]) -> None:
    full = _broadcast(params)
    for b in range(full["L"].size):
        eps, nus, ramp = point_profiles(full, b)
        if not np.all(np.isfinite(eps)) or np.any(np.diff(eps) <= 0):
            raise ParameterError("levels", str(full["levels"][b]), "must give finite ε_n that "
                                 "increase strictly with n = 1..L", f"{_SRC}, Eq. (2)")
        if not np.all(np.isfinite(nus)):
            raise ParameterError("couplings", str(full["couplings"][b]),
                                 "must give finite ν_n for n = 1..L", f"{_SRC}, Eq. (1)")
        ramp.crossings(eps)  # ParameterError on a ramp that does not cross every level once


def _validate(params: dict[str, np.ndarray]) -> None:
    L = params["L"]
    require("L", L, L >= 1, "must be >= 1", _SRC)
    require("L", L, L <= 200, "must be <= 200 (exact solver sectors and chain length)")
    for name in ("level_spacing", "rate"):
        require_positive(name, params[name], _SRC)
    require_finite("nu", params["nu"], _SRC)
    require_nonnegative("beta", params["beta"], _SRC)
    require_finite("mu", params["mu"], _SRC)
    p0 = params["p0"]
    require("p0", p0, (p0 >= 0) & (p0 <= 1), "must be in [0, 1]", "paper 003, Eq. (12)")
    k2 = params["k0_re"] ** 2 + params["k0_im"] ** 2
    require("k0_re", np.sqrt(k2), k2 <= p0 * (1 - p0) + 1e-12,
            "|k0|^2 = k0_re^2 + k0_im^2 must be <= p0 (1 - p0) (positive initial state)",
            "paper 003, Eq. (12)")
    for ph in np.atleast_1d(params["chain_phase"]):
        if ph not in CHAIN_PHASES:
            raise ParameterError("chain_phase", ph, "must be 'paper', 'adiabatic' or 'dressed'")
    for c in np.atleast_1d(params["collision"]):
        if c not in COLLISIONS:
            raise ParameterError("collision", c, "must be 'exact' (partial trace of Eq. 8) or "
                                 "'printed' (Eqs. 13-14 as printed)", f"{_SRC}, Eqs. (8), (13)")
    for m in np.atleast_1d(params["exact_method"]):
        if m not in ("auto", "configurations", "typicality"):
            raise ParameterError("exact_method", m, "must be auto, configurations or typicality")
    require_tolerance("exact_rtol", params["exact_rtol"], 1e-13, 1e-3,
                      "exact ODE tolerance, documented range")
    require_tolerance("config_tol", params["config_tol"], 0.0, 0.1,
                      "missing weight of the configuration sum, documented range")
    require("samples", params["samples"], params["samples"] >= 1, "must be >= 1")
    require("max_configs", params["max_configs"], params["max_configs"] >= 1, "must be >= 1")
    for name in ("q_re", "q_im"):
        require_finite(name, params[name], "paper 003, Eq. (15)")
    if not (np.all(params["levels"] == "uniform") and np.all(params["couplings"] == "uniform")
            and np.all(params["ramp"] == "linear")):
        _validate_profiles(params)
    _validate_coherence(params)


def _validate_coherence(params: dict[str, np.ndarray]) -> None:
    """|q_n|² <= a_n (1 - a_n) for every level (the reservoir spin state of Eq. 15 must be
    positive); with q_relative, |q_re + i q_im| <= 1."""
    q = np.atleast_1d(params["q_re"] + 1j * params["q_im"])
    if not np.any(q != 0):
        return
    rel = np.atleast_1d(params["q_relative"])
    require("q_re", np.abs(q), ~np.broadcast_to(rel, q.shape) | (np.abs(q) <= 1 + 1e-12),
            "|q_re + i q_im| must be <= 1 with q_relative=true (fraction of sqrt(a_n(1-a_n)))",
            "paper 003, Eq. (15)")
    full = _broadcast(params)
    for b in range(full["L"].size):
        if full["q_relative"][b] or (full["q_re"][b] == 0 and full["q_im"][b] == 0):
            continue
        eps = point_profiles(full, b)[0]
        a = fermi_spin_occupation(eps, full["beta"][b], full["mu"][b])
        qb = abs(complex(full["q_re"][b], full["q_im"][b]))
        bad = np.nonzero(qb > np.sqrt(a * (1 - a) + 1e-15))[0]  # no float overflow of qb**2
        if bad.size:
            n = int(bad[0])
            raise ParameterError(
                "q_re", qb, f"|q| = |q_re + i q_im| = {qb:.6g} must be <= sqrt(a_n (1 - a_n)) = "
                f"{np.sqrt(a[n] * (1 - a[n])):.6g} at n = {n + 1} (ε_n = {eps[n]:g}; the "
                f"reservoir spin state must be positive; q_relative=true scales q by that "
                f"bound)", "paper 003, Eq. (15)")


def _evaluate(params: dict[str, np.ndarray], times: np.ndarray | None, observables: list[str],
              options: dict) -> dict[str, Any]:
    L = int(_scalar(params, "L"))
    beta, mu, p0 = params["beta"], params["mu"], params["p0"]
    k0 = params["k0_re"] + 1j * params["k0_im"]
    B = p0.size
    uniform = _is_uniform(params)
    geom = _geometry(params)
    a, q = _reservoir(params, geom.eps)
    report = validity_report(geom)
    if not all(report["eq2_spacing_gt_2nu"]):
        warnings.warn("paper 003 Eq. (2) violated: level spacing Δε > 2|ν| does not hold; "
                      "crossings overlap", ValidityWarning, stacklevel=2)
    if not all(report["eq3_spacing_ge_bound"]):
        warnings.warn("paper 003 Eq. (3) violated: Δε > sqrt(ε̇) max(1, 2|ν|/sqrt(ε̇)) does not "
                      "hold; crossings are not complete before the next one", ValidityWarning,
                      stacklevel=2)
    out: dict[str, Any] = {}
    tau = geom.tau
    want = set(observables)
    out["t_crossing"] = tau
    out.update(eps_n=geom.eps, nu_n=geom.nu.real, crossing_time=geom.t_cross,
               crossing_rate=geom.rate_n, delta_n=geom.delta, R_n=geom.R,
               stokes_phase_n=geom.stokes, alpha_n=geom.alpha)
    if want & {"p_chain", "abs_k_chain", "re_k_chain", "im_k_chain"}:
        p, k = lz_chain_general(geom, a, q, p0, k0, str(_scalar(params, "chain_phase")),
                                str(_scalar(params, "collision")))
        out.update(p_chain=p, abs_k_chain=np.abs(k), re_k_chain=k.real, im_k_chain=k.imag)
    de, nu, rate = params["level_spacing"], params["nu"], params["rate"]
    cont = {"p_continuous", "abs_k_continuous", "re_k_continuous", "p_continuous_eq19"}
    if want & cont and uniform:
        # τ_n = u_n Δε/ε̇ with u_n shared by every point: one batched solve in units of Δε/ε̇
        unit = de / rate
        u = tau[0] / unit[0]
        args = (de, nu, rate, beta, mu, p0, k0, u)
        pc, kc = continuous_lz(*args, time_unit=unit)
        p19 = continuous_lz(*args, eq19=True, time_unit=unit)[0]
        out.update(p_continuous=pc, abs_k_continuous=np.abs(kc), re_k_continuous=kc.real,
                   p_continuous_eq19=p19)
    elif want & cont:
        rows = [continuous_lz_profile(geom.eps[b], geom.nu[b], geom.ramps[b], beta[b], mu[b],
                                      p0[b], k0[b], tau[b]) for b in range(B)]
        kc = np.stack([r[1] for r in rows])
        out.update(p_continuous=np.stack([r[0] for r in rows]), abs_k_continuous=np.abs(kc),
                   re_k_continuous=kc.real,
                   p_continuous_eq19=np.stack([continuous_lz_profile(
                       geom.eps[b], geom.nu[b], geom.ramps[b], beta[b], mu[b], p0[b], k0[b],
                       tau[b], eq19=True)[0] for b in range(B)]))
    need_t = want & {"p_continuous_t", "re_k_continuous_t", "abs_k_continuous_t",
                     "p_exact_t", "re_k_exact_t", "abs_k_exact_t"}
    if need_t and times is None:
        raise ParameterError("times", None, "time-resolved observables need --times")
    if need_t & {"p_continuous_t", "re_k_continuous_t", "abs_k_continuous_t"}:
        if uniform:
            pt, kt = continuous_lz(de, nu, rate, beta, mu, p0, k0, times)
        else:
            rows = [continuous_lz_profile(geom.eps[b], geom.nu[b], geom.ramps[b], beta[b],
                                          mu[b], p0[b], k0[b], times) for b in range(B)]
            pt, kt = np.stack([r[0] for r in rows]), np.stack([r[1] for r in rows])
        out.update(p_continuous_t=pt, re_k_continuous_t=kt.real, abs_k_continuous_t=np.abs(kt))
    exact_names = {"p_exact", "abs_k_exact", "re_k_exact", "im_k_exact", "p_exact_t",
                   "re_k_exact_t", "abs_k_exact_t"}
    infos = []
    if want & exact_names:
        T = 0 if times is None else times.size
        pe, ke = np.empty((B, L + 1)), np.empty((B, L + 1), dtype=complex)
        pt, kt = np.empty((B, T)), np.empty((B, T), dtype=complex)
        method = str(_scalar(params, "exact_method"))
        for b in range(B):  # one exact many-body solve per parameter point
            grid = tau[b] if times is None else np.concatenate([tau[b], times])
            uniq, inv = np.unique(grid, return_inverse=True)
            rtol = float(params["exact_rtol"][b])
            res = exact_spin_dynamics(geom.eps[b], geom.nu[b], geom.ramps[b], a[b], p0[b],
                                      k0[b], uniq, method=method,
                                      tol=float(params["config_tol"][b]),
                                      samples=int(params["samples"][b]),
                                      max_configs=int(params["max_configs"][b]),
                                      options=ODEOptions(rtol=rtol, atol=1e-3 * rtol),
                                      t0=INITIAL_TIME, q=None if q is None else q[b])
            pe[b], ke[b] = res.p[inv[:L + 1]], res.k[inv[:L + 1]]
            if T:
                pt[b], kt[b] = res.p[inv[L + 1:]], res.k[inv[L + 1:]]
            infos.append({k: v for k, v in res.info.items() if k != "sectors"})
        out.update(p_exact=pe, abs_k_exact=np.abs(ke), re_k_exact=ke.real, im_k_exact=ke.imag)
        if T:
            out.update(p_exact_t=pt, re_k_exact_t=kt.real, abs_k_exact_t=np.abs(kt))
        # accuracy of the reservoir average, per batch point, on every exact observable
        acc = {"exact_method": [i["method"] for i in infos],
               "missing_weight": [i.get("missing_weight", float("nan")) for i in infos],
               "error_bound_p": [i.get("error_bound", float("nan")) for i in infos],
               "typicality_error_estimate": [i.get("typicality_error_estimate", float("nan"))
                                             for i in infos]}
        if q is not None:
            acc["dropped_weight"] = [i.get("dropped_weight", 0.0) for i in infos]
        var_attrs = {name: acc for name in exact_names if name in want}
    result = {k: v for k, v in out.items() if k in want}
    coords: dict[str, Any] = {"crossing": np.arange(1, L + 2), "level": np.arange(1, L + 1)}
    if np.allclose(tau, tau[:1]):
        coords["crossing_times"] = ("crossing", tau[0])
    result["_coords"] = coords
    result["_attrs"] = {"validity": report, "exact_solver": infos}
    if uniform:
        result["_attrs"]["gamma"] = (np.pi * np.abs(nu) ** 2 / de).tolist()
    if want & exact_names:
        result["_var_attrs"] = var_attrs
    return result


MODEL = register(Model(
    name="spin-reservoir",
    paper="003",
    summary="Driven spin swept across L reservoir spins: Landau-Zener Markov chain, "
            "continuous-time LZ master equation and exact dynamics (Eqs. 1-23, Fig. 2)",
    params=(
        Param("L", 10, "number of reservoir spins (Fig. 2: 10)", kind="int"),
        Param("level_spacing", 1.0, "Δε, reservoir energies ε_n = n Δε (Fig. 2: 1)",
              unit="energy"),
        Param("nu", 0.1, "coupling ν_n = ν to every reservoir spin (Eq. 1; Fig. 2e,f: 0.1)",
              unit="energy"),
        Param("rate", 1.0, "sweep rate ε̇ of ε_t = ε̇ t (Fig. 2e,f: 1.0)", unit="energy/time"),
        Param("beta", 2.0, "reservoir inverse temperature β (Fig. 2: 2)", unit="1/energy"),
        Param("mu", 0.0, "reservoir spin chemical potential μ (Fig. 2: 0)", unit="energy"),
        Param("p0", 1.0, "initial system up population (Eq. 12); not given in the paper"),
        Param("k0_re", 0.0, "Re of the initial coherence ⟨↑|ρ|↓⟩ (Eq. 12)"),
        Param("k0_im", 0.0, "Im of the initial coherence ⟨↑|ρ|↓⟩ (Eq. 12)"),
        Param("q_re", 0.0, "Re of the reservoir coherence q_n = ⟨↑|ρ_n(0)|↓⟩ at t = 0, equal "
              "for all n (Eq. 15; the paper's figures: 0)"),
        Param("q_im", 0.0, "Im of the reservoir coherence q_n at t = 0 (Eq. 15)"),
        Param("q_relative", False, "q_n = (q_re + i q_im) sqrt(a_n (1 - a_n)): q as a fraction "
              "of each spin's positivity bound (|q| <= 1) instead of an absolute value",
              kind="bool"),
        Param("levels", "uniform", "level energies ε_n: 'uniform' (n Δε) or an expression in "
              "n (and L, level_spacing), e.g. 'n + 0.03*n**2'; increasing in n", kind="str"),
        Param("couplings", "uniform", "couplings ν_n: 'uniform' (ν) or an expression in n "
              "(and L, nu, level_spacing), e.g. 'nu*exp(-n/10)'", kind="str"),
        Param("ramp", "linear", "sweep ε_t: 'linear' (ε̇ t) or an expression in t (and rate, "
              "level_spacing) increasing from below ε_1 at t = 0, e.g. 't + 0.05*t**2'",
              kind="str"),
        Param("chain_phase", "paper", "'paper': α_n of Eq. (9), Eq. (8) verbatim; 'adiabatic': "
              "plus the adiabatic phases η_n (off-centre first interval) and ζ_n (exchange "
              "amplitude, with q); 'dressed': free phase plus the level shifts of all reservoir "
              "spins (openlz)", kind="str"),
        Param("collision", "exact", "'exact': partial trace of Eq. (8) (confirmed by the exact "
              "numerics); 'printed': Eqs. (13)-(14) as printed (ϕ -> -ϕ); same for q = 0",
              kind="str"),
        Param("exact_method", "auto", "exact solver: configurations (exact sum), typicality "
              "or auto", kind="str", numerical=True),
        Param("config_tol", 1e-10, "missing reservoir weight allowed in the configuration sum, "
              "in [0, 0.1]", numerical=True),
        Param("samples", 8, "typicality samples (exact_method=typicality)", kind="int",
              numerical=True),
        Param("max_configs", 512, "most reservoir configurations summed exactly; beyond it "
              "exact_method=configurations warns with the missing weight (auto switches to "
              "typicality); 2^L sums all", kind="int", numerical=True),
        Param("exact_rtol", 1e-9, "relative tolerance of the exact ODE (atol = 1e-3 rtol), in "
              "[1e-13, 1e-3]", numerical=True),
    ),
    observables=_OBS,
    evaluate_fn=_evaluate,
    validate_fn=_validate,
    default_observables=("t_crossing", "p_chain", "abs_k_chain", "p_continuous",
                         "abs_k_continuous", "p_exact", "abs_k_exact"),
    default_times=(0.0, 10.5, 211),
    initial_time=INITIAL_TIME,
    initial_time_doc="paper 003, Sec. II: initial states at time t = 0 (τ_1 = 0; Eq. 21 "
                     "integrates from 0)",
))
