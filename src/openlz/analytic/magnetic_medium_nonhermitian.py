"""Paper 004, postselected (non-Hermitian) dynamics in the σz = 0 subspace: the eigenkets and
eigenenergies of Eq. (14) and the state of Eq. (15).

Subspace H = span{|ud>, |du>} (basis order (ud, du), as in the model's 4-level basis
uu, ud, du, dd).  With A = |A|e^{iφ}, Ã = |Ã|e^{iφ̃} the no-jump Hamiltonian of Eq. (12)
restricted to H reads, in the library's convention (the model's jump operators L = √2 J),

    H_eff = [[−δ − i(a + ã), −i Γ_c*], [−i Γ_c, δ − i(a + ã)]],   Γ_c = |A|e^{iφ} + |Ã|e^{iφ̃},

so only Γ = |Γ_c| and the phase φ_c = arg Γ_c enter (Γ = |A| + |Ã| of the paper when the
phases are equal, as the thermal relation implies).  The phase is gauged out by
U = diag(1, e^{iφ_c}) (ref. [71]); every function here takes ``phase`` = φ_c and returns
vectors / states in the model's basis.  A medium-induced Ising coupling Jz adds the constant
−Jz on H and changes neither the eigenkets nor the normalised state.

Shapes: parameters are scalars or arrays (...,) that broadcast; kets come back as (..., 2),
states as (..., 2, 2), time-resolved states as (..., T, 2, 2).
"""

from __future__ import annotations

import numpy as np

__all__ = ["omega_pt", "eigensystem", "heff_subspace", "postselected_state",
           "postselected_state_eigen", "coefficients_eigenbasis", "bell_state_a",
           "embed_subspace", "embed_ket"]


def omega_pt(delta: np.ndarray | float, gamma: np.ndarray | float) -> np.ndarray:
    """ω of Eq. (14): sqrt(δ² − Γ²) for |δ| >= Γ (PT-exact, real), iκ = i sqrt(Γ² − δ²) for
    |δ| < Γ (PT-broken, the principal value), complex array of the broadcast shape."""
    d, g = np.broadcast_arrays(np.asarray(delta, float), np.asarray(gamma, float))
    return np.sqrt((d**2 - g**2).astype(complex))


def heff_subspace(delta: np.ndarray | float, gamma: np.ndarray | float,
                  decay: np.ndarray | float = 0.0, phase: np.ndarray | float = 0.0) -> np.ndarray:
    """The no-jump Hamiltonian of Eq. (12) on {ud, du}, shape (..., 2, 2) (see module docstring);
    ``decay`` = a + ã."""
    d, g, k, ph = np.broadcast_arrays(*(np.asarray(v, float) for v in (delta, gamma, decay,
                                                                        phase)))
    h = np.zeros((*d.shape, 2, 2), dtype=complex)
    h[..., 0, 0] = -d - 1j * k
    h[..., 1, 1] = d - 1j * k
    h[..., 0, 1] = -1j * g * np.exp(-1j * ph)
    h[..., 1, 0] = -1j * g * np.exp(1j * ph)
    return h


