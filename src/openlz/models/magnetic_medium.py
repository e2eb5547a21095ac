"""Two spin qubits coupled through a magnetic medium (paper 004), batched over parameter points.

Paper 004, Eqs. (1)–(7): H_S = −(Δ1 σ1z + Δ2 σ2z)/2 plus an optional medium-induced coherent
coupling H_eff = Jz σ1zσ2z + J⊥(σ1xσ2x + σ1yσ2y) + D_DM ẑ·(σ1 × σ2) (Eq. S38), and the
dissipator of Eqs. (3)–(4)

    dρ/dt = −i[H_S + H_eff, ρ] − Σ_nm h_nm (O_m† O_n ρ + ρ O_m† O_n − 2 O_n ρ O_m†),
    O = (σ1−, σ2−, σ1+, σ2+, σ1z, σ2z),
    h = [[ã, Ã], [Ã*, ã]] ⊕ [[a, A*], [A, a]] ⊕ [[d, D], [D*, d]].

Mapping onto the library convention (docs/design.md): the paper's σ± and |↑> = |0> coincide with
ours (its ground state |↑↑> = |00> is reached by the a-processes σ+ = |↑><↓|).  Diagonalising
each 2×2 block, h = U diag(γ) U†, gives jump operators L_k = sqrt(2 γ_k) Σ_n U_nk O_n: the
paper's dissipator J†Jρ + ρJ†J − 2JρJ† with an overall minus sign is L = √2 J.  For real
A, Ã ≥ 0 these are √2 × the J1…J4 of Eq. (5).  Complex A = |A|e^{iφ}, Ã = |Ã|e^{iφ} (equal
phases, as the thermal relation Ã = e^{−βΔ}A implies) are gauged out by a z rotation of qubit 2
(ref. [71]); the model uses the phases as given, so unequal phases are simulated faithfully,
but the closed forms (which use |A|, |Ã|) are then reported as NaN.

Postselection (Eqs. 11–13) with a finite detector efficiency η_det (parameter ``efficiency``,
beyond the paper): the relaxation jumps J1…J4 change the total σz and are detected with
probability η_det; postselection discards trajectories with a detected jump.  The unnormalised
conditional state obeys dρ~/dt = L ρ~ − η_det Σ_{k≤4} L_k ρ~ L_k†, its trace is the success
probability, and ρ = ρ~ / tr ρ~.  η_det = 1 is the paper's non-Hermitian evolution with
H_eff = H − (i/2) Σ L_k†L_k (Eq. 12); η_det = 0 is the full Lindblad dynamics.  Pure-dephasing
jumps (d, D) do not change σz, are invisible to the |σz| measurement and always stay.
The paper's scheme also conditions on the zero outcome of |σz| at t = 0, i.e. projects the
initial state onto the σz = 0 subspace {ud, du} (text before Eq. 13).  With efficiency η_det
this detector is on with probability η_det: ρ~(0) = (1 − η_det) ρ0 + η_det P0 ρ0 P0, which
leaves the default initial state |ud> unchanged and is included in the success probability.
The conditional state is kept normalised while it is propagated
(:func:`openlz.solve.nonhermitian.conditional_evolve_generator`), so long times whose success
probability underflows still give the conditional state; where there is nothing to condition
on (``--initial uu`` or ``dd`` are removed by the initial |σz| = 0 projection) the success
probability is 0, the state measures are NaN and a ``PostselectionWarning`` says so.

Initial time: the state ``--initial`` is given at the parameter ``t0`` (default 0, the
paper's ρ(t = 0), Eq. S55).  The dynamics is autonomous, so every result depends on t − t0
only; requested times before t0 are refused.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..analytic import magnetic_medium as cf
from ..core.liouvillian import liouvillian, sprepost
from ..core.measures import concurrence, entanglement_of_formation, negativity
from ..core.operators import (
    dag,
    kron,
    sigma_minus,
    sigma_plus,
    sigma_x,
    sigma_y,
    sigma_z,
    two_qubit_state,
)
from ..core.validation import require, require_finite, require_nonnegative
from ..errors import ParameterError, PostselectionWarning
from ..solve.lindblad import evolve_constant
from ..solve.nonhermitian import conditional_evolve_generator
from ..solve.steady import steady_state
from .base import Model, Observable, Param, evolution_grid, register

__all__ = ["MODEL", "params_from_temperature", "hamiltonian", "jump_operators",
           "generator", "initial_conditional_state", "LEVELS"]

LEVELS = ("uu", "ud", "du", "dd")
_I = np.eye(2, dtype=complex)
# O = (σ1−, σ2−, σ1+, σ2+, σ1z, σ2z), Eq. (3)
_O = np.stack([kron(sigma_minus(), _I), kron(_I, sigma_minus()),
               kron(sigma_plus(), _I), kron(_I, sigma_plus()),
               kron(sigma_z(), _I), kron(_I, sigma_z())])
_SRC = "paper 004, Eq. (S42)"


def params_from_temperature(a: float, A: complex, temperature: float, Delta: float,
                            **others: Any) -> dict[str, Any]:
    """Parameters at temperature T from the fluctuation–dissipation relations (paper 004,
    text after Eq. 6): ã = e^{−Δ/T} a, Ã = e^{−Δ/T} A, Δ the mean field (k_B = 1).

    T = 0 gives ã = Ã = 0 (only decay survives).  ``others`` (delta, d, D, Jz, ...) are passed
    through.  Returns keyword arguments for ``MODEL.evaluate`` / ``MODEL.run``.
    """
    require_nonnegative("temperature", temperature, "paper 004, text after Eq. (6)")
    require_finite("Delta", Delta)
    require("Delta", Delta, np.asarray(Delta) >= 0,
            "must be >= 0", "paper 004 after Eq. (1): Delta1 >= Delta2 >= 0")
    t = np.asarray(temperature, float)
    with np.errstate(divide="ignore", over="ignore"):
        boltz = np.where(t > 0, np.exp(-np.asarray(Delta, float) / np.where(t > 0, t, 1.0)), 0.0)
    boltz = boltz.item() if boltz.ndim == 0 else boltz
    return {"a": a, "A": A, "a_tilde": boltz * np.asarray(a), "A_tilde": boltz * np.asarray(A),
            "Delta": Delta, **others}


def _validate(p: dict[str, np.ndarray]) -> None:
    for name in ("a", "a_tilde", "d", "Delta", "delta", "Jz", "Jperp", "DM", "efficiency", "t0"):
        require_finite(name, p[name])
    for name in ("A", "A_tilde", "D"):
        require_finite(name, p[name])
    for name in ("a", "a_tilde", "d"):
        require_nonnegative(name, p[name], "rates of Eq. (4) are >= 0")
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


def hamiltonian(Delta: np.ndarray, delta: np.ndarray, Jz: np.ndarray | float = 0.0,
                Jperp: np.ndarray | float = 0.0, DM: np.ndarray | float = 0.0) -> np.ndarray:
    """H_S + H_eff, shape (B, 4, 4) for (B,) parameters.

    H_S = −(Δ1 σ1z + Δ2 σ2z)/2 (Eq. 1) with Δ1 = Δ + δ, Δ2 = Δ − δ; H_eff of Eq. (S38).
    """
    Delta, delta, Jz, Jperp, DM = (np.atleast_1d(np.asarray(v, float)) for v in
                                   (Delta, delta, Jz, Jperp, DM))
    sx, sy, sz = sigma_x(), sigma_y(), sigma_z()
    z1, z2 = kron(sz, _I), kron(_I, sz)
    zz = kron(sz, sz)
    xy = kron(sx, sx) + kron(sy, sy)
    dm = kron(sx, sy) - kron(sy, sx)  # ẑ·(σ1 × σ2)
    c = lambda v: v[:, None, None]  # noqa: E731
    return (-(c(Delta + delta) * z1 + c(Delta - delta) * z2) / 2
            + c(Jz) * zz + c(Jperp) * xy + c(DM) * dm)


def _block_jumps(diag: np.ndarray, off: np.ndarray, o1: np.ndarray, o2: np.ndarray) -> np.ndarray:
    """Jump operators of one block [[g, off], [off*, g]] on (o1, o2), shape (B, 2, 4, 4).

    h_nm multiplies O_n ρ O_m† in Eq. (3), so with h = U diag(γ) U† the jumps are
    sqrt(2 γ_k) Σ_n U_nk O_n.  Eigenvalues g ± |off|, eigenvectors (1, ±off*/|off|)/√2,
    hence L± = sqrt(g ± |off|) (o1 ± e^{−i arg off} o2).
    """
    mag = np.abs(off)
    phase = np.where(mag > 0, np.conj(off) / np.where(mag > 0, mag, 1.0), 1.0)
    out = []
    for sign in (1.0, -1.0):
        gam = np.maximum(diag + sign * mag, 0.0)
        amp = np.sqrt(2 * gam)[:, None, None] / np.sqrt(2)
        out.append(amp * (o1 + (sign * phase)[:, None, None] * o2))
    return np.stack(out, axis=1)


def jump_operators(p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Library-convention jump operators from Eq. (4): (relaxation (B, 4, 4, 4), dephasing
    (B, 2, 4, 4)).  The relaxation set is √2 (J2, J1, J4, J3) of Eq. (5) up to gauge phases."""
    a, at = np.asarray(p["a"], float), np.asarray(p["a_tilde"], float)
    A, At = np.asarray(p["A"], complex), np.asarray(p["A_tilde"], complex)
    d, D = np.asarray(p["d"], float), np.asarray(p["D"], complex)
    # _block_jumps takes the (1, 2) element h_12 of each block: Ã for [[ã, Ã], [Ã*, ã]] on
    # (σ1−, σ2−), A* for [[a, A*], [A, a]] on (σ1+, σ2+), D for [[d, D], [D*, d]] on (σ1z, σ2z).
    jm = _block_jumps(at, At, _O[0], _O[1])
    jp = _block_jumps(a, np.conj(A), _O[2], _O[3])
    jd = _block_jumps(d, D, _O[4], _O[5])
    return np.concatenate([jm, jp], axis=1), jd


