"""Closed-form observables of the magnetic-medium model (paper 004), per batch point: each is
the paper's (or openlz's derived) closed form where it applies and NaN elsewhere.

Split from :mod:`openlz.models.magnetic_medium`; the formulas are in
:mod:`openlz.analytic.magnetic_medium`, :mod:`openlz.analytic.magnetic_medium_nonhermitian`
and :mod:`openlz.analytic.magnetic_medium_green`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..analytic import magnetic_medium as cf
from ..analytic import magnetic_medium_green as green
from ..analytic import magnetic_medium_nonhermitian as nh
from ..core.operators import two_qubit_state
from .magnetic_medium_ops import P0

__all__ = ["CLOSED_FORM_OBSERVABLES", "closed_form_observables", "gamma_complex"]

CLOSED_FORM_OBSERVABLES = ("concurrence_closed_form", "success_probability_closed_form",
                           "steady_concurrence_closed_form", "cmax_closed_form", "T1", "T2")
"""Names of the observables :func:`closed_form_observables` computes (paper 004's closed
forms, NaN per batch point where none applies)."""

NOTE = ("NaN where no closed form of paper 004 applies: T=0 forms need a_tilde=A_tilde=0, "
        "d=D=0, Jz=Jperp=DM=0 and initial ud (with postselect any efficiency, measurement_rate "
        "0); postselected forms at any T need efficiency=1, d=D=0, Jperp=DM=0 (Eq. 13 from ud "
        "also arg A = arg A_tilde, Jz=0; other initial states: the propagator of Eq. 12 in the "
        "sigma_z = 0 subspace); the steady form needs a=|A|, a_tilde=|A_tilde|, delta=0")


def gamma_complex(p: dict[str, np.ndarray]) -> np.ndarray:
    """Γ_c = A + Ã, the coupling <du|Σ J†J|ud> of Eq. (12) in the model's basis (|Γ_c| = Γ of
    the paper when arg A = arg Ã; see :mod:`openlz.analytic.magnetic_medium_nonhermitian`)."""
    return np.asarray(p["A"], complex) + np.asarray(p["A_tilde"], complex)


def _masks(p: dict[str, np.ndarray], is_ud: bool) -> dict[str, np.ndarray]:
    """Where the closed forms of paper 004 apply (per batch point)."""
    A, At = p["A"], p["A_tilde"]
    gauge = (np.abs(At) == 0) | (np.abs(A) == 0) | np.isclose(np.angle(A), np.angle(At))
    no_coh = (p["Jz"] == 0) & (p["Jperp"] == 0) & (p["DM"] == 0)
    no_deph = (p["d"] == 0) & (np.abs(p["D"]) == 0)
    base = no_coh & no_deph & bool(is_ud)
    t0 = base & (p["a_tilde"] == 0) & (np.abs(At) == 0) & (p["measurement_rate"] == 0)
    post = base & gauge & (p["efficiency"] == 1)
    # Eq. (12) restricted to {ud, du} for any initial state: no dephasing jumps, no J⊥ / DM
    # (they add Hermitian couplings inside the subspace); Jz is a constant there
    post_any = no_deph & (p["Jperp"] == 0) & (p["DM"] == 0) & (p["efficiency"] == 1) & ~post
    dm_only = (bool(is_ud) & (p["a"] == 0) & (p["a_tilde"] == 0) & no_deph & (p["Jperp"] == 0)
               & (p["delta"] == 0))
    optimal = (no_coh & no_deph & gauge & (p["delta"] == 0)
               & np.isclose(p["a"], np.abs(A), rtol=1e-12, atol=0)
               & np.isclose(p["a_tilde"], np.abs(At), rtol=1e-12, atol=0) & (p["a"] > 0))
    return {"t0": t0, "post": post, "post_any": post_any, "dm": dm_only, "optimal": optimal}


def _concurrence_subspace(t_rel: np.ndarray, p: dict[str, np.ndarray], rho0: np.ndarray,
                          rows: np.ndarray) -> np.ndarray:
    """C(t) of the postselected state (Eq. 13) from any initial state, at the batch points
    ``rows``: the propagator of :func:`~openlz.analytic.magnetic_medium_nonhermitian.
    postselected_state` on P0 ρ0 P0 (the initial |σz| = 0 projection), C = 2|ρ_ud,du| for a
    state inside {ud, du} (Eq. S52).  NaN where the projection removes everything."""
    out = np.full((rows.size, t_rel.shape[-1]), np.nan)
    sub = (P0 @ rho0 @ P0)[1:3, 1:3]
    if not np.trace(sub).real > 0:
        return out
    gc = gamma_complex(p)[rows]
    for k, b in enumerate(rows):   # each point has its own t0, so its own t_rel row
        r = nh.postselected_state(t_rel[b], sub, p["delta"][b], np.abs(gc[k]),
                                  np.angle(gc[k]))
        out[k] = 2 * np.abs(r[..., 0, 1])
    return out


def closed_form_observables(p: dict[str, np.ndarray], t_rel: np.ndarray | None,
                            observables: list[str], postselect: bool, rho0: np.ndarray,
                            is_ud: bool) -> tuple[dict[str, Any], str]:
    """The requested closed-form observables, (B,) or (B, T) with ``t_rel`` (B, T) = t − t0,
    and the note explaining the NaN entries."""
    B = p["a"].shape[0]
    masks = _masks(p, is_ud)
    absA, absAt = np.abs(p["A"]), np.abs(p["A_tilde"])
    gamma = absA + absAt
    out: dict[str, Any] = {}
    if "concurrence_closed_form" in observables:
        assert t_rel is not None
        cfv = np.full(t_rel.shape, np.nan)
        if postselect:
            cfv = np.where(masks["post"][:, None],
                           cf.concurrence_postselected(t_rel, p["delta"], gamma), cfv)
            cfv = np.where(masks["t0"][:, None], cf.concurrence_efficiency_t0(
                t_rel, p["a"], absA, p["delta"], p["efficiency"]), cfv)
            rows = np.flatnonzero(masks["post_any"])
            if rows.size:
                cfv[rows] = _concurrence_subspace(t_rel, p, rho0, rows)
        else:
            cfv = np.where(masks["t0"][:, None], cf.concurrence_t0(t_rel, p["a"], absA,
                                                                   p["delta"]), cfv)
        cfv = np.where(masks["dm"][:, None], cf.concurrence_dm(t_rel, p["DM"]), cfv)
        out["concurrence_closed_form"] = cfv
    if "success_probability_closed_form" in observables:
        assert t_rel is not None
        sp = np.full(t_rel.shape, np.nan)
        if postselect:
            sp = np.where(masks["post"][:, None], cf.success_probability_postselected(
                t_rel, p["a"], p["a_tilde"], p["delta"], gamma), sp)
            sp = np.where(masks["t0"][:, None], cf.success_probability_efficiency_t0(
                t_rel, p["a"], absA, p["delta"], p["efficiency"]), sp)
        else:
            sp = np.ones(t_rel.shape)
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
    if "T1" in observables:
        out["T1"] = np.broadcast_to(green.relaxation_time_T1(p["a"], p["a_tilde"]), (B,)).copy()
    if "T2" in observables:
        out["T2"] = np.broadcast_to(green.decoherence_time_T2(p["a"], p["a_tilde"], p["d"]),
                                    (B,)).copy()
    return out, NOTE
