"""Steady states from the null space (``openlz.solve.steady.steady_state``).

Oracles: the optical Bloch steady state (closed form), QuTiP ``steadystate``, and
for degenerate kernels the long-time limit of the exact evolution ``evolve_constant``
plus the closed form of the dark-state example: two qubits with collective decay
L = sqrt(g) (s1- + s2-) never leave the singlet |S> = (|ud> - |du>)/sqrt2, so from
|ud> = (|T0> + |S>)/sqrt2 the long-time state is (|S><S| + |dd><dd|)/2.
"""

from __future__ import annotations

import numpy as np
import pytest
import qutip

from openlz.core.liouvillian import liouvillian
from openlz.core.operators import (
    STATE_LABELS,
    ket2dm,
    on_qubit,
    sigma_minus,
    sigma_x,
    sigma_y,
    sigma_z,
    two_qubit_state,
)
from openlz.solve.lindblad import evolve_constant
from openlz.solve.steady import steady_state

SM, SX, SZ = sigma_minus(), sigma_x(), sigma_z()
L_COLL = on_qubit(SM, 0) + on_qubit(SM, 1)
SINGLET, DD = ket2dm(STATE_LABELS["singlet"]), two_qubit_state("dd")


def test_driven_damped_qubit_unique_closed_form():
    """Bloch steady state of H = (D/2) sz + (W/2) sx, L = sqrt(g) s-, batched over D."""
    d, w, g = np.array([0.0, 0.6, -1.5]), 1.1, 0.8
    gen = liouvillian(0.5 * d[:, None, None] * SZ + 0.5 * w * SX, [np.sqrt(g) * SM])
    res = steady_state(gen)
    assert res.rho.shape == (3, 2, 2)
    assert res.unique.all() and (res.kernel_dim == 1).all()
    assert not res.from_initial.any() and not res.oscillating.any()
    den = 4 * d**2 + 2 * w**2 + g**2
    np.testing.assert_allclose(np.einsum("bij,ji->b", res.rho, SZ).real, 2 * w**2 / den - 1, atol=1e-12)
    np.testing.assert_allclose(np.einsum("bij,ji->b", res.rho, sigma_y()).real, 2 * g * w / den, atol=1e-12)
    np.testing.assert_allclose(np.einsum("bij,ji->b", res.rho, SX).real, -4 * d * w / den, atol=1e-12)


def test_unique_two_qubits_vs_qutip_steadystate():
    h = 0.3 * on_qubit(SZ, 0) + 0.5 * on_qubit(SX, 1) + 0.4 * (np.kron(SX, SX) + np.kron(sigma_y(), sigma_y()))
    cs = [np.sqrt(0.2) * on_qubit(SM, 0), np.sqrt(0.1) * on_qubit(SM, 1), np.sqrt(0.05) * on_qubit(SZ, 0)]
    res = steady_state(liouvillian(h, cs))
    ref = qutip.steadystate(qutip.Qobj(h), [qutip.Qobj(c) for c in cs]).full()
    np.testing.assert_allclose(res.rho, ref, atol=1e-10)
    assert bool(res.unique)


def test_dark_state_degenerate_kernel_answered_from_rho0():
    """Collective decay: ker L = span{|dd>, |S>} x span{<dd|, <S|} (dim 4); the long-time
    state depends on rho0 and equals the long-time exact evolution."""
    gen = liouvillian(None, [L_COLL])
    for label, expected in [("ud", 0.5 * (SINGLET + DD)), ("uu", DD), ("singlet", SINGLET),
                            ("du", 0.5 * (SINGLET + DD))]:
        rho0 = two_qubit_state(label)
        res = steady_state(gen, rho0)
        assert int(res.kernel_dim) == 4 and not res.unique and res.from_initial
        assert not res.oscillating
        np.testing.assert_allclose(res.rho, expected, atol=1e-10)
        late = evolve_constant(gen, rho0, np.array([0.0, 60.0]))[-1]
        np.testing.assert_allclose(res.rho, late, atol=1e-10)
    # a coherent superposition of the two dark states is itself stationary
    psi = (STATE_LABELS["singlet"] + STATE_LABELS["dd"]) / np.sqrt(2)
    np.testing.assert_allclose(steady_state(gen, ket2dm(psi)).rho, ket2dm(psi), atol=1e-10)


