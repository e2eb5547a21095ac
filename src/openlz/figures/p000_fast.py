"""Figures 4 and 5 of paper 000: entanglement in the fast-driving regime (v = 1).

Numerics are the ``dissipative-lz`` model (rotated-frame Eq. 29); helpers from
:mod:`openlz.figures.p000`.  With the paper's cutoff wc = Delta/3 the bath is nearly decoupled
at small Delta (J(2 Omega) <= 2 Omega e^{-6 Omega/Delta}), so besides the paper's own comparisons
openlz checks the adiabaticity statements where the bath is the same for all points: the
small gap with the large gap's wc in Fig. 4, and a sweep of v at fixed Delta and wc (the
Conclusion's statement) in Fig. 5.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from .base import Claim, FigureSpec, claim_true, paper_error, register_figure
from .p000 import LAM, _attrs, _evaluate, _fig

__all__: list[str] = []
WC_COMMON = 100.0 / 3


# ------------------------------------------------------------------------------ Fig. 4
def fig4_compute() -> xr.Dataset:
    """N(t), Bell state, v = 1, T = 0, lambda = 0.1, wc = Delta/3, Delta = 0.1 and 100,
    theta = 0 and pi/2 (the text: "same behaviour is seen for theta = pi/2"), t in [-40, 40]
    (the paper does not state its window); plus Delta = 0.1 with the wc = 100/3 of Delta = 100
    (one bath for both gaps)."""
    times = np.linspace(-40.0, 40.0, 321)
    D = np.array([0.1, 100.0, 0.1, 100.0, 0.1, 0.1])
    th = np.array([0.0, 0.0, np.pi / 2, np.pi / 2, 0.0, np.pi / 2])
    wc = np.concatenate([D[:4] / 3, [WC_COMMON, WC_COMMON]])
    res, val = _evaluate({"Delta": D, "v": 1.0, "theta": th, "T": 0.0, "lam": LAM, "wc": wc,
                          "t_int": -40.0}, times, ["negativity"])
    N = res["negativity"]
    ds = xr.Dataset({"negativity": (("theta", "Delta", "time"), N[:4].reshape(2, 2, -1)),
                     "negativity_small_gap_common_wc": (("theta", "time"), N[4:])},
                    coords={"theta": [0.0, np.pi / 2], "Delta": [0.1, 100.0], "time": times})
    ratio = np.asarray(val["validity"]["min_tauA_over_tauS"])[:4].reshape(2, 2)
    ds["min_tauA_over_tauS"] = (("theta", "Delta"), ratio)
    return _attrs(ds, v=1.0, lam=LAM, T=0.0, t_int=-40.0, wc_common=WC_COMMON, **val)


def fig4_plot(ds: xr.Dataset):
    fig, axes = _fig("000-fig4: negativity vs time, v = 1, T = 0, lambda = 0.1, wc = Delta/3 "
                     "(dotted: Delta = 0.1 with the wc = 100/3 of Delta = 100)", ncols=2)
    for ax, th, name in zip(axes, ds["theta"].values, ("theta = 0", "theta = pi/2"), strict=True):
        for i, D in enumerate(ds["Delta"].values):
            ax.plot(ds["time"], ds["negativity"].sel(theta=th, Delta=D), f"C{i}-",
                    label=f"Delta = {D:g} (Delta²/v = {D**2:g})")
        ax.plot(ds["time"], ds["negativity_small_gap_common_wc"].sel(theta=th), "C0:",
                label="Delta = 0.1, wc = 100/3")
        ax.set(xlabel="t", ylabel="N(rho_SR(t))", title=name)
        ax.legend()
    return fig


def _settled_since(t: np.ndarray, n: np.ndarray, frac: float = 0.01) -> float:
    """Earliest time after which N stays within ``frac`` of its total change from its value at
    the window's end."""
    change = abs(n[0] - n[-1])
    off = np.abs(n - n[-1]) > frac * change
    return float(t[np.flatnonzero(off)[-1] + 1]) if np.any(off) else float(t[0])