def generator(p: dict[str, np.ndarray], efficiency: np.ndarray | float | None = None
              ) -> np.ndarray:
    """Liouvillian (B, 16, 16) of Eq. (2); with ``efficiency`` η the conditional generator
    L − η Σ_{relaxation k} L_k ⊗ L_k* (detected jumps removed, see module docstring)."""
    h = hamiltonian(p["Delta"], p["delta"], p["Jz"], p["Jperp"], p["DM"])
    relax, deph = jump_operators(p)
    gen = liouvillian(h, np.concatenate([relax, deph], axis=1))
    if efficiency is not None:
        eta = np.atleast_1d(np.asarray(efficiency, float))
        jump = sprepost(relax, dag(relax)).sum(axis=1)
        gen = gen - eta[:, None, None] * jump
    return gen


_P0 = np.diag([0.0, 1.0, 1.0, 0.0]).astype(complex)   # projector on σz = σ1z + σ2z = 0


def initial_conditional_state(rho0: np.ndarray, efficiency: np.ndarray | float) -> np.ndarray:
    """Unnormalised state after the initial |σz| = 0 postselection (text before Eq. 13), with a
    detector that is on with probability η: (1 − η) ρ0 + η P0 ρ0 P0.  (4, 4), (B,) -> (B, 4, 4)."""
    eta = np.atleast_1d(np.asarray(efficiency, float))[:, None, None]
    return (1 - eta) * rho0 + eta * (_P0 @ rho0 @ _P0)


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


