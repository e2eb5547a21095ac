"""Dissipative Landau–Zener noise on one share of an entangled pair (paper 000).

System qubit S: H_S = Delta sigma_x + v t sigma_z (Eq. 1), coupled as lambda A (x) B,
A = (cos theta sigma_z + sin theta sigma_x)/2 (Eq. 7), to an Ohmic bath J = w e^{-w/wc}
(Eq. 13) at temperature T.  Reference qubit R: no dynamics.  The pair evolves under
L_t (x) id (Eq. 35) where L_t is the adiabatic master equation of Eq. (8) (rates Eq. 11,
Lamb shift Eq. 14), which in the library's Lindblad form has jump operators
sqrt(lambda² gamma(w)) A(w): the paper's lambda² D_t is our dissipator with the bath's
eta = lambda² (no factor 2 or sign change).

Two solvers of the same equation (parameter ``frame``):

* ``"rotated"`` (default): the paper's rotated-frame generator, Eq. (29), with k, f, g, l of
  Eqs. (30)–(33) and phidot of Eq. (44), in Bloch form (Eqs. 36–43, with the chi_3j source term
  that Eq. (41) drops).  Numerically it is integrated after two exact changes of frame (a
  superadiabatic tilt and the interaction picture of the bare precession, see
  :func:`evolve_rotated`), which leave only small, slowly varying terms for the integrator.
* ``"lab"``: the public :func:`openlz.amesolve` (the general adiabatic master equation built
  from the instantaneous eigenbasis of H_S(t) (x) 1 in the lab frame), then rotated with R(t).

Both integrate a whole batch of parameter points with one adaptive step (``solve_ode``).

Initial state.  Given in the rotated frame at the initial time ``t_int`` (a parameter; the
paper's t_int, -100 in Fig. 3, -40 in Figs. 4-5): by default the family of Eq. (52),
cos eta |00> + sin eta |11>, or any pair state (Eq. 36 is general) with ``--initial``: a label
(``phi+``, ``phi-``, ``psi+``, ``psi-``, ``00``, ``01``, ``10``, ``11``, ``mixed``, ...) or a
``.npy`` ket (4,) / density matrix (4, 4); ``eta`` is then unused.  |0> of S is the
instantaneous *excited* state e+(t_int) (R H_S R^dag = Omega sigma_z, Eq. 22), S is the first
factor.  Results at a time do not depend on the other requested times.

Bath options beyond the paper's figures: ``wmax``, the upper frequency of the bath modes of
Eq. (4) (default inf, none; with a finite wmax, S(w) diverges logarithmically where
2 Omega(t) = wmax), and ``lamb_convention``: ``eq14`` (default, openlz's lambda²/8 from Eq. 14
with Eqs. 25-27) or ``printed`` (the lambda²/2 of Eqs. 28, 30; rotated frame only) — only phases
and, through their interplay with phidot, the fast regime depend on it.

Conventions.  Bloch vectors s, r and correlations chi (Eq. 37) and
populations are reported in the rotated frame (instantaneous eigenbasis), as in the paper.
The paper's negativity Eq. (51), (1/2) sum (|mu_i| - mu_i), equals openlz's
(||rho^Gamma||_1 - 1)/2 (1/2 for a Bell state), so ``negativity`` is that of
:func:`openlz.core.measures.negativity`.  The Lamb-shift term of k(t) follows Eq. (14)
(lambda²/8 sin²(theta - 2 phi)(S(w1) - S(w2))); the printed Eq. (30) has 1/2 (see
:mod:`openlz.analytic.dissipative_lz`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.checks import check_states
from ..core.measures import concurrence, negativity
from ..core.operators import SX, SY, SZ, two_qubit_state
from ..core.validation import require, require_finite, require_positive, require_tolerance
from ..errors import ParameterError
from ..solve.ode import ODEOptions
from ._dissipative_lz_lab import evolve_lab, validity
from ._dissipative_lz_rotated import evolve_rotated
from .base import Model, Observable, Param, evolution_grid, register

__all__ = ["MODEL", "initial_state", "evolve_rotated", "evolve_lab", "bloch", "FRAMES",
           "LAMB_CONVENTIONS"]

FRAMES = ("rotated", "lab")
"""Values of the ``frame`` parameter: the paper's rotated frame (Eq. 29) or the lab-frame
adiabatic master equation (Eq. 8)."""
LAMB_CONVENTIONS = ("eq14", "printed")
"""Values of the ``lamb_convention`` parameter: Lamb-shift prefactor lambda²/8 of k(t) as implied
by Eq. (14) with Eqs. (25)–(27) (``"eq14"``), or lambda²/2 as printed in Eqs. (28), (30)."""
_PAULI = np.stack([SX, SY, SZ])


def _validate(p: dict[str, np.ndarray]) -> None:
    require_positive("Delta", p["Delta"], "paper 000, Eq. (1): Delta > 0")
    require_positive("v", p["v"], "paper 000, Eq. (1): v > 0")
    require_positive("lam", p["lam"], "paper 000, Eq. (5): lambda > 0")
    require("lam", p["lam"], p["lam"] ** 2 > 0, "must be >= 1e-154 (the bath strength lam^2 "
            "underflows below)", "paper 000, Eq. (12)")
    require_positive("wc", p["wc"], "paper 000, Eq. (13): cutoff wc > 0")
    require("wmax", p["wmax"], ~np.isnan(p["wmax"]) & (p["wmax"] > 0),
            "must be > 0 (inf: no upper mode frequency)", "paper 000, Eq. (4)")
    require_finite("T", p["T"], "paper 000, Eq. (12)")
    require("T", p["T"], p["T"] >= 0, "must be >= 0 (bath temperature)", "paper 000, Eq. (12)")
    require_finite("theta", p["theta"], "paper 000, Eq. (7)")
    require_finite("t_int", p["t_int"], "paper 000, Eq. (40): the initial time t_int")
    require_finite("eta", p["eta"], "paper 000, Eq. (52)")
    require("eta", p["eta"], (p["eta"] >= 0) & (p["eta"] <= np.pi / 2),
            "must lie in [0, pi/2] (Schmidt angle)", "paper 000, Eq. (52)")
    require("frame", p["frame"], np.isin(p["frame"], FRAMES), f"must be one of {FRAMES}")
    require("lamb_convention", p["lamb_convention"],
            np.isin(p["lamb_convention"], LAMB_CONVENTIONS), f"must be one of {LAMB_CONVENTIONS}")
    require("lamb_convention", p["lamb_convention"],
            (p["lamb_convention"] != "printed") | (p["frame"] == "rotated"),
            "'printed' (Eqs. 28, 30) applies to the paper's rotated-frame generator: use "
            "frame=rotated", "paper 000, Eq. (30)")
    # documented ranges (issue 12): looser tolerances gave a lab-frame N(100) 5x off without
    # any warning; at the loosest (1e-5, 1e-7) the lab-frame negativity from t_int = -100 is
    # still good to 5e-4 (1e-4, 1e-6 gave 5e-3)
    require_tolerance("rtol", p["rtol"], 1e-13, 1e-5, "integrator tolerance, documented range")
    require_tolerance("atol", p["atol"], 1e-18, 1e-7, "integrator tolerance, documented range")


def initial_state(eta: np.ndarray) -> np.ndarray:
    """cos eta |00> + sin eta |11> (Eq. 52) as density matrices, (B,) -> (B, 4, 4)."""
    eta = np.atleast_1d(np.asarray(eta, dtype=float))
    psi = np.zeros((eta.size, 4), dtype=complex)
    psi[:, 0], psi[:, 3] = np.cos(eta), np.sin(eta)
    return psi[:, :, None] * psi[:, None, :].conj()


def _initial(p: dict[str, np.ndarray], options: dict[str, Any]) -> tuple[np.ndarray, str]:
    """rho~_SR(t_int) (B, 4, 4) and its description: ``--initial`` (label, ket or matrix,
    checked to be a state by :func:`openlz.core.operators.two_qubit_state`) or Eq. (52)."""
    init = options.get("initial")
    B = p["Delta"].size
    if init is None:
        return initial_state(p["eta"]), "Eq. (52) with eta"
    if isinstance(init, str):
        return np.broadcast_to(two_qubit_state(init), (B, 4, 4)).copy(), f"--initial {init}"
    arr = np.asarray(init)
    if arr.ndim == 3:            # one state per batch point (Python API)
        if arr.shape[0] not in (1, B):
            raise ParameterError("initial", f"array of shape {arr.shape}", f"a batch of states "
                                 f"must have shape ({B}, 4, 4) (one per parameter point) or "
                                 "(1, 4, 4)")
        states = np.stack([two_qubit_state(a) for a in arr])
        return np.broadcast_to(states, (B, 4, 4)).copy(), "--initial (array per point)"
    return np.broadcast_to(two_qubit_state(arr), (B, 4, 4)).copy(), "--initial (array)"


def bloch(rho: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """s_i, r_i, chi_ij of Eq. (37) for states (..., 4, 4): (..., 3), (..., 3), (..., 3, 3)."""
    one = np.eye(2)
    Ps = np.stack([np.kron(a, one) for a in _PAULI])
    Pr = np.stack([np.kron(one, a) for a in _PAULI])
    Pc = np.stack([np.stack([np.kron(a, b) for b in _PAULI]) for a in _PAULI])
    s = np.einsum("iab,...ba->...i", Ps, rho).real
    r = np.einsum("iab,...ba->...i", Pr, rho).real
    chi = np.einsum("ijab,...ba->...ij", Pc, rho).real
    return s, r, chi


def _evolve(p: dict[str, np.ndarray], times: np.ndarray, rho0: np.ndarray, opts: ODEOptions
            ) -> tuple[np.ndarray, dict[str, Any]]:
    """rho~_SR at ``times`` (B, T, 4, 4) from rho0 at each point's t_int: points sharing t_int,
    frame and wmax (one Lamb-shift table per mode cutoff) are integrated together on
    :func:`evolution_grid` (t_int first)."""
    B = p["Delta"].size
    rho = np.empty((B, times.size, 4, 4), dtype=complex)
    steps: dict[str, Any] = {}
    keys = {(float(a), str(b), float(c)) for a, b, c in zip(p["t_int"], p["frame"], p["wmax"],
                                                             strict=True)}
    for t0, fr, wm in sorted(keys):
        grid, index = evolution_grid(times, t0)
        idx = np.flatnonzero((p["t_int"] == t0) & (p["frame"] == fr) & (p["wmax"] == wm))
        sub = {k: v[idx] for k, v in p.items()}
        solver = evolve_rotated if fr == "rotated" else evolve_lab
        r, st = solver(sub, grid, opts, rho0[idx])
        rho[idx] = r[:, index]
        steps.setdefault(fr, []).append(st)
    return rho, steps


def _evaluate(params: dict[str, np.ndarray], times: np.ndarray | None, observables: list[str],
              options: dict[str, Any]) -> dict[str, Any]:
    if times is None or np.size(times) < 1:
        raise ParameterError("times", times, "dissipative-lz needs a time grid START:STOP:NUM "
                             "(times >= t_int)")
    times = np.asarray(times, dtype=float)
    p = params
    rtol, atol = float(np.min(p["rtol"])), float(np.min(p["atol"]))
    opts = ODEOptions(rtol=rtol, atol=atol)
    rho0, init_text = _initial(p, options)
    span = np.array([float(np.min(p["t_int"])), float(np.max(times))])
    attrs: dict[str, Any] = {"validity": validity(p, span), "rtol": rtol, "atol": atol,
                             "initial_state": init_text,
                             "negativity_definition": "Eq. (51) = (||rho^T_R||_1 - 1)/2"}
    rho, steps = _evolve(p, times, rho0, opts)
    attrs["solver"] = {"frames": sorted(steps), "steps": steps,
                       "integrator": "solve_ode dop853, one shared step per batch"}
    rho = 0.5 * (rho + np.conj(np.swapaxes(rho, -1, -2)))
    attrs["physicality"] = check_states(rho, atol=1e-6).as_dict()
    out: dict[str, Any] = {}
    if "negativity" in observables:
        out["negativity"] = negativity(rho)
    if "concurrence" in observables:
        out["concurrence"] = concurrence(rho)
    if {"s", "r", "chi", "populations"} & set(observables):
        s, r, chi = bloch(rho)
        if "s" in observables:
            out["s"] = s
        if "r" in observables:
            out["r"] = r
        if "chi" in observables:
            out["chi"] = chi
        if "populations" in observables:
            out["populations"] = np.stack([(1 + s[..., 2]) / 2, (1 - s[..., 2]) / 2], axis=-1)
    out["_coords"] = {"time": times, "axis": ["x", "y", "z"], "axis2": ["x", "y", "z"],
                      "level": ["excited", "ground"]}
    out["_attrs"] = attrs
    return out


def _wc_default(p: dict[str, Any]) -> Any:
    """Delta/3 (paper 000, Figs. 2–5)"""
    return np.asarray(p["Delta"]) / 3


MODEL = register(Model(
    name="dissipative-lz",
    paper="000",
    summary="Entanglement of a pair when one qubit undergoes dissipative Landau–Zener dynamics "
            "(adiabatic Markov master equation, Eqs. 8–43)",
    params=(
        Param("Delta", 10.0, "tunnelling amplitude Delta of H_S = Delta sx + v t sz (Eq. 1)",
              unit="energy"),
        Param("v", 1e-4, "sweep rate v (Eq. 1); default: the slow regime of Figs. 2–3",
              unit="energy/time"),
        Param("theta", 0.0, "coupling angle theta in radians, A = (cos theta sz + sin theta sx)/2 "
              "(Eq. 7); 0 longitudinal, pi/2 transversal", unit="rad"),
        Param("lam", 0.1, "system–bath coupling lambda (Eq. 5)"),
        Param("T", 0.0, "bath temperature (Eq. 12), k_B = 1", unit="energy"),
        Param("wc", _wc_default, "bath cutoff wc of J = w exp(-w/wc) (Eq. 13); default Delta/3 "
              "as in the paper", unit="energy"),
        Param("wmax", np.inf, "upper frequency of the bath modes (Eq. 4): J = 0 above it; "
              "default inf (none, as in the paper's figures)", unit="energy"),
        Param("t_int", -100.0, "initial time t_int of the state (Eqs. 40, 49); default -100 as "
              "in Fig. 3 (Figs. 4-5 use -40)", unit="time"),
        Param("eta", np.pi / 4, "Schmidt angle of the initial state cos eta|00> + sin eta|11> "
              "(Eq. 52), in the instantaneous eigenbasis at t_int; default pi/4 (Bell); unused "
              "with --initial", unit="rad"),
        Param("lamb_shift", True, "include the Lamb-shift Hamiltonian (Eq. 14)", kind="bool"),
        Param("lamb_convention", "eq14", "Lamb-shift prefactor of k(t): 'eq14' (lambda²/8, from "
              "Eq. 14 with Eqs. 25-27) or 'printed' (lambda²/2 of Eqs. 28, 30; frame=rotated)",
              kind="str"),
        Param("frame", "rotated", "solver: 'rotated' (paper's Eq. 29) or 'lab' (general "
              "adiabatic master equation, Eq. 8)", kind="str", numerical=True),
        Param("rtol", 1e-8, "relative tolerance of the adaptive integrator, in [1e-13, 1e-5]",
              numerical=True),
        Param("atol", 1e-10, "absolute tolerance of the adaptive integrator, in [1e-18, 1e-7]",
              numerical=True),
    ),
    observables=(
        Observable("negativity", "negativity N(rho_SR(t)), Eq. (51) (= (||rho^T||_1-1)/2, "
                   "1/2 for a Bell state)", dims=("time",)),
        Observable("concurrence", "Wootters concurrence of rho_SR(t)", dims=("time",)),
        Observable("s", "Bloch vector s_i = tr(sigma_i x 1 rho~), rotated frame (Eq. 37)",
                   dims=("time", "axis")),
        Observable("r", "Bloch vector r_i = tr(1 x sigma_i rho~) (Eq. 37; constant, Eq. 40)",
                   dims=("time", "axis")),
        Observable("chi", "correlations chi_ij = tr(sigma_i x sigma_j rho~), rotated frame "
                   "(Eq. 37)", dims=("time", "axis", "axis2")),
        Observable("populations", "populations of the instantaneous eigenstates "
                   "(excited e+, ground e-) of H_S(t)", dims=("time", "level")),
    ),
    evaluate_fn=_evaluate,
    validate_fn=_validate,
    default_observables=("negativity", "concurrence", "populations"),
    default_times=(-100.0, 100.0, 201),
    options=("initial",),
    option_defaults={"initial": None},
    initial_time="t_int",
    initial_time_doc="paper 000, Eqs. (40), (49): the state is given at t_int (the paper uses "
                     "t_int = -100 in Fig. 3, -40 in Figs. 4-5)",
))
"""The registered ``dissipative-lz`` model (paper 000): ``openlz run dissipative-lz``."""