def fig4_claims(ds: xr.Dataset) -> list[Claim]:
    out = []
    t = ds["time"].values
    acc = 1e-6          # accuracy of N at rtol 1e-8 (model tests: 1e-8 vs QuTiP / lab frame)
    i10 = np.searchsorted(t, t[-1] - 10.0)
    for th, name in zip(ds["theta"].values, ("0", "pi/2"), strict=True):
        small = ds["negativity"].sel(theta=th, Delta=0.1).values
        big = ds["negativity"].sel(theta=th, Delta=100.0).values
        common = ds["negativity_small_gap_common_wc"].sel(theta=th).values
        gap = small[1:] - big[1:]
        out.append(claim_true(
            "000-fig4", f"theta = {name}: the Delta = 0.1 curve lies above Delta = 100 at "
            "every t > t_int", "'from top to bottom Delta = 0.1, 100' (Fig. 4); 'for smaller "
            "value of Delta entanglement degradation is slower' (Sec. IV B)",
            f"min_t N(0.1) - N(100) = {gap.min():.3g}; total loss {small[0] - small[-1]:.2e} "
            f"(Delta = 0.1) vs {big[0] - big[-1]:.3g} (Delta = 100)", bool(gap.min() > acc),
            tolerance=f"> {acc:g}", note="with wc = Delta/3 the bath is nearly decoupled at "
            "Delta = 0.1 (J(2 Omega) <= 0.2 e^{-6}); the rows with wc = 100/3 at both gaps test "
            "the statement with the bath coupled"))
        what = (f"theta = {name}, one bath (wc = 100/3) for both gaps: Delta = 0.1 degrades "
                "less")
        found = (f"N(t = 40) = {common[-1]:.6f} (Delta = 0.1) vs {big[-1]:.6f} (Delta = 100)")
        why = ("wc = 100/3 is not the paper's Delta/3 for Delta = 0.1: it keeps the bath coupled "
               "there, so the comparison is about adiabaticity, not the cutoff")
        if th == 0:
            out.append(claim_true(
                "000-fig4", what, "'non-adiabatic dynamic is more in favour of preserving "
                "entanglement' (abstract, Sec. IV B)", found,
                bool(common[-1] - big[-1] > acc and common[0] - common[-1] > 100 * acc),
                tolerance=f"> {acc:g}, with a loss > {100 * acc:g} at Delta = 0.1", note=why))
        else:
            out.append(paper_error(
                "000-fig4", what, "'same behaviour is seen for theta = pi/2' (Sec. IV B); "
                "'non-adiabatic dynamic is more in favour of preserving entanglement' "
                "(abstract)", found + " — reversed", bool(big[-1] - common[-1] > acc),
                tolerance=f"reversal > {acc:g}",
                note=why + ". At theta = pi/2, A = sigma_x/2: for the large gap the eigenbasis "
                     "stays close to that of sigma_x while Omega ~ Delta (|t| < 100), so A is "
                     "nearly diagonal there and only dephases, with gamma(0) = 0 at T = 0 (Eq. "
                     "11): N barely moves. For the small gap the eigenbasis turns to that of "
                     "sigma_z within |t| ~ 0.1, A becomes transverse and drives transitions at "
                     "gamma(2 Omega(t)), which the wide bath supplies: N reaches 0 by t ~ 20 "
                     "(lab-frame amesolve and Eq. 29 agree). The paper's statement holds only "
                     "because wc = Delta/3 decouples the bath at Delta = 0.1"))
        ts = _settled_since(t, common)
        late = abs(big[-1] - big[i10])
        out.append(claim_true(
            "000-fig4", f"theta = {name}: Delta = 0.1 reaches its steady value sooner than "
            "Delta = 100 (one bath, wc = 100/3)", "'after a shorter time it achieves its "
            "steady value' (Sec. IV B)",
            f"Delta = 0.1 within 1% of its total change from t = {ts:.3g}; Delta = 100 still "
            f"changes by {late:.2e} over the window's last 10 time units",
            bool(ts < t[-1] - 10 and late > 100 * acc),
            tolerance=f"1% of a change > {100 * acc:g}; 'still changes': > {100 * acc:g}",
            note="the window [-40, 40] is openlz's choice (not stated); Delta = 100 keeps "
                 "decaying while Omega(t) ~ Delta (|t| < Delta/v = 100)"))
    ratio = ds["min_tauA_over_tauS"].values
    out.append(paper_error(
        "000-fig4", "parameters satisfy the Markov validity inequalities (Eq. 15)",
        "'we choose parameters such that the inequalities in Eq. (15) hold' (Sec. II A)",
        f"min tau_A/tau_S = {ratio.min():.3g} (Delta = 0.1), {ratio.max():.3g} (Delta = 100)",
        bool(ratio.min() < 1.0), tolerance="fails even without a margin (tau_A/tau_S < 1)",
        note="Eqs. (16), (18) at t = 0: tau_S = 1/(2 Delta), tau_A = 2 Delta/v, so "
             "tau_A/tau_S = 4 Delta²/v = 0.04 for Delta = 0.1, v = 1: Eq. (15) fails in the "
             "non-adiabatic case the paper shows"))
    return out


