"""Model ``driven-qubits`` (paper 002): two strongly driven, coupled qubits in an Ohmic bath.

Paper 002, Sec. II and App. A–C:

* H_s(t) = H0 + V(t), H0 = sum_i (-eps0/2 sz_i - Delta_i/2 sx_i) - J/2 (s+ s- + s- s+)
  (Eqs. B1–B2), V(t) = -A cos(omega t) (sz1 + sz2)/2.
* System–bath coupling A x B with A = gamma1 sz1 + gamma2 sz2, gamma2 = xi gamma1 (Eq. 1),
  Ohmic bath J(W) = kappa W exp(-|W|/wc) at temperature T (Sec. II).
* Floquet–Born–Markov master equation (Eqs. A4–A7, C3–C4) via ``openlz.solve.floquet``,
  ``floquet_markov`` and ``floquet_steady``: steady state = null vector of the secular (Pauli)
  rate matrix in the Floquet basis (Eq. C3), or of the full period-averaged (Q = 0) generator
  (Eqs. A4–A6) at the points where the secular result is off by more than 1e-4 in trace
  distance, i.e. near quasienergy degeneracies (``steady=auto``, per point; ``secular`` and
  ``full`` force one), averaged over one period (rho_bar_inf).  Time evolution with the full
  generator, or its secular part (``secular=true``).
* The initial state (``initial``: the H0 ground state, a label or a density matrix) is
  prepared at t = t0 (parameter, default 0, the drive phase of V(t)); every requested time
  is evolved from t0 (times before t0 are refused).  Where the steady state is not unique
  (no relaxation: kappa = 0, gamma1 = 0; or Delta1 = Delta2 = 0) it is the long-time limit
  from that initial state, flagged ``steady_unique = 0``.

Conventions: hbar = k_B = 1; the library basis |00>, |01>, |10>, |11> with sz|0> = +|0> is
the paper's sz x sz basis.  The paper's master equation is not written in Lindblad form
except Eq. (C3), whose jump operators L_ab = |u_a(t)><u_b(t)| with rates Gamma_ab are the
library's L_k = sqrt(Gamma_ab) |u_a><u_b| directly.  Rates carry the Fermi-golden-rule
factor 2 pi of Eq. (C1) (see ``openlz.solve.floquet_markov``).

The bath cutoff wc is not given in the paper: the default wc = 10 omega lies above every
transition frequency that matters here (|eps0| + |J|/2 <~ 7 omega).  Measured sensitivity:
C_inf at (eps0, A, xi) = (3.7, 3.8, 0.1) is 0.9856 / 0.9866 / 0.9872 for wc = 5 / 10 / 100,
and 0.225 / 0.207 / 0.191 at the weak-drive point (3.7, 1.5, 0.1).  It is a parameter
(``--set wc=...``) and appears in every output's ``params``.

The temperature T is in energy units (k_B = 1): the paper's T_b = 0.00467 omega.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..analytic.driven_qubits import (
    bath_operator,
    critical_amplitude,
    drive_diagonal,
    effective_rates,
    fgr_rates,
    h0_matrix,
    perturbative_rates,
)
from ..api.floquet import floquet_markov_steadystate, fmmesolve
from ..core.baths import OhmicBath, ohmic_exponential
from ..core.checks import check_states
from ..core.measures import concurrence
from ..core.operators import two_qubit_state
from ..core.validation import require, require_finite, require_nonnegative, require_positive
from ..errors import ParameterError, UnknownNameError, ValidityWarning
from ..solve.floquet import FloquetBasis, floquet_basis, period_propagators_split
from ..solve.floquet_markov import thermal_response
from ..solve.floquet_steady import METHODS as STEADY_METHODS
from ..solve.floquet_steady import SECULAR_SWITCH, quasienergy_gaps
from .base import Model, Observable, Param, evolution_grid, register

__all__ = ["MODEL", "system", "floquet_setup", "steady_concurrence", "convergence_check"]

SOURCE = "paper 002"
CHUNK = 512  # parameter points per vectorised block (bounds memory: ~CHUNK * steps * 1 kB)


def _delta2_default(p: dict) -> float:
    """1.5 Delta1 (paper 002: Delta2/Delta1 = 1.5)"""
    return 1.5 * p["Delta1"]


def _response(kappa: np.ndarray, wc: np.ndarray, T: np.ndarray):
    """g(E) = J(E) n(E) for per-point Ohmic baths; E arrays have the batch axis first."""
    def spectral(E: np.ndarray) -> np.ndarray:
        shape = (-1,) + (1,) * (E.ndim - 1)
        return ohmic_exponential(E, kappa.reshape(shape), wc.reshape(shape))

    return thermal_response(spectral, T)


def _validate(p: dict[str, np.ndarray]) -> None:
    for name in ("eps0", "A", "J", "Delta1", "Delta2", "gamma1", "xi", "t0"):
        require_finite(name, p[name], SOURCE)
    require_positive("omega", p["omega"], f"{SOURCE}: drive period 2 pi/omega")
    require_positive("wc", p["wc"], f"{SOURCE}, Ohmic cutoff J(W) = kappa W exp(-|W|/wc)")
    require_nonnegative("kappa", p["kappa"], f"{SOURCE}, Ohmic J(W) = kappa W exp(-|W|/wc)")
    require_nonnegative("T", p["T"], f"{SOURCE}: bath temperature")
    steps, sb = p["steps"], p["sidebands"]
    require("steps", steps, steps >= 8, "must be >= 8 time steps per period", "Floquet propagator")
    require("sidebands", sb, sb >= 1, "must be >= 1", "Floquet–Markov sideband sum (Eq. C4)")
    require("sidebands", sb, 2 * sb < steps,
            "must be < steps/2 (the FFT over `steps` points resolves |K| < steps/2)",
            "Floquet Fourier components")
    steady = np.asarray(p["steady"])
    require("steady", steady, np.isin(steady, STEADY_METHODS),
            f"must be one of {', '.join(STEADY_METHODS)}", "steady-state generator (openlz.solve.floquet_steady)")


def floquet_setup(p: dict[str, np.ndarray], steps: int) -> tuple[FloquetBasis, np.ndarray, np.ndarray]:
    """Floquet basis of H0 + V(t) for (B,) parameter arrays.

    The states are ordered by quasienergy in the widest-gap zone (``floquet_basis(zone="gap")``,
    what the period-averaged generator needs); ``FloquetBasis.reference_order(V)`` labels them
    by the H0 eigenstates they overlap most (paper 002, Sec. III).  Returns (basis, E (B, 4)
    H0 eigenvalues ascending, V (B, 4, 4) eigenvectors).
    """
    h0 = h0_matrix(p["eps0"], p["Delta1"], p["Delta2"], p["J"])
    E, V = np.linalg.eigh(h0)
    amp, om = p["A"], p["omega"]
    U = period_propagators_split(h0, drive_diagonal(),
                                 lambda t: amp[:, None] * np.sin(om[:, None] * t) / om[:, None], om, steps)
    return floquet_basis(U, om, zone="gap"), E, V


def system(p: dict[str, np.ndarray]) -> tuple[list, np.ndarray, list, np.ndarray, np.ndarray]:
    """The paper's system for (B,) parameter arrays, in the form of the public solvers.

    Returns (H, omega, a_ops, E, V): H(t) = H0 - A cos(omega t)(sz1 + sz2)/2 (Sec. II) as a
    QuTiP list form with (B,) coefficients; a_ops = [(sqrt(kappa) A, bath)] with
    A = gamma1 (sz1 + xi sz2) (Eq. 1) and an Ohmic bath W e^{-W/wc} of unit strength at T
    (kappa carried by the coupling: the rates are proportional to kappa |A|^2, and kappa = 0
    is allowed); E, V the eigenvalues (ascending) and eigenvectors of H0.  Pass them to
    ``openlz.floquet_markov_steadystate(H, omega, a_ops)`` or ``openlz.fmmesolve``.
    """
    h0 = h0_matrix(p["eps0"], p["Delta1"], p["Delta2"], p["J"])
    E, V = np.linalg.eigh(h0)
    amp, om = np.asarray(p["A"], dtype=float), np.asarray(p["omega"], dtype=float)
    if om.size and np.all(om == om.reshape(-1)[0]):  # one frequency: cos evaluated once per time
        w0 = float(om.reshape(-1)[0])
        H = [h0, [np.diag(drive_diagonal()), lambda t: amp * np.cos(w0 * np.asarray(t))]]
    else:
        H = [h0, [np.diag(drive_diagonal()), lambda t: amp * np.cos(om * t)]]
    aop = bath_operator(p["gamma1"], p["xi"])
    kappa = np.asarray(p["kappa"], dtype=float)
    a_ops = [(np.sqrt(kappa)[..., None, None] * aop, OhmicBath(1.0, p["wc"], p["T"]))]
    return H, om, a_ops, E, V


def _initial_states(initial, V: np.ndarray) -> np.ndarray:
    """rho0 (B, 4, 4): the H0 ground state per point for ``"ground"``, else a label or matrix."""
    if isinstance(initial, str) and initial.strip().lower() == "ground":
        return V[:, :, 0, None] * np.conj(V[:, None, :, 0])
    return np.broadcast_to(two_qubit_state(initial), V.shape)


def _chunk_eval(p: dict[str, np.ndarray], times: np.ndarray | None, obs: list[str], initial,
                steps: int, kmax: int, secular: bool, steady: str
                ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """One vectorised block: the paper's H(t), coupling and bath through the public functions
    ``openlz.floquet_markov_steadystate`` and ``openlz.fmmesolve`` (the same calls a user makes
    for a system of their own)."""
    out: dict[str, np.ndarray] = {}
    diag: dict[str, np.ndarray] = {}
    H, om, a_ops, E, V = system(p)
    h0, amp = H[0], p["A"]
    B = E.shape[0]
    aop = bath_operator(p["gamma1"], p["xi"])
    rho0 = _initial_states(initial, V)
    opts = {"steps": steps, "kmax": kmax, "steady": steady, "t0": p["t0"], "secular": secular}
    with warnings.catch_warnings():  # the model reports validity itself (``_warn``)
        warnings.simplefilter("ignore", ValidityWarning)
        res = floquet_markov_steadystate(H, om, a_ops, options=opts, rho0=rho0)
    fb = res.floquet_basis
    rates = res.rates
    for k in ("sideband_tail", "grid_tail", "markov_ratio"):
        diag[k] = res.extras[k]
    rho = res.rho_average
    diag.update(secular_ratio=_secular_ratio(res.quasienergies, rates, om), secular_error=res.secular_error,
                steady_full=res.full.astype(float), steady_unique=res.unique.astype(float))
    diag["physicality_steady"] = check_states(rho, atol=1e-8, warn=True).as_dict()
    if "steady_concurrence" in obs:
        out["steady_concurrence"] = concurrence(rho)
    if "steady_populations" in obs:
        out["steady_populations"] = np.einsum("bia,bij,bja->ba", np.conj(V), rho, V).real
    for k, v in (("secular_error", res.secular_error), ("steady_method", res.full.astype(float)),
                 ("steady_unique", res.unique.astype(float))):
        if k in obs:
            out[k] = v
    if {"floquet_rates", "quasienergies", "floquet_populations", "effective_rates"} & set(obs):
        perm = fb.reference_order(V)  # Floquet state perm[b, i] carries the label i (Sec. III)
        rows = np.arange(B)[:, None]
        labelled = rates[rows[..., None], perm[:, :, None], perm[:, None, :]]
        if "floquet_rates" in obs:
            out["floquet_rates"] = labelled
        if "quasienergies" in obs:
            out["quasienergies"] = res.quasienergies[rows, perm]
        if "floquet_populations" in obs:
            out["floquet_populations"] = res.populations[rows, perm]
        if "effective_rates" in obs:
            u0 = np.take_along_axis(res.modes0, perm[:, None, :], axis=2)  # labelled u_a(0)
            ov = np.abs(np.einsum("bji,bja->bia", np.conj(V), u0)) ** 2
            out["effective_rates"] = effective_rates(ov, labelled)
    g = _response(p["kappa"], p["wc"], p["T"])
    if "energies" in obs:
        out["energies"] = E
    if "fgr_rates" in obs:
        out["fgr_rates"] = fgr_rates(E, V, aop, g)
    if "fgr_rates_perturbative" in obs:
        out["fgr_rates_perturbative"] = perturbative_rates(p["eps0"], p["Delta1"], p["Delta2"], p["J"],
                                                           p["gamma1"], p["xi"], E, g)
    if {"populations", "concurrence"} & set(obs):
        if times is None:
            raise ParameterError("times", None, "time-resolved observables need a time grid (--times)")
        rho_t = np.empty((B, times.size, 4, 4), dtype=complex)
        for t0 in np.unique(p["t0"]):  # rho0 is prepared at t0 (one fmmesolve per initial time)
            idx = np.nonzero(p["t0"] == t0)[0]
            grid, index = evolution_grid(times, float(t0))
            sub = idx.size == B
            Hs = H if sub else [h0[idx], [H[1][0], lambda t, a=amp[idx], w=om[idx]: a * np.cos(w * t)]]
            a_s = a_ops if sub else [(a_ops[0][0][idx], OhmicBath(1.0, p["wc"][idx], p["T"][idx]))]
            o = {"steps": steps, "kmax": kmax, "secular": secular, "floquet_basis": fb if sub else None}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ValidityWarning)
                dyn = fmmesolve(Hs, rho0[idx], grid, om[idx], a_s, options=o)
            rho_t[idx] = dyn.states[:, index]
        # the full (Redfield-type) generator is not guaranteed completely positive: report it
        diag["physicality_dynamics"] = check_states(rho_t, atol=1e-6, warn=True).as_dict()
        if "populations" in obs:
            out["populations"] = np.einsum("bia,btij,bja->bta", np.conj(V), rho_t, V).real
        if "concurrence" in obs:
            out["concurrence"] = concurrence(rho_t)
    return out, diag


def _secular_ratio(q: np.ndarray, rates: np.ndarray, omega: np.ndarray) -> np.ndarray:
    """Gamma_max / min |eps_a - eps_b| (on the circle), the usual secular criterion (reported)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return rates.max(axis=(-1, -2)) / quasienergy_gaps(q, omega)