def _evolve(p: dict[str, np.ndarray], rho0: np.ndarray, t: np.ndarray, postselect: bool
            ) -> tuple[np.ndarray, np.ndarray]:
    """States (B, T, 4, 4) at the times ``t`` (T,) from ``rho0`` at each point's ``t0``, and
    ln of the success probability (B, T) (0 without postselection).

    Points sharing a t0 are evolved together on :func:`evolution_grid` (t0 first), so a result
    at a given time does not depend on the other requested times.  Lindblad: exact expm
    stepping (:func:`evolve_constant`); postselected: the normalised conditional evolution
    (:func:`conditional_evolve_generator`; NaN states where nothing is left to condition on).
    """
    B = p["a"].shape[0]
    eff = p["efficiency"] if postselect else None
    gen = generator(p, eff)
    start = initial_conditional_state(rho0, eff) if postselect else \
        np.broadcast_to(rho0, (B, 4, 4))
    rho_t = np.empty((B, t.size, 4, 4), dtype=complex)
    log_norm = np.zeros((B, t.size))
    for t0 in np.unique(p["t0"]):
        g = np.flatnonzero(p["t0"] == t0)
        grid, index = evolution_grid(t, float(t0))
        if postselect:
            r, ln = conditional_evolve_generator(gen[g], start[g], grid)
            log_norm[g] = ln[:, index]
        else:
            r = evolve_constant(gen[g], start[g], grid)
        rho_t[g] = r[:, index]
    return rho_t, log_norm


def _measure(fn: Any, rho: np.ndarray) -> np.ndarray:
    """``fn`` of the finite states (..., 4, 4); NaN where the state is NaN (vanished)."""
    ok = np.all(np.isfinite(rho), axis=(-2, -1))
    out = np.full(ok.shape, np.nan)
    if np.any(ok):
        out[ok] = fn(rho[ok])
    return out