# ------------------------------------------------------------------------------ Fig. 5
V_SWEEP = np.logspace(-2, 0, 5)


def fig5_compute() -> xr.Dataset:
    """N(t = 40) vs Delta²/v (v = 1) for theta = 0 and pi/2; t_int = -40, T = 0, lambda = 0.1,
    wc = Delta/3: 2 x 64 points; plus N(t = 40) vs v = 0.01..1 at fixed Delta = 1, wc = 1/3
    (theta = 0), all in one batched model call."""
    x = np.logspace(-2, 4, 64)
    D = np.sqrt(x)
    nv = V_SWEEP.size
    res, val = _evaluate({"Delta": np.concatenate([D, D, np.ones(nv)]),
                          "v": np.concatenate([np.ones(128), V_SWEEP]), "T": 0.0, "lam": LAM,
                          "theta": np.concatenate([np.zeros(64), np.full(64, np.pi / 2),
                                                   np.zeros(nv)]), "t_int": -40.0},
                         np.array([-40.0, 40.0]), ["negativity"])
    N = res["negativity"][:, -1]
    ratio_A = np.asarray(val["validity"]["min_tauA_over_tauS"])[:64]
    ds = xr.Dataset({"negativity": (("theta", "adiabaticity"), N[:128].reshape(2, 64)),
                     "min_tauA_over_tauS": (("adiabaticity",), ratio_A),
                     "negativity_vs_v": (("v",), N[128:])},
                    coords={"theta": [0.0, np.pi / 2], "adiabaticity": x, "v": V_SWEEP})
    ds["adiabaticity"].attrs["long_name"] = "Delta²/v"
    return _attrs(ds, v_main=1.0, lam=LAM, T=0.0, t_int=-40.0, t=40.0,
                  validity_warnings=val["validity_warnings"],
                  solver=res["_attrs"]["solver"])


def fig5_plot(ds: xr.Dataset):
    fig, axes = _fig("000-fig5: N(t = 40) vs Delta²/v, v = 1, T = 0, lambda = 0.1, "
                     "wc = Delta/3, t_int = -40", ncols=3)
    x = ds["adiabaticity"]
    ax = axes[0]
    ax.semilogx(x, ds["negativity"].sel(theta=0.0), "C0-", label="theta = 0")
    ax.semilogx(x, ds["negativity"].sel(theta=np.pi / 2), "C3--", label="theta = pi/2")
    ax.set(xlabel="Delta²/v", ylabel="N(rho_SR(t = 40))")
    ax.legend()
    ax = axes[1]
    ax.loglog(x, ds["min_tauA_over_tauS"], "k-", label="min_t tau_A/tau_S (Eqs. 16, 18)")
    ax.axhline(10, color="C1", ls=":", label="10 (our reading of '<<')")
    ax.set(xlabel="Delta²/v", ylabel="tau_A / tau_S", title="Markov validity, Eq. (15)")
    ax.legend()
    ax = axes[2]
    ax.semilogx(ds["v"], ds["negativity_vs_v"], "C2o-")
    ax.set(xlabel="v (Delta = 1, wc = 1/3, theta = 0)", ylabel="N(rho_SR(t = 40))",
           title="fixed gap, varying sweep rate")
    return fig


