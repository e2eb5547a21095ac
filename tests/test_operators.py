"""Operator conventions (shared/DESIGN.md) checked against their definitions and QuTiP.

|0> = up is the sigma_z = +1 state; sigma_+ = |0><1|, sigma_- = |1><0|,
sigma_pm = (sigma_x +- i sigma_y)/2; two qubits kron(q1, q2), order |00>,|01>,|10>,|11>.
"""

from __future__ import annotations

import numpy as np
import pytest
import qutip

from openlz.core.operators import (
    STATE_LABELS,
    commutator,
    dag,
    identity,
    ket,
    ket2dm,
    kron,
    on_qubit,
    sigma_minus,
    sigma_plus,
    sigma_x,
    sigma_y,
    sigma_z,
    two_qubit_state,
)
from openlz.errors import ParameterError, UnknownNameError


def test_pauli_algebra_and_ladder_convention():
    sx, sy, sz = sigma_x(), sigma_y(), sigma_z()
    np.testing.assert_allclose(commutator(sx, sy), 2j * sz)
    np.testing.assert_allclose(sigma_plus(), (sx + 1j * sy) / 2)
    np.testing.assert_allclose(sigma_minus(), (sx - 1j * sy) / 2)
    up, down = ket("0"), ket("1")
    np.testing.assert_allclose(sz @ up, up)                 # |0> = up: sz = +1
    np.testing.assert_allclose(sigma_plus() @ down, up)     # s+ raises down -> up
    np.testing.assert_allclose(sigma_minus() @ up, down)
    np.testing.assert_array_equal(ket("u"), ket("0"))
    np.testing.assert_array_equal(identity(3), np.eye(3))
    sx[0, 0] = 7  # returned matrices are copies
    assert sigma_x()[0, 0] == 0


def test_same_matrices_as_qutip():
    """QuTiP's sigmap()/sigmam()/sigmaz()/basis(2, 0) use the same convention."""
    np.testing.assert_allclose(sigma_plus(), qutip.sigmap().full())
    np.testing.assert_allclose(sigma_minus(), qutip.sigmam().full())
    np.testing.assert_allclose(sigma_z(), qutip.sigmaz().full())
    np.testing.assert_allclose(sigma_y(), qutip.sigmay().full())
    np.testing.assert_allclose(STATE_LABELS["singlet"], qutip.bell_state("11").full()[:, 0])
    np.testing.assert_allclose(STATE_LABELS["phi+"], qutip.bell_state("00").full()[:, 0])
    np.testing.assert_allclose(on_qubit(sigma_minus(), 1),
                               qutip.tensor(qutip.qeye(2), qutip.sigmam()).full())


def test_kron_order_and_batching(rng):
    np.testing.assert_array_equal(ket("01"), np.kron(ket("0"), ket("1")))
    assert np.argmax(ket("10")) == 2 and np.argmax(ket("dd")) == 3
    a = rng.normal(size=(3, 2, 2)) + 0j
    b = rng.normal(size=(2, 2))
    out = kron(a, b)
    assert out.shape == (3, 4, 4)
    for i in range(3):
        np.testing.assert_allclose(out[i], np.kron(a[i], b))
    np.testing.assert_allclose(kron(a[0], b, a[1]), np.kron(np.kron(a[0], b), a[1]))


def test_two_qubit_state_labels_and_errors():
    np.testing.assert_allclose(two_qubit_state("ud"), ket2dm(ket("01")))
    np.testing.assert_allclose(two_qubit_state(" Singlet "), ket2dm(STATE_LABELS["psi-"]))
    np.testing.assert_allclose(two_qubit_state("mixed"), np.eye(4) / 4)
    np.testing.assert_allclose(two_qubit_state(np.array([2, 0, 0, 0])), ket2dm(ket("00")))
    assert np.trace(two_qubit_state("triplet0")).real == pytest.approx(1.0)
    assert dag(np.array([[1, 2j], [3, 4]])).tolist() == [[1, 3], [-2j, 4]]
    with pytest.raises(UnknownNameError, match="initial state"):
        two_qubit_state("bogus")
    with pytest.raises(ParameterError, match="initial"):
        two_qubit_state(np.eye(3))
    with pytest.raises(UnknownNameError):
        ket("0x")
    for bad in (np.zeros(4), 0.5 * np.eye(4), np.diag([1.5, -0.5, 0, 0]),
                np.triu(np.ones((4, 4))) / 4):  # trace 2, negative, not Hermitian
        with pytest.raises(ParameterError, match="density matrix|non-zero"):
            two_qubit_state(bad)
