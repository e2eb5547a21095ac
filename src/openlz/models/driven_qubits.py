"""Model ``driven-qubits`` (paper 002): two strongly driven, coupled qubits in an Ohmic bath.

Paper 002, Sec. II and App. A–C:

* H_s(t) = H0 + V(t), H0 = sum_i (-eps0/2 sz_i - Delta_i/2 sx_i) - J/2 (s+ s- + s- s+)
  (Eqs. B1–B2), V(t) = -A cos(omega t) (sz1 + sz2)/2.
* System–bath coupling A x B with A = gamma1 sz1 + gamma2 sz2, gamma2 = xi gamma1 (Eq. 1),
  Ohmic bath J(W) = kappa W exp(-|W|/wc) at temperature T (Sec. II).
* Floquet–Born–Markov master equation (Eqs. A4–A7, C3–C4) via ``openlz.solve.floquet`` and
  ``openlz.solve.floquet_markov``: steady state = null vector of the secular (Pauli) rate
  matrix in the Floquet basis, averaged over one period (rho_bar_inf); time evolution with
  the full period-averaged (Q = 0) generator, or its secular part (``secular=true``).

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
from ..core.baths import ohmic_exponential
from ..core.checks import check_states
from ..core.measures import concurrence
from ..core.operators import two_qubit_state
from ..core.validation import require, require_finite, require_nonnegative, require_positive
from ..errors import ParameterError, ValidityWarning
from ..solve.floquet import FloquetBasis, floquet_basis, period_propagators_split
from ..solve.floquet_markov import (
    evolve_generator,
    floquet_markov_generator,
    floquet_markov_rates,
    pauli_steady_state,
    sideband_tail,
    thermal_response,
)
from .base import Model, Observable, Param, register

__all__ = ["MODEL", "floquet_setup", "steady_concurrence", "convergence_check"]

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
    for name in ("eps0", "A", "J", "Delta1", "Delta2", "gamma1", "xi"):
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


def floquet_setup(p: dict[str, np.ndarray], steps: int, label: bool = True
                  ) -> tuple[FloquetBasis, np.ndarray, np.ndarray]:
    """Floquet basis of H0 + V(t) for (B,) parameter arrays.

    With ``label`` the Floquet states are ordered like the H0 eigenstates they overlap most
    (paper 002, Sec. III); without, by quasienergy (enough for basis-independent results such
    as the steady state).  Returns (basis, E (B, 4) H0 eigenvalues ascending, V (B, 4, 4)).
    """
    h0 = h0_matrix(p["eps0"], p["Delta1"], p["Delta2"], p["J"])
    E, V = np.linalg.eigh(h0)
    amp, om = p["A"], p["omega"]
    U = period_propagators_split(h0, drive_diagonal(),
                                 lambda t: amp[:, None] * np.sin(om[:, None] * t) / om[:, None], om, steps)
    fb = floquet_basis(U, om)
    if label:
        fb = fb.sort_by_reference(V)
    return fb, E, V


def _chunk_eval(p: dict[str, np.ndarray], times: np.ndarray | None, obs: list[str], initial,
                steps: int, kmax: int, secular: bool) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    out: dict[str, np.ndarray] = {}
    diag: dict[str, np.ndarray] = {}
    g = _response(p["kappa"], p["wc"], p["T"])
    aop = bath_operator(p["gamma1"], p["xi"])
    labelled = {"floquet_rates", "quasienergies", "floquet_populations", "effective_rates"}
    fb, E, V = floquet_setup(p, steps, label=bool(labelled & set(obs)))
    K, X = fb.matrix_elements(aop)
    rates = floquet_markov_rates(X, K, fb.quasienergies, fb.omega, g, kmax)
    diag["sideband_tail"] = sideband_tail(X, K, kmax)
    diag["grid_tail"] = sideband_tail(X, K, steps // 4)
    # secular condition: largest rate vs smallest quasienergy difference (folded into the zone)
    q = fb.quasienergies
    dq = np.abs(q[:, :, None] - q[:, None, :]) % fb.omega[:, None, None]
    dq = np.minimum(dq, fb.omega[:, None, None] - dq) + np.eye(4) * 1e300
    offd = rates * (1 - np.eye(4))
    diag["secular_ratio"] = offd.max(axis=(-1, -2)) / dq.min(axis=(-1, -2))
    diag["markov_ratio"] = offd.max(axis=(-1, -2)) / fb.omega
    if {"steady_concurrence", "steady_populations", "floquet_populations"} & set(obs):
        pf = pauli_steady_state(rates)
        rho = fb.period_average(pf)
        diag["physicality_steady"] = check_states(rho, atol=1e-8, warn=True).as_dict()
        if "steady_concurrence" in obs:
            out["steady_concurrence"] = concurrence(rho)
        if "steady_populations" in obs:
            out["steady_populations"] = np.einsum("bia,bij,bja->ba", np.conj(V), rho, V).real
        if "floquet_populations" in obs:
            out["floquet_populations"] = pf
    if "floquet_rates" in obs:
        out["floquet_rates"] = offd
    if "quasienergies" in obs:
        out["quasienergies"] = q
    if "energies" in obs:
        out["energies"] = E
    if "fgr_rates" in obs:
        out["fgr_rates"] = fgr_rates(E, V, aop, g)
    if "fgr_rates_perturbative" in obs:
        out["fgr_rates_perturbative"] = perturbative_rates(p["eps0"], p["Delta1"], p["Delta2"], p["J"],
                                                           p["gamma1"], p["xi"], E, g)
    if "effective_rates" in obs:
        ov = np.abs(np.einsum("bji,bja->bia", np.conj(V), fb.modes[:, 0])) ** 2
        out["effective_rates"] = effective_rates(ov, offd)
    if {"populations", "concurrence"} & set(obs):
        if times is None:
            raise ParameterError("times", None, "time-resolved observables need a time grid (--times)")
        L = floquet_markov_generator(X, K, fb.quasienergies, fb.omega, g, kmax, secular=secular)
        rho0 = V[:, :, 0, None] * np.conj(V[:, None, :, 0]) if initial == "ground" else \
            np.broadcast_to(two_qubit_state(initial), V.shape)
        u0 = fb.modes[:, 0]
        rf0 = np.conj(np.swapaxes(u0, -1, -2)) @ rho0 @ u0
        rf = evolve_generator(L, rf0.reshape(-1, 16), times).reshape(-1, times.size, 4, 4)
        W = fb.modes_at(times)  # (B, T, 4, 4): columns u_a(t)
        rho_t = W @ rf @ np.conj(np.swapaxes(W, -1, -2))
        # the full (Redfield-type) generator is not guaranteed completely positive: report it
        diag["physicality_dynamics"] = check_states(rho_t, atol=1e-6, warn=True).as_dict()
        if "populations" in obs:
            out["populations"] = np.einsum("bia,btij,bja->bta", np.conj(V), rho_t, V).real
        if "concurrence" in obs:
            out["concurrence"] = concurrence(rho_t)
    return out, diag


def _evaluate(params: dict[str, np.ndarray], times: np.ndarray | None, observables: list[str],
              options: dict) -> dict:
    B = params["eps0"].shape[0]
    initial = options.get("initial", "ground")
    shapes = {o.name: o.dims for o in MODEL.observables}
    nt = 0 if times is None else times.size
    dims = {"level": 4, "final": 4, "initial": 4, "time": nt}
    result = {o: np.empty((B, *[dims[d] for d in shapes[o]]),
                          dtype=float) for o in observables}
    diag_all = {k: np.empty(B) for k in ("sideband_tail", "grid_tail", "secular_ratio", "markov_ratio")}
    phys: dict[str, list[dict]] = {}
    keys = np.stack([params["steps"], params["sidebands"], params["secular"]], axis=1).astype(int)
    for key in np.unique(keys, axis=0):
        idx_all = np.where((keys == key).all(axis=1))[0]
        for start in range(0, idx_all.size, CHUNK):
            idx = idx_all[start:start + CHUNK]
            sub = {k: v[idx] for k, v in params.items()}
            out, diag = _chunk_eval(sub, times, observables, initial, int(key[0]), int(key[1]), bool(key[2]))
            for k, v in out.items():
                result[k][idx] = v
            for k, v in diag.items():
                if isinstance(v, dict):
                    phys.setdefault(k, []).append(v)
                else:
                    diag_all[k][idx] = v
    attrs = {
        "method": "Floquet–Born–Markov (paper 002, Eqs. A4–A7, C3–C4); steady state: secular "
                  "Pauli null vector, period-averaged; dynamics: "
                  + ("secular generator" if params["secular"].any() else "full Q=0 generator"),
        "max_sideband_tail": float(diag_all["sideband_tail"].max()),
        "max_grid_tail": float(diag_all["grid_tail"].max()),
        "max_secular_ratio": float(diag_all["secular_ratio"].max()),
        "max_markov_ratio": float(diag_all["markov_ratio"].max()),
        "critical_amplitude": critical_amplitude(params["eps0"], params["J"]).tolist() if B <= 16 else "",
    }
    for k, checks in phys.items():  # worst case over the chunks
        attrs[k] = {"trace_error": max(c["trace_error"] for c in checks),
                    "hermiticity_error": max(c["hermiticity_error"] for c in checks),
                    "min_eigenvalue": min(c["min_eigenvalue"] for c in checks),
                    "ok": all(c["ok"] for c in checks)}
    _warn(diag_all, B)
    result["_attrs"] = attrs
    result["_coords"] = {"level": np.arange(4), "final": np.arange(4), "initial": np.arange(4)}
    return result


def _warn(d: dict[str, np.ndarray], B: int) -> None:
    checks = [
        ("sideband_tail", 1e-6, "sum_{|K|>sidebands} |A^K|^2 << sum_K |A^K|^2 (sideband truncation, Eq. C4); "
                                "increase `sidebands`"),
        ("grid_tail", 1e-6, "Fourier weight of the Floquet modes above |K| = steps/4 << 1 (time grid "
                            "resolves the modes); increase `steps`"),
        ("secular_ratio", 0.5, "Gamma_max << min |eps_a - eps_b| (secular approximation, Eq. C3; fails "
                               "near quasienergy crossings)"),
        ("markov_ratio", 0.1, "Gamma_max << omega (Markov and period-averaging, App. A)"),
    ]
    for key, lim, text in checks:
        bad = d[key] > lim
        if bad.any():
            warnings.warn(f"driven-qubits: {text} violated at {int(bad.sum())} of {B} points "
                          f"(largest value {float(d[key].max()):.3g} > {lim:g})", ValidityWarning, stacklevel=4)


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
    ),
    observables=(
        Observable("steady_concurrence", "concurrence C_inf of the period-averaged steady state"),
        Observable("steady_populations", "steady populations <k|rho_bar_inf|k> in the H0 eigenbasis",
                   dims=("level",)),
        Observable("floquet_populations", "steady populations of the Floquet states (labelled by H0 "
                                          "eigenstates)", dims=("level",)),
        Observable("populations", "P_k(t) in the H0 eigenbasis from the H0 ground state",
                   dims=("time", "level")),
        Observable("concurrence", "C(t) from the H0 ground state", dims=("time",)),
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
    ),
    evaluate_fn=_evaluate,
    validate_fn=_validate,
    default_observables=("steady_concurrence", "steady_populations"),
    default_times=(0.0, 2 * np.pi * 5000, 501),
    options=("initial",),
    option_defaults={"initial": "ground"},
))


def steady_concurrence(**params) -> np.ndarray:
    """C_inf for broadcastable parameter arrays (any shape); a thin wrapper over ``MODEL.evaluate``."""
    arrays = {k: np.asarray(v) for k, v in params.items()}
    shape = np.broadcast_shapes(*[a.shape for a in arrays.values()]) if arrays else ()
    flat = {k: np.broadcast_to(a, shape).ravel() for k, a in arrays.items()}
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