def test_dark_state_with_collective_field_oscillates():
    """H = (w/2)(sz1 + sz2) splits |dd> (energy -w) from |S> (0): the dark coherence
    rotates at frequency w, L has eigenvalues +-i w, ``oscillating`` is set and the
    answer is the time average (no dd-S coherence)."""
    w = 0.7
    gen = liouvillian(0.5 * w * (on_qubit(SZ, 0) + on_qubit(SZ, 1)), [L_COLL])
    psi = (STATE_LABELS["singlet"] + STATE_LABELS["dd"]) / np.sqrt(2)
    res = steady_state(gen, ket2dm(psi))
    assert res.oscillating and int(res.kernel_dim) == 2 and res.from_initial
    np.testing.assert_allclose(res.rho, 0.5 * (SINGLET + DD), atol=1e-10)
    late = evolve_constant(gen, ket2dm(psi), np.linspace(100.0, 100.0 + 2 * np.pi / w, 65))
    np.testing.assert_allclose(late[:-1].mean(axis=0), res.rho, atol=1e-10)  # period average
    # the dd-S coherence keeps its modulus 1/(2 sqrt2) and rotates through a full turn
    np.testing.assert_allclose(np.abs(late[:, 3, 1]), 1 / (2 * np.sqrt(2)), atol=1e-10)
    assert late[:, 3, 1].real.min() < -0.35 < 0.35 < late[:, 3, 1].real.max()


def test_batch_mixes_unique_and_degenerate():
    """Local decay on qubit 1 breaks the dark state: batch of one degenerate and one unique L."""
    g_loc = np.array([0.0, 0.3])
    c = np.stack([np.broadcast_to(L_COLL, (2, 4, 4)),
                  np.sqrt(g_loc)[:, None, None] * on_qubit(SM, 0)], axis=1)
    gen = liouvillian(None, c)
    res = steady_state(gen, two_qubit_state("ud"))
    np.testing.assert_array_equal(res.unique, [False, True])
    np.testing.assert_array_equal(res.from_initial, [True, False])
    np.testing.assert_allclose(res.rho[0], 0.5 * (SINGLET + DD), atol=1e-10)
    np.testing.assert_allclose(res.rho[1], DD, atol=1e-10)  # everything decays to |dd>


def test_degenerate_without_rho0_raises():
    with pytest.raises(ValueError, match="not unique"):
        steady_state(liouvillian(None, [L_COLL]))


def test_batched_degenerate_points_equal_single_calls():
    """Kernel dimensions 4 (w = 0) and 2 (w != 0) mixed in one batch, each with its own rho0."""
    w = np.array([0.0, 0.5, 0.0, 1.3])
    h = 0.5 * w[:, None, None] * (on_qubit(SZ, 0) + on_qubit(SZ, 1))
    gen = liouvillian(h, np.broadcast_to(L_COLL, (4, 1, 4, 4)))
    psi = (STATE_LABELS["singlet"] + STATE_LABELS["dd"] + STATE_LABELS["uu"]) / np.sqrt(3)
    rho0 = np.stack([two_qubit_state("ud"), ket2dm(psi), ket2dm(psi), two_qubit_state("uu")])
    res = steady_state(gen, rho0)
    np.testing.assert_array_equal(res.kernel_dim, [4, 2, 4, 2])
    np.testing.assert_array_equal(res.oscillating, [False, True, False, True])
    for b in range(4):
        np.testing.assert_allclose(res.rho[b], steady_state(gen[b], rho0[b]).rho, atol=1e-13)
    np.testing.assert_allclose(res.rho[3], DD, atol=1e-10)
