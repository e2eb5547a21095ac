"""openlz.collisions: the repeated-interaction driver with user unitaries and ancillas.

Reference: a direct QuTiP computation, rho_{k+1} = ptrace(U (rho_k ⊗ sigma_k) U^dag, 0), with
QuTiP's own tensor, dag and ptrace.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import random_density_matrices, random_unitaries

import openlz
from openlz.errors import ParameterError

qt = pytest.importorskip("qutip")


def _qutip_chain(U_list, rho0, sig_list):  # noqa: ANN001, ANN202
    rho = rho0 if rho0.isoper else qt.ket2dm(rho0)
    out = [rho]
    for U, sig in zip(U_list, sig_list, strict=True):
        sig = sig if sig.isoper else qt.ket2dm(sig)
        rho = (U * qt.tensor(rho, sig) * U.dag()).ptrace(0)
        out.append(rho)
    return out


def _qobj_unitary(rng, ds, da):  # noqa: ANN001, ANN202
    return qt.Qobj(random_unitaries(rng, 1, ds * da)[0], dims=[[ds, da], [ds, da]])


@pytest.mark.parametrize("ds,da", [(2, 2), (2, 3), (3, 2)])
def test_qobj_sequence_matches_qutip(rng, ds, da):
    """A list of Qobj unitaries and Qobj ancillas (kets and density matrices) against QuTiP;
    e_ops as Qobj, states back as Qobj with the system dims."""
    n = 4
    us = [_qobj_unitary(rng, ds, da) for _ in range(n)]
    sig = [qt.rand_ket(da, seed=k) if k % 2 else qt.rand_dm(da, seed=k) for k in range(n)]
    rho0 = qt.rand_dm(ds, seed=7)
    obs = qt.rand_herm(ds, seed=3)
    res = openlz.collisions(us, rho0, sig, e_ops=[obs], options={"store_states": True})
    ref = _qutip_chain(us, rho0, sig)
    assert res.states.shape == (n + 1, ds, ds) and list(res.times) == list(range(n + 1))
    for k in range(n + 1):
        np.testing.assert_allclose(res.states[k], ref[k].full(), atol=1e-12)
    np.testing.assert_allclose(res.expect[0], [qt.expect(obs, r) for r in ref], atol=1e-12)
    assert res.to_qobj()[-1].dims == [[ds], [ds]]


def test_single_unitary_repeated_and_batched_arrays(rng):
    """One array U (batch (3,)) used at every collision, one ancilla: n_collisions = 5; each
    batch member against its own QuTiP chain."""
    us = random_unitaries(rng, 3, 4)
    rho0 = random_density_matrices(rng, 3, 2)
    sig = random_density_matrices(rng, 1, 2)[0]
    res = openlz.collisions(us, rho0, sig, n_collisions=5)
    assert res.states.shape == (3, 6, 2, 2)
    for b in range(3):
        U = qt.Qobj(us[b], dims=[[2, 2], [2, 2]])
        ref = _qutip_chain([U] * 5, qt.Qobj(rho0[b]), [qt.Qobj(sig)] * 5)
        np.testing.assert_allclose(res.states[b, -1], ref[-1].full(), atol=1e-12)


def test_swap_collision_hands_over_the_ancilla_state(rng):
    """Closed form: a SWAP leaves the system in the ancilla's state after one collision."""
    swap = np.eye(4)[[0, 2, 1, 3]]
    sig = random_density_matrices(rng, 2, 2)
    res = openlz.collisions(swap, np.array([1.0, 0.0]), [sig[0], sig[1]])
    np.testing.assert_allclose(res.states[1], sig[0], atol=1e-14)
    np.testing.assert_allclose(res.states[2], sig[1], atol=1e-14)


def test_zero_collisions_returns_initial_state():
    res = openlz.collisions(np.eye(4), np.array([0.0, 1.0]), np.array([1.0, 0.0]), n_collisions=0)
    np.testing.assert_allclose(res.states, [[[0, 0], [0, 1]]])


def test_collision_errors(rng):
    """Dimension mismatches, lengths, non-unitary U and missing n_collisions name the argument."""
    u = random_unitaries(rng, 1, 4)[0]
    with pytest.raises(ParameterError, match="n_collisions"):
        openlz.collisions(u, np.array([1.0, 0.0]), np.array([1.0, 0.0]))
    with pytest.raises(ParameterError, match="ancillas"):
        openlz.collisions(u, np.array([1.0, 0.0]), np.array([1.0, 0.0, 0.0]), n_collisions=2)
    with pytest.raises(ParameterError, match="U"):
        openlz.collisions(u, np.array([1.0, 0.0, 0.0]), np.array([1.0, 0.0]), n_collisions=2)
    with pytest.raises(ParameterError, match="unitary"):
        openlz.collisions(2 * u, np.array([1.0, 0.0]), np.array([1.0, 0.0]), n_collisions=2)
    with pytest.raises(ParameterError, match="length"):
        openlz.collisions([u, u], np.array([1.0, 0.0]), [np.array([1.0, 0.0])] * 3)
