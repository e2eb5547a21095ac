"""openlz extension of paper 004 (not a figure of the paper): the conditional concurrence C(t)
under a finite-rate continuous measurement of |σz| (rate κ_m), from the Lindblad dynamics
(κ_m = 0) to the ideal postselection of Eq. (13) (κ_m → ∞).

The paper's Discussion: "the non-Hermitian Hamiltonian scheme is precise when the rate of
measurements is infinite. As this rate approaches zero, we recover the full Lindblad dynamics.
It could be intriguing to explore ... possible phase transitions or crossovers induced by
finite-rate measurements."  The measurement model (a detector clicking at rate κ_m tr(P2 ρ),
the no-click record kept) is in :mod:`openlz.models.magnetic_medium_ops`; the T = 0 closed
forms, including the long-time transition C(∞) = 1 − κ_c/κ_m above κ_c = 2(a − √(|A|² − δ²)),
in :mod:`openlz.analytic.magnetic_medium_measurement`.  Here: a = 1, |A| = 0.8, δ = 0.3
(PT-broken, away from the optimal point, so κ_c = 0.517 > 0), T = 0, initial |ud>, no jump
detection (efficiency 0).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..analytic import magnetic_medium as cf
from ..analytic import magnetic_medium_measurement as mm
from ..models.magnetic_medium import MODEL
from .base import NOT_STATED, Claim, FigureSpec, claim_close, claim_true, register_figure
from .p004 import _ds

__all__: list[str] = []

A_ABS, A_LOC, DELTA = 0.8, 1.0, 0.3
RATES = np.array([0.0, 0.25, 1.0, 4.0, 16.0, 64.0])
#: rates of the long-time panel (the transition at κ_c ≈ 0.517)
SCAN = np.array([0.05, 0.1, 0.2, 0.3, 0.4, 0.45, 0.6, 0.7, 0.8, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0])
#: rates of the O(1/κ_m) check
LARGE = np.array([50.0, 100.0, 200.0])
LATE = 200.0


def _run(rates: np.ndarray, t: np.ndarray, obs: list[str]) -> dict:
    n = rates.size
    return MODEL.evaluate({"a": np.full(n, A_LOC), "A": np.full(n, A_ABS),
                           "delta": np.full(n, DELTA), "measurement_rate": rates,
                           "efficiency": np.zeros(n)}, t, obs, {"postselect": True})


def compute() -> xr.Dataset:
    t = np.linspace(0.0, 8.0, 321)
    r = _run(RATES, t, ["concurrence", "success_probability"])
    lind = MODEL.evaluate({"a": A_LOC, "A": A_ABS, "delta": DELTA}, t,
                          ["concurrence"])["concurrence"][0]
    big = _run(LARGE, t, ["concurrence"])["concurrence"]
    late = _run(SCAN, np.array([0.0, 40.0, LATE]), ["concurrence"])["concurrence"][:, 1:]
    kc = float(mm.critical_measurement_rate(A_LOC, A_ABS, DELTA))
    return _ds({"concurrence": (("rate", "time"), r["concurrence"]),
                "success_probability": (("rate", "time"), r["success_probability"]),
                "concurrence_closed_form": (("rate", "time"),
                                            mm.concurrence_monitor_t0(t, A_LOC, A_ABS, DELTA,
                                                                      RATES)),
                "success_probability_closed_form": (
                    ("rate", "time"),
                    mm.success_probability_monitor_t0(t, A_LOC, A_ABS, DELTA, RATES)),
                "concurrence_large_rate": (("large_rate", "time"), big),
                "concurrence_ideal": (("time",), cf.concurrence_postselected(t, DELTA, A_ABS)),
                "concurrence_lindblad": (("time",), lind),
                "late_concurrence": (("scan_rate", "late_time"), late),
                "late_concurrence_closed_form": (("scan_rate",), mm.long_time_concurrence_t0(
                    A_LOC, A_ABS, DELTA, SCAN))},
               {"rate": RATES, "time": t, "large_rate": LARGE, "scan_rate": SCAN,
                "late_time": [40.0, LATE]},
               a=A_LOC, A=A_ABS, a_tilde=0.0, A_tilde=0.0, delta=DELTA, efficiency=0.0,
               critical_rate=kc, initial="ud", note="openlz extension, not a figure of paper 004")


def plot(ds: xr.Dataset):
    import matplotlib.pyplot as plt

    fig, (ax, bx, cx) = plt.subplots(1, 3, figsize=(14, 4))
    fig.suptitle("004-measurement (openlz extension): finite-rate |σz| monitoring, a = 1, "
                 "|A| = 0.8, δ = 0.3, T = 0, initial |↑↓⟩", fontsize=10)
    cols = plt.cm.viridis(np.linspace(0, 0.9, ds["rate"].size))
    for k, col in zip(ds["rate"].values, cols, strict=True):
        ax.plot(ds["time"], ds["concurrence"].sel(rate=k), color=col, lw=2, label=f"κ_m = {k:g}")
        ax.plot(ds["time"], ds["concurrence_closed_form"].sel(rate=k), "--", color="gray", lw=1)
        bx.semilogy(ds["time"], ds["success_probability"].sel(rate=k), color=col, lw=2,
                    label=f"κ_m = {k:g}")
    ax.plot(ds["time"], ds["concurrence_ideal"], ":", color="red", lw=2,
            label="ideal postselection, Eq. (13)")
    ax.plot([], [], "--", color="gray", lw=1, label="closed form (T = 0)")
    ax.set_xlabel("time t")
    ax.set_ylabel("conditional concurrence C(t)")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=7)
    bx.set_xlabel("time t")
    bx.set_ylabel("success probability (no click)")
    bx.legend(fontsize=7)
    kc = ds.attrs["critical_rate"]
    fine = np.geomspace(ds["scan_rate"].values[0], ds["scan_rate"].values[-1], 400)
    cx.semilogx(fine, mm.long_time_concurrence_t0(A_LOC, A_ABS, DELTA, fine), color="k", lw=1,
                label="C(∞) = 1 − κ_c/κ_m (κ_m > κ_c)")
    for j, (tl, mk) in enumerate(zip(ds["late_time"].values, ("s", "o"), strict=True)):
        cx.semilogx(ds["scan_rate"], ds["late_concurrence"].isel(late_time=j), mk, ms=5,
                    fillstyle="none", label=f"model, t = {tl:g}")
    cx.axvline(kc, color="red", ls=":", label=f"κ_c = {kc:.3f}")
    cx.set_xlabel("measurement rate κ_m")
    cx.set_ylabel("long-time conditional C")
    cx.legend(fontsize=7)
    fig.tight_layout()
    return fig


def claims(ds: xr.Dataset) -> list[Claim]:
    f = "004-measurement"
    disc = "Discussion: "
    out = [claim_close(f, "κ_m = 0 reproduces the unmonitored Lindblad C(t)", 0.0,
                       float(np.max(np.abs(ds["concurrence"].sel(rate=0.0)
                                           - ds["concurrence_lindblad"]))), atol=1e-10,
                       paper_text=disc + "\"as this rate approaches zero, we recover the full "
                                         "Lindblad dynamics\"")]
    err = np.max(np.abs(ds["concurrence_large_rate"] - ds["concurrence_ideal"]), axis=-1).values
    ratios = err[:-1] / err[1:]
    ok = bool(np.all(np.diff(err) < 0) and np.all(np.abs(ratios - 2) < 0.1))
    out.append(claim_true(f, "κ_m → ∞ approaches the ideal postselection, Eq. (13)",
                          disc + "\"the non-Hermitian Hamiltonian scheme is precise when the "
                                 "rate of measurements is infinite\"",
                          "max|C − C_Eq.13| = " + ", ".join(f"{e:.3g}" for e in err)
                          + " at κ_m = " + ", ".join(f"{k:g}" for k in ds["large_rate"].values)
                          + " (O(1/κ_m): ratios " + ", ".join(f"{x:.3f}" for x in ratios) + ")",
                          ok, tolerance="error decreasing, ratios 2 ± 0.1"))
    out.append(claim_close(f, "closed-form C(t) (T = 0) vs numerics, all κ_m", 0.0,
                           float(np.max(np.abs(ds["concurrence"]
                                               - ds["concurrence_closed_form"]))),
                           atol=1e-9, paper_text=NOT_STATED,
                           note="closed form derived here (analytic.magnetic_medium_measurement)"))
    out.append(claim_close(f, "closed-form success probability (T = 0) vs numerics", 0.0,
                           float(np.max(np.abs(ds["success_probability"]
                                               - ds["success_probability_closed_form"]))),
                           atol=1e-9, paper_text=NOT_STATED, note="closed form derived here"))
    kc = ds.attrs["critical_rate"]
    scan = ds["scan_rate"].values
    away = np.abs(scan - kc) > 0.3 * kc   # the approach e^{-|κ_m − κ_c| t} is slow near κ_c
    late = ds["late_concurrence"].sel(late_time=LATE).values
    dev = float(np.max(np.abs(late[away] - ds["late_concurrence_closed_form"].values[away])))
    out.append(claim_close(f, "measurement-induced transition: C(∞) = 0 for κ_m ≤ κ_c, "
                              "1 − κ_c/κ_m above (model at t = 200)", 0.0, dev, atol=1e-8,
                           paper_text=disc + "\"possible phase transitions or crossovers "
                                             "induced by finite-rate measurements\" (not worked "
                                             "out)",
                           note=f"derived here; κ_c = 2(a − √(|A|² − δ²)) = {kc:.4f} is the "
                                "paper's postselection rate 2(a + ã − κ) (text after Eq. 15); "
                                f"rates within 30 % of κ_c left out (slow approach)"))
    return out


register_figure(FigureSpec(id="004-measurement", paper="004",
                           title="openlz extension: C(t) under a finite-rate |σz| measurement, "
                                 "from Lindblad to postselected dynamics",
                           compute=compute, plot=plot, claims=claims, expected_seconds=2))
