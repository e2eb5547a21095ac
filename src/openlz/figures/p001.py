"""Figures for paper 001 (Landau–Zener tunnelling under dephasing Lindblad evolutions).

The paper has one schematic figure (the levels ±e_s); the figures here check its main result,
Eq. (1.5) / Theorem 3, against the ``dephasing-lz`` model (numerics with the s_max -> inf
continuation, see :mod:`openlz.models.dephasing_lz`):

* ``001-fig1``              the paper's Fig. 1: levels ±e_s of H_s through the avoided crossing;
* ``001-fig-p-vs-eps``      p(eps) for several gamma, numerics vs Eq. (1.5) and Eq. (1.2);
* ``001-fig-error``         |p - Eq. (1.5)| vs eps (log-log): the O(gamma eps^2) remainder;
* ``001-fig-gamma``         p vs gamma at eps = 0.05: the gamma/(1+gamma^2) maximum at gamma = 1;
* ``001-fig-finite-window`` p(s_max) for a finite window: oscillatory for gamma = 0
  (paper, below Eq. 1.2), monotone once dephasing has removed the free coherence.

Parameters not in the paper (g = 1, the eps and gamma grids, s_max) are stored in the attrs.

How Theorem 3 (|R| <= C gamma eps^2, C not stated) is tested: the numerics are accurate to
1e-14 absolute, so R itself (1e-7 .. 1e-3 here) is known to 1e-8 relative or better, and the
claims test the *order* statements rather than a guessed C: sup_gamma |R|/(gamma eps^2) stays
put when eps halves (an O(gamma eps) remainder would double it), is attained inside the gamma
range (uniformity in gamma), and the relative gap to Eq. (1.5)'s O(eps) term halves with eps.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..analytic import dephasing_lz as cf
from ..models.dephasing_lz import MODEL, solve_dephasing_lz
from .base import NOT_STATED, Claim, FigureSpec, claim_close, claim_true, register_figure

__all__: list[str] = []
G = 1.0


def _ds(data: dict, coords: dict, **attrs) -> xr.Dataset:
    ds = xr.Dataset({k: (dims, np.asarray(v, float)) for k, (dims, v) in data.items()},
                    coords=coords)
    ds.attrs.update({k: (v if isinstance(v, (int, float, str)) else str(v))
                     for k, v in attrs.items()})
    ds.attrs.update(model=MODEL.name, g=G)
    return ds


def _fig(title: str):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    ax.set_title(title, fontsize=10)
    return fig, ax


def _grid(eps: np.ndarray, gamma: np.ndarray, s_max: float) -> dict[str, np.ndarray]:
    """Model evaluation on the (gamma, eps) product grid -> arrays (n_gamma, n_eps)."""
    ee, gg = np.meshgrid(eps, gamma)
    res = MODEL.evaluate({"g": G, "eps": ee.ravel(), "gamma": gg.ravel(), "s_max": s_max},
                         observables=["transition_probability", "transition_probability_limit",
                                      "formula", "landau_zener", "coherent_part_limit"])
    return {k: v.reshape(ee.shape) for k, v in res.items() if not k.startswith("_")}


def _slope(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


# ------------------------------------------------------------------------------ Fig. 1
def fig1_compute() -> xr.Dataset:
    s = np.linspace(-4.0, 4.0, 401)
    levels = np.linalg.eigvalsh(cf.lz_hamiltonian(s, G))  # numerical eigenvalues, ascending
    return _ds({"e_minus": (("s",), levels[:, 0]), "e_plus": (("s",), levels[:, 1]),
                "e_closed": (("s",), cf.gap(s, G))}, {"s": s})


def fig1_plot(ds: xr.Dataset):
    fig, ax = _fig("001-fig1: energy levels ±e_s of H_s = (1/2)[[s, g], [g, -s]] (paper 001, Fig. 1)")
    s = ds.s.values
    ax.plot(s, ds.e_plus.values, "C0-", label="+e_s")
    ax.plot(s, ds.e_minus.values, "C1-", label="-e_s")
    ax.plot(s, s / 2, "k:", lw=0.8, label="diabatic levels ±s/2")
    ax.plot(s, -s / 2, "k:", lw=0.8)
    ax.annotate("", xy=(0, G / 2), xytext=(0, -G / 2), arrowprops={"arrowstyle": "<->"})
    ax.text(0.12, 0.0, f"gap g = {G:g}", fontsize=9, va="center")
    ax.set(xlabel="s", ylabel="energy", ylim=(-2.2, 2.2))
    ax.legend(fontsize=8)
    return fig


def fig1_claims(ds: xr.Dataset) -> list[Claim]:
    fid = "001-fig1"
    err = float(np.max(np.abs(ds.e_plus.values - ds.e_closed.values)))
    gap0 = float(np.min(ds.e_plus.values - ds.e_minus.values))
    return [claim_close(fid, "eigenvalues of H_s, max deviation from ±sqrt(s^2+g^2)/2", 0.0, err,
                        atol=1e-14, fmt=".1e", paper_text="±e_s = ±sqrt(s^2+g^2)/2 (Eq. 3.5)",
                        note="numpy eigvalsh of H_s vs the closed form; atol: double rounding"),
            claim_close(fid, "minimal gap 2 e_0 = g at the avoided crossing s = 0", G, gap0,
                        rtol=1e-12, fmt=".6g", paper_text="g at s = 0 (Eq. 3.5, Fig. 1)")]


# ------------------------------------------------------------------------------ p vs eps
PVE_GAMMAS = np.array([0.0, 0.1, 0.3, 1.0])
PVE_EPS = np.geomspace(0.02, 1.0, 14)


def pve_compute() -> xr.Dataset:
    r = _grid(PVE_EPS, PVE_GAMMAS, 20.0)
    return _ds({"p": (("gamma", "eps"), r["transition_probability_limit"]),
                "p_window": (("gamma", "eps"), r["transition_probability"]),
                "formula": (("gamma", "eps"), r["formula"]),
                "landau_zener": (("eps",), r["landau_zener"][0])},
               {"gamma": PVE_GAMMAS, "eps": PVE_EPS}, s_max=20.0,
               note="p = s_max -> inf continuation; p_window at s_max = 20")


def pve_plot(ds: xr.Dataset):
    fig, ax = _fig("001-fig-p-vs-eps: transition probability vs eps (paper 001, Eq. 1.5)")
    eps = ds.eps.values
    fine = np.geomspace(eps[0], eps[-1], 200)
    for k, gm in enumerate(ds.gamma.values):
        line, = ax.plot(eps, ds.p.values[k], "o", ms=4, label=f"numerics, gamma={gm:g}")
        ax.plot(fine, cf.formula(fine, G, gm), "-", color=line.get_color(), lw=1,
                label="Eq. (1.5) (line, same colour)" if k == 0 else None)
    ax.plot(fine, cf.landau_zener(G, fine), "k:", lw=1, label="Landau-Zener, Eq. (1.2)")
    ax.set(xscale="log", yscale="log", ylim=(1e-8, 1), xlabel="adiabatic parameter eps",
           ylabel="transition probability p (s_max -> inf)")
    ax.legend(fontsize=8)
    return fig


def pve_claims(ds: xr.Dataset) -> list[Claim]:
    fid = "001-fig-p-vs-eps"
    lz = ds.landau_zener.values
    m = lz > 1e-7
    rel = float(np.max(np.abs(ds.p.values[0][m] / lz[m] - 1)))
    out = [claim_close(fid, "gamma = 0: p = exp(-pi g^2/2eps), max relative deviation where "
                            "p > 1e-7", 0.0, rel, atol=1e-10, fmt=".2e",
                       paper_text="exp(-pi g^2/2eps) (Eq. 1.2)",
                       note="tolerance: the gamma = 0 accuracy of the numerics (1e-10 relative "
                            "down to p ~ 1e-7, tests; below, the ~1e-18 rounding floor)"),
           claim_close(fid, "gamma = 0: max |p - exp(-pi g^2/2eps)| over all eps", 0.0,
                       float(np.max(np.abs(ds.p.values[0] - lz))), atol=1e-14, fmt=".2e",
                       paper_text="exp(-pi g^2/2eps) (Eq. 1.2)",
                       note="tolerance: the stated absolute accuracy of the numerics, 1e-14")]
    e0 = float(ds.eps.values[0])
    for k, gm in enumerate(ds.gamma.values[1:], start=1):
        p_inc = float(cf.incoherent_part(e0, G, gm))
        ratio = float((ds.p.values[k, 0] - lz[0]) / p_inc)
        out.append(claim_close(
            fid, f"gamma = {gm:g}, eps = {e0:g}: (p - exp(-pi g^2/2eps)) / (eps int ...)", 1.0,
            ratio, rtol=e0, fmt=".5f",
            paper_text="1 + O(eps): Eq. (1.5) with |R| <= C gamma eps^2 (Theorem 3)",
            note="the O(eps) term of Eq. (1.5) is the whole incoherent part up to a relative "
                 "O(eps); tolerance eps itself (the measured constant |R|/(gamma eps^2) <= 0.11, "
                 "001-fig-error, gives at most 0.33 eps at gamma = 1)"))
    return out


# ------------------------------------------------------------------------------ error
ERR_GAMMAS = np.array([0.01, 0.1, 0.3, 1.0, 3.0])
ERR_EPS = np.array([0.01, 0.02, 0.04, 0.08, 0.16])
ERR_SMAX = 10.0


def err_compute() -> xr.Dataset:
    r = _grid(ERR_EPS, ERR_GAMMAS, ERR_SMAX)
    ee, gg = np.meshgrid(ERR_EPS, ERR_GAMMAS)
    p = r["transition_probability_limit"]
    return _ds({"p": (("gamma", "eps"), p),
                "remainder": (("gamma", "eps"), p - r["formula"]),
                "saturated_remainder": (("gamma", "eps"), p - cf.saturated_formula(ee, G, gg))},
               {"gamma": ERR_GAMMAS, "eps": ERR_EPS}, s_max=ERR_SMAX)


def err_plot(ds: xr.Dataset):
    import matplotlib.pyplot as plt

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.4))
    fig.suptitle("001-fig-error: remainder R of Eq. (1.5) (Theorem 3: |R| <= C gamma eps^2)",
                 fontsize=10)
    eps = ds.eps.values
    for k, gm in enumerate(ds.gamma.values):
        line, = ax.plot(eps, np.abs(ds.remainder.values[k]), "o-", ms=4,
                        label=f"|p - Eq. 1.5|, gamma={gm:g}")
        if gm >= 1:
            ax.plot(eps, np.abs(ds.saturated_remainder.values[k]), "s--", ms=3, lw=0.8,
                    color=line.get_color(), label=f"|p - saturated form|, gamma={gm:g} (openlz)")
        bx.plot(eps, ds.remainder.values[k] / (gm * eps ** 2), "o-", ms=4, color=line.get_color(),
                label=f"gamma={gm:g}")
    ax.plot(eps, 0.1 * eps ** 2, "k:", lw=1, label="slope 2 (0.1 eps^2)")
    ax.plot(eps, 0.1 * eps ** 3, "k-.", lw=1, label="slope 3 (0.1 eps^3)")
    ax.set(xscale="log", yscale="log", xlabel="adiabatic parameter eps",
           ylabel="|remainder| (s_max -> inf)")
    bx.axhline(0.0, color="gray", lw=0.8)
    bx.set(xscale="log", xlabel="adiabatic parameter eps", ylabel="R / (gamma eps^2)")
    ax.legend(fontsize=7)
    bx.legend(fontsize=7)
    return fig


def _normalised_remainder(ds: xr.Dataset) -> np.ndarray:
    """c(gamma, eps) = R / (gamma eps^2): bounded by Theorem 3's constant C."""
    return ds.remainder.values / (ds.gamma.values[:, None] * ds.eps.values[None, :] ** 2)