def _closed_form_masks(p: dict[str, np.ndarray], is_ud: bool) -> dict[str, np.ndarray]:
    """Where the closed forms of paper 004 apply (per batch point)."""
    A, At = p["A"], p["A_tilde"]
    gauge = (np.abs(At) == 0) | (np.abs(A) == 0) | np.isclose(np.angle(A), np.angle(At))
    no_coh = (p["Jz"] == 0) & (p["Jperp"] == 0) & (p["DM"] == 0)
    no_deph = (p["d"] == 0) & (np.abs(p["D"]) == 0)
    base = no_coh & no_deph & bool(is_ud)
    t0 = base & (p["a_tilde"] == 0) & (np.abs(At) == 0)
    post = base & gauge & (p["efficiency"] == 1)
    dm_only = (bool(is_ud) & (p["a"] == 0) & (p["a_tilde"] == 0) & no_deph & (p["Jperp"] == 0)
               & (p["delta"] == 0))
    optimal = (no_coh & no_deph & gauge & (p["delta"] == 0)
               & np.isclose(p["a"], np.abs(A), rtol=1e-12, atol=0)
               & np.isclose(p["a_tilde"], np.abs(At), rtol=1e-12, atol=0) & (p["a"] > 0))
    return {"t0": t0, "post": post, "dm": dm_only, "optimal": optimal}


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
    masks = _closed_form_masks(p, is_ud)
    out: dict[str, Any] = {}
    regime = cf.unmonitored_regime(p["delta"], absA)
    pt = cf.pt_regime(p["delta"], gamma)
    attrs: dict[str, Any] = {
        "regime": _summarise(regime, _REGIME_CODES),
        "pt_regime": _summarise(pt, _PT_CODES),
        "postselect": postselect,
        "initial": options.get("initial", "ud") if isinstance(options.get("initial", "ud"), str)
        else "matrix",
        "solver": "evolve_constant (exact expm stepping)",
    }
    timed = [o for o in observables if MODEL.observable(o).dims and
             MODEL.observable(o).dims[0] == "time"]
    need_states = any(o in ("concurrence", "populations", "negativity", "success_probability",
                            "log_success_probability", "entanglement_of_formation",
                            "max_concurrence") for o in observables)
    if timed or "max_concurrence" in observables:
        if times is None:
            raise ParameterError("times", None, "time-resolved observables need a time grid")
        t = np.asarray(times, float)
        t_rel = t[None, :] - p["t0"][:, None]  # (B, T): the closed forms start at t0
    if need_states:
        rho_t, log_norm = _evolve(p, rho0, t, postselect)
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
            conc = _measure(concurrence, rho_t)
            if "concurrence" in observables:
                out["concurrence"] = conc
            if "max_concurrence" in observables:
                out["max_concurrence"] = conc.max(axis=-1)
        if "populations" in observables:
            out["populations"] = np.einsum("btii->bti", rho_t).real
        if "negativity" in observables:
            out["negativity"] = _measure(negativity, rho_t)
        if "entanglement_of_formation" in observables:
            out["entanglement_of_formation"] = _measure(entanglement_of_formation, rho_t)
        if "success_probability" in observables:
            out["success_probability"] = norm if postselect else np.ones_like(norm)
        if "log_success_probability" in observables:
            out["log_success_probability"] = log_norm if postselect else np.zeros_like(norm)
    if "steady_concurrence" in observables or "steady_populations" in observables:
        ss = steady_state(generator(p), rho0)
        if "steady_concurrence" in observables:
            out["steady_concurrence"] = concurrence(ss.rho)
        if "steady_populations" in observables:
            out["steady_populations"] = np.einsum("bii->bi", ss.rho).real
        # scalars (sweep-friendly): degenerate kernels were answered from the initial state
        attrs["steady_state_unique"] = bool(np.all(ss.unique))
        attrs["steady_state_degenerate_points"] = int(np.sum(~ss.unique))
        attrs["steady_state_oscillating"] = bool(np.any(ss.oscillating))
    if "regime_code" in observables:
        out["regime_code"] = np.array([_REGIME_CODES[r] for r in regime], dtype=float)
    if "pt_regime_code" in observables:
        out["pt_regime_code"] = np.array([_PT_CODES[r] for r in pt], dtype=float)
    if "concurrence_closed_form" in observables:
        cfv = np.full((B, t.size), np.nan)
        if postselect:
            cfv = np.where(masks["post"][:, None],
                           cf.concurrence_postselected(t_rel, p["delta"], gamma), cfv)
            cfv = np.where(masks["t0"][:, None], cf.concurrence_efficiency_t0(
                t_rel, p["a"], absA, p["delta"], p["efficiency"]), cfv)
        else:
            cfv = np.where(masks["t0"][:, None], cf.concurrence_t0(t_rel, p["a"], absA,
                                                                   p["delta"]), cfv)
        cfv = np.where(masks["dm"][:, None], cf.concurrence_dm(t_rel, p["DM"]), cfv)
        out["concurrence_closed_form"] = cfv
    if "success_probability_closed_form" in observables:
        sp = np.full((B, t.size), np.nan)
        if postselect:
            sp = np.where(masks["post"][:, None], cf.success_probability_postselected(
                t_rel, p["a"], p["a_tilde"], p["delta"], gamma), sp)
            sp = np.where(masks["t0"][:, None], cf.success_probability_efficiency_t0(
                t_rel, p["a"], absA, p["delta"], p["efficiency"]), sp)
        else:
            sp = np.ones((B, t.size))
        out["success_probability_closed_form"] = sp
    if "steady_concurrence_closed_form" in observables:
        p_s = float(np.real(two_qubit_state("singlet")[1:3, 1:3].ravel()
                            @ rho0[1:3, 1:3].ravel()))
        with np.errstate(invalid="ignore", divide="ignore"):
            r = np.where(p["a"] > 0, p["a_tilde"] / np.where(p["a"] > 0, p["a"], 1.0), np.nan)
        opt = cf.steady_concurrence_optimal(r, p_s)
        ok = masks["optimal"] & (is_ud | (np.abs(rho0[0, 1:3]).sum() == 0))
        # T = 0, a > |A| (or delta != 0): unique steady state |uu>, C = 0 (text after Eq. 9)
        zero = ((p["a_tilde"] == 0) & (absAt == 0) & (p["a"] > 0) & ~masks["optimal"]
                & (p["Jz"] == 0) & (p["Jperp"] == 0) & (p["DM"] == 0) & (p["d"] == 0))
        out["steady_concurrence_closed_form"] = np.where(ok, opt, np.where(zero, 0.0, np.nan))
    if "cmax_closed_form" in observables:
        with np.errstate(invalid="ignore", divide="ignore"):
            eta = np.abs(p["delta"]) / np.where(gamma > 0, gamma, np.nan)
        out["cmax_closed_form"] = np.where(masks["post"] | ~postselect,
                                           cf.cmax_postselected(eta), np.nan)
    if any(o in observables for o in ("concurrence_closed_form", "success_probability_closed_form",
                                      "steady_concurrence_closed_form", "cmax_closed_form")):
        attrs["closed_form_note"] = (
            "NaN where no closed form of paper 004 applies: T=0 forms need a_tilde=A_tilde=0, "
            "d=D=0, Jz=Jperp=DM=0 and initial ud (with postselect any efficiency); finite-T "
            "postselected forms need efficiency=1 and arg A = arg A_tilde; the steady form "
            "needs a=|A|, a_tilde=|A_tilde|, delta=0")
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
        Param("a_tilde", 0.0, "local excitation rate ã = e^{-βΔ} a, Eq. (4); default 0 (T = 0)",
              unit="1/time"),
        Param("A", 1.0 + 0j, "dissipative coupling A (complex; |A| <= a, Eq. S42); default 1 "
              "as in Fig. 2", unit="1/time", kind="complex"),
        Param("A_tilde", 0j, "reverse dissipative coupling Ã = e^{-βΔ} A (|Ã| <= ã); default 0",
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
        Param("efficiency", 1.0, "detector efficiency η_det in [0, 1] used with postselect: "
              "1 = ideal postselection (Eq. 13), 0 = full Lindblad (beyond the paper)"),
        Param("t0", 0.0, "initial time: the state --initial is given at t0 (paper: t = 0, "
              "Eq. S55); results depend on t - t0 only, times < t0 are refused",
              unit="time"),
    ),
    observables=(
        Observable("concurrence", "Wootters concurrence C(t) (Eq. S49); with postselect the "
                   "normalised conditional state", dims=("time",)),
        Observable("populations", "diagonal of ρ(t) in the basis uu, ud, du, dd",
                   dims=("time", "level")),
        Observable("negativity", "negativity of ρ(t)", dims=("time",)),
        Observable("entanglement_of_formation", "E_F(t) in bits (Eq. S50)", dims=("time",)),
        Observable("success_probability", "postselection success probability tr ρ~(t) (1 without"
                   " postselect)", dims=("time",)),
        Observable("log_success_probability", "ln tr ρ~(t), finite where success_probability "
                   "underflows to 0 (0 without postselect; -inf where the state vanished)",
                   dims=("time",)),
        Observable("max_concurrence", "maximum of C(t) over the time grid"),
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
