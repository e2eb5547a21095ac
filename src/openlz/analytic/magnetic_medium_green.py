"""Paper 004, Supplement (ii)–(v): the qubits' rates and couplings from the medium's Green's
functions (Eqs. S24–S33, S39–S41), the thermodynamic stability that bounds them (Eqs.
S43–S47), and single-qubit T1, T2 (Eqs. S15–S23).

The medium enters through two 2×2 spectral functions at the qubit sites α, β = 1, 2 (ħ = 1),

    𝒜_αβ(ω)  = ∫dt e^{iωt} <[S_α^+(t), S_β^−]>   (transverse; 𝒜_αβ = i(G>_{Sα+Sβ−} − G<_{Sα+Sβ−})),
    𝒜ᶻ_αβ(ω) = ∫dt e^{iωt} <[S_α^z(t), S_β^z]>   (longitudinal, odd in ω),

with the greater/lesser/retarded functions of Eqs. (S12), (S29): G>_{X,Y}(t) = −i<X(t)Y>,
G<_{X,Y}(t) = −i<Y X(t)>, G^R = θ(t)(G> − G<).  𝒜 is Hermitian for every ω and, in a
stable medium, (ω − μ)𝒜(ω) is positive semidefinite (the dissipated power of Eq. S44 is
P = ω λ†𝒜(ω)λ ≥ 0, :func:`dissipated_power`).  The fluctuation–dissipation theorem (quasi-
equilibrium with spin chemical potential μ for the spin-raising/lowering channel, μ = 0 in
equilibrium) gives iG>(ω) = 𝒜(ω)(1 + n(ω)) and iG<(ω) = 𝒜(ω) n(ω), n(ω) = 1/(e^{(ω−μ)/T} − 1)
(:func:`bose`; μ does not enter the S^z channel, which conserves the medium's spin).

Rates and couplings (λ the qubit–medium coupling of H_SE, Δ the mean qubit field; the paper's
approximation Δ1 ≈ Δ2 ≈ Δ):

    a  = (λ²/2)(1 + n(Δ)) 𝒜_11(Δ),    A  = (λ²/2)(1 + n(Δ)) 𝒜_12(Δ)       (Eq. S33, 2a = iλ²G>)
    ã  = (λ²/2) n(Δ) 𝒜_11(Δ),          Ã  = (λ²/2) n(Δ) 𝒜_12(Δ)            (Eq. S33, 2ã = iλ²G<)
    d  = (λ²/2) lim_{ω→0} 𝒜ᶻ_11(ω)(1 + n(ω)) = (λ²/2) T ∂_ω𝒜ᶻ_11(0),  D likewise with 𝒜ᶻ_12
    J⊥ + i D_DM = (λ²/2) K_21(Δ),  K(ω) = P∫dω'/2π 𝒜(ω')/(ω − ω') = Re G^R(ω)  (Eqs. S32, S39)
    Jz = (λ²/2)[G^R_{S1zS2z}(0) + G^R_{S2zS1z}(0)] = −(λ²/2) ∫dω/2π [𝒜ᶻ_12 + 𝒜ᶻ_21](ω)/ω  (S32)

("Re G^R" is the paper's generalised real part (G^R_{AB} + G^A_{AB})/2, which for the pair
(S2+, S1−) is the Hermitian part K of the retarded matrix; its (2,1) element g1 + ig2 gives
J⊥ = g1/2, D_DM = g2/2 in Eq. S39's notation, with the overall λ² restored.)  The local
Lamb shift (Eq. S31), which the paper absorbs into H_S, is δΔ = λ² P∫dω/2π 𝒜_11(ω)(1 + 2n(ω))
/(Δ − ω) (H_S → −(Δ + δΔ)σz/2 per qubit); it is returned on request.  ã/a = Ã/A = e^{−(Δ−μ)/T}
follows (the relation of the model's ``T``, ``mu``).

Thermodynamic stability (Eqs. S42–S47), derived rather than imposed: the blocks [[a, A*],
[A, a]] and [[ã, Ã*], [Ã, ã]] are the positive numbers (λ²/2)(1 + n) and (λ²/2)n (Δ > μ) times
the matrix 𝒜(Δ), which is positive semidefinite in a stable medium, so a ≥ |A| and ã ≥ |Ã|
(:meth:`MediumCouplings.stability_margins`); :func:`couplings_from_spectral` refuses a spectral
function that violates it at Δ, naming the dissipated power it would make negative.

:func:`magnon_spectral` / :func:`magnon_couplings` are a documented simple medium (module
section below): a ferromagnet with a gapped quadratic magnon band, in closed form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import integrate

from ..errors import ParameterError

__all__ = ["relaxation_time_T1", "decoherence_time_T2", "equilibrium_sz", "bose",
           "MediumCouplings", "couplings_from_spectral", "magnon_spectral", "magnon_couplings",
           "dissipated_power", "stability_bound"]

Spectral = Callable[[np.ndarray], np.ndarray]
_SRC = "paper 004, Supplement Eqs. (S33), (S43)–(S47)"


def bose(omega: np.ndarray | float, T: float, mu: float = 0.0) -> np.ndarray:
    """n(ω) = 1/(e^{(ω−μ)/T} − 1); at T = 0: 0 above μ, −1 below (so n𝒜 ≥ 0 whenever
    (ω − μ)𝒜 ≥ 0).  Shape of ``omega``."""
    x = np.asarray(omega, float) - mu
    if T == 0:
        return np.where(x > 0, 0.0, -1.0)
    with np.errstate(over="ignore", divide="ignore"):
        return 1.0 / np.expm1(x / T)


@dataclass(frozen=True)
class MediumCouplings:
    """The medium-induced parameters of the magnetic-medium model (paper 004, Eqs. 4, S38) at one
    parameter point, in the model's names; ``lamb_shift`` δΔ is None unless computed.

    ``params()`` gives keyword arguments for the ``magnetic-medium`` model.
    """

    a: float
    a_tilde: float
    A: complex
    A_tilde: complex
    d: float
    D: complex
    Jz: float
    Jperp: float
    DM: float
    Delta: float
    T: float
    mu: float
    lamb_shift: float | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    def params(self, include_lamb_shift: bool = False) -> dict[str, Any]:
        """Model parameters (a, a_tilde, A, A_tilde, d, D, Jz, Jperp, DM, Delta); with
        ``include_lamb_shift`` Delta is the shifted Δ + δΔ."""
        delta_eff = self.Delta + (self.lamb_shift or 0.0) if include_lamb_shift else self.Delta
        return {"a": self.a, "a_tilde": self.a_tilde, "A": self.A, "A_tilde": self.A_tilde,
                "d": self.d, "D": self.D, "Jz": self.Jz, "Jperp": self.Jperp, "DM": self.DM,
                "Delta": delta_eff}

    def stability_margins(self) -> dict[str, float]:
        """a − |A|, ã − |Ã|, d − |D| (Eq. S42; >= 0 for a stable medium, up to rounding)."""
        return {"a-|A|": self.a - abs(self.A), "a_tilde-|A_tilde|": self.a_tilde - abs(self.A_tilde),
                "d-|D|": self.d - abs(self.D)}

    def T1(self) -> float:
        """Single-qubit T1, Eq. (S16): 1/T1 = λ² 𝒜_11(Δ)(1 + 2n(Δ)) = 2(a + ã)."""
        return float(relaxation_time_T1(self.a, self.a_tilde))

    def T2(self) -> float:
        """Single-qubit T2, Eq. (S21): 1/T2 = 4d + a + ã."""
        return float(decoherence_time_T2(self.a, self.a_tilde, self.d))


def dissipated_power(spectral: Spectral, omega: np.ndarray | float, lam1: complex,
                     lam2: complex) -> np.ndarray:
    """Linear-response power absorbed by the medium from H'(t) = Σ_α λ_α e^{−iωt} S_α^− + h.c.,
    Eq. (S44): P(ω) = ω Σ_αβ λ_α* λ_β 𝒜_αβ(ω) (ħ = 1).  Shape of ``omega``; real."""
    w = np.atleast_1d(np.asarray(omega, float))
    lam = np.array([lam1, lam2], dtype=complex)
    m = np.asarray(spectral(w), complex)
    return (w * np.einsum("a,kab,b->k", lam.conj(), m, lam)).real.reshape(np.shape(omega))


def stability_bound(offdiag: complex) -> float:
    """max over (λ1, λ2) of −(λ1 λ2* X + c.c.)/(|λ1|² + |λ2|²), the right side of Eq. (S46);
    equals |X| (Eq. S47), reached at λ2 = −λ1 e^{i arg X}."""
    return float(abs(offdiag))


def _pv(f: Callable[[float], float], x0: float, lo: float, hi: float,
        points: tuple[float, ...] = ()) -> float:
    """P∫_lo^hi f(ω)/(x0 − ω) dω by QUADPACK (QAWC with the Cauchy weight where x0 is inside)."""
    if lo < x0 < hi:
        val, _ = integrate.quad(f, lo, hi, weight="cauchy", wvar=x0, limit=400)
        return -val
    pts = [p for p in points if lo < p < hi] or None
    val, _ = integrate.quad(lambda w: f(w) / (x0 - w), lo, hi, points=pts, limit=400)
    return val


def _element(spectral: Spectral, i: int, j: int, part: str) -> Callable[[float], float]:
    def f(w: float) -> float:
        v = complex(np.asarray(spectral(np.array([w])), complex)[0, i, j])
        return v.real if part == "re" else v.imag
    return f


def _pv_complex(spectral: Spectral, i: int, j: int, x0: float, support: tuple[float, float],
                weight: Callable[[float], float] | None = None) -> complex:
    out = 0j
    for part, unit in (("re", 1.0), ("im", 1j)):
        base = _element(spectral, i, j, part)
        f = base if weight is None else (lambda w, base=base: base(w) * weight(w))
        out += unit * _pv(f, x0, *support)
    return out / (2 * np.pi)


def _limit_zero(fn: Callable[[float], float], h: float) -> float:
    """lim_{ω→0} of an even function known as (F(h) + F(−h))/2 + O(h²): Richardson, O(h⁴)."""
    f1 = 0.5 * (fn(h) + fn(-h))
    f2 = 0.5 * (fn(h / 2) + fn(-h / 2))
    return (4 * f2 - f1) / 3


def couplings_from_spectral(spectral: Spectral, Delta: float, *, support: tuple[float, float],
                            T: float = 0.0, mu: float = 0.0, lam: float = 1.0,
                            spectral_z: Spectral | None = None,
                            support_z: tuple[float, float] | None = None,
                            lamb_shift: bool = False) -> MediumCouplings:
    """Rates and couplings of the magnetic-medium model from the medium's spectral functions
    (paper 004, Eqs. S24–S33, S39–S41; formulas in the module docstring).

    Parameters
    ----------
    spectral : callable ω (K,) -> (K, 2, 2), the transverse spectral function 𝒜_αβ(ω) at the
        two qubit sites (Hermitian; 𝒜_11 = 𝒜_22 for the homogeneous medium of Eq. S35).
    Delta : mean qubit frequency Δ (> mu).
    support : (ω_min, ω_max), a finite interval outside which ``spectral`` vanishes (the
        principal values K(Δ), δΔ are integrals over it).
    T, mu : temperature and spin chemical potential (n(ω) of :func:`bose`).
    lam : qubit–medium coupling λ of H_SE.
    spectral_z, support_z : the longitudinal 𝒜ᶻ_αβ(ω) (odd in ω) and its support; None: no
        longitudinal fluctuations (d = D = Jz = 0).
    lamb_shift : also compute δΔ (it needs 𝒜_11 over the whole support).

    Returns
    -------
    MediumCouplings

    Raises
    ------
    ParameterError
        Delta <= mu, T < 0, inequivalent sites, or a spectral function that is not positive
        semidefinite at Δ (Eqs. S43–S47: it would make the dissipated power negative).
    """
    if not T >= 0:
        raise ParameterError("T", T, "must be >= 0", _SRC)
    if not Delta > mu:
        raise ParameterError("Delta", Delta, f"must exceed the spin chemical potential mu = {mu:g}"
                             " (n(Δ) > 0)", _SRC)
    m = np.asarray(spectral(np.array([float(Delta)])), complex)[0]
    scale = max(float(np.max(np.abs(m))), 1e-300)
    if abs(m[0, 0] - m[1, 1]) > 1e-10 * scale or np.max(np.abs(m - m.conj().T)) > 1e-10 * scale:
        raise ParameterError("spectral", "A(Delta)", "must be Hermitian with equal site diagonals "
                             "(homogeneous medium, a = A11 = A22 after Eq. S33)", _SRC)
    ev = np.linalg.eigvalsh(0.5 * (m + m.conj().T))
    if ev[0] < -1e-12 * scale:
        vec = np.linalg.eigh(0.5 * (m + m.conj().T))[1][:, 0]
        raise ParameterError("spectral", "A(Delta)", "is not positive semidefinite: the drive "
                             f"lambda = {np.round(vec, 4).tolist()} would extract power "
                             f"{float(Delta) * ev[0]:.3g} from the medium (Eq. S44), violating "
                             "its thermodynamic stability", _SRC)
    n = float(bose(Delta, T, mu))
    c = lam**2 / 2
    a = c * (1 + n) * m[0, 0].real
    A = c * (1 + n) * m[0, 1]
    at = c * n * m[0, 0].real
    At = c * n * m[0, 1]
    k21 = _pv_complex(spectral, 1, 0, float(Delta), support)
    jperp, dm = c * k21.real, c * k21.imag
    d = D = 0j
    jz = 0.0
    if spectral_z is not None:
        if support_z is None:
            raise ParameterError("support_z", None, "needed with spectral_z")
        h = 1e-3 * (support_z[1] - support_z[0])

        def s0(i: int, j: int) -> complex:
            def fn(w: float) -> complex:
                z = complex(np.asarray(spectral_z(np.array([w])), complex)[0, i, j])
                return z * (1 + float(bose(w, T))) if T > 0 else (z if w > 0 else 0.0)
            return _limit_zero(fn, h) if T > 0 else 0.0
        d, D = c * s0(0, 0), c * s0(0, 1)
        e12 = _pv_complex(spectral_z, 0, 1, 0.0, support_z)
        e21 = _pv_complex(spectral_z, 1, 0, 0.0, support_z)
        jz = float((c * (e12 + e21)).real)
    shift = None
    if lamb_shift:
        nb = (lambda w: 1 + 2 * float(bose(w, T, mu))) if T > 0 else \
            (lambda w: 1.0 if w > mu else -1.0)
        shift = float(2 * c * _pv_complex(spectral, 0, 0, float(Delta), support, nb).real)
    return MediumCouplings(a=float(a), a_tilde=float(at), A=complex(A), A_tilde=complex(At),
                           d=float(np.real(d)), D=complex(D), Jz=jz, Jperp=float(jperp),
                           DM=float(dm), Delta=float(Delta), T=float(T), mu=float(mu),
                           lamb_shift=shift)


# ---------------------------------------------------------------------------------------------
# a documented simple medium: gapped quadratic magnons in a 3D ferromagnet
# ---------------------------------------------------------------------------------------------
def _magnon_check(gap: float, stiffness: float, separation: float, spin_density: float) -> None:
    for name, v in (("stiffness", stiffness), ("separation", separation),
                    ("spin_density", spin_density)):
        if not (np.isfinite(v) and v > 0):
            raise ParameterError(name, v, "must be a finite number > 0", "magnon model")
    if not (np.isfinite(gap) and gap >= 0):
        raise ParameterError("gap", gap, "must be >= 0 (magnon gap Ω)", "magnon model")


def magnon_spectral(gap: float, stiffness: float, separation: float,
                    spin_density: float = 1.0) -> Spectral:
    """Transverse spectral function of the documented simple medium (beyond the paper's generic
    medium; the Discussion's "magnon band gap Ω"): a ferromagnet polarised along +z, linear
    spin waves (Holstein–Primakoff S^+ = sqrt(2s) b, S^− = sqrt(2s) b†, s the spin density),
    isotropic continuum dispersion ω_k = Ω + D k² (gap Ω, stiffness D), qubits a distance r
    apart.  Then 𝒜_αβ(ω) = 2s ∫d³k/(2π)³ e^{ik·(r_α − r_β)} 2πδ(ω − ω_k):

        𝒜_11 = 𝒜_22 = s q/(π D),   𝒜_12 = 𝒜_21 = (s q/(π D)) sin(q r)/(q r),   q = sqrt((ω − Ω)/D)

    for ω > Ω and 0 below the gap.  So |A|/a = |sin(q_Δ r)/(q_Δ r)|: the dissipative coupling
    approaches the local relaxation when the qubits are closer than the magnon wavelength at
    the qubit frequency (the paper's "lengthscale dictated by the relevant excitations").
    Longitudinal fluctuations are two-magnon processes, neglected here (d = D = Jz = 0).
    Returns a callable ω (K,) -> (K, 2, 2).
    """
    _magnon_check(gap, stiffness, separation, spin_density)

    def spectral(omega: np.ndarray) -> np.ndarray:
        w = np.asarray(omega, float)
        q = np.sqrt(np.maximum(w - gap, 0.0) / stiffness)
        loc = spin_density * q / (np.pi * stiffness)
        nl = loc * np.sinc(q * separation / np.pi)
        out = np.empty((*w.shape, 2, 2), dtype=complex)
        out[..., 0, 0] = out[..., 1, 1] = loc
        out[..., 0, 1] = out[..., 1, 0] = nl
        return out
    return spectral


def magnon_couplings(Delta: float, gap: float, stiffness: float, separation: float, *,
                     T: float = 0.0, mu: float = 0.0, lam: float = 1.0,
                     spin_density: float = 1.0) -> MediumCouplings:
    """Closed-form couplings of :func:`magnon_spectral` (module formulas).  The retarded
    function is 2s ∫d³k/(2π)³ e^{ik·r}/(ω − ω_k + i0) = −(s/(2πD r)) e^{iqr} (ω > Ω; e^{−κr},
    κ = sqrt((Ω − ω)/D), below the gap), so

        J⊥ = (λ²/2) K_21(Δ) = −λ² s cos(q r)/(4π D r)   (an RKKY-like oscillation; D_DM = 0 by
        the inversion symmetry of the pair), a = (λ²/2)(1 + n) s q/(πD), A = a sin(qr)/(qr),
        ã = e^{−(Δ−μ)/T} a, Ã = e^{−(Δ−μ)/T} A.

    The local K_11 (hence the Lamb shift) diverges in the continuum (it needs the lattice
    cutoff) and is absorbed into Δ as in the paper (``lamb_shift`` None).  μ must stay below the
    gap (no magnon condensation); Δ <= Ω gives no dissipation (no magnon at the qubit
    frequency; the paper needs Δ well above Ω for the Markov approximation).
    """
    _magnon_check(gap, stiffness, separation, spin_density)
    if not T >= 0:
        raise ParameterError("T", T, "must be >= 0", "magnon model")
    if T > 0 and not mu < gap:
        raise ParameterError("mu", mu, f"must be < the magnon gap {gap:g} (no condensation)",
                             "magnon model")
    if not Delta > mu:
        raise ParameterError("Delta", Delta, f"must exceed mu = {mu:g}", _SRC)
    c = lam**2 / 2
    r = separation
    if Delta > gap:
        q = np.sqrt((Delta - gap) / stiffness)
        loc = spin_density * q / (np.pi * stiffness)
        sinc = np.sinc(q * r / np.pi)
        k21 = -spin_density * np.cos(q * r) / (2 * np.pi * stiffness * r)
    else:
        q = 0.0
        loc, sinc = 0.0, 0.0
        kap = np.sqrt((gap - Delta) / stiffness)
        k21 = -spin_density * np.exp(-kap * r) / (2 * np.pi * stiffness * r)
    n = float(bose(Delta, T, mu))
    a = c * (1 + n) * loc
    at = c * n * loc
    return MediumCouplings(a=float(a), a_tilde=float(at), A=complex(a * sinc),
                           A_tilde=complex(at * sinc), d=0.0, D=0j, Jz=0.0,
                           Jperp=float(c * k21), DM=0.0, Delta=float(Delta), T=float(T),
                           mu=float(mu), lamb_shift=None,
                           extras={"wavevector": float(q), "qr": float(q * r)})


# ---------------------------------------------------------------------------------------------
# single-qubit relaxation, Supplement (ii), Eqs. (S15)–(S23)
# ---------------------------------------------------------------------------------------------
def relaxation_time_T1(a: np.ndarray | float, a_tilde: np.ndarray | float) -> np.ndarray:
    """T1 of one qubit, Eq. (S16): T1⁻¹ = 4B̄ = 2(B> + B<), with the down→up (decay) rate
    2B> = 2a and the up→down rate 2B< = 2ã of Eq. (S17) (the local rates of Eq. 4).
    inf where a + ã = 0."""
    s = np.asarray(a, float) + np.asarray(a_tilde, float)
    with np.errstate(divide="ignore"):
        return 1.0 / (2.0 * s)


def decoherence_time_T2(a: np.ndarray | float, a_tilde: np.ndarray | float,
                        d: np.ndarray | float = 0.0) -> np.ndarray:
    """T2 of one qubit, Eq. (S21): T2⁻¹ = 4D + 2B̄ = 4d + a + ã (pure dephasing d of Eq. 4
    plus half the relaxation rate).  inf where all three vanish."""
    s = 4 * np.asarray(d, float) + np.asarray(a, float) + np.asarray(a_tilde, float)
    with np.errstate(divide="ignore"):
        return 1.0 / s


def equilibrium_sz(a: np.ndarray | float, a_tilde: np.ndarray | float) -> np.ndarray:
    """s̄z = <σz>/2 in equilibrium, Eqs. (S15), (S18): (B> − B<)/4B̄ = (a − ã)/(2(a + ã))."""
    a_, at = np.asarray(a, float), np.asarray(a_tilde, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (a_ - at) / (2 * (a_ + at))