def err_claims(ds: xr.Dataset) -> list[Claim]:
    fid = "001-fig-error"
    eps, gam = ds.eps.values, ds.gamma.values
    r = np.abs(ds.remainder.values)
    c = np.abs(_normalised_remainder(ds))
    sup = c.max(axis=0)  # C(eps) = sup over gamma of |R|/(gamma eps^2)
    k1 = int(np.argmin(np.abs(gam - 1.0)))
    kmax = int(np.argmax(c[:, 0]))
    ends = (float(c[0, 0]), float(c[-1, 0]))
    out = [claim_close(fid, f"|R| <= C gamma eps^2: sup_gamma |R|/(gamma eps^2) at eps = {eps[0]:g} "
                            f"over its value at eps = {eps[1]:g}", 1.0, float(sup[0] / sup[1]),
                       atol=0.1, fmt=".4f",
                       paper_text="|R| <= C gamma eps^2, C not stated (Theorem 3): ratio -> 1",
                       note=f"sup = {sup[0]:.4f} (eps = {eps[0]:g}), {sup[1]:.4f} (eps = {eps[1]:g}); "
                            "a remainder O(gamma eps) would give 2. Tolerance 0.1: the O(eps) "
                            "correction to R/(gamma eps^2) (numerics error < 1e-8 on this ratio)"),
           claim_true(fid, f"the constant C is uniform in gamma: at eps = {eps[0]:g}, "
                           "|R|/(gamma eps^2) at the ends of the gamma range < half its supremum",
                      "C depends only on g and bounds on gamma's derivatives (Theorem 3)",
                      f"sup {c[kmax, 0]:.4f} at gamma = {gam[kmax]:g}; {ends[0]:.4f} at "
                      f"gamma = {gam[0]:g}, {ends[1]:.4f} at gamma = {gam[-1]:g}",
                      0 < kmax < gam.size - 1 and max(ends) < 0.5 * c[kmax, 0],
                      note="a gamma-independent O(eps^2) part of R would make R/(gamma eps^2) "
                           "grow as 1/gamma at small gamma"),
           claim_close(fid, f"gamma = 1: local slope of log|R| vs log eps between eps = {eps[0]:g} "
                            f"and {eps[1]:g} (the bound is attained)", 2.0,
                       _slope(eps[:2], r[k1, :2]), atol=0.05, fmt=".3f",
                       paper_text="O(gamma eps^2) (Theorem 3): slope 2 if sharp",
                       note="R = -p_inc^2 (1 + O(eps)) makes the local slope 2 - O(eps); "
                            "tolerance 0.05 > the measured O(eps) drift of the slope (0.02 per "
                            "doubling of eps)")]
    small = eps <= 0.04
    rs = np.abs(ds.saturated_remainder.values[k1, small])
    out.append(claim_close(fid, "openlz observation: R = -p_inc^2 + O(eps^3); slope of "
                                "|p - (LZ + (1 - exp(-2 p_inc))/2)|, gamma = 1, eps <= 0.04", 3.0,
                           _slope(eps[small], rs), atol=0.2, fmt=".3f", paper_text=NOT_STATED,
                           note="not in paper 001: the leading remainder is the saturation of "
                                "the incoherent part (openlz.analytic.dephasing_lz."
                                "saturated_formula); the slope approaches 3 from above"))
    return out


