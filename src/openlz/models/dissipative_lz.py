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

Conventions.  Initial state Eq. (52), cos eta |00> + sin eta |11>, is given in the rotated
frame at t_int = times[0]: |0> of S is the instantaneous *excited* state e+(t_int)
(R H_S R^dag = Omega sigma_z, Eq. 22).  Bloch vectors s, r and correlations chi (Eq. 37) and
populations are reported in the rotated frame (instantaneous eigenbasis), as in the paper.
The paper's negativity Eq. (51), (1/2) sum (|mu_i| - mu_i), equals openlz's
(||rho^Gamma||_1 - 1)/2 (1/2 for a Bell state), so ``negativity`` is that of
:func:`openlz.core.measures.negativity`.  The Lamb-shift term of k(t) follows Eq. (14)
(lambda²/8 sin²(theta - 2 phi)(S(w1) - S(w2))); the printed Eq. (30) has 1/2 (see
:mod:`openlz.analytic.dissipative_lz`).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..analytic import dissipative_lz as cf
from ..core.baths import OhmicBath, ohmic_bath
from ..core.checks import check_states
from ..core.measures import concurrence, negativity
from ..core.operators import SX, SY, SZ
from ..core.validation import require, require_finite, require_positive
from ..errors import ParameterError, ValidityWarning
from ..solve.adiabatic import validity_timescales
from ..solve.ode import ODEOptions
from ._dissipative_lz_rotated import evolve_rotated
from .base import Model, Observable, Param, register

__all__ = ["MODEL", "initial_state", "evolve_rotated", "evolve_lab", "bloch", "FRAMES"]

FRAMES = ("rotated", "lab")
_SRC = "paper 000, Sec. II"
_PAULI = np.stack([SX, SY, SZ])


def _validate(p: dict[str, np.ndarray]) -> None:
    require_positive("Delta", p["Delta"], "paper 000, Eq. (1): Delta > 0")
    require_positive("v", p["v"], "paper 000, Eq. (1): v > 0")
    require_positive("lam", p["lam"], "paper 000, Eq. (5): lambda > 0")
    require_positive("wc", p["wc"], "paper 000, Eq. (13): cutoff wc > 0")
    require_finite("T", p["T"], "paper 000, Eq. (12)")
    require("T", p["T"], p["T"] >= 0, "must be >= 0 (bath temperature)", "paper 000, Eq. (12)")
    require_finite("theta", p["theta"], "paper 000, Eq. (7)")
    require_finite("eta", p["eta"], "paper 000, Eq. (52)")
    require("eta", p["eta"], (p["eta"] >= 0) & (p["eta"] <= np.pi / 2),
            "must lie in [0, pi/2] (Schmidt angle)", "paper 000, Eq. (52)")
    require("frame", p["frame"], np.isin(p["frame"], FRAMES), f"must be one of {FRAMES}")
    for name in ("rtol", "atol"):
        require_positive(name, p[name], "integrator tolerance")


def initial_state(eta: np.ndarray) -> np.ndarray:
    """cos eta |00> + sin eta |11> (Eq. 52) as density matrices, (B,) -> (B, 4, 4)."""
    eta = np.atleast_1d(np.asarray(eta, dtype=float))
    psi = np.zeros((eta.size, 4), dtype=complex)
    psi[:, 0], psi[:, 3] = np.cos(eta), np.sin(eta)
    return psi[:, :, None] * psi[:, None, :].conj()


