"""Operators of the magnetic-medium model (paper 004): Hamiltonian, jump operators, the Lindblad
and conditional generators, the thermal relations, and the measurement models of postselection.

Paper 004, Eqs. (1)–(7): H_S = −(Δ1 σ1z + Δ2 σ2z)/2 plus an optional medium-induced coherent
coupling H_eff = Jz σ1zσ2z + J⊥(σ1xσ2x + σ1yσ2y) + D_DM ẑ·(σ1 × σ2) (Eq. S38), and the
dissipator of Eqs. (3)–(4)

    dρ/dt = −i[H_S + H_eff, ρ] − Σ_nm h_nm (O_m† O_n ρ + ρ O_m† O_n − 2 O_n ρ O_m†),
    O = (σ1−, σ2−, σ1+, σ2+, σ1z, σ2z),
    h = [[ã, Ã], [Ã*, ã]] ⊕ [[a, A*], [A, a]] ⊕ [[d, D], [D*, d]].

Mapping onto the library convention (docs/design.md): the paper's σ± and |↑> = |0> coincide with
ours (its ground state |↑↑> = |00> is reached by the a-processes σ+ = |↑><↓|).  Diagonalising
each 2×2 block, h = U diag(γ) U†, gives jump operators L_k = sqrt(2 γ_k) Σ_n U_nk O_n: the
paper's dissipator J†Jρ + ρJ†J − 2JρJ† with an overall minus sign is L = √2 J.

**Thermal relations** (paper 004, text after Eq. 6 and Supplement after Eq. S35): in
equilibrium at temperature T the fluctuation–dissipation theorem gives ã = e^{−Δ/T} a and
Ã = e^{−Δ/T} A; for the quasi-equilibrium medium with a spin chemical potential μ that the
Discussion proposes (a spintronically pumped medium) the Bose factor at the qubit frequency is
n(Δ) = 1/(e^{(Δ−μ)/T} − 1), so ã/a = Ã/A = n/(1 + n) = e^{−(Δ−μ)/T} (:func:`thermal_ratio`;
μ < Δ keeps n(Δ) positive).

**Postselection: two detectors** (beyond the paper's ideal limit, both optional, both active
only with the ``postselect`` option; a trajectory is kept iff neither detector fires).

1. *Jump detector*, efficiency η (parameter ``efficiency``): each relaxation jump L_1…L_4
   (they change the total σz = σ1z + σ2z) is registered with probability η — e.g. the
   emitted/absorbed magnon ("post-select on the absence of any emitted magnons", Discussion).
   The no-detection evolution removes the detected part of the jump terms,
   dρ~/dt = L ρ~ − η Σ_{k≤4} L_k ρ~ L_k†.  The |σz| = 0 check at the initial time (text
   before Eq. 13) is made by the same detector, so it is on with probability η:
   ρ~(t0) = (1 − η) ρ0 + η P0 ρ0 P0.  Pure-dephasing jumps (d, D) keep σz and are invisible.

2. *Finite-rate |σz| monitor*, rate κ_m (parameter ``measurement_rate``): the continuous
   measurement of |σz| of the text before Eq. (13) at a finite rate (the Discussion: "precise
   when the rate of measurements is infinite ... as this rate approaches zero, we recover the
   full Lindblad dynamics").  Measured operator: |σz|/2 = P2 = |uu><uu| + |dd><dd|, the
   projector on |σz| = 2 (P0 = 1 − P2 on {ud, du}).  Measurement model: a detector that clicks
   at rate κ_m·tr(P2 ρ), i.e. the measurement channel has the single Kraus/jump operator
   C = √κ_m P2.  Averaged over records its back-action is the dephasing κ_m D[P2] (trace
   preserving: coherences between the |σz| = 0 and 2 sectors decay at κ_m/2, populations
   and the σz-sector blocks are untouched, so for U(1)-symmetric states such as |ud> the
   unconditioned dynamics is the Lindblad one for every κ_m).  The no-click record, which is
   the "zero outcome" the paper postselects on, evolves by the generator with the click term
   C ρ C† removed: L + κ_m D[P2] − κ_m P2·P2 = L − (κ_m/2){P2, ·}.  So the absence of a click
   damps the P2 amplitudes at κ_m/2 (Bayesian back-action of a null result) and tr ρ~ is
   the probability of no click (and no detected jump).  Limits: κ_m = 0 is the Lindblad
   dynamics; κ_m → ∞ removes any weight entering P2 at once and damps the P0–P2 coherences,
   which is the ideal postselected non-Hermitian dynamics of Eq. (13) (error O(rates/κ_m); no
   quantum Zeno freezing, because the medium's jumps are incoherent Markov rates).
   A diffusive (homodyne-type) record of P2 with strength κ_d, postselected on the record
   being identically zero, has the Kraus operator ∝ exp(−κ_d dt P2) per step, i.e. the same
   conditional generator with κ_m = 2κ_d (only the normalisation of the record density
   differs), so it is not a separate option here.

Combined conditional generator: G = L − η Σ_{k≤4} L_k·L_k† − (κ_m/2){P2, ·}.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.liouvillian import liouvillian, spost, spre, sprepost
from ..core.operators import dag, kron, sigma_minus, sigma_plus, sigma_x, sigma_y, sigma_z
from ..core.validation import require, require_finite, require_nonnegative

__all__ = ["LEVELS", "hamiltonian", "jump_operators", "generator", "initial_conditional_state",
           "thermal_ratio", "params_from_temperature", "P0", "P2"]

LEVELS = ("uu", "ud", "du", "dd")
_I = np.eye(2, dtype=complex)
# O = (σ1−, σ2−, σ1+, σ2+, σ1z, σ2z), Eq. (3)
_O = np.stack([kron(sigma_minus(), _I), kron(_I, sigma_minus()),
               kron(sigma_plus(), _I), kron(_I, sigma_plus()),
               kron(sigma_z(), _I), kron(_I, sigma_z())])
P0 = np.diag([0.0, 1.0, 1.0, 0.0]).astype(complex)
"""Projector (4, 4) on σz = σ1z + σ2z = 0, span{ud, du} (the subspace H of paper 004, text
after Eq. 13), in the basis :data:`LEVELS`."""
P2 = np.diag([1.0, 0.0, 0.0, 1.0]).astype(complex)
"""Projector (4, 4) on |σz| = 2, span{uu, dd}: P2 = |σz|/2, the operator the finite-rate |σz|
monitor measures (parameter ``measurement_rate``; see the module docstring)."""
_SRC_FDT = "paper 004, text after Eq. (6) and Supplement after Eq. (S35)"


def thermal_ratio(Delta: Any, T: Any, mu: Any = 0.0) -> np.ndarray:
    """ã/a = Ã/A = e^{−(Δ−μ)/T} (fluctuation–dissipation, paper 004 text after Eq. 6; the
    spin chemical potential μ of a pumped medium, Discussion).  T = 0 gives 0 (only decay
    survives), T = inf gives 1.  Inputs broadcast; requires Δ − μ > 0 (not checked here)."""
    d = np.asarray(Delta, float) - np.asarray(mu, float)
    t = np.asarray(T, float)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        x = np.where(t > 0, np.exp(-d / np.where(t > 0, t, 1.0)), 0.0)
    return x


def params_from_temperature(a: float, A: complex, temperature: float, Delta: float,
                            mu: float = 0.0, **others: Any) -> dict[str, Any]:
    """Parameters at temperature T from the fluctuation–dissipation relations (paper 004,
    text after Eq. 6): ã = e^{−(Δ−μ)/T} a, Ã = e^{−(Δ−μ)/T} A, Δ the mean field (k_B = 1),
    μ the spin chemical potential of a pumped medium (default 0: equilibrium).

    T = 0 gives ã = Ã = 0 (only decay survives).  ``others`` (delta, d, D, Jz, ...) are passed
    through.  Returns keyword arguments for ``MODEL.evaluate`` / ``MODEL.run`` (explicit
    ``a_tilde``/``A_tilde``; equivalently pass ``T=..., mu=...`` to the model itself).
    """
    require_nonnegative("temperature", temperature, "paper 004, text after Eq. (6)")
    require_finite("Delta", Delta)
    require("Delta", Delta, np.asarray(Delta) >= 0,
            "must be >= 0", "paper 004 after Eq. (1): Delta1 >= Delta2 >= 0")
    require("mu", mu, np.asarray(mu, float) < np.asarray(Delta, float),
            f"must be < Delta = {Delta!r} (Bose factor at the qubit frequency)", _SRC_FDT)
    boltz = thermal_ratio(Delta, temperature, mu)
    boltz = boltz.item() if boltz.ndim == 0 else boltz
    return {"a": a, "A": A, "a_tilde": boltz * np.asarray(a), "A_tilde": boltz * np.asarray(A),
            "Delta": Delta, **others}


def hamiltonian(Delta: np.ndarray, delta: np.ndarray, Jz: np.ndarray | float = 0.0,
                Jperp: np.ndarray | float = 0.0, DM: np.ndarray | float = 0.0) -> np.ndarray:
    """H_S + H_eff, shape (B, 4, 4) for (B,) parameters.

    H_S = −(Δ1 σ1z + Δ2 σ2z)/2 (Eq. 1) with Δ1 = Δ + δ, Δ2 = Δ − δ; H_eff of Eq. (S38).
    """
    Delta, delta, Jz, Jperp, DM = (np.atleast_1d(np.asarray(v, float)) for v in
                                   (Delta, delta, Jz, Jperp, DM))
    sx, sy, sz = sigma_x(), sigma_y(), sigma_z()
    z1, z2 = kron(sz, _I), kron(_I, sz)
    zz = kron(sz, sz)
    xy = kron(sx, sx) + kron(sy, sy)
    dm = kron(sx, sy) - kron(sy, sx)  # ẑ·(σ1 × σ2)
    c = lambda v: v[:, None, None]  # noqa: E731
    return (-(c(Delta + delta) * z1 + c(Delta - delta) * z2) / 2
            + c(Jz) * zz + c(Jperp) * xy + c(DM) * dm)


def _block_jumps(diag: np.ndarray, off: np.ndarray, o1: np.ndarray, o2: np.ndarray) -> np.ndarray:
    """Jump operators of one block [[g, off], [off*, g]] on (o1, o2), shape (B, 2, 4, 4).

    h_nm multiplies O_n ρ O_m† in Eq. (3), so with h = U diag(γ) U† the jumps are
    sqrt(2 γ_k) Σ_n U_nk O_n.  Eigenvalues g ± |off|, eigenvectors (1, ±off*/|off|)/√2,
    hence L± = sqrt(g ± |off|) (o1 ± e^{−i arg off} o2).
    """
    mag = np.abs(off)
    phase = np.where(mag > 0, np.conj(off) / np.where(mag > 0, mag, 1.0), 1.0)
    out = []
    for sign in (1.0, -1.0):
        gam = np.maximum(diag + sign * mag, 0.0)
        amp = np.sqrt(2 * gam)[:, None, None] / np.sqrt(2)
        out.append(amp * (o1 + (sign * phase)[:, None, None] * o2))
    return np.stack(out, axis=1)


def jump_operators(p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Library-convention jump operators from Eq. (4): (relaxation (B, 4, 4, 4), dephasing
    (B, 2, 4, 4)).  The relaxation set is √2 (J2, J1, J4, J3) of Eq. (5) up to gauge phases."""
    a, at = np.asarray(p["a"], float), np.asarray(p["a_tilde"], float)
    A, At = np.asarray(p["A"], complex), np.asarray(p["A_tilde"], complex)
    d, D = np.asarray(p["d"], float), np.asarray(p["D"], complex)
    # _block_jumps takes the (1, 2) element h_12 of each block: Ã for [[ã, Ã], [Ã*, ã]] on
    # (σ1−, σ2−), A* for [[a, A*], [A, a]] on (σ1+, σ2+), D for [[d, D], [D*, d]] on (σ1z, σ2z).
    jm = _block_jumps(at, At, _O[0], _O[1])
    jp = _block_jumps(a, np.conj(A), _O[2], _O[3])
    jd = _block_jumps(d, D, _O[4], _O[5])
    return np.concatenate([jm, jp], axis=1), jd