# ------------------------------------------------------------------------------ gamma
GAM_EPS = 0.05
GAM_GAMMAS = np.geomspace(0.02, 20.0, 25)
GAM_PEAK = np.exp(np.linspace(-0.2, 0.2, 9))  # symmetric in log(gamma) around gamma = 1
GAM_SMAX = 10.0


def gam_compute() -> xr.Dataset:
    r = _grid(np.array([GAM_EPS]), GAM_GAMMAS, GAM_SMAX)
    half = _grid(np.array([GAM_EPS / 2]), GAM_GAMMAS[::2], GAM_SMAX)
    pk = _grid(np.array([GAM_EPS]), GAM_PEAK, GAM_SMAX)
    return _ds({"p": (("gamma",), r["transition_probability_limit"][:, 0]),
                "formula": (("gamma",), r["formula"][:, 0]),
                "p_half_eps": (("gamma_half",), half["transition_probability_limit"][:, 0]),
                "formula_half_eps": (("gamma_half",), half["formula"][:, 0]),
                "p_peak": (("gamma_peak",), pk["transition_probability_limit"][:, 0])},
               {"gamma": GAM_GAMMAS, "gamma_half": GAM_GAMMAS[::2], "gamma_peak": GAM_PEAK},
               eps=GAM_EPS, s_max=GAM_SMAX,
               note="p_half_eps: eps/2 on every other gamma; p_peak: fine grid around gamma = 1")