def _evaluate(params: dict[str, np.ndarray], times: np.ndarray | None, observables: list[str],
              options: dict) -> dict:
    B = params["eps0"].shape[0]
    initial = options.get("initial", "ground")
    if not (isinstance(initial, str) and initial.strip().lower() == "ground"):
        try:  # a bad label or matrix is an error whatever is asked
            two_qubit_state(initial)
        except UnknownNameError as e:
            raise UnknownNameError("initial state", e.name, ["ground", *e.known]) from None
    shapes = {o.name: o.dims for o in MODEL.observables}
    nt = 0 if times is None else times.size
    dims = {"level": 4, "final": 4, "initial": 4, "time": nt}
    result = {o: np.empty((B, *[dims[d] for d in shapes[o]]),
                          dtype=float) for o in observables}
    diag_keys = ("sideband_tail", "grid_tail", "secular_ratio", "markov_ratio", "secular_error",
                 "steady_full", "steady_unique")
    diag_all = {k: np.full(B, np.nan) for k in diag_keys}
    phys: dict[str, list[dict]] = {}
    keys = np.stack([params["steps"], params["sidebands"], params["secular"]], axis=1).astype(int)
    steady = np.asarray(params["steady"]).astype(str)
    for key in np.unique(keys, axis=0):
        for method in np.unique(steady):
            idx_all = np.where((keys == key).all(axis=1) & (steady == method))[0]
            for start in range(0, idx_all.size, CHUNK):
                idx = idx_all[start:start + CHUNK]
                sub = {k: v[idx] for k, v in params.items()}
                out, diag = _chunk_eval(sub, times, observables, initial, int(key[0]), int(key[1]),
                                        bool(key[2]), str(method))
                for k, v in out.items():
                    result[k][idx] = v
                for k, v in diag.items():
                    if isinstance(v, dict):
                        phys.setdefault(k, []).append(v)
                    else:
                        diag_all[k][idx] = v
    full = diag_all["steady_full"] == 1
    attrs = {
        "method": "Floquet–Born–Markov (paper 002, Eqs. A4–A7, C3–C4); steady state: "
                  + _steady_text(params) + "; dynamics: "
                  + ("secular generator" if params["secular"].any() else "full Q=0 generator"),
        "max_sideband_tail": _nanmax(diag_all["sideband_tail"]),
        "max_grid_tail": _nanmax(diag_all["grid_tail"]),
        "max_secular_ratio": _nanmax(diag_all["secular_ratio"]),
        "max_markov_ratio": _nanmax(diag_all["markov_ratio"]),
        "steady_full_generator_points": int(full.sum()),
        "steady_nonunique_points": int((diag_all["steady_unique"] == 0).sum()),
        "max_secular_error_where_secular_used": _nanmax(np.where(full, np.nan, diag_all["secular_error"])),
        "max_secular_error_where_full_used": _nanmax(np.where(full, diag_all["secular_error"], np.nan)),
        "critical_amplitude": critical_amplitude(params["eps0"], params["J"]).tolist() if B <= 16 else "",
    }
    for k, checks in phys.items():  # worst case over the chunks
        attrs[k] = {"trace_error": max(c["trace_error"] for c in checks),
                    "hermiticity_error": max(c["hermiticity_error"] for c in checks),
                    "min_eigenvalue": min(c["min_eigenvalue"] for c in checks),
                    "ok": all(c["ok"] for c in checks)}
    _warn(diag_all, B, params, initial)
    result["_attrs"] = attrs
    result["_coords"] = {"level": np.arange(4), "final": np.arange(4), "initial": np.arange(4)}
    return result


