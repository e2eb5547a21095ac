"""Generic repeated-interaction driver ``openlz.solve.collisions``.

Oracles: explicit ``np.kron`` + partial trace; closed forms of the SWAP collision (the
system leaves with the ancilla's state) and of the identity collision (nothing changes);
Choi's theorem (any unitary dilation gives a PSD Choi matrix).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import random_density_matrices, random_unitaries

from openlz.core.liouvillian import unvec, vec
from openlz.solve.collisions import (
    channel_superop,
    choi_matrix,
    collide,
    kraus_operators,
    repeated_interactions,
)


def _reference(rs, U, ra):
    ds, da = rs.shape[-1], ra.shape[-1]
    r = U @ np.kron(rs, ra) @ U.conj().T
    return np.einsum("iaja->ij", r.reshape(ds, da, ds, da))


@pytest.mark.parametrize("ds,da", [(2, 2), (2, 3), (3, 2)])
def test_collide_matches_kron_partial_trace(rng, ds, da):
    """Tr_a[U (ρ_s ⊗ ρ_a) U†] against the explicit Kronecker product; batched over 4."""
    rs = random_density_matrices(rng, 4, ds)
    ra = random_density_matrices(rng, 4, da)
    U = random_unitaries(rng, 4, ds * da)
    out = collide(rs, U, ra)
    for b in range(4):
        assert np.allclose(out[b], _reference(rs[b], U[b], ra[b]), atol=1e-13)
        S = channel_superop(U[b], ra[b], ds)
        assert np.allclose(unvec(S @ vec(rs[b])), out[b], atol=1e-13)
        K = kraus_operators(U[b], ra[b], ds)
        assert np.allclose(np.einsum("kab,kac->bc", K.conj(), K), np.eye(ds), atol=1e-12)


def test_choi_is_psd_and_trace_preserving(rng):
    """Choi matrix of a unitary-dilation channel: Hermitian, ⪰ 0, Tr_out C = 1."""
    ra = random_density_matrices(rng, 6, 2)
    U = random_unitaries(rng, 6, 4)
    C = choi_matrix(U, ra, 2)
    assert np.min(np.linalg.eigvalsh(C)) > -1e-12
    assert np.allclose(np.einsum("biaja->bij", C.reshape(6, 2, 2, 2, 2)), np.eye(2), atol=1e-12)


def test_repeated_swap_and_identity():
    """SWAP collisions hand the system the previous ancilla; identity collisions do nothing."""
    swap = np.eye(4)[[0, 2, 1, 3]]
    anc = np.stack([np.diag([a, 1 - a]) for a in (0.1, 0.5, 0.8)])
    rho0 = np.array([[0.3, 0.2j], [-0.2j, 0.7]])
    traj = repeated_interactions(rho0, np.stack([swap] * 3), anc)
    assert traj.shape == (4, 2, 2)
    assert np.allclose(traj[0], rho0) and np.allclose(traj[1:], anc)
    same = repeated_interactions(rho0, np.stack([np.eye(4)] * 3), anc)
    assert np.allclose(same, rho0)


def test_length_mismatch_raises():
    with pytest.raises(ValueError):
        repeated_interactions(np.eye(2) / 2, np.stack([np.eye(4)] * 2), np.stack([np.eye(2)] * 3))
