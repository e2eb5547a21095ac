"""Model ``coherence-engine``: work extraction from atomic coherences (paper 003, Sec. III).

Paper 003, Eqs. (24)–(34), Figs. 3–5.  A system spin H_S = eps0 sigma_z is coupled through
S = sigma_x + sigma_z to a harmonic bath with Lorentz–Drude Ohmic spectral density
J(w) = eta w / (1 + (w/wc)²) at inverse temperature beta (Eq. 24) and evolves with the
non-secular Redfield equation (Eq. 25, Lamb shift ignored).  Once per period T a fresh atom
(level ramped 0 -> 2 eps0 over the period, so rate = 2 eps0 / T; Fig. 3) crosses the system
level at T/2; the crossing is a Landau–Zener collision, Eqs. (27)–(30).  The atoms arrive
with thermal population a = f = 1/(exp(2 beta eps0) + 1) and a free coherence q.

One period, sampled just before a crossing, is the linear map
    rho -> E_T K_q rho,   E_T = exp(L_Redfield T),   K_q = collision, Eqs. (27)–(28),
whose fixed point is the periodic steady state.  Work per period (Eq. 34) is
W = 2 eps0 (a - a') with a' from Eq. (29); power P = W / T; the heat drawn from the bath in
one period is Q = 2 eps0 (p_before - p_after) = -W in the periodic state.

Conventions (openlz docs/design.md): index 0 = up (sigma_z = +1), the paper's state 1; the paper's
W_ij = J(w_ij) n(w_ij) equals S(w_ji)/2 with the power spectrum S(w) = 2 J(w) [1 + n(w)] of
:mod:`openlz.solve.redfield`.  The collision is applied instantaneously (alpha = 0, see
:func:`openlz.analytic.coherence_engine.collision_map`); ``q`` is the atom coherence as it
enters Eqs. (27)–(30).  Its phase is measured in that frame: a different choice of frame
(e.g. the coherence at the start of the ramp) rotates the (Re q, Im q) plane of Fig. 4
rigidly about q = 0.  Parameter ``collision``: ``"printed"`` (default, what the paper iterates
for Figs. 4–5) uses Eqs. (27)–(30) as printed; ``"exact"`` applies Eq. (8) with the atom as
the swept spin, as Sec. III's geometry requires, and equals the printed map with q -> -q, so
P_printed(q) = P_exact(-q) (:mod:`openlz.analytic.coherence_engine`; checked against QuTiP);
``"system-swept"`` is Eq. (8) with the roles of Sec. II (the system swept), for comparison.

The numbers of Figs. 4–5 (eps0, eta, wc, beta, rate/period) are not given in the paper; the
defaults below are openlz's choice, made so that the paper's ordering of time scales holds:
tau_LZ < T/2, tau_LZ < tau_R ~ 1/J(2 eps0), and tau_R > T (Sec. III): eps0 = 1, eta = 0.002,
wc = 10, beta = 1, T = 3 pi/2 (rate = 2 eps0/T ~ 0.424), nu = 0.1; the figures use the paper's
Fig. 2 couplings nu = 0.1, 0.2, 0.4 (1 - R = 0.07, 0.26, 0.69).  The sign of the power is set
by the system's free precession over one period, 2 eps0 T (mod 2 pi): the coherence the
collision writes into the system returns, one period later, with that phase relative to the
next atom's q.  At 2 eps0 T = pi (mod 2 pi) (the default, 3 pi) it returns anti-phased and
the engine extracts work for almost every q (the paper's regime); at 0 (mod 2 pi) it spends
work.  The paper does not state T, so its Fig. 4 sign structure cannot be pinned down.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg as sla

from ..analytic.coherence_engine import (
    COLLISIONS,
    atom_is_physical,
    coherence_bound,
    collision_map,
    exact_collision_map,
    lz_parameters,
    thermal_population,
    work_parts,
    work_per_period,
)
from ..analytic.landau_zener import collision_unitary
from ..core.baths import bose, ohmic_drude
from ..core.operators import SX, SZ
from ..core.validation import require, require_positive
from ..errors import ParameterError, PhysicalityWarning, ValidityWarning
from ..solve.collisions import channel_superop
from ..solve.redfield import bosonic_power_spectrum, redfield_generator
from .base import Model, Observable, Param, register

__all__ = ["engine_redfield_generator", "kick_superop", "periodic_state", "EngineCycle",
           "engine_cycle", "finite_time_phase", "validity_report", "MODEL"]

SRC = "paper 003"


# --------------------------------------------------------------------------- building blocks
def engine_redfield_generator(eps0: np.ndarray, eta: np.ndarray, wc: np.ndarray,
                              beta: np.ndarray) -> np.ndarray:
    """Redfield generator of Eq. (25) for H_S = eps0 sigma_z, S = sigma_x + sigma_z.

    Arrays (B,) -> (B, 4, 4) acting on row-major vec(rho).  Bath: Lorentz–Drude Ohmic J,
    Bose occupations at temperature 1/beta; W_11 = W_22 = lim J(x) n(x) = eta / beta.
    """
    eps0, eta, wc, beta = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(x, dtype=float)) for x in (eps0, eta, wc, beta)))
    h = eps0[:, None, None] * SZ
    s_op = np.broadcast_to(SX + SZ, h.shape)
    e3, w3, t3 = eta[:, None, None], wc[:, None, None], 1.0 / beta[:, None, None]

    def spectrum(w: np.ndarray) -> np.ndarray:
        return bosonic_power_spectrum(w, lambda x: ohmic_drude(x, e3, w3), t3, zero_slope=e3)

    return redfield_generator(h, [(s_op, spectrum)])


_SWAP = np.eye(4)[[0, 2, 1, 3]]


def kick_superop(R: np.ndarray, phi: np.ndarray, a: np.ndarray, q: np.ndarray,
                 collision: str = "printed") -> np.ndarray:
    """System channel of one collision, (B, 4, 4), from the two-spin unitary.

    Tr_A[U (rho ⊗ rho_A) U^dag] in the order (system, atom), at alpha = 0
    (:func:`openlz.analytic.landau_zener.collision_unitary` U_8(phi) = Eq. 8 with the swept
    spin first, :func:`openlz.solve.collisions.channel_superop`):

    * ``"exact"``: U = SWAP U_8(phi) SWAP, Eq. (8) with the atom swept (Sec. III's geometry);
    * ``"printed"``: U = U_8(-phi), which reproduces Eqs. (27)–(28) as printed;
    * ``"system-swept"``: U = U_8(phi), Eq. (8) with the system swept (Sec. II's geometry).

    rho_A = [[a, q], [q*, 1 - a]] (Eq. 15) must be positive.
    """
    R, phi, a = (np.atleast_1d(np.asarray(x, dtype=float)) for x in (R, phi, a))
    q = np.atleast_1d(np.asarray(q, dtype=complex))
    R, phi, a, q = np.broadcast_arrays(R, phi, a, q)
    if collision == "exact":
        u = _SWAP @ collision_unitary(R, phi, 0.0) @ _SWAP
    elif collision == "printed":
        u = collision_unitary(R, -phi, 0.0)
    elif collision == "system-swept":
        u = collision_unitary(R, phi, 0.0)
    else:
        raise ValueError(f"collision must be one of {COLLISIONS}, got {collision!r}")
    rho_a = np.stack([np.stack([a + 0j, q], -1), np.stack([np.conj(q), 1.0 - a + 0j], -1)], -2)
    return channel_superop(u, rho_a, 2)


def _atom_after(p: np.ndarray, k: np.ndarray, a: np.ndarray, q: np.ndarray, R: np.ndarray,
                phi: np.ndarray, collision: str) -> tuple[np.ndarray, np.ndarray]:
    """(a', q') of the atom after the crossing for the chosen collision map."""
    if collision == "exact":
        _, _, a_out, q_out = exact_collision_map(p, k, a, q, R, phi, 0.0)
    else:
        _, _, a_out, q_out = collision_map(p, k, a, q, R, phi, 0.0,
                                           -1 if collision == "printed" else 1)
    return a_out, q_out


def periodic_state(period_map: np.ndarray) -> np.ndarray:
    """Fixed point rho = M rho, tr rho = 1, of one-period maps M (B, 4, 4) -> (B, 2, 2).

    Solves (M - 1) v = 0 with the first row replaced by the trace condition (one batched
    linear solve); the fixed point is unique when M has a single eigenvalue 1.
    """
    m = np.asarray(period_map, dtype=complex)
    a = m - np.eye(4)
    a[..., 0, :] = np.array([1.0, 0.0, 0.0, 1.0])
    rhs = np.zeros(m.shape[:-1], dtype=complex)
    rhs[..., 0] = 1.0
    v = np.linalg.solve(a, rhs[..., None])[..., 0]
    rho = v.reshape(*v.shape[:-1], 2, 2)
    return 0.5 * (rho + np.conj(np.swapaxes(rho, -1, -2)))


def _redfield_propagators(eps0, eta, wc, beta, period) -> np.ndarray:
    """exp(L T) for each point (B, 4, 4); one expm per distinct (eps0, eta, wc, beta, T)."""
    key = np.stack([eps0, eta, wc, beta, period], axis=-1)
    uniq, inv = np.unique(key, axis=0, return_inverse=True)
    gen = engine_redfield_generator(*uniq[:, :4].T)
    props = sla.expm(gen * uniq[:, 4, None, None])
    return props[np.ravel(inv)]


def finite_time_phase(eps0: Any, nu: Any, period: Any) -> np.ndarray:
    """ζ - ζ_0 = ∫_0^T [sqrt(Δ_t² + ν²) - |Δ_t|] dt, Δ_t = eps0 - ε_A(t) = eps0 (1 - 2t/T).

    The adiabatic dynamical phase of the exchange amplitude over the ramp (paper 003, Eq. 8
    omits it; :func:`openlz.analytic.landau_zener.adiabatic_phases`) beyond the free phase
    ∫|Δ_t| dt = eps0 T/2 that the kick frame already carries (q at the crossing, the system's
    precession in E_T).  η = 0 (the crossing is centred on the ramp) and the diagonal α_n of
    Eqs. (28), (30) is the free precession (counted by the Redfield propagator), so this is
    the only finite-time phase left.  Closed form, shape of the broadcast inputs.
    """
    from ..analytic.landau_zener import adiabatic_phases

    eps0, nu, period = (np.asarray(x, dtype=float) for x in (eps0, nu, period))
    zeta, _ = adiabatic_phases(nu, 2 * eps0 / period, period / 2, 0.0, period)
    return zeta - eps0 * period / 2


# --------------------------------------------------------------------------- one cycle
@dataclass
class EngineCycle:
    """Periodic steady state of the engine, all arrays (B,) (NaN where q is unphysical).

    rho_before / rho_after : (B, 2, 2) system state just before / after the crossing.
    a_out, q_out : atom state after the crossing (Eqs. 29–30).
    work : W per period (Eq. 34); power : W / T; heat : Q from the bath over one period.
    w1, w2, w3 : Eqs. (31, corrected)–(33).  R, phi : Landau–Zener parameters.
    physical : atom state positive; min_eig : smallest eigenvalue of rho_before/after.
    """

    rho_before: np.ndarray
    rho_after: np.ndarray
    a_out: np.ndarray
    q_out: np.ndarray
    work: np.ndarray
    power: np.ndarray
    heat: np.ndarray
    w1: np.ndarray
    w2: np.ndarray
    w3: np.ndarray
    R: np.ndarray
    phi: np.ndarray
    physical: np.ndarray
    min_eig: np.ndarray


def engine_cycle(eps0: Any, eta: Any, wc: Any, beta: Any, nu: Any, period: Any, q: Any,
                 a: Any = None, collision: str = "printed", finite_time: bool = False
                 ) -> EngineCycle:
    """Batched periodic steady state, work and power of the engine (paper 003, Eqs. 25–34).

    All inputs broadcast to one shape (B,) (scalars allowed); ``q`` complex; ``a`` defaults to
    the thermal population (Sec. III).  rate = 2 eps0 / period (Fig. 3).  Points where the atom
    state is not positive (|q|² > a (1 - a)) give NaN, they are not rejected here.
    ``collision``: ``"printed"`` = Eqs. (27)–(30) as printed, ``"exact"`` = Eq. (8) with the
    atom swept (= printed with q -> -q), ``"system-swept"`` = Eq. (8) with the system swept.
    ``finite_time``: add the finite-time exchange phase of the ramp, :func:`finite_time_phase`,
    to the Stokes phase (the paper sets it aside; tested against the propagator of the ramp).
    One vectorised pass: a batched linear solve for the fixed points and one ``expm`` per
    distinct bath/period setting.
    """
    eps0, eta, wc, beta, nu, period = (np.atleast_1d(np.asarray(x, dtype=float))
                                       for x in (eps0, eta, wc, beta, nu, period))
    q = np.atleast_1d(np.asarray(q, dtype=complex))
    if a is None:
        a = thermal_population(beta, eps0)
    a = np.atleast_1d(np.asarray(a, dtype=float))
    eps0, eta, wc, beta, nu, period, q, a = np.broadcast_arrays(eps0, eta, wc, beta, nu, period,
                                                                q, a)
    rate = 2.0 * eps0 / period
    R, phi = lz_parameters(nu, rate)
    if finite_time:
        phi = phi + finite_time_phase(eps0, nu, period)
    ok = atom_is_physical(a, q)
    qs = np.where(ok, q, 0.0)
    props = _redfield_propagators(eps0.ravel(), eta.ravel(), wc.ravel(), beta.ravel(),
                                  period.ravel()).reshape(*eps0.shape, 4, 4)
    kick = kick_superop(R, phi, a, qs, collision)
    rho_b = periodic_state(props @ kick)
    rho_a = (kick @ rho_b.reshape(*rho_b.shape[:-2], 4, 1)).reshape(rho_b.shape)
    p, k = rho_b[..., 0, 0].real, rho_b[..., 0, 1]
    a_out, q_out = _atom_after(p, k, a, qs, R, phi, collision)
    work = work_per_period(eps0, a, a_out)
    heat = 2.0 * eps0 * (p - rho_a[..., 0, 0].real)
    w1, w2, w3 = work_parts(eps0, a, a_out)
    min_eig = np.minimum(np.linalg.eigvalsh(rho_b)[..., 0], np.linalg.eigvalsh(rho_a)[..., 0])
    nan = np.where(ok, 1.0, np.nan)
    return EngineCycle(rho_b * nan[..., None, None], rho_a * nan[..., None, None], a_out * nan,
                       q_out * nan, work * nan, work / period * nan, heat * nan, w1 * nan,
                       w2 * nan, w3 * nan, R, phi, ok, min_eig * nan)


def validity_report(eps0: Any, eta: Any, wc: Any, beta: Any, nu: Any, period: Any
                    ) -> dict[str, Any]:
    """Time-scale conditions of Sec. III (worst case over the batch), with the values used.

    tau_LZ = max(1, 2|nu|/sqrt(rate)) / sqrt(rate) (paper 003, Eq. 3, divided by the rate);
    tau_R = 1 / J(2 eps0) (Sec. III).  Conditions: tau_LZ < T/2 (the crossing is complete
    within the ramp), tau_LZ < tau_R (bath negligible during the collision), and the
    Born–Markov weak coupling J(2 eps0)(2 n + 1) < 0.1 * 2 eps0.
    """
    eps0, eta, wc, beta, nu, period = (np.atleast_1d(np.asarray(x, dtype=float))
                                       for x in (eps0, eta, wc, beta, nu, period))
    rate = 2.0 * eps0 / period
    tau_lz = np.maximum(1.0, 2.0 * np.abs(nu) / np.sqrt(rate)) / np.sqrt(rate)
    j = ohmic_drude(2.0 * eps0, eta, wc)
    tau_r = 1.0 / j
    gamma = j * (2.0 * bose(2.0 * eps0, 1.0 / beta) + 1.0)
    conds = {
        "tau_LZ < T/2": bool(np.all(tau_lz < period / 2)),
        "tau_LZ < tau_R": bool(np.all(tau_lz < tau_r)),
        "J(2 eps0)(2n+1) < 0.1 * 2 eps0": bool(np.all(gamma < 0.2 * eps0)),
    }
    return {"conditions": conds, "tau_LZ_max": float(np.max(tau_lz)),
            "tau_R_min": float(np.min(tau_r)), "period_max": float(np.max(period)),
            "tau_R_over_T_min": float(np.min(tau_r / period)), "valid": all(conds.values())}


# --------------------------------------------------------------------------- the model
DEFAULT_PERIOD = 3 * np.pi / 2


def _period_default(p: dict[str, Any]) -> Any:
    """2 eps0 / rate if rate is given, else 3 pi/2 ~ 4.712 (openlz's choice, see module doc)."""
    if "rate" in p:
        return 2.0 * np.asarray(p["eps0"]) / np.asarray(p["rate"])
    return DEFAULT_PERIOD


def _rate_default(p: dict[str, Any]) -> Any:
    """2 eps0 / period (atom level ramped 0 -> 2 eps0 over one period, paper 003 Fig. 3)."""
    return 2.0 * np.asarray(p["eps0"]) / np.asarray(p["period"])


def _a_default(p: dict[str, Any]) -> Any:
    """thermal: 1/(exp(2 beta eps0) + 1) (paper 003 Sec. III, a = f)."""
    return thermal_population(p["beta"], p["eps0"])


def _validate(p: dict[str, np.ndarray]) -> None:
    for name in ("eps0", "eta", "wc", "beta", "period", "rate"):
        require_positive(name, p[name], f"{SRC}, Eqs. (24)-(26)")
    require("nu", p["nu"], np.isfinite(p["nu"]), "must be a finite number")
    require("rate", p["rate"], np.isclose(p["rate"], 2 * p["eps0"] / p["period"], rtol=1e-9),
            "must equal 2 eps0 / period (set one of rate, period)",
            f"{SRC}, Fig. 3: the atom level is ramped 0 -> 2 eps0 over one period")
    for c in np.atleast_1d(p["collision"]):
        if c not in COLLISIONS:
            raise ParameterError("collision", c, f"must be one of {', '.join(COLLISIONS)}",
                                 f"{SRC}, Eqs. (8), (27)-(30)")
    require("a", p["a"], (p["a"] >= 0) & (p["a"] <= 1), "must lie in [0, 1]", f"{SRC}, Eq. (15)")
    for name in ("q_re", "q_im"):
        require(name, p[name], np.isfinite(p[name]), "must be a finite number")
    if not np.all(p["mask_unphysical"]):
        q = p["q_re"] + 1j * p["q_im"]
        ok = atom_is_physical(p["a"], q)
        if not np.all(ok):
            i = int(np.argmin(np.broadcast_to(ok, np.broadcast(q, p["a"]).shape)))
            qb = np.broadcast_to(q, ok.shape).flat[i]
            ab = float(np.broadcast_to(p["a"], ok.shape).flat[i])
            raise ParameterError(
                "q", complex(qb),
                f"|q|^2 = {abs(qb) ** 2:.6g} must be <= a (1 - a) = {ab * (1 - ab):.6g} "
                f"(|q| <= {float(coherence_bound(ab)):.6g}) for the atom state to be positive",
                f"{SRC}, Eq. (15) and Fig. 4 (white region)")


def _evaluate(params: dict[str, np.ndarray], times: np.ndarray | None, observables: list[str],
              options: dict[str, Any]) -> dict[str, Any]:
    p = params
    kinds = np.unique(p["collision"])
    if kinds.size != 1:
        raise ParameterError("collision", p["collision"].tolist(),
                             "must be the same for every point of one call")
    ft = np.unique(p["finite_time"])
    if ft.size != 1:
        raise ParameterError("finite_time", p["finite_time"].tolist(),
                             "must be the same for every point of one call")
    cyc = engine_cycle(p["eps0"], p["eta"], p["wc"], p["beta"], p["nu"], p["period"],
                       p["q_re"] + 1j * p["q_im"], p["a"], str(kinds[0]), bool(ft[0]))
    report = validity_report(p["eps0"], p["eta"], p["wc"], p["beta"], p["nu"], p["period"])
    if not report["valid"]:
        bad = [c for c, ok in report["conditions"].items() if not ok]
        warnings.warn(f"coherence-engine: validity condition(s) violated: {', '.join(bad)} "
                      f"({SRC}, Sec. III)", ValidityWarning, stacklevel=3)
    min_eig = float(np.nanmin(cyc.min_eig)) if np.any(cyc.physical) else float("nan")
    if min_eig < -1e-9:
        warnings.warn(f"coherence-engine: the Redfield periodic state is not positive "
                      f"(min eigenvalue {min_eig:.3e}; Redfield is not of Lindblad form, "
                      f"{SRC} below Eq. 25)", PhysicalityWarning, stacklevel=3)
    values = {
        "work": cyc.work, "power": cyc.power, "heat": cyc.heat,
        "w1": cyc.w1, "w2": cyc.w2, "w3": cyc.w3,
        "p_before": cyc.rho_before[:, 0, 0].real, "k_re": cyc.rho_before[:, 0, 1].real,
        "k_im": cyc.rho_before[:, 0, 1].imag, "a_out": cyc.a_out,
        "q_out_re": cyc.q_out.real, "q_out_im": cyc.q_out.imag,
        "exchange_probability": 1.0 - cyc.R, "stokes_phase": cyc.phi,
        "physical": cyc.physical.astype(float), "min_eigenvalue": cyc.min_eig,
    }
    out: dict[str, Any] = {name: values[name] for name in observables}
    out["_attrs"] = {"validity": report, "state_min_eigenvalue": min_eig,
                     "collision": str(kinds[0]),
                     "q_frame": "atom coherence entering the collision; applied "
                                "instantaneously (alpha = 0); P_printed(q) = P_exact(-q)"}
    if not np.all(cyc.physical):  # mask_unphysical: NaN where the atom state is not positive
        out["_attrs"]["nan_reason"] = {
            name: "NaN where the atom state is unphysical, |q|^2 > a(1-a) (mask_unphysical)"
            for name in observables}
    return out


_FREE = "not given in paper 003; openlz's choice"

MODEL = register(Model(
    name="coherence-engine",
    paper="003",
    summary="Spin in a Redfield bath, periodically kicked by driven atoms with coherence q: "
            "periodic steady state, work per period and power (Eqs. 24-34)",
    params=(
        Param("eps0", 1.0, f"system level splitting H_S = eps0 sigma_z (Eq. 24); {_FREE}",
              unit="energy"),
        Param("eta", 0.002, f"Ohmic coupling strength of J(w) = eta w/(1+(w/wc)^2) (Eq. 25); "
              f"{_FREE} (weak: tau_R = 1/J(2 eps0) ~ 260 >> T)"),
        Param("wc", 10.0, f"Lorentz-Drude cutoff frequency (Eq. 25); {_FREE}", unit="energy"),
        Param("beta", 1.0, f"inverse temperature of bath and atoms (Eq. 25, a = f); {_FREE}",
              unit="1/energy"),
        Param("nu", 0.1, "system-atom Landau-Zener coupling (Eq. 26); 0.1 is the value of the "
              "Fig. 5 inset", unit="energy"),
        Param("period", _period_default, f"collision period T (Fig. 3); default 3 pi/2, i.e. "
              f"2 eps0 T = pi mod 2 pi ({_FREE}), or 2 eps0/rate", unit="time"),
        Param("rate", _rate_default, "atom ramp speed (d eps/dt); fixed to 2 eps0/T by Fig. 3 "
              "(set rate or period)", unit="energy/time"),
        Param("q_re", 0.0, "Re q, atom coherence entering Eqs. (27)-(30)"),
        Param("q_im", 0.0, "Im q, atom coherence entering Eqs. (27)-(30)"),
        Param("a", _a_default, "atom upper population; default thermal a = f = "
              "1/(exp(2 beta eps0)+1) (Sec. III)"),
        Param("collision", "printed", "collision map: 'printed' = Eqs. (27)-(30) as printed "
              "(the paper's Figs. 4-5); 'exact' = Eq. (8) with the atom as the swept spin "
              "(Sec. III's geometry), equal to 'printed' with q -> -q; 'system-swept' = Eq. (8) "
              "with the system swept (Sec. II's geometry, printed with phi -> -phi)",
              kind="str"),
        Param("finite_time", False, "add the finite-time exchange phase ζ - eps0 T/2 of the "
              "ramp 0 -> 2 eps0 to the Stokes phase (Eq. 8 and the paper omit it; α_n is the "
              "free precession, already in the Redfield step); see finite_time_phase",
              kind="bool"),
        Param("mask_unphysical", False, "return NaN for |q|^2 > a(1-a) instead of raising "
              "(for maps over the q plane)", kind="bool", numerical=True),
    ),
    observables=(
        Observable("work", "mechanical work per period W = 2 eps0 (a - a') (Eq. 34); "
                   "< 0 = extracted", unit="energy"),
        Observable("power", "mechanical power P = W / T (Figs. 4-5)", unit="energy/time"),
        Observable("heat", "heat from the bath per period Q = 2 eps0 (p_before - p_after) "
                   "(= -W in the periodic state)", unit="energy"),
        Observable("w1", "work ramping the atom 0 -> eps0 (Eq. 31, corrected: eps0(2a-1))"),
        Observable("w2", "work ramping the atom eps0 -> 2 eps0 (Eq. 32)"),
        Observable("w3", "work switching the atom 2 eps0 -> 0 (Eq. 33)"),
        Observable("p_before", "system upper population just before a crossing (Eq. 12)"),
        Observable("k_re", "Re of system coherence <up|rho|down> just before a crossing"),
        Observable("k_im", "Im of system coherence just before a crossing"),
        Observable("a_out", "atom upper population after the crossing a' (Eq. 29)"),
        Observable("q_out_re", "Re of atom coherence after the crossing q' (Eq. 30)"),
        Observable("q_out_im", "Im of atom coherence after the crossing q' (Eq. 30)"),
        Observable("exchange_probability", "Landau-Zener exchange probability 1 - R (Eq. 10)"),
        Observable("stokes_phase", "Stokes phase phi (Eq. 11)"),
        Observable("physical", "1 where the atom state is positive, 0 where not (Fig. 4 white)"),
        Observable("min_eigenvalue", "smallest eigenvalue of the periodic system states "
                   "(Redfield positivity check)"),
    ),
    evaluate_fn=_evaluate,
    validate_fn=_validate,
    default_observables=("work", "power", "heat", "p_before", "k_re", "k_im", "a_out",
                         "exchange_probability"),
    initial_time_doc="no initial-value problem: every observable belongs to the periodic "
                     "steady state (paper 003, Sec. III)",
))