def eigensystem(delta: np.ndarray | float, gamma: np.ndarray | float,
                decay: np.ndarray | float = 0.0, phase: np.ndarray | float = 0.0
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Eigenkets and eigenenergies of H_eff in H, paper 004 Eq. (14), as printed:

        |s> = e^{iϕ} sin θ |ud> + cos θ |du>,   |a> = −cos θ |ud> + e^{iϕ} sin θ |du>,
        E_s = −ω − i(a + ã),   E_a = +ω − i(a + ã),
        cos θ = Γ / sqrt(|ω + δ|² + Γ²),   e^{iϕ} sin θ = −i(ω + δ) / sqrt(|ω + δ|² + Γ²),

    with ω of :func:`omega_pt`.  |s>, |a> are normalised; they coalesce into
    (|ud> + i|du>)/√2 at the exceptional point δ = Γ.  In the PT-broken regime
    |a> = −(|ud> + e^{iϕ̃}|du>)/√2 with e^{iϕ̃} = (−κ + iδ)/Γ (text after Eq. 15).
    ``phase`` φ_c multiplies the |du> components (gauge, module docstring).

    Returns
    -------
    E_s, E_a : (...,) complex.
    ket_s, ket_a : (..., 2) complex, components (ud, du).
    """
    d, g, k, ph = np.broadcast_arrays(*(np.asarray(v, float) for v in (delta, gamma, decay,
                                                                        phase)))
    w = omega_pt(d, g)
    norm = np.sqrt(np.abs(w + d) ** 2 + g**2)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos_t = g / norm
        eisin = -1j * (w + d) / norm
    gauge = np.exp(1j * ph)
    ket_s = np.stack([eisin, cos_t * gauge], axis=-1)
    ket_a = np.stack([-cos_t + 0j, eisin * gauge], axis=-1)
    return -w - 1j * k, w - 1j * k, ket_s, ket_a


def bell_state_a(delta: np.ndarray | float, gamma: np.ndarray | float,
                 phase: np.ndarray | float = 0.0) -> np.ndarray:
    """The eigenket |a> of Eq. (14) embedded in the two-qubit basis (uu, ud, du, dd),
    shape (..., 4): the state the postselected dynamics reaches in the PT-broken regime."""
    _, _, _, ket_a = eigensystem(delta, gamma, 0.0, phase)
    return embed_ket(ket_a)


def embed_ket(ket: np.ndarray) -> np.ndarray:
    """(..., 2) on {ud, du} -> (..., 4) on (uu, ud, du, dd)."""
    out = np.zeros((*ket.shape[:-1], 4), dtype=complex)
    out[..., 1:3] = ket
    return out


def embed_subspace(rho: np.ndarray) -> np.ndarray:
    """(..., 2, 2) on {ud, du} -> (..., 4, 4) on (uu, ud, du, dd)."""
    out = np.zeros((*rho.shape[:-2], 4, 4), dtype=complex)
    out[..., 1:3, 1:3] = rho
    return out


def _pt(t: np.ndarray, *params: np.ndarray | float) -> list[np.ndarray]:
    tt = np.asarray(t, float)
    return [np.asarray(p, float)[..., None] for p in params] + [tt]


def postselected_state(t: np.ndarray, rho0: np.ndarray, delta: np.ndarray | float,
                       gamma: np.ndarray | float, phase: np.ndarray | float = 0.0) -> np.ndarray:
    """Normalised postselected state of Eq. (13) in H for every regime, exceptional point
    included, from the closed-form propagator (derived here from Eq. 12).

    In the gauge-free frame H_eff = −δσz − iΓσx − i(a + ã) with (−δσz − iΓσx)² = ω², so
    exp(−i H_eff t) ∝ cos ωt · 1 + i (sin ωt / ω)(δσz + iΓσx): regular at ω = 0
    (sin ωt/ω -> t), and the common factor e^{−(a+ã)t} drops out on normalisation.

    Parameters
    ----------
    t : (T,) times since the initial time.
    rho0 : (..., 2, 2) initial state in H (need not be normalised; its trace must be > 0).
    delta, gamma, phase : (...,) or scalars.

    Returns
    -------
    (..., T, 2, 2) normalised states.
    """
    d, g, ph, tt = _pt(t, delta, gamma, phase)
    w = np.sqrt((d**2 - g**2).astype(complex))
    small = np.abs(w * tt) < 1e-8
    ws = np.where(small, 1.0, w)
    c = np.where(small, 1.0 + 0j, np.cos(ws * tt))
    s = np.where(small, tt + 0j, np.sin(ws * tt) / ws)      # sin ωt / ω, real or sinh κt/κ
    # gauge frame: U = c + i s (δ σz + iΓ σx) = [[c + iδs, −Γs], [−Γs, c − iδs]]
    u = np.empty((*c.shape, 2, 2), dtype=complex)
    u[..., 0, 0] = c + 1j * d * s
    u[..., 1, 1] = c - 1j * d * s
    gauge = np.exp(1j * ph)
    u[..., 0, 1] = -g * s / gauge            # back to the model basis: V U V†, V = diag(1, e^{iφ})
    u[..., 1, 0] = -g * s * gauge
    r0 = np.asarray(rho0, complex)[..., None, :, :]
    r = u @ r0 @ np.conj(np.swapaxes(u, -1, -2))
    with np.errstate(over="ignore", invalid="ignore"):
        tr = np.einsum("...ii->...", r).real
        return r / tr[..., None, None]


def coefficients_eigenbasis(rho0: np.ndarray, ket_a: np.ndarray, ket_s: np.ndarray
                            ) -> np.ndarray:
    """p_ij of ρ0 = Σ_{i,j ∈ {a, s}} p_ij |i><j| (text before Eq. 15), shape (..., 2, 2), index
    order (a, s).  The kets are not orthogonal (H_eff is not Hermitian): p = V⁻¹ ρ0 V⁻†."""
    v = np.stack([ket_a, ket_s], axis=-1)
    vi = np.linalg.inv(v)
    return vi @ np.asarray(rho0, complex) @ np.conj(np.swapaxes(vi, -1, -2))


def postselected_state_eigen(t: np.ndarray, rho0: np.ndarray, delta: np.ndarray | float,
                             gamma: np.ndarray | float, phase: np.ndarray | float = 0.0
                             ) -> np.ndarray:
    """Paper 004, Eq. (15): the postselected state from the eigenkets of Eq. (14),

        ρ(t) = (p_aa e^{2κt}|a><a| + p_as|a><s| + p_sa|s><a| + p_ss e^{−2κt}|s><s|)
               / (p_aa e^{2κt} + p_as<s|a> + p_sa<a|s> + p_ss e^{−2κt})

    in the PT-broken regime (δ < Γ, ω = iκ).  The same expansion holds in the PT-exact regime
    with the phases e^{−i(E_i − E_j*)t} (|a><a|, |s><s| keep weight 1 and the cross terms
    rotate as e^{∓2iωt}); it is evaluated in that general form here, weights shifted by the
    largest growth rate so nothing overflows.  Not defined at the exceptional point (H_eff is
    not diagonalisable there: use :func:`postselected_state`).  Shapes as there.
    """
    es, ea, ks, ka = eigensystem(delta, gamma, 0.0, phase)
    p = coefficients_eigenbasis(rho0, ka, ks)
    e = np.stack([ea, es], axis=-1)                                  # (..., 2) order (a, s)
    tt = np.asarray(t, float)
    # exponent of |i><j|: −i(E_i − E_j*) t; shift by the largest real part (2 Im E_a or 0)
    expo = -1j * (e[..., :, None] - np.conj(e[..., None, :]))        # (..., 2, 2)
    shift = np.max(expo.real, axis=(-2, -1))
    w = np.exp((expo - shift[..., None, None])[..., None, :, :] * tt[:, None, None])
    coef = p[..., None, :, :] * w                                    # (..., T, 2, 2)
    v = np.stack([ka, ks], axis=-1)[..., None, :, :]                 # columns |a>, |s>
    r = v @ coef @ np.conj(np.swapaxes(v, -1, -2))
    tr = np.einsum("...ii->...", r).real
    return r / tr[..., None, None]