def _nanmax(x: np.ndarray) -> float:
    x = np.asarray(x, dtype=float)
    return float(np.nanmax(x)) if np.any(np.isfinite(x)) else float("nan")


def _steady_text(params: dict) -> str:
    m = set(np.asarray(params["steady"]).astype(str).tolist())
    text = {"auto": "secular Pauli null vector (Eq. C3), the full period-averaged generator (Eqs. A4–A6) "
                    f"where the secular result differs by > {SECULAR_SWITCH:g} (trace distance)",
            "secular": "secular Pauli null vector (Eq. C3)",
            "full": "full period-averaged generator (Eqs. A4–A6)"}
    return "; ".join(text[k] for k in sorted(m)) + ", period-averaged"


#: trace distance between the secular and full steady states above which a secular result warns
SECULAR_WARN = 1e-3


def _warn(d: dict[str, np.ndarray], B: int, params: dict, initial) -> None:
    secular_used = d["steady_full"] == 0
    checks = [
        ("sideband_tail", d["sideband_tail"], 1e-6,
         "sum_{|K|>sidebands} |A^K|^2 << sum_K |A^K|^2 (sideband truncation, Eq. C4); increase `sidebands`"),
        ("grid_tail", d["grid_tail"], 1e-6,
         "Fourier weight of the Floquet modes above |K| = steps/4 << 1 (time grid resolves the modes); "
         "increase `steps`"),
        ("secular_error", np.where(secular_used | params["secular"], d["secular_error"], np.nan), SECULAR_WARN,
         "secular approximation (Eq. C3): the secular and the full period-averaged (Eqs. A4–A6) steady "
         "states differ (trace distance) near quasienergy degeneracies; use steady=auto or full"),
        ("markov_ratio", d["markov_ratio"], 0.1, "Gamma_max << omega (Markov and period-averaging, App. A)"),
    ]
    for _, val, lim, text in checks:
        bad = val > lim
        if np.any(bad):
            warnings.warn(f"driven-qubits: {text} violated at {int(bad.sum())} of {B} points "
                          f"(largest value {_nanmax(val):.3g} > {lim:g})", ValidityWarning, stacklevel=4)
    nonunique = d["steady_unique"] == 0
    if np.any(nonunique):
        warnings.warn(f"driven-qubits: steady state not unique at {int(nonunique.sum())} of {B} points (no "
                      "relaxation between some Floquet states, e.g. kappa = 0, gamma1 = 0 or Delta1 = "
                      f"Delta2 = 0): answered as the long-time limit from the initial state {_label(initial)} "
                      "at t0 (steady_unique = 0)", ValidityWarning, stacklevel=4)