def _local(U: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """(U (x) 1) rho (U (x) 1)^dag for U (B, [T,] 2, 2), rho (B, [T,] 4, 4)."""
    U4 = np.einsum("...ab,cd->...acbd", U, np.eye(2)).reshape(*U.shape[:-2], 4, 4)
    return U4 @ rho @ np.conj(np.swapaxes(U4, -1, -2))


def evolve_lab(p: dict[str, np.ndarray], times: np.ndarray, options: ODEOptions
               ) -> tuple[np.ndarray, Any]:
    """rho~_SR(t) (B, T, 4, 4) from the general adiabatic master equation (Eq. 8) in the lab
    frame, rotated by R(t) (Eq. 34).

    This is :func:`openlz.amesolve` on the pair: H_S(t) (x) 1 and A (x) 1 (the idle reference
    qubit doubles every level, and the degenerate spectrum gives exactly L_t (x) id, Eq. 35),
    bath ``OhmicBath(lambda², wc, T)`` (Eqs. 11–13)."""
    from ..api.amesolve import amesolve

    Delta, v, theta = p["Delta"], p["v"], p["theta"]
    t0 = float(times[0])
    R0 = cf.rotation(np.full(Delta.shape, t0), Delta, v)
    rho0 = _local(np.conj(np.swapaxes(R0, -1, -2)), initial_state(p["eta"]))
    one = np.eye(2)
    A = 0.5 * (np.cos(theta)[:, None, None] * SZ + np.sin(theta)[:, None, None] * SX)
    A4 = np.einsum("bij,kl->bikjl", A, one).reshape(-1, 4, 4)
    out = np.empty((Delta.size, times.size, 4, 4), dtype=complex)
    stats: dict[str, Any] = {"accepted": 0, "rejected": 0}
    HX4, HZ4 = np.kron(SX, one), np.kron(SZ, one)
    opts = {"rtol": options.rtol, "atol": options.atol, "progress_bar": False,
            "validity_points": 2}
    for flag in (True, False):   # at most two groups: Lamb shift on / off
        idx = np.flatnonzero(p["lamb_shift"].astype(bool) == flag)
        if idx.size == 0:
            continue
        D, vv = Delta[idx], v[idx]
        bath = OhmicBath(p["lam"][idx] ** 2, p["wc"][idx], p["T"][idx])

        def H(t: float, D: np.ndarray = D, vv: np.ndarray = vv) -> np.ndarray:
            return D[:, None, None] * HX4 + (vv * t)[:, None, None] * HZ4

        with warnings.catch_warnings():      # the model reports Eq. (15) itself (_validity)
            warnings.simplefilter("ignore", ValidityWarning)
            res = amesolve(H, rho0[idx], times, [(A4[idx], bath)], lamb_shift=flag,
                           options=opts)
        R = cf.rotation(times[None, :], D[:, None], vv[:, None])
        out[idx] = _local(R, res.states)
        stats["accepted"] += res.stats["n_accepted"]
        stats["rejected"] += res.stats["n_rejected"]
    return out, stats


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


def _validity(p: dict[str, np.ndarray], times: np.ndarray) -> dict[str, Any]:
    """Eq. (15) checked with tau_S, tau_R, tau_A (Eqs. 16–18) on 1001 points of the run."""
    Delta, v = p["Delta"], p["v"]
    bath = ohmic_bath(p["lam"] ** 2, p["wc"], p["T"])

    def H(t: float) -> np.ndarray:
        return Delta[:, None, None] * SX + (v * t)[:, None, None] * SZ

    grid = np.linspace(float(times[0]), float(times[-1]), 1001) if times.size > 1 else times
    rep = validity_timescales(H, bath.gamma, grid)
    if not np.all(rep.holds):
        for msg in rep.violations():
            warnings.warn(f"dissipative-lz: {msg}; the Markov master equation of Eq. (8) "
                          "may not apply", ValidityWarning, stacklevel=4)
    return rep.as_dict()


def _evaluate(params: dict[str, np.ndarray], times: np.ndarray | None, observables: list[str],
              options: dict[str, Any]) -> dict[str, Any]:
    if times is None or np.size(times) < 1:
        raise ParameterError("times", times, "dissipative-lz needs a time grid START:STOP:NUM "
                             "(START = t_int)")
    times = np.asarray(times, dtype=float)
    p = params
    frames = np.unique(p["frame"])
    rtol, atol = float(np.min(p["rtol"])), float(np.min(p["atol"]))
    opts = ODEOptions(rtol=rtol, atol=atol)
    attrs: dict[str, Any] = {"validity": _validity(p, times), "rtol": rtol, "atol": atol,
                             "t_int": float(times[0]),
                             "negativity_definition": "Eq. (51) = (||rho^T_R||_1 - 1)/2"}
    B = p["Delta"].size
    rho = np.empty((B, times.size, 4, 4), dtype=complex)
    steps = {}
    for fr in frames:
        idx = np.flatnonzero(p["frame"] == fr)
        sub = {k: v[idx] for k, v in p.items()}
        if fr == "rotated":
            rho[idx], steps[str(fr)] = evolve_rotated(sub, times, opts)
        else:
            rho[idx], steps[str(fr)] = evolve_lab(sub, times, opts)
    attrs["solver"] = {"frames": [str(f) for f in frames], "steps": steps,
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
        Param("eta", np.pi / 4, "Schmidt angle of the initial state cos eta|00> + sin eta|11> "
              "(Eq. 52), in the instantaneous eigenbasis at t_int; default pi/4 (Bell)",
              unit="rad"),
        Param("lamb_shift", True, "include the Lamb-shift Hamiltonian (Eq. 14)", kind="bool"),
        Param("frame", "rotated", "solver: 'rotated' (paper's Eq. 29) or 'lab' (general "
              "adiabatic master equation, Eq. 8)", kind="str", numerical=True),
        Param("rtol", 1e-8, "relative tolerance of the adaptive integrator", numerical=True),
        Param("atol", 1e-10, "absolute tolerance of the adaptive integrator", numerical=True),
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
))
