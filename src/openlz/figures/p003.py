"""Fig. 2 of paper 003 (driven spin across a finite spin reservoir) and its L >= 16 extension.

Exact dynamics of Eq. (1) vs the Landau–Zener Markov chain (Eqs. 16–17) vs the
continuous-time LZ master equation (Eqs. 22–23), for the caption's three parameter sets
(ν, ε̇) = (0.4, 0.1), (0.2, 0.2), (0.1, 1.0), β = 2, μ = 0, ε_n = n.  The initial system
state is not stated in the paper; openlz uses the pure state p0 = 0.8, k0 = 0.4 (so that
both populations and coherences are visible), stored in the dataset attrs.  All curves come
from the ``spin-reservoir`` model.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..models.spin_reservoir import MODEL
from .base import Claim, FigureSpec, claim_close, claim_true, paper_error, register_figure

__all__: list[str] = []

CASES = ((0.4, 0.1), (0.2, 0.2), (0.1, 1.0))  # (ν, ε̇), Fig. 2 caption, panels (a,b) (c,d) (e,f)
P0, K0 = 0.8, 0.4
_CROSS_OBS = ["t_crossing", "p_chain", "abs_k_chain", "re_k_chain", "p_continuous",
              "abs_k_continuous", "re_k_continuous", "p_continuous_eq19", "p_exact",
              "abs_k_exact", "re_k_exact"]
_TIME_OBS = ["p_exact_t", "re_k_exact_t", "abs_k_exact_t", "p_continuous_t", "re_k_continuous_t"]


def _compute(L: int, samples_per_unit: float) -> xr.Dataset:
    data: dict[str, list] = {}
    seconds = []
    n_t = None
    for nu, rate in CASES:
        t_end = (L + 0.5) / rate
        n_t = n_t or int(samples_per_unit * (L + 0.5) ** 2 / 0.1)  # same count for all cases
        t = np.linspace(0.0, t_end, n_t)
        r = MODEL.evaluate({"L": L, "nu": nu, "rate": rate, "beta": 2.0, "mu": 0.0,
                            "p0": P0, "k0_re": K0}, t, _CROSS_OBS + _TIME_OBS)
        for name in _CROSS_OBS + _TIME_OBS:
            data.setdefault(name, []).append(r[name][0])
        data.setdefault("t", []).append(t)
        for phase in ("adiabatic", "dressed"):
            r2 = MODEL.evaluate({"L": L, "nu": nu, "rate": rate, "p0": P0, "k0_re": K0,
                                 "chain_phase": phase}, None, ["re_k_chain"])
            data.setdefault(f"re_k_chain_{phase}", []).append(r2["re_k_chain"][0])
        seconds.append(r["_attrs"]["exact_solver"][0]["seconds"])
    dims = {name: ("case", "crossing") for name in _CROSS_OBS + ["re_k_chain_adiabatic",
                                                                 "re_k_chain_dressed"]}
    dims.update({name: ("case", "sample") for name in _TIME_OBS + ["t"]})
    ds = xr.Dataset({k: (dims[k], np.asarray(v, dtype=float)) for k, v in data.items()},
                    coords={"case": np.arange(len(CASES)), "crossing": np.arange(1, L + 2)})
    ds["nu"] = ("case", np.array([c[0] for c in CASES]))
    ds["rate"] = ("case", np.array([c[1] for c in CASES]))
    ds["exact_seconds"] = ("case", np.array(seconds))
    ds.attrs.update(model=MODEL.name, L=L, beta=2.0, mu=0.0, level_spacing=1.0, p0=P0, k0=K0,
                    note="initial state p0 = 0.8, k0 = 0.4 chosen by openlz (not in the paper)")
    return ds


TAU2_CASES = ((0.4, 0.1), (0.2, 0.025))  # equal R = e^{-1.6π}, ν/Δε halved


def fig2_compute() -> xr.Dataset:
    ds = _compute(10, 2.0)
    # the τ_2 gap of the slow case at equal R and half the coupling: only the first crossing
    # matters (the later ones are inert), so L = 2 suffices
    gp, gk = [], []
    for nu, rate in TAU2_CASES:
        r = MODEL.evaluate({"L": 2, "nu": nu, "rate": rate, "p0": P0, "k0_re": K0}, None,
                           ["p_chain", "p_exact", "abs_k_chain", "abs_k_exact"])
        gp.append(abs(r["p_chain"][0, 1] - r["p_exact"][0, 1]))
        gk.append(abs(r["abs_k_chain"][0, 1] - r["abs_k_exact"][0, 1]))
    ds["tau2_gap_p"] = ("tau2_case", np.array(gp))
    ds["tau2_gap_k"] = ("tau2_case", np.array(gk))
    ds["tau2_nu"] = ("tau2_case", np.array([c[0] for c in TAU2_CASES]))
    ds["tau2_rate"] = ("tau2_case", np.array([c[1] for c in TAU2_CASES]))
    return ds


def fig2_large_compute() -> xr.Dataset:
    ds = _compute(16, 1.2)
    # the paper's L = 10 at the crossings only, to test "better agreement as L increases"
    small = {name: [] for name in ("p_chain", "p_exact", "abs_k_chain", "abs_k_exact")}
    for nu, rate in CASES:
        r = MODEL.evaluate({"L": 10, "nu": nu, "rate": rate, "p0": P0, "k0_re": K0}, None,
                           list(small))
        for name in small:
            small[name].append(r[name][0])
    for name, v in small.items():
        ds[f"{name}_L10"] = (("case", "crossing_L10"), np.asarray(v))
    ds = ds.assign_coords(crossing_L10=np.arange(1, 12))
    return ds


def _plot(ds: xr.Dataset, fig_id: str):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(3, 2, figsize=(11, 9.5))
    for c in ds["case"].values:
        d = ds.sel(case=c)
        nu, rate = float(d["nu"]), float(d["rate"])
        ax_p, ax_k = axes[c]
        ax_p.plot(d["t"], d["p_exact_t"], "k-", lw=1.2, label="exact, Eq. (1)")
        ax_p.plot(d["t"], d["p_continuous_t"], "b-", lw=1.0, label="continuous, Eq. (22)")
        ax_p.plot(d["t_crossing"], d["p_chain"], "o", color="red", ms=5,
                  label="Markov chain, Eq. (16)")
        ax_p.set_ylabel("population p(t)")
        ax_p.set_title(f"ν = {nu:g}, ε̇ = {rate:g}: populations", fontsize=9)
        ax_k.plot(d["t"], d["re_k_exact_t"], "k-", lw=0.6, label="exact Re k")
        ax_k.plot(d["t"], d["re_k_continuous_t"], "b-", lw=0.5, alpha=0.6,
                  label="continuous Re k, Eq. (23)")
        ax_k.plot(d["t"], d["abs_k_exact_t"], "k--", lw=1.0, label="exact |k|")
        ax_k.plot(d["t_crossing"], d["re_k_chain"], "o", color="red", ms=5,
                  label="chain Re k, Eqs. (9), (17)")
        ax_k.plot(d["t_crossing"], d["abs_k_chain"], "s", mfc="none", color="red", ms=6,
                  label="chain |k|")
        ax_k.plot(d["t_crossing"], d["re_k_chain_dressed"], "x", color="darkorange", ms=7,
                  mew=2, label="chain Re k, dressed phase (openlz)")
        ax_k.set_ylabel("coherence k(t)")
        ax_k.set_title(f"ν = {nu:g}, ε̇ = {rate:g}: coherences", fontsize=9)
        for ax in (ax_p, ax_k):
            ax.set_xlabel("time t")
        if c == 0:
            ax_p.legend(fontsize=7)
            ax_k.legend(fontsize=7, ncol=2)
    fig.suptitle(f"{fig_id}: driven spin across L = {int(ds.attrs['L'])} reservoir spins, "
                 f"β = 2, μ = 0, ε_n = n, p0 = {ds.attrs['p0']}, k0 = {ds.attrs['k0']}",
                 fontsize=10)
    fig.tight_layout()
    return fig


_MATCH = "chain (Eqs. 16-17) and exact match well irrespective of 1 - R (Sec. II, Fig. 2)"


def _claims(ds: xr.Dataset, fig_id: str) -> list[Claim]:
    out: list[Claim] = []
    R = np.exp(-np.pi * ds["nu"].values ** 2 / ds["rate"].values)
    for c in ds["case"].values:
        d = ds.sel(case=c)
        nu, rate = float(d["nu"]), float(d["rate"])
        tag = f"ν = {nu:g}, ε̇ = {rate:g} (1 - R = {1 - R[c]:.3f})"
        dp = np.abs(d["p_chain"] - d["p_exact"]).values
        dk = np.abs(d["abs_k_chain"] - d["abs_k_exact"]).values
        # the slow case's τ_2 is a separate paper-error claim (below); elsewhere all τ_n
        first = 2 if c == 0 else 0
        which = "τ_n, n >= 3" if first else "every τ_n"
        out.append(claim_close(fig_id, f"chain matches exact populations at {which}, {tag}",
                               0.0, float(dp[first:].max()), atol=0.03, paper_text=_MATCH,
                               note="max over n of |p_chain - p_exact|; 'match well' read as "
                                    "0.03 (the exact numerics are accurate to ~1e-8)"))
        if not first:  # slow case: |k| is part of the paper-error claim below
            out.append(claim_close(fig_id, f"chain matches exact |k| at {which}, {tag}", 0.0,
                                   float(dk.max()), atol=0.03, paper_text=_MATCH,
                                   note="max over n of ||k|_chain - |k|_exact|"))
    slow_dk = np.abs(ds.sel(case=0)["abs_k_chain"] - ds.sel(case=0)["abs_k_exact"]).values
    if "tau2_gap_p" in ds:
        g = ds["tau2_gap_p"].values
        gk = ds["tau2_gap_k"].values
        nus = ds["tau2_nu"].values
        th = (1 - 1 / np.sqrt(1 + (2 * nus) ** 2)) / 2  # Δε = 1
        ratio, pred = float(g[0] / g[1]), float(th[0] / th[1])
        out.append(paper_error(
            fig_id, "slow case ν = 0.4, ε̇ = 0.1: chain vs exact at τ_2 (p, |k|) and |k| at "
            "τ_n, n >= 3", _MATCH,
            f"|Δp(τ_2)| = {g[0]:.3f}, |Δ|k|(τ_2)| = {gk[0]:.3f}, max_(n>=3) |Δ|k|| = "
            f"{slow_dk[2:].max():.3f}; at the same R with ν = "
            f"{nus[1]:g} (ε̇ = {float(ds['tau2_rate'].values[1]):g}): |Δp| = {g[1]:.3f}; ratio "
            f"{ratio:.2f} vs sin²θ ratio {pred:.2f}",
            bool(g[0] > 0.03 and abs(ratio / pred - 1) < 0.3 and slow_dk[2:].max() > 0.03),
            tolerance="gaps > 0.03; τ_2 gap ratio within 30 % of the sin²θ ratio",
            note="At τ_2 the first crossing is only Δε/2 of sweep behind: the |↑↓_1>, |↓↑_1> "
                 "pair is split by Δε and coupled by ν, so the exact state still carries the "
                 "adiabatic admixture sin²θ, tan 2θ = 2ν/Δε (0.11 for ν = 0.4), and the beating "
                 "with the other adiabatic branch from the sudden start at t = 0 (same order). "
                 "Eq. (16) is the asymptotic map, so the chain misses both. The gap is set by "
                 "ν/Δε, not by 1 - R: at equal R it scales with sin²θ (checked with L = 2). "
                 "From τ_3 on the populations agree (system and the β = 2 reservoir spins are "
                 "both down, the crossings are inert), but the coherence, which the chain "
                 "sends to ~0, keeps a residue of first order in the admixture amplitude "
                 "(sin θ ≈ 0.33; about half as large at ν = 0.2). Eq. (2) (Δε > 2ν) holds at "
                 "ν = 0.4 but does not make these small."))
    fast, slow = ds.sel(case=2), ds.sel(case=0)
    dcont = float(np.max(np.abs(fast["p_continuous"] - fast["p_chain"])))
    out.append(claim_close(
        fig_id, "fast regime (ν = 0.1, ε̇ = 1): continuous Eq. (22) coincides with the chain "
        "at the crossings", 0.0, dcont, atol=float(1 - R[2]),
        paper_text="continuous approach always coincides at discrete times with the chain "
                   "(Sec. II, Fig. 2e)",
        note="tolerance = one collision's worth 1 - R: the continuous equation switches the "
             "rate on at t = 0, half a level before the chain's first interval ends"))
    dk_fast = float(np.max(np.abs(fast["abs_k_continuous"] - fast["abs_k_chain"])))
    out.append(claim_close(fig_id, "fast regime: continuous |k| (Eq. 23) = chain |k| (Eq. 17)",
                           0.0, dk_fast, atol=0.02,
                           paper_text="continuous approach coincides with the chain for "
                                      "coherences (Sec. II, Fig. 2f)",
                           note="Eq. (21) = Eq. (23) exactly for the coherence decay rate"))
    d_fast = float(np.max(np.abs(fast["p_continuous_t"] - fast["p_exact_t"])))
    d_slow = float(np.max(np.abs(slow["p_continuous_t"] - slow["p_exact_t"])))
    out.append(claim_true(fig_id, "continuous Eq. (22) vs exact p(t): good in the fast regime, "
                          "bad in the slow one (ν = 0.4, ε̇ = 0.1)",
                          "agreement bad in the slow regime, good in the fast one (Sec. II)",
                          f"max_t |p_cont - p_exact| = {d_fast:.3f} (fast), {d_slow:.3f} (slow)",
                          d_fast < 0.03 and d_slow > 0.1, tolerance="fast < 0.03, slow > 0.1"))
    err9 = float(np.max(np.abs(fast["re_k_chain"] - fast["re_k_exact"])))
    errad = float(np.max(np.abs(fast["re_k_chain_adiabatic"] - fast["re_k_exact"])))
    out.append(paper_error(
        fig_id, "fast regime: chain Re k_n with α_n of Eq. (9) and τ_1 = 0 vs exact Re k(τ_n)",
        "chain matches the exact coherences (Sec. II, Fig. 2f), with α_n of Eq. (9) and "
        "τ_1 = 0 (text after Eq. 3)",
        f"max_n |Re k_chain - Re k_exact| = {err9:.3f} with Eq. (9); {errad:.3f} with the "
        "first interval's phase η_1 added",
        bool(err9 > 0.03 and errad < 0.03), tolerance="0.03",
        note="Eq. (8) holds for an interval centred on the crossing; τ_1 = 0 makes [0, τ_2] "
             "off-centre around t_1 = Δε/ε̇, and then |↑↓_1> picks up the phase "
             "∫_0^{τ_2}(ε_t - ε_1) dt = -3Δε²/(8ε̇) (its adiabatic version η_1, "
             "analytic.landau_zener.adiabatic_phases) that Eqs. (8)-(9) drop; every later k_n "
             "inherits it. The moduli |k_n| are unaffected (claims above)."))
    out.append(claim_close(
        fig_id, "fast regime: chain Re k_n with the adiabatic-impulse phase η_1 matches exact",
        0.0, errad, atol=0.03, paper_text="not stated",
        note="openlz correction (analytic.landau_zener.adiabatic_phases); slower cases "
             "keep phase errors ~0.1 from the neighbouring levels' shifts"))
    for c in (1, 2):
        d = ds.sel(case=c)
        err = float(np.max(np.abs(d["re_k_chain_dressed"] - d["re_k_exact"])))
        out.append(claim_close(
            fig_id, f"chain Re k_n with the dressed phase matches exact, ν = {float(d['nu']):g}, "
            f"ε̇ = {float(d['rate']):g}", 0.0, err, atol=0.05, paper_text="not stated",
            note="openlz extension: free phase 2∫ε_t dt + Σ_m (1-2f_m) Λ_nm, the adiabatic "
                 "level shifts of all reservoir spins (analytic.landau_zener.level_shift_phase)"
                 "; in the slow case (ν = 0.4, ε̇ = 0.1) |k| is ~0 after the first crossing "
                 "and the τ_2 point is not converged"))
    if "p_exact_L10" in ds:
        e16 = [float(np.max(np.abs(ds.sel(case=c)["p_chain"] - ds.sel(case=c)["p_exact"])[:11]))
               for c in ds["case"].values]
        e10 = [float(np.max(np.abs(ds.sel(case=c)["p_chain_L10"]
                                   - ds.sel(case=c)["p_exact_L10"]))) for c in ds["case"].values]
        same = all(abs(b - a) <= 0.005 for a, b in zip(e10, e16, strict=True))
        out.append(paper_error(
            fig_id, "agreement chain vs exact improves with the number of reservoir spins",
            "one may expect a better agreement as the number of spins increases (Sec. II, end)",
            "max_{n<=11} |p_chain - p_exact|, L = 10 -> 16: "
            + ", ".join(f"{a:.4f} -> {b:.4f}" for a, b in zip(e10, e16, strict=True)),
            bool(same and e10[0] > 0.03), tolerance="|change| <= 0.005 in every case",
            note="The chain's error is local to each crossing (the adiabatic admixture at the "
                 "sampling time, set by ν/Δε; see the τ_2 claim of 003-fig2), and at β = 2 "
                 "the reservoir is almost fully polarized, so more spins add only inert "
                 "crossings: the error cannot shrink with L. Measured: unchanged within 0.002. "
                 "The paper states this as an expectation, citing Ref. [25] for populations."))
    return out


register_figure(FigureSpec(
    id="003-fig2", paper="003",
    title="Exact vs Landau-Zener Markov chain vs continuous-time LZ master equation, L = 10",
    compute=fig2_compute, plot=lambda ds: _plot(ds, "003-fig2"),
    claims=lambda ds: _claims(ds, "003-fig2"), expected_seconds=8))

register_figure(FigureSpec(
    id="003-fig2-large",
    paper="003",
    title="Fig. 2 comparison beyond the paper's 10 spins: L = 16",
    compute=fig2_large_compute, plot=lambda ds: _plot(ds, "003-fig2-large"),
    claims=lambda ds: _claims(ds, "003-fig2-large"), expected_seconds=22))