def _label(initial) -> str:
    return repr(initial) if isinstance(initial, str) else "(matrix)"


MODEL = register(Model(
    name="driven-qubits",
    paper="002",
    summary="Two strongly driven coupled qubits, Floquet–Born–Markov steady-state entanglement",
    params=(
        Param("eps0", 3.7, "detuning eps0 (Eq. B1)", unit="energy"),
        Param("A", 3.8, "drive amplitude A, V(t) = -A cos(omega t)(sz1+sz2)/2 (Sec. II)", unit="energy"),
        Param("omega", 1.0, "drive angular frequency (energy unit of the paper)", unit="energy"),
        Param("J", -2.5, "qubit–qubit flip-flop coupling, -J/2 (s+s- + h.c.) (Eq. B1)", unit="energy"),
        Param("Delta1", 0.1, "tunnel splitting of qubit 1, -Delta1/2 sx1 (Eq. B2)", unit="energy"),
        Param("Delta2", _delta2_default, "tunnel splitting of qubit 2 (paper: Delta2/Delta1 = 1.5)",
              unit="energy"),
        Param("gamma1", 1.0, "bath coupling of qubit 1 in A = gamma1 sz1 + gamma2 sz2 (Eq. 1)"),
        Param("xi", 0.1, "coupling asymmetry gamma2 = xi gamma1 (Sec. III)"),
        Param("kappa", 0.001, "Ohmic strength, J(W) = kappa W exp(-|W|/wc) (Sec. II)"),
        Param("T", 0.00467, "bath temperature k_B T_b (paper: T_b/omega = 0.00467)", unit="energy"),
        Param("wc", 10.0, "Ohmic cutoff; not given in paper 002, default 10 omega (see model docs)",
              unit="energy"),
        Param("steps", 96, "time steps per drive period (4th-order split propagator, FFT grid)",
              kind="int", numerical=True),
        Param("sidebands", 32, "sideband cutoff |K| <= sidebands in the rates (Eq. C4)", kind="int",
              numerical=True),
        Param("secular", False, "dynamics with the secular generator (Eq. C3) instead of the full "
                                "period-averaged one (Eqs. A4–A6)", kind="bool", numerical=True),
        Param("steady", "auto", "steady-state generator: auto (secular Eq. C3, the full Eqs. A4–A6 where "
                                "the secular result is off by > 1e-4 near quasienergy degeneracies), "
                                "secular, full", kind="str", numerical=True),
        Param("t0", 0.0, "initial time: the system is in the initial state at t = t0 (paper: t = 0, the "
                         "drive phase cos(omega t)); times must be >= t0", unit="time"),
    ),
    observables=(
        Observable("steady_concurrence", "concurrence C_inf of the period-averaged steady state"),
        Observable("steady_populations", "steady populations <k|rho_bar_inf|k> in the H0 eigenbasis",
                   dims=("level",)),
        Observable("floquet_populations", "steady populations of the Floquet states (labelled by H0 "
                                          "eigenstates)", dims=("level",)),
        Observable("populations", "P_k(t) in the H0 eigenbasis from the initial state at t0 (default "
                                  "the H0 ground state)", dims=("time", "level")),
        Observable("concurrence", "C(t) from the initial state at t0", dims=("time",)),
        Observable("floquet_rates", "Floquet rates Gamma_ab, jump initial b -> final a (Eq. C4, x 2 pi)",
                   dims=("final", "initial"), unit="1/time"),
        Observable("fgr_rates", "FGR rates between H0 eigenstates, Eq. (2)/(C1)", dims=("final", "initial"),
                   unit="1/time"),
        Observable("fgr_rates_perturbative", "perturbative FGR rates Eq. (C2) with the states of Eq. (B3) "
                                             "(NaN where not given)", dims=("final", "initial"), unit="1/time"),
        Observable("effective_rates", "effective eigenbasis rates from Floquet rates, Eq. (C9)",
                   dims=("final", "initial"), unit="1/time"),
        Observable("energies", "eigenvalues of H0, ascending", dims=("level",), unit="energy"),
        Observable("quasienergies", "quasienergies in [-omega/2, omega/2), labelled by H0 eigenstates",
                   dims=("level",), unit="energy"),
        Observable("secular_error", "trace distance between the secular (Eq. C3) and full (Eqs. A4–A6) "
                                    "steady states: measured where the full one was computed, else "
                                    "estimated (adiabatic elimination of coherences)"),
        Observable("steady_method", "1 where the steady state is from the full generator, 0 secular"),
        Observable("steady_unique", "1 where the steady state is unique, 0 where it is the long-time "
                                    "limit from the initial state (no relaxation: kappa, gamma1 or Delta = 0)"),
    ),
    evaluate_fn=_evaluate,
    validate_fn=_validate,
    default_observables=("steady_concurrence", "steady_populations"),
    default_times=(0.0, 2 * np.pi * 5000, 501),
    options=("initial",),
    option_defaults={"initial": "ground"},
    initial_time="t0",
    initial_time_doc="paper 002, Sec. II: the system is initially prepared in the ground state of H0 "
                     "(time origin of the drive phase of V(t) = -A cos(omega t)); t0 = 0 unless set",
))


