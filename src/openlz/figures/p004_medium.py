"""Paper 004, Supplement (ii)–(v) in the claims table: single-qubit T1, T2 (Eqs. S15–S23), the
rates from the medium's Green's functions (Eqs. S24–S33, S39–S41) and the stability bounds
(Eqs. S42–S47), for the documented gapped-magnon medium of
:mod:`openlz.analytic.magnetic_medium_green` (openlz figure; the paper has no figure of these).

Medium: a ferromagnet with magnon gap Ω = 0.2 and stiffness 1 (ħ = 1), qubit frequency Δ = 1,
so the magnon wavelength at Δ is λ_Δ = 2π/q_Δ = 2π/√0.8 ≈ 7.02.  a, ã, A, Ã come from
:func:`couplings_from_spectral` on :func:`magnon_spectral` (Eq. S33 with the fluctuation–
dissipation theorem); J⊥ from the closed form of the retarded function (:func:`magnon_couplings`;
a truncated principal-value quadrature of the continuum converges too slowly).  T1, T2 are
fitted to the model's own single-qubit dynamics (second qubit decoupled: A = Ã = 0).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..analytic import magnetic_medium_green as green
from ..models.magnetic_medium import MODEL, generator
from ..solve.lindblad import evolve_constant
from .base import Claim, FigureSpec, claim_close, claim_true, register_figure
from .p004 import _ds

__all__: list[str] = []

DELTA, GAP, STIFF = 1.0, 0.2, 1.0
Q = float(np.sqrt((DELTA - GAP) / STIFF))
WAVELENGTH = 2 * np.pi / Q
SEPARATIONS = WAVELENGTH * np.concatenate([np.geomspace(0.005, 0.1, 6), np.linspace(0.15, 1.5,
                                                                                   20)])
TEMPS = np.array([0.0, 0.25, 0.5, 1.0, 2.0, 4.0])
CURVES = np.array([0.01, 0.1, 0.25, 0.5])   # r/λ of the C(t) panel
SUPPORT = (GAP, 5.0)   # only a, ã, A, Ã (local in ω) are used from this route


def _couplings(r: float, T: float) -> green.MediumCouplings:
    return green.couplings_from_spectral(green.magnon_spectral(GAP, STIFF, r), DELTA,
                                         support=SUPPORT, T=T)


def _fit_T1_T2(a: float, at: float) -> tuple[float, float]:
    """1/slope of ln|<σ1z> − s_eq| and of ln|ρ1_{↑↓}| from the model's 16×16 generator,
    qubit 1 prepared in |+>, qubit 2 decoupled (A = Ã = 0)."""
    p = {k: np.atleast_1d(v) for k, v in
         MODEL.resolve({"a": a, "a_tilde": at, "A": 0.0, "Delta": DELTA}).items()}
    t = np.linspace(0.0, 2.0 / (a + at), 9)
    ket = np.kron(np.array([1.0, 1.0]) / np.sqrt(2), np.array([0.0, 1.0]))
    rho = evolve_constant(generator(p), np.outer(ket, ket), t)[0]
    r1 = np.einsum("tiaja->tij", rho.reshape(-1, 2, 2, 2, 2))
    sz = (r1[:, 0, 0] - r1[:, 1, 1]).real
    sz_eq = 2 * float(green.equilibrium_sz(a, at))
    t1 = -1 / np.polyfit(t, np.log(np.abs(sz - sz_eq)), 1)[0]
    t2 = -1 / np.polyfit(t, np.log(np.abs(r1[:, 0, 1])), 1)[0]
    return float(t1), float(t2)


def compute() -> xr.Dataset:
    rows = [_couplings(float(r), 0.0) for r in SEPARATIONS]
    a = np.array([c.a for c in rows])
    A = np.array([abs(c.A) for c in rows])
    jperp = np.array([green.magnon_couplings(DELTA, GAP, STIFF, float(r)).Jperp
                      for r in SEPARATIONS])
    thermal = [_couplings(float(r), float(T)) for T in TEMPS for r in (SEPARATIONS[3],
                                                                        SEPARATIONS[15])]
    ratio_a = np.array([c.a_tilde / c.a for c in thermal]).reshape(TEMPS.size, 2)
    ratio_A = np.array([abs(c.A_tilde) / abs(c.A) for c in thermal]).reshape(TEMPS.size, 2)
    margin = min([c.stability_margins()["a-|A|"] / c.a for c in rows + thermal]
                 + [c.stability_margins()["a_tilde-|A_tilde|"] / c.a_tilde
                    for c in thermal if c.a_tilde > 0])
    local = [_couplings(WAVELENGTH * 0.25, float(T)) for T in TEMPS]
    t1_fit, t2_fit = np.array([_fit_T1_T2(c.a, c.a_tilde) for c in local]).T
    t = np.linspace(0.0, 30.0, 301)
    cur = [green.magnon_couplings(DELTA, GAP, STIFF, float(x * WAVELENGTH)) for x in CURVES]
    r = MODEL.evaluate({k: np.array([c.params()[k] for c in cur]) for k in
                        ("a", "A", "Jperp", "Delta")}, t, ["concurrence"],
                       {"initial": "ud"})
    return _ds({"a": (("separation",), a), "A_abs": (("separation",), A),
                "Jperp": (("separation",), jperp),
                "ratio_a_tilde": (("temperature", "pair"), ratio_a),
                "ratio_A_tilde": (("temperature", "pair"), ratio_A),
                "T1": (("temperature",), [c.T1() for c in local]),
                "T2": (("temperature",), [c.T2() for c in local]),
                "T1_fit": (("temperature",), t1_fit), "T2_fit": (("temperature",), t2_fit),
                "concurrence": (("curve", "time"), r["concurrence"])},
               {"separation": SEPARATIONS, "temperature": TEMPS, "pair": [0, 1],
                "curve": CURVES, "time": t},
               Delta=DELTA, gap=GAP, stiffness=STIFF, wavelength=WAVELENGTH,
               stability_margin_min=margin,
               note="openlz figure for Supplement (ii)-(v); the magnon medium is openlz's "
                    "documented example, not the paper's")


def plot(ds: xr.Dataset):
    import matplotlib.pyplot as plt

    fig, (ax, bx, cx) = plt.subplots(1, 3, figsize=(14, 4))
    fig.suptitle("004-medium: rates from a gapped-magnon medium (Ω = 0.2, Δ = 1), T1/T2 "
                 "(Eqs. S16, S21)", fontsize=10)
    x = ds["separation"] / ds.attrs["wavelength"]
    ax.plot(x, ds["A_abs"] / ds["a"], "o-", ms=3, lw=2, label="|A|/a (Eq. S33)")
    ax.plot(x, ds["Jperp"] / ds["a"], ":", lw=1.5, label="J⊥/a (Eq. S39)")
    ax.axhline(0.0, color="gray", lw=0.5)
    ax.set_ylim(-1.0, 1.5)
    ax.set_xlabel("qubit separation r / λ_Δ")
    ax.set_ylabel("coupling / local rate a")
    ax.legend(fontsize=7)
    for k, c in enumerate(ds["curve"].values):
        bx.plot(ds["time"], ds["concurrence"].isel(curve=k), lw=2, label=f"r = {c:g} λ_Δ")
    bx.set_xlabel("time t")
    bx.set_ylabel("concurrence C(t), T = 0, from |↑↓⟩")
    bx.legend(fontsize=7)
    T = ds["temperature"]
    cx.plot(T, ds["T1"], "-", color="C0", label="T1, Eq. (S16)")
    cx.plot(T, ds["T2"], "-", color="C1", label="T2, Eq. (S21)")
    cx.plot(T, ds["T1_fit"], "o", color="C0", fillstyle="none", label="fit of the model's qubit")
    cx.plot(T, ds["T2_fit"], "s", color="C1", fillstyle="none")
    cx.set_xlabel("temperature T")
    cx.set_ylabel("time (r = λ_Δ/4)")
    cx.legend(fontsize=7)
    fig.tight_layout()
    return fig


def claims(ds: xr.Dataset) -> list[Claim]:
    f = "004-medium"
    T = ds["temperature"].values
    boltz = np.where(T > 0, np.exp(-DELTA / np.where(T > 0, T, 1.0)), 0.0)[:, None]
    dev = float(max(np.max(np.abs(ds["ratio_a_tilde"].values - boltz)),
                    np.max(np.abs(ds["ratio_A_tilde"].values - boltz))))
    out = [claim_close(f, "ã/a = Ã/|A| = e^{−Δ/T} from the Green's functions (Eq. S33)", 0.0, dev,
                       atol=1e-14, paper_text="ã = e^{−Δ/T} a, Ã = e^{−Δ/T} A "
                                              "(text after Eq. 6)",
                       note="iG< = 𝒜 n, iG> = 𝒜 (1 + n) at six temperatures, two separations")]
    m = ds.attrs["stability_margin_min"]
    out.append(claim_true(f, "a ≥ |A|, ã ≥ |Ã| follow from the medium's stability",
                          "a ≥ |A|, ã ≥ |Ã| (Eq. S42, from Eqs. S43–S47)",
                          f"min (a − |A|)/a, (ã − |Ã|)/ã over 26 separations and 6 "
                          f"temperatures: {m:.3g}", bool(m >= -1e-12),
                          tolerance=">= −1e-12"))
    x = ds["separation"].values / ds.attrs["wavelength"]
    ratio = ds["A_abs"].values / ds["a"].values
    near, far = ratio[x < 0.125], ratio[x > 0.5]
    out.append(claim_true(f, "|A| → a for qubits closer than the magnon wavelength at Δ",
                          "|A| ≈ a when the qubits lie within a lengthscale set by the "
                          "wavelength of the magnon at frequency Δ (text after Eq. 9; "
                          "Supplement after Eq. S64)",
                          f"|A|/a >= {near.min():.3f} for r < λ/8, <= {far.max():.3f} for "
                          "r > λ/2", bool(near.min() > 0.9 and far.max() < 0.25),
                          tolerance="> 0.9 inside λ/8, < 0.25 beyond λ/2"))
    e1 = float(np.max(np.abs(ds["T1_fit"] / ds["T1"] - 1)))
    e2 = float(np.max(np.abs(ds["T2_fit"] / ds["T2"] - 1)))
    out.append(claim_close(f, "T1 of the model's qubit = 1/(2(a + ã))", 0.0, e1, atol=1e-8,
                           paper_text="T1⁻¹ = 4B̄ (Eq. S16)",
                           note="relative deviation of a log-linear fit, six temperatures"))
    out.append(claim_close(f, "T2 of the model's qubit = 1/(4d + a + ã)", 0.0, e2, atol=1e-8,
                           paper_text="T2⁻¹ = 4D + 2B̄ (Eq. S21)",
                           note="relative deviation of a log-linear fit (d = 0 here: T2 = 2T1)"))
    return out


register_figure(FigureSpec(id="004-medium", paper="004",
                           title="Supplement (ii)-(v): rates from a magnon medium's Green's "
                                 "functions, stability, T1/T2",
                           compute=compute, plot=plot, claims=claims, expected_seconds=2))
