"""Repeated-interaction (collision-model) dynamics: a system meets fresh ancillas one by one.

Paper 003, Eq. (6): ρ_{n+1} = Tr_n[U_n (ρ_n ⊗ ρ^B_n) U_n†].  Nothing here is specific to
Landau–Zener: any sequence of system–ancilla unitaries ``U_n`` (shape (..., ds·da, ds·da),
basis ``kron(system, ancilla)``) and ancilla states ``ρ^B_n`` (shape (..., da, da)) works,
batched over leading axes.  The Landau–Zener collisions of paper 003 are built in
:mod:`openlz.analytic.landau_zener` (:func:`~openlz.analytic.landau_zener.collision_unitary`).

Superoperators use the library's row-major vectorisation (:mod:`openlz.core.liouvillian`):
``vec(A ρ B) = (A ⊗ Bᵀ) vec(ρ)``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["collide", "kraus_operators", "channel_superop", "choi_matrix",
           "repeated_interactions"]


def _split(U: np.ndarray, ds: int) -> tuple[np.ndarray, int]:
    U = np.asarray(U)
    n = U.shape[-1]
    if U.shape[-2] != n or n % ds:
        raise ValueError(f"U: expected (..., ds*da, ds*da) with ds = {ds}, got {U.shape}")
    da = n // ds
    return U.reshape(*U.shape[:-2], ds, da, ds, da), da


def collide(rho_s: np.ndarray, U: np.ndarray, rho_a: np.ndarray) -> np.ndarray:
    """One collision Tr_a[U (ρ_s ⊗ ρ_a) U†] (paper 003, Eq. 6).

    rho_s : (..., ds, ds); U : (..., ds·da, ds·da); rho_a : (..., da, da) -> (..., ds, ds).
    """
    rho_s, rho_a = np.asarray(rho_s), np.asarray(rho_a)
    ds, da = rho_s.shape[-1], rho_a.shape[-1]
    U4, da_u = _split(U, ds)
    if da_u != da:
        raise ValueError(f"rho_a: dimension {da} does not match U ({da_u})")
    # (U ρ)_{i a, j b} = sum_{k c} U_{i a, k c} ρs_{k j} ρa_{c b}
    t = np.einsum("...iakc,...kj,...cb->...iajb", U4, rho_s, rho_a)
    return np.einsum("...iajb,...lajb->...il", t, np.conj(U4))


def kraus_operators(U: np.ndarray, rho_a: np.ndarray, ds: int) -> np.ndarray:
    """Kraus operators K_{ij} = sqrt(λ_j) ⟨i|U|φ_j⟩ of the reduced channel, ρ_a = Σ λ_j |φ_j⟩⟨φ_j|.

    Returns (..., da·da, ds, ds); Σ K† K = 1 holds for unitary U.
    """
    U4, da = _split(U, ds)
    lam, vecs = np.linalg.eigh(np.asarray(rho_a))
    lam = np.clip(lam, 0.0, None)
    # K[i, j] (system indices s, t): sum_c U[s, i, t, c] φ_j[c] sqrt(λ_j)
    K = np.einsum("...sitc,...cj,...j->...ijst", U4, vecs, np.sqrt(lam))
    return K.reshape(*K.shape[:-4], da * da, ds, ds)


def channel_superop(U: np.ndarray, rho_a: np.ndarray, ds: int) -> np.ndarray:
    """Superoperator S with vec(ρ') = S vec(ρ) (row-major vec); shape (..., ds², ds²)."""
    K = kraus_operators(U, rho_a, ds)
    S = np.einsum("...kab,...kcd->...acbd", K, np.conj(K))
    return S.reshape(*S.shape[:-4], ds * ds, ds * ds)


def choi_matrix(U: np.ndarray, rho_a: np.ndarray, ds: int) -> np.ndarray:
    """Choi matrix C = Σ_{ij} |i⟩⟨j| ⊗ Φ(|i⟩⟨j|), shape (..., ds², ds²).

    The channel is completely positive iff C ⪰ 0 and trace preserving iff Tr_out C = 1.
    """
    K = kraus_operators(U, rho_a, ds)
    # C_{(i a),(j b)} = sum_k K_{a i} conj(K_{b j})
    C = np.einsum("...kai,...kbj->...iajb", K, np.conj(K))
    return C.reshape(*C.shape[:-4], ds * ds, ds * ds)


def repeated_interactions(rho0: np.ndarray, unitaries: np.ndarray,
                          ancillas: np.ndarray) -> np.ndarray:
    """Iterate ρ_{n+1} = Tr_n[U_n (ρ_n ⊗ ρ^B_n) U_n†] over n = 1..N (paper 003, Eq. 6).

    rho0 : (..., ds, ds); unitaries : (N, ..., ds·da, ds·da); ancillas : (N, ..., da, da)
    (ancilla states already freely evolved to the start of their collision, as ρ^B_n(τ_n)).
    Leading batch axes broadcast.  Returns the states before each collision and after the
    last one, shape (N + 1, ..., ds, ds).
    """
    unitaries, ancillas = np.asarray(unitaries), np.asarray(ancillas)
    if unitaries.shape[0] != ancillas.shape[0]:
        raise ValueError(f"unitaries and ancillas: sequence lengths differ "
                         f"({unitaries.shape[0]} vs {ancillas.shape[0]})")
    rho = np.asarray(rho0, dtype=complex)
    out = [rho]
    for U, ra in zip(unitaries, ancillas, strict=True):
        rho = collide(rho, U, ra)
        out.append(rho)
    shape = np.broadcast_shapes(*(r.shape for r in out))
    return np.stack([np.broadcast_to(r, shape) for r in out])
