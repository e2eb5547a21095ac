"""Model ``spin-reservoir``: a driven spin swept across the levels of a finite spin reservoir.

Paper 003, Sec. II, Eqs. (1)–(23), Fig. 2.  H(t) = ε_t σ^z + Σ_n ε_n σ^z_n +
Σ_n (ν σ^+ σ^-_n + H.c.) with ε_t = ε̇ t, ε_n = n Δε (n = 1..L), a grand-canonical product
reservoir f_n = 1/(exp(2β(ε_n - μ)) + 1) and a system state ρ_S = [[p0, k0], [k0*, 1-p0]].
Three descriptions of the same dynamics:

* **Markov chain** (Eqs. 16–17): one Landau–Zener collision per reservoir level,
  p_{n+1} = R p_n + f_n (1-R), k_{n+1} = sqrt(R) e^{-iα_n} k_n, sampled at τ_1 = 0,
  τ_n = (t_n + t_{n-1})/2, t_n = ε_n/ε̇ (Sec. II), and τ_{L+1} = t_L + Δε/(2ε̇) after the last
  level (openlz's choice, the paper stops at the last crossing).  ``chain_phase="paper"``
  uses α_n of Eq. (9); ``"adiabatic"`` adds the diagonal adiabatic-impulse phase η_n of
  :func:`openlz.analytic.landau_zener.adiabatic_phases`, non-zero only for the first interval
  [0, τ_2], which is not centred on t_1; ``"dressed"`` uses the free phase 2∫ε_t dt plus the
  adiabatic level shifts of *all* reservoir spins, Σ_m (1-2f_m) Λ_nm
  (:func:`openlz.analytic.landau_zener.level_shift_phase`; openlz extension, it contains
  the "adiabatic" correction as the m = n term).  Moduli |k_n| do not depend on this choice.
* **Continuous-time Landau–Zener master equation** (Eqs. 22–23, Lindblad form):
  dp/dt = Γ (f(ε_t) - p), dk/dt = -2iε_t k - Γ k/2, Γ = π D̄ |ν|², D̄ = 1/Δε.  In the library's
  Lindblad convention: L_+ = sqrt(Γ f(ε_t)) σ^+, L_- = sqrt(Γ (1 - f(ε_t))) σ^-, H = ε_t σ^z.
  Eq. (19) (rate ε̇ D̄ (1 - R) instead of Γ) is also returned (``p_continuous_eq19``).
* **Exact** dynamics of Eq. (1) (:func:`openlz.solve.exact_spins.exact_spin_dynamics`):
  magnetization sectors, exact configuration sum (or typicality) over the reservoir state,
  interaction-picture DOP853.  Not the paper's Crank–Nicolson.  Every exact observable
  carries the accuracy of the reservoir average per point as variable attributes:
  ``exact_method``, ``missing_weight`` and ``error_bound_p`` (configuration sum; a
  ``TruncationWarning`` when ``max_configs`` truncates it beyond ``config_tol``) and
  ``typicality_error_estimate`` (typicality: sqrt(Σ_C P(C)² / samples)).

Observables on the ``crossing`` axis (n = 1..L+1, times ``t_crossing`` = τ_n) and, on
request, on the ``time`` axis (``*_t``).

Initial time: t = 0, fixed by the paper ("initial states at time t = 0", τ_1 = 0, Sec. II;
Eq. 21 integrates from 0).  Every description starts there, whatever times are requested;
times before 0 are refused.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..analytic.landau_zener import (
    adiabatic_phases,
    adiabaticity,
    diabatic_survival,
    fermi_spin_occupation,
    finite_time_phase,
    grand_canonical_map,
    level_shift_phase,
)
from ..core.validation import require, require_finite, require_nonnegative, require_positive
from ..errors import ParameterError, ValidityWarning
from ..solve.exact_spins import exact_spin_dynamics
from ..solve.ode import ODEOptions, solve_ode
from .base import Model, Observable, Param, register

__all__ = ["MODEL", "crossing_times", "lz_chain", "continuous_lz", "validity_report"]

_SRC = "paper 003, Sec. II"
#: the paper's initial time ("initial states at time t = 0", τ_1 = 0; Sec. II)
INITIAL_TIME = 0.0


def crossing_times(L: int, level_spacing: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """τ_n, n = 1..L+1 (paper 003, text after Eq. 3): τ_1 = 0, τ_n = (t_n + t_{n-1})/2,
    τ_{L+1} = t_L + Δε/(2ε̇); t_n = n Δε/ε̇.  Shapes (B,) -> (B, L+1)."""
    unit = (np.asarray(level_spacing, dtype=float) / np.asarray(rate, dtype=float))[:, None]
    n = np.arange(1, L + 2, dtype=float)
    tau = (n - 0.5) * unit
    tau[:, 0] = 0.0
    return tau


def lz_chain(L: int, level_spacing: np.ndarray, nu: np.ndarray, rate: np.ndarray,
             beta: np.ndarray, mu: np.ndarray, p0: np.ndarray, k0: np.ndarray,
             chain_phase: str = "paper") -> tuple[np.ndarray, np.ndarray]:
    """Landau–Zener Markov chain (paper 003, Eqs. 16–17) batched over (B,) parameters.

    Returns p (B, L+1), k (B, L+1) at τ_1..τ_{L+1} (:func:`crossing_times`).
    """
    tau = crossing_times(L, level_spacing, rate)
    B = tau.shape[0]
    R = diabatic_survival(adiabaticity(nu, rate))
    p = np.empty((B, L + 1))
    k = np.empty((B, L + 1), dtype=complex)
    p[:, 0], k[:, 0] = p0, k0
    eps_all = level_spacing[:, None] * np.arange(1, L + 1)[None, :]  # (B, L)
    weight = 1 - 2 * fermi_spin_occupation(eps_all, beta[:, None], mu[:, None])
    for n in range(1, L + 1):
        eps_n = n * level_spacing
        alpha = finite_time_phase(rate, eps_n, tau[:, n - 1], tau[:, n])
        if chain_phase == "adiabatic":
            alpha = alpha + adiabatic_phases(nu, rate, eps_n / rate, tau[:, n - 1], tau[:, n])[1]
        elif chain_phase == "dressed":
            # free phase 2∫ε_t dt plus the level shifts of every reservoir spin
            lam = level_shift_phase(nu[:, None], rate[:, None], eps_all, tau[:, n - 1, None],
                                    tau[:, n, None])
            alpha = rate * (tau[:, n] ** 2 - tau[:, n - 1] ** 2) + np.sum(weight * lam, axis=1)
        f_n = fermi_spin_occupation(eps_n, beta, mu)
        p[:, n], k[:, n] = grand_canonical_map(p[:, n - 1], k[:, n - 1], f_n, R, alpha)
    return p, k


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
    grid = np.concatenate([[0.0], np.asarray(times, dtype=float)])
    order = np.argsort(grid, kind="stable")
    uniq, inv = np.unique(grid[order], return_inverse=True)

    unit = np.ones_like(np.asarray(rate, dtype=float)) if time_unit is None \
        else np.asarray(time_unit, dtype=float)

    def rhs(u: float, y: np.ndarray) -> np.ndarray:
        f = fermi_spin_occupation(rate * unit * u, beta, mu)
        return (unit * rate_p * (f - y[:, 0]))[:, None]

    ys, _ = solve_ode(rhs, np.asarray(p0, dtype=float)[:, None], uniq,
                      ODEOptions(rtol=1e-10, atol=1e-12))
    p_sorted = ys[inv, :, 0]
    p = np.empty((grid.size, p_sorted.shape[1]))
    p[order] = p_sorted
    p = p[1:].T
    t = unit[:, None] * np.asarray(times, dtype=float)[None, :]
    k = np.asarray(k0)[:, None] * np.exp(-1j * rate[:, None] * t**2 - 0.5 * gamma[:, None] * t)
    return p, k


def validity_report(level_spacing: np.ndarray, nu: np.ndarray, rate: np.ndarray) -> dict[str, Any]:
    """Conditions of the collision picture (paper 003, Eqs. 2–3) per batch point."""
    gap_ok = level_spacing > 2 * np.abs(nu)
    bound3 = np.sqrt(rate) * np.maximum(1.0, 2 * np.abs(nu) / np.sqrt(rate))
    time_ok = level_spacing >= bound3
    return {"eq2_spacing_gt_2nu": gap_ok.tolist(), "eq3_bound": bound3.tolist(),
            "eq3_spacing_ge_bound": time_ok.tolist(),
            "R": diabatic_survival(adiabaticity(nu, rate)).tolist()}


_CROSS = ("crossing",)
_OBS = (
    Observable("t_crossing", "sampling times τ_n of the chain (Sec. II), n = 1..L+1", _CROSS,
               "time"),
    Observable("p_chain", "Markov chain population p_n (Eq. 16)", _CROSS),
    Observable("abs_k_chain", "Markov chain |k_n| (Eq. 17)", _CROSS),
    Observable("re_k_chain", "Re k_n, Markov chain (Eq. 17, phase per chain_phase)", _CROSS),
    Observable("im_k_chain", "Im k_n, Markov chain (Eq. 17)", _CROSS),
    Observable("p_continuous", "continuous-time LZ master equation p(τ_n) (Eq. 22)", _CROSS),
    Observable("abs_k_continuous", "|k(τ_n)| of Eq. (23)", _CROSS),
    Observable("re_k_continuous", "Re k(τ_n) of Eq. (23)", _CROSS),
    Observable("p_continuous_eq19", "p(τ_n) of Eq. (19) (rate ε̇ D̄ (1-R))", _CROSS),
    Observable("p_exact", "exact p(τ_n) of the full Hamiltonian Eq. (1)", _CROSS),
    Observable("abs_k_exact", "exact |k(τ_n)|, Eq. (1)", _CROSS),
    Observable("re_k_exact", "exact Re k(τ_n), Eq. (1)", _CROSS),
    Observable("im_k_exact", "exact Im k(τ_n), Eq. (1)", _CROSS),
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
        if ph not in ("paper", "adiabatic", "dressed"):
            raise ParameterError("chain_phase", ph, "must be 'paper', 'adiabatic' or 'dressed'")
    for m in np.atleast_1d(params["exact_method"]):
        if m not in ("auto", "configurations", "typicality"):
            raise ParameterError("exact_method", m, "must be auto, configurations or typicality")
    require_positive("exact_rtol", params["exact_rtol"])
    require("samples", params["samples"], params["samples"] >= 1, "must be >= 1")
    require("max_configs", params["max_configs"], params["max_configs"] >= 1, "must be >= 1")


def _evaluate(params: dict[str, np.ndarray], times: np.ndarray | None, observables: list[str],
              options: dict) -> dict[str, Any]:
    L = int(_scalar(params, "L"))
    de, nu, rate = params["level_spacing"], params["nu"], params["rate"]
    beta, mu, p0 = params["beta"], params["mu"], params["p0"]
    k0 = params["k0_re"] + 1j * params["k0_im"]
    B = de.size
    report = validity_report(de, nu, rate)
    if not all(report["eq2_spacing_gt_2nu"]):
        warnings.warn("paper 003 Eq. (2) violated: level spacing Δε > 2|ν| does not hold; "
                      "crossings overlap", ValidityWarning, stacklevel=2)
    if not all(report["eq3_spacing_ge_bound"]):
        warnings.warn("paper 003 Eq. (3) violated: Δε > sqrt(ε̇) max(1, 2|ν|/sqrt(ε̇)) does not "
                      "hold; crossings are not complete before the next one", ValidityWarning,
                      stacklevel=2)
    out: dict[str, Any] = {}
    tau = crossing_times(L, de, rate)
    want = set(observables)
    out["t_crossing"] = tau
    if want & {"p_chain", "abs_k_chain", "re_k_chain", "im_k_chain"}:
        p, k = lz_chain(L, de, nu, rate, beta, mu, p0, k0, str(_scalar(params, "chain_phase")))
        out.update(p_chain=p, abs_k_chain=np.abs(k), re_k_chain=k.real, im_k_chain=k.imag)
    if want & {"p_continuous", "abs_k_continuous", "re_k_continuous", "p_continuous_eq19"}:
        # τ_n = u_n Δε/ε̇ with u_n shared by every point: one batched solve in units of Δε/ε̇
        unit = de / rate
        u = tau[0] / unit[0]
        args = (de, nu, rate, beta, mu, p0, k0, u)
        pc, kc = continuous_lz(*args, time_unit=unit)
        p19 = continuous_lz(*args, eq19=True, time_unit=unit)[0]
        out.update(p_continuous=pc, abs_k_continuous=np.abs(kc), re_k_continuous=kc.real,
                   p_continuous_eq19=p19)
    need_t = want & {"p_continuous_t", "re_k_continuous_t", "abs_k_continuous_t",
                     "p_exact_t", "re_k_exact_t", "abs_k_exact_t"}
    if need_t and times is None:
        raise ParameterError("times", None, "time-resolved observables need --times")
    if need_t & {"p_continuous_t", "re_k_continuous_t", "abs_k_continuous_t"}:
        pt, kt = continuous_lz(de, nu, rate, beta, mu, p0, k0, times)
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
            eps = de[b] * np.arange(1, L + 1)
            res = exact_spin_dynamics(eps, nu[b], rate[b], fermi_spin_occupation(eps, beta[b],
                                                                                  mu[b]),
                                      p0[b], k0[b], uniq, method=method,
                                      tol=float(params["config_tol"][b]),
                                      samples=int(params["samples"][b]),
                                      max_configs=int(params["max_configs"][b]),
                                      options=ODEOptions(rtol=float(params["exact_rtol"][b]),
                                                         atol=1e-3 * float(
                                                             params["exact_rtol"][b])),
                                      t0=INITIAL_TIME)
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
        var_attrs = {name: acc for name in exact_names if name in want}
    result = {k: v for k, v in out.items() if k in want}
    coords: dict[str, Any] = {"crossing": np.arange(1, L + 2)}
    if np.allclose(tau, tau[:1]):
        coords["crossing_times"] = ("crossing", tau[0])
    result["_coords"] = coords
    result["_attrs"] = {"validity": report, "exact_solver": infos,
                        "gamma": (np.pi * np.abs(nu) ** 2 / de).tolist()}
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
        Param("chain_phase", "paper", "'paper': α_n of Eq. (9); 'adiabatic': plus the "
              "adiabatic-impulse phase η_n of the off-centre first interval; 'dressed': free "
              "phase plus the level shifts of all reservoir spins (openlz)", kind="str"),
        Param("exact_method", "auto", "exact solver: configurations (exact sum), typicality "
              "or auto", kind="str", numerical=True),
        Param("config_tol", 1e-10, "missing reservoir weight allowed in the configuration sum",
              numerical=True),
        Param("samples", 8, "typicality samples (exact_method=typicality)", kind="int",
              numerical=True),
        Param("max_configs", 512, "most reservoir configurations summed exactly; beyond it "
              "exact_method=configurations warns with the missing weight (auto switches to "
              "typicality); 2^L sums all", kind="int", numerical=True),
        Param("exact_rtol", 1e-9, "relative tolerance of the exact ODE (atol = 1e-3 rtol)",
              numerical=True),
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