def _peak(gam: np.ndarray, p: np.ndarray) -> float:
    """Location of the maximum: least-squares parabola in log gamma through all points."""
    a, b, _ = np.polyfit(np.log(gam), p, 2)
    return float(np.exp(-b / (2 * a)))


def gam_plot(ds: xr.Dataset):
    fig, ax = _fig(f"001-fig-gamma: p vs dephasing strength at eps = {GAM_EPS}")
    gam = ds.gamma.values
    fine = np.geomspace(gam[0], gam[-1], 300)
    ax.plot(gam, ds.p.values, "o", ms=4, label="numerics (s_max -> inf)")
    ax.plot(fine, cf.formula(GAM_EPS, G, fine), "-", lw=1, label="Eq. (1.5)")
    ax.axvline(1.0, color="gray", ls=":", lw=1, label="gamma = 1")
    ax.set(xscale="log", xlabel="dephasing strength gamma", ylabel="transition probability p")
    ax.legend(fontsize=8)
    return fig


def gam_claims(ds: xr.Dataset) -> list[Claim]:
    fid = "001-fig-gamma"
    gam, p = ds.gamma.values, ds.p.values
    lz = float(cf.landau_zener(G, GAM_EPS))
    inc = p - lz
    rel = (np.abs(p - ds.formula.values) / (ds.formula.values - lz))[::2]
    rel_half = np.abs(ds.p_half_eps.values - ds.formula_half_eps.values) / (
        ds.formula_half_eps.values - float(cf.landau_zener(G, GAM_EPS / 2)))
    k1 = int(np.argmin(np.abs(gam - 1.0)))
    ratio_ends = (float(inc[0] / inc[k1]), float(inc[-1] / inc[k1]))
    form = gam / (1 + gam ** 2) / 0.5  # gamma/(1+gamma^2) relative to its value at gamma = 1
    return [claim_close(fid, "location of the maximum of p over gamma (parabola in log gamma "
                             "through 9 points in [0.82, 1.22])", 1.0,
                        _peak(ds.gamma_peak.values, ds.p_peak.values), rtol=GAM_EPS, fmt=".4f",
                        paper_text="gamma/(1+gamma^2) in Eq. (1.5): maximal at gamma = 1",
                        note="Eq. (1.5) fixes the location up to its O(gamma eps^2) remainder, "
                             "a shift O(eps): tolerance eps; the fit itself is accurate to "
                             "< 1e-6 (p to 1e-14)"),
            claim_close(fid, "the O(eps) term of Eq. (1.5) is exact: max over gamma of "
                             "|p - Eq. 1.5|/(eps int ...) at eps/2 over its value at eps "
                             "(13 gamma in [0.02, 20])", 0.5,
                        float(rel_half.max() / rel.max()), atol=0.05, fmt=".4f",
                        paper_text="remainder O(gamma eps^2) vs O(eps) term (Eq. 1.5): ratio "
                                   "-> 1/2",
                        note=f"relative gap {rel.max():.4f} at eps = {GAM_EPS:g} (largest near "
                             "gamma = 1), halves with eps; a wrong coefficient of the O(eps) "
                             "term would leave the ratio at 1. Tolerance: the O(eps) drift"),
            claim_close(fid, f"incoherent part at gamma = {gam[0]:g} relative to gamma = 1",
                        float(form[0]), ratio_ends[0], rtol=GAM_EPS, fmt=".5f",
                        paper_text="gamma/(1+gamma^2) -> 0: the O(eps) term vanishes for "
                                   "sup gamma -> 0 (text after Eq. 1.3)",
                        note="expected from Eq. (1.5): 2 gamma/(1+gamma^2); tolerance eps "
                             "(relative O(eps) remainder)"),
            claim_close(fid, f"incoherent part at gamma = {gam[-1]:g} relative to gamma = 1",
                        float(form[-1]), ratio_ends[1], rtol=GAM_EPS, fmt=".5f",
                        paper_text="gamma/(1+gamma^2) -> 0 for strong dephasing (Eq. 1.5)",
                        note="expected from Eq. (1.5): 2 gamma/(1+gamma^2); tolerance eps")]


