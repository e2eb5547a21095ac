"""openlz extension of paper 004 (not a figure of the paper): postselection with a finite
detector efficiency η_det, interpolating between the full Lindblad dynamics (η_det = 0,
Eqs. 7–9) and the ideal non-Hermitian dynamics (η_det = 1, Eq. 13).

The paper's Discussion anticipates it ("as this rate approaches zero, we recover the full
Lindblad dynamics").  At T = 0 from |ud> the conditional state has the closed form
C_η = C1 P1 / (1 − η_det(1 − P1)) (see :func:`openlz.analytic.magnetic_medium.
concurrence_efficiency_t0`); at the optimal point a = |A|, δ = 0 the long-time value is
C_η(∞) = 1/(2 − η_det): 1/2 (Eq. S65) without postselection, 1 (a Bell state) with ideal
detection.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..models.magnetic_medium import MODEL
from .base import Claim, FigureSpec, claim_close, register_figure
from .p004 import _ds

__all__: list[str] = []

ETAS = np.array([0.0, 0.5, 0.9, 1.0])
GAMMA = 2.0


def compute() -> xr.Dataset:
    t = np.linspace(0.0, 3.0, 301)
    n = ETAS.size
    r = MODEL.evaluate({"a": np.full(n, GAMMA), "A": np.full(n, GAMMA), "efficiency": ETAS}, t,
                       ["concurrence", "success_probability", "concurrence_closed_form",
                        "success_probability_closed_form"], {"postselect": True})
    lind = MODEL.evaluate({"a": GAMMA, "A": GAMMA}, t, ["concurrence"])["concurrence"][0]
    return _ds({"concurrence": (("efficiency", "time"), r["concurrence"]),
                "concurrence_closed_form": (("efficiency", "time"), r["concurrence_closed_form"]),
                "success_probability": (("efficiency", "time"), r["success_probability"]),
                "success_probability_closed_form": (("efficiency", "time"),
                                                    r["success_probability_closed_form"]),
                "concurrence_lindblad": (("time",), lind)},
               {"efficiency": ETAS, "time": t}, a=GAMMA, A=GAMMA, a_tilde=0.0, A_tilde=0.0,
               delta=0.0, initial="ud", note="openlz extension, not a figure of paper 004")


def plot(ds: xr.Dataset):
    import matplotlib.pyplot as plt

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10, 4))
    fig.suptitle("004-efficiency (openlz extension): postselection with detector efficiency η_det,"
                 " a = |A| = 2, δ = 0, T = 0", fontsize=10)
    cols = plt.cm.cividis(np.linspace(0, 0.9, ds["efficiency"].size))
    for e, col in zip(ds["efficiency"].values, cols, strict=True):
        ax.plot(ds["time"], ds["concurrence"].sel(efficiency=e), color=col, lw=2,
                label=f"η_det = {e:g}")
        ax.plot(ds["time"], ds["concurrence_closed_form"].sel(efficiency=e), "--", color="gray",
                lw=1)
        bx.plot(ds["time"], ds["success_probability"].sel(efficiency=e), color=col, lw=2,
                label=f"η_det = {e:g}")
    ax.plot(ds["time"], ds["concurrence_lindblad"], ":", color="red", lw=2,
            label="Lindblad (no postselection)")
    ax.plot([], [], "--", color="gray", lw=1, label="closed form C1 P1/(1 − η(1 − P1))")
    ax.set_xlabel("time t")
    ax.set_ylabel("conditional concurrence C(t)")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=8)
    bx.set_xlabel("time t")
    bx.set_ylabel("success probability")
    bx.set_ylim(0, 1.05)
    bx.legend(fontsize=8)
    fig.tight_layout()
    return fig


def claims(ds: xr.Dataset) -> list[Claim]:
    f = "004-efficiency"
    out = [claim_close(f, "η_det = 0 reproduces the unmonitored Lindblad C(t)", 0.0,
                       float(np.max(np.abs(ds["concurrence"].sel(efficiency=0.0)
                                           - ds["concurrence_lindblad"]))), atol=1e-10,
                       paper_text="the Lindblad dynamics is recovered as the measurement rate "
                                  "→ 0 (Discussion)"),
           claim_close(f, "η_det = 1 reproduces C(t) = tanh 2Γt (Eq. 13, δ = 0)", 0.0,
                       float(np.max(np.abs(ds["concurrence"].sel(efficiency=1.0)
                                           - np.tanh(2 * GAMMA * ds["time"])))), atol=1e-10,
                       paper_text="C(t) = tanh 2Γt (text after Eq. 15)"),
           claim_close(f, "closed form C1 P1/(1 − η(1 − P1)) vs numerics, all η_det", 0.0,
                       float(np.max(np.abs(ds["concurrence"] - ds["concurrence_closed_form"]))),
                       atol=1e-10, paper_text="not stated",
                       note="closed form derived here (T = 0, initial |ud>)"),
           claim_close(f, "success probability 1 − η(1 − P1) vs numerics", 0.0,
                       float(np.max(np.abs(ds["success_probability"]
                                           - ds["success_probability_closed_form"]))),
                       atol=1e-10, paper_text="not stated", note="closed form derived here")]
    late = ds["concurrence"].isel(time=-1).values
    out.append(claim_close(f, "long-time C = 1/(2 − η_det) at a = |A|, δ = 0 (t = 3)", 0.0,
                           float(np.max(np.abs(late - 1 / (2 - ds["efficiency"].values)))),
                           atol=1e-4, paper_text="not stated",
                           note="derived: P1 -> 1/2, C1 -> 1; at t = 3 the remaining transient "
                                "is < 1e-4"))
    return out


register_figure(FigureSpec(id="004-efficiency", paper="004",
                           title="openlz extension: finite detector efficiency between Lindblad "
                                 "and postselected dynamics",
                           compute=compute, plot=plot, claims=claims, expected_seconds=1))
