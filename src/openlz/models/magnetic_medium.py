"""Two spin qubits coupled through a magnetic medium (paper 004), batched over parameter points.

Paper 004, Eqs. (1)–(7): the Lindblad master equation of two qubits whose local relaxation
a, ã, dissipative couplings A, Ã, pure dephasing d, D and coherent couplings Jz, J⊥, D_DM all
come from the medium (the operators, the convention mapping L = √2 J and the measurement
models of postselection are in :mod:`openlz.models.magnetic_medium_ops`).  Complex
A = |A|e^{iφ}, Ã = |Ã|e^{iφ} (equal phases, as the thermal relation Ã = e^{−βΔ}A implies) are
gauged out by a z rotation of qubit 2 (ref. [71]); the model uses the phases as given, so
unequal phases are simulated faithfully, but the closed forms (which use |A|, |Ã|) are then
reported as NaN.

Temperature: ``T`` (default not set) derives ã = e^{−(Δ−μ)/T} a and Ã = e^{−(Δ−μ)/T} A
(fluctuation–dissipation, text after Eq. 6), with the spin chemical potential ``mu`` of a
quasi-equilibrium pumped medium (Discussion; μ < Δ).  Giving ``a_tilde``/``A_tilde`` as well
as ``T`` is an error; without ``T`` they are taken as given (default 0, i.e. T = 0).

Postselection (option ``postselect``, Eqs. 11–13): conditioned on no detection by two
detectors (see :mod:`~openlz.models.magnetic_medium_ops`): a jump detector of efficiency
``efficiency`` (1 = the paper's ideal postselection, 0 = none) and a finite-rate monitor of
|σz| with rate ``measurement_rate`` (0 = none; κ_m → ∞ is the ideal postselection again).
``efficiency`` defaults to 1 when ``measurement_rate`` is 0 (the paper's scheme) and to 0
otherwise (the monitor alone).  The success probability is tr ρ~(t).  The conditional state is
kept normalised while it is propagated, so long times whose success probability underflows
still give the conditional state; where there is nothing to condition on (``--initial uu``
or ``dd`` with the initial |σz| = 0 projection) the success probability is 0, the state
measures are NaN and a ``PostselectionWarning`` says so.

Numerics: the Lindblad evolution is :func:`openlz.mesolve` on the model's Liouvillian (exact,
eigendecomposition of the constant generator), the steady state :func:`openlz.steadystate`.
The conditional (trace-decreasing) evolution is exact too: :func:`evolve_constant` on the
conditional generator, with the renormalised sub-stepping of
:func:`openlz.solve.nonhermitian.conditional_evolve_generator` where the success probability
would underflow, a grid step is long, or nothing is left to condition on.

Initial time: the state ``--initial`` is given at the parameter ``t0`` (default 0, the
paper's ρ(t = 0), Eq. S55).  The dynamics is autonomous, so every result depends on t − t0
only; requested times before t0 are refused.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..analytic import magnetic_medium as cf
from ..analytic import magnetic_medium_nonhermitian as nh
from ..core.measures import concurrence, entanglement_of_formation, negativity
from ..core.operators import dag, two_qubit_state
from ..core.validation import require, require_finite, require_nonnegative
from ..errors import ParameterError, PostselectionWarning, ValidityWarning
from .base import Model, Observable, Param, register
from .magnetic_medium_closed import CLOSED_FORM_OBSERVABLES, closed_form_observables, gamma_complex
from .magnetic_medium_evolve import evolve_states, measure
from .magnetic_medium_ops import (
    LEVELS,
    generator,
    hamiltonian,
    initial_conditional_state,
    jump_operators,
    params_from_temperature,
    thermal_ratio,
)

__all__ = ["MODEL", "params_from_temperature", "hamiltonian", "jump_operators",
           "generator", "initial_conditional_state", "LEVELS", "thermal_ratio"]

_SRC = "paper 004, Eq. (S42)"
_SRC_FDT = "paper 004, text after Eq. (6); Discussion (spin chemical potential)"


def _t_set(T: np.ndarray) -> np.ndarray:
    return ~np.isnan(np.asarray(T, float))


def _tilde_default(name: str):
    big = {"a_tilde": "a", "A_tilde": "A"}[name]

    def default(p: dict[str, Any]) -> Any:
        ratio = thermal_ratio(p["Delta"], np.where(_t_set(p["T"]), p["T"], 0.0), p["mu"])
        with np.errstate(invalid="ignore"):  # a non-finite rate is reported by the validation
            val = np.where(_t_set(p["T"]), ratio * np.asarray(p[big]), 0.0)
        if name == "A_tilde":
            val = val.astype(complex)
        return val.item() if val.ndim == 0 else val

    default.__doc__ = f"0 without T; e^(-(Delta-mu)/T)·{big} with T"
    return default


def _efficiency_default(p: dict[str, Any]) -> Any:
    """1 (the paper's ideal postselection) when measurement_rate = 0, else 0 (the |σz|
    monitor alone)"""
    val = np.where(np.asarray(p["measurement_rate"], float) > 0, 0.0, 1.0)
    return val.item() if val.ndim == 0 else val


def _validate(p: dict[str, np.ndarray]) -> None:
    for name in ("a", "a_tilde", "d", "Delta", "delta", "Jz", "Jperp", "DM", "efficiency", "t0",
                 "mu", "measurement_rate"):
        require_finite(name, p[name])
    for name in ("A", "A_tilde", "D"):
        require_finite(name, p[name])
    for name in ("a", "a_tilde", "d"):
        require_nonnegative(name, p[name], "rates of Eq. (4) are >= 0")
    require_nonnegative("measurement_rate", p["measurement_rate"],
                        "a detector click rate (paper 004, Discussion)")
    _validate_temperature(p)
    for big, small in (("a", "A"), ("a_tilde", "A_tilde"), ("d", "D")):
        bv, sv = np.broadcast_arrays(np.atleast_1d(p[big]), np.atleast_1d(p[small]))
        ok = bv >= np.abs(sv) * (1 - 1e-12)   # equality (a = |A|) is the paper's optimum
        if not np.all(ok):
            i = int(np.argmin(ok))
            v = complex(sv[i])
            src = _SRC if big != "d" else "paper 004, Eq. (4): h must be positive semidefinite"
            raise ParameterError(small, v.real if v.imag == 0 else v,
                                 f"|{small}| must be <= {big} = {float(bv[i]):g}", src)
    e = p["efficiency"]
    require("efficiency", e, (e >= 0) & (e <= 1), "must lie in [0, 1] (detector efficiency)")


def _validate_temperature(p: dict[str, np.ndarray]) -> None:
    """T >= 0 or not set (NaN); mu only with T, mu < Delta; a_tilde, A_tilde derived from T."""
    T, mu, Delta = np.broadcast_arrays(np.atleast_1d(np.asarray(p["T"], float)),
                                       np.atleast_1d(p["mu"]), np.atleast_1d(p["Delta"]))
    on = _t_set(T)
    require("T", T, ~on | (T >= 0), "must be >= 0 (temperature, k_B = 1)", _SRC_FDT)
    require("mu", mu, on | (mu == 0), "acts only through the temperature: set T as well "
            "(ã = e^{-(Δ-μ)/T} a)", _SRC_FDT)
    bad = on & ~(mu < Delta)
    if np.any(bad):
        i = int(np.argmax(bad))
        name = "Delta" if mu[i] == 0 else "mu"
        raise ParameterError(name, float((Delta if name == "Delta" else mu)[i]),
                             f"with T set, the spin chemical potential mu = {mu[i]:g} must be "
                             f"< the mean qubit field Delta = {Delta[i]:g} (Bose factor "
                             "n(Δ) = 1/(e^{(Δ-μ)/T} - 1) > 0); set Delta (default 0)", _SRC_FDT)
    if np.any(on):
        ratio = thermal_ratio(Delta, np.where(on, T, 0.0), mu)
        for name, big in (("a_tilde", "a"), ("A_tilde", "A")):
            val, bv, r = np.broadcast_arrays(np.atleast_1d(p[name]), np.atleast_1d(p[big]),
                                             ratio)
            want = r * bv
            off = on & (np.abs(val - want) > 1e-12 * np.maximum(np.abs(bv), 1e-300))
            if np.any(off):
                i = int(np.argmax(off))
                v = complex(val[i])
                raise ParameterError(name, v.real if v.imag == 0 else v,
                                     f"is derived from T when T is set (e^(-(Delta-mu)/T) "
                                     f"{big} = {complex(want[i]).real if np.isreal(want[i]) else want[i]:g}); "
                                     "give either T or a_tilde/A_tilde, not both", _SRC_FDT)


def _initial(options: dict[str, Any]) -> tuple[np.ndarray, bool]:
    """Initial state (4, 4) from a label, ket or matrix; checked to be a density matrix."""
    init = options.get("initial", "ud")
    rho0 = two_qubit_state(init)
    if not isinstance(init, str):
        herm = np.allclose(rho0, dag(rho0), atol=1e-10)
        ev = np.linalg.eigvalsh(0.5 * (rho0 + dag(rho0)))
        if not (herm and abs(np.trace(rho0).real - 1) < 1e-8 and ev.min() > -1e-10):
            raise ParameterError("initial", "matrix", "must be a density matrix (Hermitian, "
                                 "trace 1, positive semidefinite)")
    is_ud = np.allclose(rho0, two_qubit_state("ud"))
    return rho0, is_ud


_REGIME_CODES = {"underdamped": 1, "critical": 0, "overdamped": -1}
_PT_CODES = {"PT-exact": 1, "EP": 0, "PT-broken": -1}


def _summarise(names: np.ndarray, codes: dict[str, int]) -> str:
    """One regime name if every batch point shares it, else the counts (per-point values are
    the observables ``regime_code`` / ``pt_regime_code``)."""
    uniq = [n for n in codes if np.any(names == n)]
    if len(uniq) == 1:
        return uniq[0]
    return "mixed (" + ", ".join(f"{n}: {int(np.sum(names == n))}" for n in uniq) + ")"


def _evaluate(params: dict[str, np.ndarray], times: np.ndarray | None, observables: list[str],
              options: dict[str, Any]) -> dict[str, Any]:
    p = params
    B = p["a"].shape[0]
    rho0, is_ud = _initial(options)
    postselect = bool(options.get("postselect", False))
    if isinstance(options.get("postselect"), str):
        from ..core.validation import parse_bool

        postselect = parse_bool("postselect", options["postselect"])
    absA, absAt = np.abs(p["A"]), np.abs(p["A_tilde"])
    gamma = absA + absAt
    out: dict[str, Any] = {}
    regime = cf.unmonitored_regime(p["delta"], absA)
    pt = cf.pt_regime(p["delta"], gamma)
    attrs: dict[str, Any] = {
        "regime": _summarise(regime, _REGIME_CODES),
        "pt_regime": _summarise(pt, _PT_CODES),
        "postselect": postselect,
        "initial": options.get("initial", "ud") if isinstance(options.get("initial", "ud"), str)
        else "matrix",
        "solver": ("evolve_constant on the conditional generator (exact)" if postselect
                   else "openlz.mesolve (exact, constant Liouvillian)"),
    }
    timed = [o for o in observables if MODEL.observable(o).dims and
             MODEL.observable(o).dims[0] == "time"]
    need_states = any(o in ("concurrence", "populations", "negativity", "success_probability",
                            "log_success_probability", "entanglement_of_formation",
                            "max_concurrence", "bell_fidelity") for o in observables)
    if timed or "max_concurrence" in observables:
        if times is None:
            raise ParameterError("times", None, "time-resolved observables need a time grid")
        t = np.asarray(times, float)
        t_rel = t[None, :] - p["t0"][:, None]  # (B, T): the closed forms start at t0
    if need_states:
        rho_t, log_norm = evolve_states(p, rho0, t, postselect, attrs)
        norm = np.exp(log_norm)
        if postselect and np.any(~np.isfinite(log_norm)):
            bad = int(np.sum(np.any(~np.isfinite(log_norm), axis=-1)))
            warnings.warn(f"magnetic-medium: the postselected state vanishes at {bad} of {B} "
                          "point(s) (the initial |σz| = 0 projection, text before Eq. 13, removes "
                          "the whole initial state): success_probability 0, state measures NaN",
                          PostselectionWarning, stacklevel=3)
            attrs["postselection_vanished_points"] = bad
        rho_t = 0.5 * (rho_t + dag(rho_t))
        if "concurrence" in observables or "max_concurrence" in observables:
            conc = measure(concurrence, rho_t)
            if "concurrence" in observables:
                out["concurrence"] = conc
            if "max_concurrence" in observables:
                out["max_concurrence"] = conc.max(axis=-1)
        if "populations" in observables:
            out["populations"] = np.einsum("btii->bti", rho_t).real
        if "negativity" in observables:
            out["negativity"] = measure(negativity, rho_t)
        if "entanglement_of_formation" in observables:
            out["entanglement_of_formation"] = measure(entanglement_of_formation, rho_t)
        if "success_probability" in observables:
            out["success_probability"] = norm if postselect else np.ones_like(norm)
        if "log_success_probability" in observables:
            out["log_success_probability"] = log_norm if postselect else np.zeros_like(norm)
        if "bell_fidelity" in observables:
            gc = gamma_complex(p)
            ket = nh.bell_state_a(p["delta"], np.abs(gc), np.angle(gc))     # (B, 4)
            out["bell_fidelity"] = np.einsum("bi,btij,bj->bt", ket.conj(), rho_t, ket).real
    if "steady_concurrence" in observables or "steady_populations" in observables:
        from ..api.steadystate import steadystate

        with warnings.catch_warnings():
            # degenerate kernels (the dark singlet at a = |A|) are answered from the initial
            # state by design; reported in the attrs below instead of a warning
            warnings.simplefilter("ignore", ValidityWarning)
            ss = steadystate(generator(p), rho0=np.broadcast_to(rho0, (B, 4, 4)))
        if "steady_concurrence" in observables:
            out["steady_concurrence"] = concurrence(ss.state)
        if "steady_populations" in observables:
            out["steady_populations"] = np.einsum("bii->bi", ss.state).real
        # scalars (sweep-friendly): degenerate kernels were answered from the initial state
        attrs["steady_state_unique"] = bool(np.all(ss.unique))
        attrs["steady_state_degenerate_points"] = int(np.sum(~ss.unique))
        attrs["steady_state_oscillating"] = bool(np.any(ss.oscillating))
    if "regime_code" in observables:
        out["regime_code"] = np.array([_REGIME_CODES[r] for r in regime], dtype=float)
    if "pt_regime_code" in observables:
        out["pt_regime_code"] = np.array([_PT_CODES[r] for r in pt], dtype=float)
    if any(o in CLOSED_FORM_OBSERVABLES for o in observables):
        cfo, note = closed_form_observables(p, t_rel if timed else None, observables, postselect,
                                            rho0, is_ud)
        out.update(cfo)
        attrs["closed_form_note"] = note
    out["_coords"] = {"level": list(LEVELS)}
    if times is not None:
        out["_coords"]["time"] = np.asarray(times, float)
    out["_attrs"] = attrs
    return out


MODEL = register(Model(
    name="magnetic-medium",
    paper="004",
    summary="Two spin qubits entangled by the dissipative coupling of a magnetic medium "
            "(Lindblad Eqs. 2-7, postselected non-Hermitian Eqs. 11-15)",
    params=(
        Param("a", 1.0, "local relaxation (decay) rate a, Eq. (4); default a = 1 as in Fig. 2",
              unit="1/time"),
        Param("a_tilde", _tilde_default("a_tilde"), "local excitation rate ã, Eq. (4); derived "
              "from T when T is set (ã = e^{-(Δ-μ)/T} a), else as given (default 0: T = 0)",
              unit="1/time"),
        Param("A", 1.0 + 0j, "dissipative coupling A (complex; |A| <= a, Eq. S42); default 1 "
              "as in Fig. 2", unit="1/time", kind="complex"),
        Param("A_tilde", _tilde_default("A_tilde"), "reverse dissipative coupling Ã (|Ã| <= ã); "
              "derived from T when T is set (Ã = e^{-(Δ-μ)/T} A), else as given (default 0)",
              unit="1/time", kind="complex"),
        Param("d", 0.0, "local pure-dephasing rate d, Eq. (4); default 0 (neglected in the paper)",
              unit="1/time"),
        Param("D", 0j, "correlated pure dephasing D (complex, |D| <= d), Eq. (4); default 0",
              unit="1/time", kind="complex"),
        Param("Delta", 0.0, "mean local field Δ = (Δ1+Δ2)/2, Eq. (1); default 0 (enters the "
              "dynamics only through phases of coherences; set it for the thermal relation)",
              unit="energy"),
        Param("delta", 0.0, "local-field asymmetry δ = (Δ1-Δ2)/2, Eq. (8)", unit="energy"),
        Param("Jz", 0.0, "medium-induced Ising coupling Jz, Eq. (S38); default 0 (Eq. 7)",
              unit="energy"),
        Param("Jperp", 0.0, "medium-induced XY coupling J⊥, Eq. (S38); default 0", unit="energy"),
        Param("DM", 0.0, "Dzyaloshinskii–Moriya coupling D ẑ·(σ1×σ2), Eq. (S38); default 0",
              unit="energy"),
        Param("T", float("nan"), "temperature of the medium (k_B = 1); when set, ã = "
              "e^{-(Δ-μ)/T} a and Ã = e^{-(Δ-μ)/T} A (fluctuation–dissipation, text after "
              "Eq. 6; needs Delta > mu); default not set (NaN): a_tilde, A_tilde as given",
              unit="energy"),
        Param("mu", 0.0, "spin chemical potential μ of a quasi-equilibrium (pumped) medium, "
              "Discussion; enters with T only, μ < Δ; default 0 (equilibrium)", unit="energy"),
        Param("efficiency", _efficiency_default, "jump-detector efficiency η_det in [0, 1] used "
              "with postselect: 1 = ideal postselection (Eq. 13), 0 = no jump detection "
              "(beyond the paper)"),
        Param("measurement_rate", 0.0, "click rate κ_m of the finite-rate |σz| monitor used with "
              "postselect (Discussion; beyond the paper): 0 = off, κ_m -> inf = ideal "
              "postselection", unit="1/time"),
        Param("t0", 0.0, "initial time: the state --initial is given at t0 (paper: t = 0, "
              "Eq. S55); results depend on t - t0 only, times < t0 are refused",
              unit="time"),
    ),
    observables=(
        Observable("concurrence", "Wootters concurrence C(t) (Eq. S49); with postselect the "
                   "normalised conditional state; NaN where the postselected state vanishes", dims=("time",)),
        Observable("populations", "diagonal of ρ(t) in the basis uu, ud, du, dd; NaN where the postselected state vanishes",
                   dims=("time", "level")),
        Observable("negativity", "negativity of ρ(t); NaN where the postselected state vanishes", dims=("time",)),
        Observable("entanglement_of_formation", "E_F(t) in bits (Eq. S50); NaN where the postselected state vanishes",
                   dims=("time",)),
        Observable("success_probability", "postselection success probability tr ρ~(t) (1 without"
                   " postselect)", dims=("time",)),
        Observable("log_success_probability", "ln tr ρ~(t), finite where success_probability "
                   "underflows to 0 (0 without postselect; -inf where the state vanished)",
                   dims=("time",)),
        Observable("max_concurrence", "maximum of C(t) over the time grid; NaN where the postselected state vanishes"),
        Observable("steady_concurrence", "concurrence of the (unconditioned) Lindblad steady "
                   "state, also with postselect; degenerate kernels answered from the initial "
                   "state"),
        Observable("steady_populations", "populations of the Lindblad steady state",
                   dims=("level",)),
        Observable("regime_code", "unmonitored regime, Eqs. (8)-(9): 1 underdamped (|δ| > |A|), "
                   "0 critical, -1 overdamped"),
        Observable("pt_regime_code", "postselected regime (after Eq. 14): 1 PT-exact (|δ| > Γ), "
                   "0 exceptional point, -1 PT-broken"),
        Observable("concurrence_closed_form", "closed-form C(t): T = 0 Eqs. (8)-(9), (S61)-(S63); "
                   "postselected Eq. (13); DM |sin 4Dt| (S iv); NaN where none applies",
                   dims=("time",)),
        Observable("success_probability_closed_form", "e^{-2(a+ã)t}(1 + 2Γ² sin²(ωt)/ω²) "
                   "(ideal postselection, from |ud>); 1 − η(1 − P1) at T = 0 for efficiency η",
                   dims=("time",)),
        Observable("steady_concurrence_closed_form", "(1-r)²/(2(1+r+r²)) at a=|A|, ã=|Ã|, δ=0, "
                   "r = ã/a (Eq. S65 at r = 0); 0 at T = 0 otherwise; NaN elsewhere"),
        Observable("cmax_closed_form", "maximal postselected concurrence 2η/(1+η²) (η = |δ|/Γ > 1),"
                   " 1 for η <= 1 (maximum of Eq. 13)"),
        Observable("bell_fidelity", "<a|ρ(t)|a> with |a> the eigenket of Eq. (14) that the "
                   "postselected state reaches in the PT-broken regime (Γ = |A + Ã|); NaN where "
                   "Γ = δ = 0", dims=("time",)),
        Observable("T1", "single-qubit relaxation time 1/(2(a + ã)), Eq. (S16); inf where "
                   "a + ã = 0", unit="time"),
        Observable("T2", "single-qubit decoherence time 1/(4d + a + ã), Eq. (S21); inf where "
                   "the rates vanish", unit="time"),
    ),
    evaluate_fn=_evaluate,
    validate_fn=_validate,
    default_observables=("concurrence", "steady_concurrence"),
    default_times=(0.0, 5.0, 101),
    options=("initial", "postselect"),
    option_defaults={"initial": "ud", "postselect": False},
    initial_time="t0",
    initial_time_doc="paper 004, Eq. (S55): ρ(t = 0) = |↑↓⟩⟨↑↓|; the dynamics is autonomous, "
                     "so any t0 is allowed",
))