# ------------------------------------------------------------------------------ finite window
FW_EPS = 1.0
FW_GAMMAS = np.array([0.0, 0.3, 1.0])
FW_SMAX = np.linspace(1.0, 12.0, 400)


def fw_compute() -> xr.Dataset:
    ss, gg = np.meshgrid(FW_SMAX, FW_GAMMAS)
    res = solve_dephasing_lz(FW_EPS, G, gg.ravel(), ss.ravel(), coherent=False, limit=False)
    lim = solve_dephasing_lz(FW_EPS, G, FW_GAMMAS, 30.0, coherent=False)["p_limit"]
    s_sa = FW_SMAX[FW_SMAX >= 6.0]
    sa = solve_dephasing_lz(FW_EPS, G, 0.0, s_sa, coherent=False, limit=False,
                            superadiabatic=True)["p_superadiabatic"]
    return _ds({"p": (("gamma", "s_max"), res["p"].reshape(ss.shape)),
                "p_limit": (("gamma",), lim), "p_superadiabatic_0": (("s_max_sa",), sa)},
               {"gamma": FW_GAMMAS, "s_max": FW_SMAX, "s_max_sa": s_sa}, eps=FW_EPS,
               note="p_limit: s_max -> inf continuation from s_max = 30; p_superadiabatic_0: "
                    "gamma = 0 in the superadiabatic basis (order-8 slow mode)")


