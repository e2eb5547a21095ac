"""``000-initial``: negativity from non-Bell initial pair states (paper 000, Eqs. 36–49).

Sec. III writes any pair state as Eq. (36) and solves the slow regime for it in general,
Eqs. (47)–(49); the paper then evaluates only the family of Eq. (52).  Here:

* slow regime (Fig. 2's bath: theta = 0, lambda = 0.1, Delta = 10, wc = Delta/3, T = 40,
  v = 1e-6): N(t) for the Bell state, the Schmidt state eta = pi/8 (Eq. 52), a state that is
  not of X form, cos(pi/8)|+0> + sin(pi/8)|-1> (the same Schmidt coefficients, S rotated), and
  a Werner state 0.8 |phi+><phi+| + 0.2 1/4 — numerics against the general solution (openlz's
  corrected form of Eqs. 47–49, :func:`openlz.analytic.dissipative_lz.slow_regime_general`) and
  against Eqs. (47)–(49) as printed;
* transversal coupling at T = 0 (theta = pi/2): the non-X state keeps its entanglement;
* fast regime (Delta = 1, v = 1): the non-X state through both solvers (rotated Eq. 29, lab-frame
  ``amesolve``; Eq. 40, r constant, from the lab frame), and what the printed Lamb-shift
  prefactor (``lamb_convention=printed``, Eqs. 28, 30) does to N(t).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..analytic import dissipative_lz as cf
from ..core.measures import negativity
from ..models.dissipative_lz import bloch, initial_state
from .base import Claim, FigureSpec, claim_close, claim_true, paper_error_close, register_figure
from .p000 import LAM, _attrs, _evaluate, _fig

__all__: list[str] = []
_PLUS, _MINUS = np.array([1.0, 1.0]) / np.sqrt(2), np.array([1.0, -1.0]) / np.sqrt(2)
_Z0, _Z1 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
ETA = np.pi / 8
SLOW = {"Delta": 10.0, "v": 1e-6, "lam": LAM, "t_int": 0.0}
T_SLOW = 40.0
FAST = {"Delta": 1.0, "v": 1.0, "theta": 0.6, "lam": 0.3, "T": 0.5, "t_int": -5.0}


def states() -> dict[str, np.ndarray]:
    """The initial states (rotated frame, S first), density matrices (4, 4)."""
    nonx = np.cos(ETA) * np.kron(_PLUS, _Z0) + np.sin(ETA) * np.kron(_MINUS, _Z1)
    phi = (np.kron(_Z0, _Z0) + np.kron(_Z1, _Z1)) / np.sqrt(2)
    return {"bell": initial_state(np.pi / 4)[0], "schmidt_pi8": initial_state(ETA)[0],
            "non_x": np.outer(nonx, nonx), "werner_0.8": 0.8 * np.outer(phi, phi) + 0.05 * np.eye(4)}


def compute() -> xr.Dataset:
    st = states()
    names = list(st)
    rho0 = np.stack([st[k] for k in names] + [st["non_x"]])          # + theta = pi/2 point
    th = np.array([0.0] * len(names) + [np.pi / 2])
    T = np.array([T_SLOW] * len(names) + [0.0])
    times = np.linspace(0.0, 700.0, 36)
    res, val = _evaluate({**SLOW, "theta": th, "T": T}, times, ["negativity", "s", "chi"],
                         options={"initial": rho0})
    Ncf, Npr, ds_err, dchi_err = [], [], [], []
    for i in range(rho0.shape[0]):
        s0, r0, chi0 = bloch(rho0[i])
        rates = cf.slow_regime_rates(SLOW["Delta"], th[i], LAM, SLOW["Delta"] / 3, T[i])
        for printed, acc in ((False, Ncf), (True, Npr)):
            s, r, chi = cf.slow_regime_general(times, s0, r0, chi0, rates, printed=printed)
            acc.append(negativity(cf.bloch_to_state(s, r, chi)))
            if not printed:
                ds_err.append(np.max(np.abs(s - res["s"][i])))
                dchi_err.append(np.max(np.abs(chi - res["chi"][i])))
    times_f = np.linspace(-5.0, 5.0, 41)
    one = {"initial": st["non_x"]}
    fr, _ = _evaluate({**FAST, "lamb_convention": "eq14"}, times_f, ["negativity"], one)
    fp, _ = _evaluate({**FAST, "lamb_convention": "printed"}, times_f, ["negativity"], one)
    fl, _ = _evaluate({**FAST, "frame": "lab"}, times_f, ["negativity", "r"], one)
    labels = names + ["non_x (theta = pi/2, T = 0)"]
    ds = xr.Dataset({
        "N_numerics": (("state", "time"), res["negativity"]),
        "N_closed_form": (("state", "time"), np.stack(Ncf)),
        "N_printed_eqs47_49": (("state", "time"), np.stack(Npr)),
        "max_abs_s_error": (("state",), np.array(ds_err)),
        "max_abs_chi_error": (("state",), np.array(dchi_err)),
        "N_fast_rotated": (("time_fast",), fr["negativity"][0]),
        "N_fast_printed_lamb": (("time_fast",), fp["negativity"][0]),
        "N_fast_lab": (("time_fast",), fl["negativity"][0]),
        "r_fast_lab": (("time_fast", "axis"), fl["r"][0]),
    }, coords={"state": labels, "time": times, "time_fast": times_f, "axis": ["x", "y", "z"]})
    return _attrs(ds, slow=dict(SLOW, T=T_SLOW, theta=0.0, wc="Delta/3"), fast=FAST,
                  non_x="cos(pi/8)|+0> + sin(pi/8)|-1> (rotated frame, S first)", **val)


def plot(ds: xr.Dataset):
    fig, axes = _fig("000-initial: negativity from non-Bell initial states (slow regime: "
                     "theta = 0, T = 40, Delta = 10; right: fast regime, Delta = v = 1)", ncols=2)
    ax = axes[0]
    t = ds["time"]
    for i, name in enumerate(ds["state"].values):
        c = f"C{i}"
        ax.plot(t, ds["N_numerics"][i], c + "o", mfc="none", ms=4)
        ax.plot(t, ds["N_closed_form"][i], c + "-", label=str(name))
        ax.plot(t, ds["N_printed_eqs47_49"][i], c + ":", lw=1)
    ax.set(xlabel="t - t_int", ylabel="N(rho_SR(t))",
           title="o numerics, - general solution (corrected), : Eqs. (47)-(49) as printed")
    ax.legend(fontsize=7)
    ax = axes[1]
    tf = ds["time_fast"]
    ax.plot(tf, ds["N_fast_lab"], "k-", lw=2, label="lab frame (amesolve)")
    ax.plot(tf, ds["N_fast_rotated"], "C0--", label="rotated frame, Eq. (14) prefactor")
    ax.plot(tf, ds["N_fast_printed_lamb"], "C3:", label="rotated frame, printed lambda²/2")
    ax.set(xlabel="t", ylabel="N(rho_SR(t))", title="non-X state, fast regime")
    ax.legend(fontsize=7)
    return fig


def claims(ds: xr.Dataset) -> list[Claim]:
    num, cfm, pr = (ds[k].values for k in ("N_numerics", "N_closed_form", "N_printed_eqs47_49"))
    labels = list(ds["state"].values)
    acc = 1e-6
    i_nx = labels.index("non_x")
    j = int(np.argmax(np.abs(pr[i_nx] - num[i_nx])))
    bell = num[labels.index("bell")]
    dead = ds["time"].values >= ds["time"].values[np.argmax(bell == 0)] if np.any(bell == 0) \
        else np.zeros(bell.shape, bool)
    others = [k for k in range(4) if labels[k] != "bell"]
    after = max(float(np.max(num[k][dead], initial=0.0)) for k in others)
    death = {labels[k]: float(ds["time"][np.argmax(num[k] == 0)]) for k in range(4)}
    tr = num[-1]
    rl = ds["r_fast_lab"].values
    fast = np.max(np.abs(ds["N_fast_rotated"].values - ds["N_fast_lab"].values))
    effect = np.max(np.abs(ds["N_fast_printed_lamb"].values - ds["N_fast_rotated"].values))
    return [
        claim_close("000-initial", "general slow-regime solution (Eqs. 47-49 corrected) vs the "
                    "master-equation numerics: max |N difference| over the five runs", 0.0,
                    float(np.max(np.abs(cfm - num))), atol=acc, fmt=".2e",
                    paper_text="Eqs. (47)-(49): a solution for any initial state (Sec. III)",
                    note="openlz's form (slow_regime_general): rotation (x1 + i x2) -> "
                         "e^{(-b + 2ik) tau}, s3 -> -a_-/a_+, chi_3j with the source -2 a_- r_j; "
                         "Bloch components agree to "
                         f"{float(ds['max_abs_s_error'].max()):.1e} (s), "
                         f"{float(ds['max_abs_chi_error'].max()):.1e} (chi): the slow regime "
                         "replaces Omega(t) by Delta, a phase error ~ v² tau³/(6 Delta) = 6e-6 "
                         "at tau = 700, to which N is blind"),
        paper_error_close("000-initial", f"Eqs. (47)-(49) as printed, non-X state: N at t - t_int"
                          f" = {float(ds['time'][j]):g}", float(pr[i_nx, j]), float(num[i_nx, j]),
                          float(cfm[i_nx, j]), atol=acc, source="Eqs. (47)-(49)",
                          note="as printed, Eqs. (47)-(49) relax s3 to +a_-/a_+ instead of "
                               "-a_-/a_+ (Eqs. 41-43), drop the source -2 a_- r_j of chi_3j "
                               "(from L~[1] = -2 a_- sigma_z, Eq. 38), set B_j = chi_j3 where "
                               "chi_j's third component is chi_3j (Eq. 42), and rotate "
                               "(x1, x2) the other way (phases only). For the non-X state "
                               "(r3 = cos(pi/4) != 0, chi not symmetric) all but the last change N; the "
                               "index error shows already at t = t_int, where Eq. (48) does not "
                               "return the initial chi_3j"),
        claim_true("000-initial", "a maximally entangled state is the last to lose its "
                   "entanglement (entanglement breaking)", "'it is sufficient to consider a "
                   "maximally entangled state as the initial state and investigate at what time "
                   "the entanglement vanishes' (Sec. IV A)",
                   "first N = 0 on the grid: " + ", ".join(f"{k} {v:g}" for k, v in death.items())
                   + f"; after the Bell state's, max N of the others = {after:.1e}",
                   bool(np.any(dead) and after <= acc), tolerance=f"N <= {acc:g}"),
        claim_close("000-initial", "theta = pi/2, T = 0: the non-X state keeps its entanglement "
                    "(max |N(t) - N(t_int)|)", 0.0, float(np.max(np.abs(tr - tr[0]))), atol=acc,
                    fmt=".2e", paper_text="'for a transverse coupling the dynamic is not "
                    "entanglement breaking at all' (Sec. I; Sec. IV A, Eq. 63)"),
        claim_close("000-initial", "Eq. (40): r(t) = r(t_int) for the non-X state (lab-frame "
                    "amesolve, fast regime: max |r(t) - r(t_int)|)", 0.0,
                    float(np.max(np.abs(rl - rl[0]))), atol=1e-9, fmt=".2e",
                    paper_text="Eq. (40): r(t) = r(t_int) for all t > t_int",
                    note="the rotated-frame solver keeps r fixed by construction; the lab frame "
                         "integrates the whole pair state"),
        claim_close("000-initial", "non-X state, fast regime: rotated frame (Eq. 29) vs lab "
                    "frame (Eq. 8, amesolve), max |N difference|", 0.0, float(fast), atol=acc,
                    fmt=".2e", paper_text="Eqs. (8), (29), (35): one master equation, two frames",
                    note=f"the printed Lamb-shift prefactor (Eqs. 28, 30; lamb_convention = "
                         f"printed) moves N(t) by up to {effect:.1e} here (the paper makes no "
                         "statement about it)"),
    ]


register_figure(FigureSpec(id="000-initial", paper="000", title="Negativity from non-Bell "
                           "initial states (Eqs. 36-49)", compute=compute, plot=plot,
                           claims=claims, expected_seconds=6))