def fig5_claims(ds: xr.Dataset) -> list[Claim]:
    x = ds["adiabaticity"].values
    n0 = ds["negativity"].sel(theta=0.0).values
    n1 = ds["negativity"].sel(theta=np.pi / 2).values
    nv = ds["negativity_vs_v"].values
    acc = 1e-6
    lossy = 0.5 - n0 > 10 * acc
    bad = x[ds["min_tauA_over_tauS"].values < 10]
    k = int(np.argmin(n1))
    rise = float(n1[-1] - n1[k])
    return [
        claim_true("000-fig5", "transversal noise less destructive at every Delta²/v",
                   "'for all values of Delta²/v entanglement between two qubits is larger for "
                   "transversal noise' (Sec. V, Fig. 5)",
                   f"N(pi/2) - N(0) >= {np.min(n1 - n0):.2g} everywhere; > {acc:g} at all "
                   f"{int(np.sum(lossy))} points where theta = 0 loses more than {10 * acc:g}",
                   bool(np.all(n1 - n0 > -acc) and np.all((n1 - n0)[lossy] > acc)),
                   tolerance=f"{acc:g} (the numerics' accuracy)",
                   note="at the smallest Delta²/v both stay within 1e-6 of 1/2 (wc = Delta/3 "
                        "decouples the bath), where the comparison is below the accuracy"),
        claim_true("000-fig5", "non-adiabatic regime preserves more: N decreases with Delta²/v "
                   "(theta = 0)", "'the larger the value of Delta²/v the entanglement decay is "
                   "stronger' (Sec. IV B, Fig. 5)", f"N from {n0[0]:.5f} to {n0[-1]:.5f}, "
                   f"largest step {np.max(np.diff(n0)):.2e}", bool(np.all(np.diff(n0) < 0)),
                   tolerance="every step negative"),
        claim_true("000-fig5", "non-adiabatic regime preserves more (theta = pi/2): N falls "
                   "with Delta²/v to its minimum and lies below its Delta²/v = 0.01 value "
                   "everywhere after", "'the larger the value of Delta²/v the entanglement decay "
                   "is stronger' (Sec. IV B, Fig. 5)",
                   f"N from {n1[0]:.5f} down to {n1[k]:.5f} at Delta²/v = {x[k]:.3g}, monotone "
                   "there; then up by " f"{rise:.1e} to {x[-1]:.3g}",
                   bool(np.all(np.diff(n1[:k + 1]) < 0) and n1[-1] < n1[0] - 100 * acc),
                   note="the shallow rise beyond the minimum is real (> 100x the accuracy) but "
                        "lies at the edge of openlz's range 1e-2..1e4; the paper's range is not "
                        "stated"),
        claim_true("000-fig5", "at fixed gap (Delta = 1, wc = 1/3, theta = 0) degradation is "
                   "smaller for larger v", "'for fixed value of minimum gap Delta, for larger "
                   "values of v the entanglement degradation is smaller' (Sec. V)",
                   "N(t = 40) = " + ", ".join(f"{n:.6f}" for n in nv) + " for v = 0.01..1 "
                   "(Delta²/v = 100..1)",
                   bool(np.all(np.diff(nv) > 0) and nv[-1] - nv[0] > 100 * acc),
                   tolerance="strictly increasing", note="the bath (wc) is the same at every "
                   "point, unlike the paper's Fig. 5 where wc = Delta/3 changes with the gap"),
        paper_error("000-fig5", "Markov validity (Eq. 15) holds over the sweep",
                    "'we choose parameters such that the inequalities in Eq. (15) hold' "
                    "(Sec. II A)", f"fails (tau_A/tau_S < 10) for Delta²/v <= {bad.max():.3g}; "
                    f"tau_A/tau_S < 1 for Delta²/v < 0.25" if bad.size else "holds",
                    bad.size > 0, tolerance="'<<' read as >= 10 times",
                    note="Eqs. (16), (18) at t = 0 give tau_A/tau_S = 4 Delta²/v, so the "
                         "non-adiabatic half of Fig. 5 lies outside the master equation's "
                         "stated validity"),
    ]


register_figure(FigureSpec(id="000-fig4", paper="000", title="Negativity vs time for Delta = "
                           "0.1 and 100", compute=fig4_compute, plot=fig4_plot,
                           claims=fig4_claims, expected_seconds=8))
register_figure(FigureSpec(id="000-fig5", paper="000", title="Negativity at t = 40 vs "
                           "Delta²/v (batched sweep)", compute=fig5_compute, plot=fig5_plot,
                           claims=fig5_claims, expected_seconds=14))