def _envelope(s: np.ndarray) -> np.ndarray:
    """Amplitude of the gamma = 0 finite-window oscillation: 2 sqrt(p_LZ) eps g / (8 e^3)."""
    return 2 * np.sqrt(cf.landau_zener(G, FW_EPS)) * FW_EPS * G / (8 * cf.gap(s, G) ** 3)


def fw_plot(ds: xr.Dataset):
    import matplotlib.pyplot as plt

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.4))
    fig.suptitle(f"001-fig-finite-window: p on the window [-s_max, s_max], eps = {FW_EPS:g}",
                 fontsize=10)
    s = ds.s_max.values
    for k, gm in enumerate(ds.gamma.values):
        line, = ax.plot(s, ds.p.values[k], "-", lw=1.1, label=f"gamma={gm:g}")
        ax.axhline(ds.p_limit.values[k], color=line.get_color(), ls=":", lw=1,
                   label="s_max -> inf" if k == 0 else None)
        bx.semilogy(s, np.abs(ds.p.values[k] - ds.p_limit.values[k]), "-", lw=1,
                    color=line.get_color(), label=f"gamma={gm:g}")
    bx.semilogy(s, _envelope(s), "k--", lw=1, label="2 sqrt(p_LZ) eps g/(8 e^3)")
    bx.semilogy(ds.s_max_sa.values, np.abs(ds.p_superadiabatic_0.values - ds.p_limit.values[0]),
                "k-", lw=0.8, label="gamma=0, superadiabatic basis")
    ax.set(xlabel="half window s_max", ylabel="p(eps, gamma, s_max) (adiabatic basis)")
    bx.set(xlabel="half window s_max", ylabel="|p(s_max) - p(inf)|", ylim=(1e-9, 1))
    ax.legend(fontsize=8)
    bx.legend(fontsize=8)
    return fig