def steady_concurrence(**params) -> np.ndarray:
    """C_inf for broadcastable parameter arrays (any shape); a thin wrapper over ``MODEL.evaluate``.

    String settings (``steady``) are passed as scalars."""
    arrays = {k: np.asarray(v) for k, v in params.items() if not isinstance(v, str)}
    shape = np.broadcast_shapes(*[a.shape for a in arrays.values()]) if arrays else ()
    flat = {k: np.broadcast_to(a, shape).ravel() for k, a in arrays.items()}
    flat.update({k: v for k, v in params.items() if isinstance(v, str)})
    res = MODEL.evaluate(flat, observables=["steady_concurrence"])
    return res["steady_concurrence"].reshape(shape)


def convergence_check(params: dict, factor: int = 2) -> dict[str, float]:
    """Refine the numerics and report the change of C_inf (checked, not assumed).

    Evaluates ``steady_concurrence`` at the given (B,) parameters with the default or given
    ``steps``/``sidebands`` and again with both multiplied by ``factor``.  Returns
    ``{"max_dC": ..., "steps": ..., "sidebands": ..., "steps_refined": ..., ...}``.
    """
    p = MODEL.resolve(params)
    steps, sb = int(np.max(p["steps"])), int(np.max(p["sidebands"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        a = MODEL.evaluate(params, observables=["steady_concurrence"])["steady_concurrence"]
        fine = {**params, "steps": factor * steps, "sidebands": factor * sb}
        b = MODEL.evaluate(fine, observables=["steady_concurrence"])["steady_concurrence"]
    return {"max_dC": float(np.max(np.abs(a - b))), "steps": steps, "sidebands": sb,
            "steps_refined": factor * steps, "sidebands_refined": factor * sb}
