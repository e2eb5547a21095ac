"""Paper 003, Fig. 5 against the unstated period T: where the power extremes sit in β.

Fig. 5 shows the range [min_q P, max_q P] of the engine's steady-state power against the
inverse temperature β; the paper gives neither the period T nor eps0, η, ωc.  ``003-fig5-T``
recomputes the two extremes over the physical q disk (polar grid, then three 9 × 9 zoom
levels, as ``003-fig5``) at every β of a grid, for ν = 0.1 (the paper's inset) and ν = 0.4
(openlz's "strong"), at 2 eps0 T / π = 1, 1.5, ..., 6 (the sign of the power follows the
system's free precession 2 eps0 T mod 2π; the rate 2 eps0/T, hence R, changes with T too), and
reports the β of the largest extraction and of the largest spent power at each T.

It checks Fig. 5's statements for *some* T of the scan (the claims of ``003-fig5`` check them at
openlz's default T = 3π/2): if a statement fails at every T of the scan it stays a fail, with
the scan as the evidence.  A wider scan (η = 0.002-0.1, ωc = 2-100, eps0 = 0.5-2) was run once
for issue 14; its result is in the claims' notes.
"""

from __future__ import annotations

import warnings

import numpy as np
import xarray as xr

from ..analytic.coherence_engine import coherence_bound, thermal_population
from ..errors import PhysicalityWarning
from ..models.coherence_engine import MODEL, engine_cycle
from .base import Claim, FigureSpec, claim_true, register_figure
from .p003_engine import _FIG5_SCAN

__all__: list[str] = []

M_PERIOD = np.arange(1.0, 6.01, 0.5)  # 2 eps0 T / pi
NUS = np.array([0.1, 0.4])
BETAS = np.linspace(0.1, 4.0, 27)
_NR, _NT, _LEVELS = 6, 24, 3


def _power(base: dict[str, np.ndarray], q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P and the smallest eigenvalue of the periodic states at q (N, M) for the N parameter
    points of ``base`` (each (N,))."""
    n, m = q.shape
    rep = {k: np.repeat(v, m) for k, v in base.items()}
    cyc = engine_cycle(rep["eps0"], rep["eta"], rep["wc"], rep["beta"], rep["nu"],
                       rep["period"], q.ravel())
    return cyc.power.reshape(n, m), cyc.min_eig.reshape(n, m)


def power_extremes(base: dict[str, np.ndarray]
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(min_q P, max_q P, min_q λ_min) over |q| <= sqrt(a(1-a)) for each point of ``base`` (eps0, eta, wc,
    beta, nu, period; arrays (N,)): polar grid (6 radii x 24 angles and q = 0), then three
    9 x 9 zoom levels around the best point, the step divided by 4 at each level.  The
    extremes are at least as extreme as a 301 x 301 grid's and within 2 % of them (tests).  λ_min: smallest
    eigenvalue of the periodic system states on the polar grid (Redfield positivity)."""
    qb = coherence_bound(thermal_population(base["beta"], base["eps0"])) * (1 - 1e-9)
    r = np.linspace(0.0, 1.0, _NR + 1)[1:]
    t = np.linspace(0.0, 2 * np.pi, _NT, endpoint=False)
    u = np.concatenate([[0.0], (r[:, None] * np.exp(1j * t)).ravel()])
    q = qb[:, None] * u[None, :]
    n = qb.size
    idx = np.arange(n)
    g = np.linspace(-2.0, 2.0, 9)
    dz = (g[:, None] + 1j * g[None, :]).ravel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhysicalityWarning)
        p, eig = _power(base, q)
        out = []
        for sign in (-1.0, 1.0):
            j = np.argmax(sign * p, axis=1)
            best_q, best = q[idx, j], sign * p[idx, j]
            h = qb / _NR
            for _ in range(_LEVELS):
                cand = best_q[:, None] + h[:, None] * dz[None, :]
                inside = np.abs(cand) <= qb[:, None]
                cand = np.where(inside, cand, 0.0)
                pc = np.where(inside, sign * _power(base, cand)[0], -np.inf)
                jj = np.argmax(pc, axis=1)
                better = pc[idx, jj] > best
                best_q = np.where(better, cand[idx, jj], best_q)
                best = np.where(better, pc[idx, jj], best)
                h = h / 4
            out.append(sign * best)
    return out[0], out[1], np.min(eig, axis=1)


def period_compute() -> xr.Dataset:
    d = MODEL.resolve({})
    eps0 = float(d["eps0"])
    mm, nu, beta = np.meshgrid(M_PERIOD, NUS, BETAS, indexing="ij")
    base = {"eps0": np.full(mm.size, eps0), "eta": np.full(mm.size, float(d["eta"])),
            "wc": np.full(mm.size, float(d["wc"])), "beta": beta.ravel(), "nu": nu.ravel(),
            "period": (mm * np.pi / (2 * eps0)).ravel()}
    lo, hi, eig = (x.reshape(mm.shape) for x in power_extremes(base))
    dims = ("m_period", "nu", "beta")
    ds = xr.Dataset({"power_min": (dims, lo), "power_max": (dims, hi),
                     "beta_extract": (dims[:2], BETAS[np.argmin(lo, axis=-1)]),
                     "beta_spent": (dims[:2], BETAS[np.argmax(hi, axis=-1)]),
                     "min_eigenvalue": (dims[:2], eig.min(axis=-1))},
                    coords={"m_period": M_PERIOD, "nu": NUS, "beta": BETAS,
                            "period": ("m_period", M_PERIOD * np.pi / (2 * eps0))})
    ds["m_period"].attrs["long_name"] = "2 eps0 T / pi"
    ds.attrs.update({"model": MODEL.name, "eps0": eps0, "eta": float(d["eta"]),
                     "wc": float(d["wc"]), "collision": "printed",
                     "parameter_choice": "eps0, eta, wc are openlz's defaults (not given in "
                                         "paper 003); T is scanned"})
    return ds