def fw_claims(ds: xr.Dataset) -> list[Claim]:
    fid = "001-fig-finite-window"
    s = ds.s_max.values
    d0 = np.diff(ds.p.values[0])
    late = s[1:] >= 8.0
    sign_changes = int(np.sum(np.diff(np.sign(d0[late])) != 0))
    lz = cf.landau_zener(G, FW_EPS)
    dev = np.abs(ds.p.values[0] - lz)[s >= 4]
    dev_ok = bool(np.all(dev <= 1.2 * _envelope(s[s >= 4])))
    out = [claim_true(fid, "gamma = 0: p(s_max) oscillates; sign changes of dp/ds_max for "
                           "s_max in [8, 12]",
                      "oscillatory in T between instantaneous eigenstates (text after Eq. 1.2)",
                      str(sign_changes), sign_changes >= 6,
                      tolerance=">= 6 sign changes (the phase Phi(s_max)/eps advances ~2.2 "
                                "periods per unit of s_max here)"),
           claim_true(fid, "gamma = 0: |p(s_max) - LZ| <= 1.2 * 2 sqrt(p) eps g/(8 e^3), s_max >= 4",
                      NOT_STATED, str(dev_ok), dev_ok,
                      note="openlz: interference of the LZ amplitude with the slaved coherence "
                           "(first superadiabatic correction); 1.2 allows its O(eps/e^2) terms"),
           claim_close(fid, "gamma = 0: s_max -> inf continuation equals the Landau-Zener formula",
                       lz, float(ds.p_limit.values[0]), rtol=1e-10, fmt=".12g",
                       paper_text="exp(-pi g^2/2eps) (Eq. 1.2)",
                       note="tolerance: gamma = 0 accuracy (tests)")]
    s_sa = ds.s_max_sa.values
    valid = 4 * FW_EPS / (s_sa ** 2 + G ** 2) <= 0.05  # eps/e^2, the superadiabatic expansion
    sa_dev = float(np.max(np.abs(ds.p_superadiabatic_0.values[valid] - lz)))
    ad_dev = float(np.max(np.abs(ds.p.values[0][s >= s_sa[valid][0]] - lz)))
    out.append(claim_true(
        fid, f"gamma = 0: in the superadiabatic basis the oscillation of p(s_max) is gone "
             f"(s_max >= {s_sa[valid][0]:.2f}, where eps/e^2 <= 0.05)",
        "monotone increase in T in a superadiabatic basis, oscillatory in the eigenbasis "
        "(text after Eq. 1.2)",
        f"max |p - LZ|: {sa_dev:.2e} superadiabatic vs {ad_dev:.2e} adiabatic",
        sa_dev <= 1e-6 * ad_dev, tolerance="superadiabatic deviation <= 1e-6 x adiabatic",
        note="openlz's superadiabatic basis is the slow mode truncated at order 8 in eps/e^2: "
             "its residual wiggle is the truncation error, ~(eps/e^2)^8. Berry's optimally "
             "truncated basis, which makes the rise through the crossing monotone, is not "
             "implemented, so the monotone rise itself is not tested"))
    for k, gm in enumerate(ds.gamma.values[1:], start=1):
        d = np.diff(ds.p.values[k])
        onset = float(s[1:][d < 0].max()) if np.any(d < 0) else float(s[0])
        out.append(claim_true(fid, f"gamma = {gm:g}: p(s_max) increases monotonically once the "
                                   "free coherence has dephased",
                              "monotone increase at varying rates (incoherent part, text after "
                              "Eq. 1.3)", f"monotone for s_max >= {onset:.2f}", onset < 8.0,
                              note="earlier dips while exp(-gamma Phi(s_max)/eps) is not small"))
    return out


register_figure(FigureSpec("001-fig1", "001", "Energy levels through the avoided crossing (Fig. 1)",
                           fig1_compute, fig1_plot, fig1_claims, expected_seconds=1))
register_figure(FigureSpec("001-fig-p-vs-eps", "001", "Transition probability vs eps (Eq. 1.5)",
                           pve_compute, pve_plot, pve_claims, expected_seconds=15))
register_figure(FigureSpec("001-fig-error", "001", "Remainder of Eq. (1.5) vs eps (Theorem 3)",
                           err_compute, err_plot, err_claims, expected_seconds=6))
register_figure(FigureSpec("001-fig-gamma", "001", "p vs gamma: maximum at gamma = 1",
                           gam_compute, gam_plot, gam_claims, expected_seconds=12))
register_figure(FigureSpec("001-fig-finite-window", "001", "Finite-window p vs s_max",
                           fw_compute, fw_plot, fw_claims, expected_seconds=15))