def generator(p: dict[str, np.ndarray], efficiency: np.ndarray | float | None = None,
              measurement_rate: np.ndarray | float | None = None) -> np.ndarray:
    """Liouvillian (B, 16, 16) of Eq. (2) on row-major vec(ρ); with ``efficiency`` η and/or
    ``measurement_rate`` κ_m the conditional (no-detection) generator
    L − η Σ_{relaxation k} L_k ⊗ L_k* − (κ_m/2)(P2 ⊗ 1 + 1 ⊗ P2) (see the module docstring)."""
    h = hamiltonian(p["Delta"], p["delta"], p["Jz"], p["Jperp"], p["DM"])
    relax, deph = jump_operators(p)
    gen = liouvillian(h, np.concatenate([relax, deph], axis=1))
    if efficiency is not None:
        eta = np.atleast_1d(np.asarray(efficiency, float))
        jump = sprepost(relax, dag(relax)).sum(axis=1)
        gen = gen - eta[:, None, None] * jump
    if measurement_rate is not None:
        kap = np.atleast_1d(np.asarray(measurement_rate, float))
        gen = gen - (kap / 2)[:, None, None] * (spre(P2) + spost(P2))
    return gen


def initial_conditional_state(rho0: np.ndarray, efficiency: np.ndarray | float) -> np.ndarray:
    """Unnormalised state after the initial |σz| = 0 postselection (text before Eq. 13), with a
    detector that is on with probability η: (1 − η) ρ0 + η P0 ρ0 P0.  (4, 4), (B,) -> (B, 4, 4)."""
    eta = np.atleast_1d(np.asarray(efficiency, float))[:, None, None]
    return (1 - eta) * rho0 + eta * (P0 @ rho0 @ P0)