def period_plot(ds: xr.Dataset):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9.5, 3.8), constrained_layout=True)
    m = ds["m_period"].values
    for ax, nu in zip(axes, ds["nu"].values, strict=True):
        ax.plot(m, ds["beta_extract"].sel(nu=nu), "o-", label="β of max extraction")
        ax.plot(m, ds["beta_spent"].sel(nu=nu), "s--", label="β of max spent power")
        ax.axhline(1.0 / ds.attrs["eps0"], color="k", lw=0.6)
        ax.set_xlabel("2 ε0 T / π")
        ax.set_ylabel("β (1/ε0)")
        ax.set_title(f"ν = {nu:g}", fontsize=9)
        ax.legend(fontsize=7)
    fig.suptitle("003-fig5-T: where the extremes of Fig. 5 sit in β, against the period T "
                 "(η, ωc, ε0: openlz defaults)", fontsize=9)
    return fig


_WIDE = "this figure scans T only; the wider scan of eps0, eta, wc, T: " + _FIG5_SCAN


def period_claims(ds: xr.Dataset) -> list[Claim]:
    fid = "003-fig5-T"
    out: list[Claim] = []
    step = float(ds["beta"].values[1] - ds["beta"].values[0])
    b_ext = ds["beta_extract"].sel(nu=0.1).values
    b_sp = ds["beta_spent"].sel(nu=0.1).values
    m = ds["m_period"].values
    extracting = ds["power_min"].sel(nu=0.1).min("beta").values < 0
    spending = ds["power_max"].sel(nu=0.1).max("beta").values > 0
    ok = extracting & spending & (b_sp > 1.0) & (b_ext < 1.0)
    listing = ", ".join(f"{mi:g}: {be:.2f}/{bs:.2f}" for mi, be, bs in zip(m, b_ext, b_sp,
                                                                            strict=True))
    out.append(claim_true(
        fid, "ν = 0.1: max extraction at high temperature and max spent power at low "
        "temperature, for some period T", "the maximum power extraction occurs in the high-"
        "temperature (low-β) regime, whereas the maximum power spent occurs in the low-"
        "temperature regime (Sec. III, Fig. 5 inset; T not stated)",
        f"2ε0T/π: β(max extraction)/β(max spent) = {listing}; holds at "
        f"{int(ok.sum())} of {ok.size} periods", bool(np.any(ok)),
        tolerance=f"β ε0 < 1 and > 1; β step {step:.2f}", note=_WIDE))
    b1 = ds["beta_extract"].sel(nu=0.4).values
    b2 = ds["beta_spent"].sel(nu=0.4).values
    near = (np.abs(b1 - b2) <= 2 * step) & (b1 >= 0.5) & (b1 <= 2) & (b2 >= 0.5) & (b2 <= 2)
    out.append(claim_true(
        fid, "ν = 0.4: both extremes close to β = ε0 (and to each other), for some period T",
        "at strong LZ interactions ... the maximum extracted and spent power both occur close "
        "to β = ε0 (Sec. III; T and the strong ν not stated)",
        "2ε0T/π: β(min P)/β(max P) = " + ", ".join(
            f"{mi:g}: {x:.2f}/{y:.2f}" for mi, x, y in zip(m, b1, b2, strict=True))
        + f"; holds at {int(near.sum())} of {near.size} periods", bool(np.any(near)),
        tolerance=f"0.5 <= β ε0 <= 2 and |Δβ| <= {2 * step:.2f}", note=_WIDE))
    me = ds["min_eigenvalue"].min("nu").values
    pos = me >= -1e-9
    out.append(claim_true(
        fid, "Redfield periodic states positive (all β, q, ν of the scan), for some period T",
        "positivity holds in the paper's computation (Sec. III, after Eq. 25; T not stated)",
        "2ε0T/π: min eigenvalue = " + ", ".join(f"{mi:g}: {v:.1e}" for mi, v in
                                                zip(m, me, strict=True))
        + f"; positive at {int(pos.sum())} of {pos.size} periods", bool(np.any(pos)),
        tolerance="-1e-9", note="openlz's default 2ε0T = 3π is one of the periods where the "
        "state turns slightly negative (003-fig5); Redfield is not of Lindblad form, so "
        "positivity is a property of the parameters, not guaranteed"))
    return out


register_figure(FigureSpec(id="003-fig5-T", paper="003",
                           title="Fig. 5 extremes against the unstated period T",
                           compute=period_compute, plot=period_plot, claims=period_claims,
                           expected_seconds=15))
