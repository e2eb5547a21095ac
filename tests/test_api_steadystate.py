"""openlz.steadystate against qutip.steadystate and closed forms."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import qutip as qt

import openlz

SX, SZ, SM = qt.sigmax(), qt.sigmaz(), qt.sigmam()


def test_qobj_inputs_against_qutip_steadystate():
    """Two coupled damped qubits (reference: qutip.steadystate, direct method)."""
    h = (qt.tensor(0.5 * SZ, qt.qeye(2)) + qt.tensor(qt.qeye(2), 0.7 * SZ)
         + 0.2 * qt.tensor(SX, SX) + 0.3 * qt.tensor(SX, qt.qeye(2)))
    c = [np.sqrt(0.1) * qt.tensor(SM, qt.qeye(2)), np.sqrt(0.2) * qt.tensor(qt.qeye(2), SM)]
    res = openlz.steadystate(h, c)
    np.testing.assert_allclose(res.state, qt.steadystate(h, c).full(), atol=1e-10)
    assert res.unique and res.kernel_dim == 1 and res.to_qobj(final=True).dims == [[2, 2], [2, 2]]
    assert np.isinf(res.times[0]) and res.states.shape == (1, 4, 4)


def test_batched_arrays_against_closed_form_and_qutip():
    """Resonance fluorescence, H = (Δ/2)σz + (Ω/2)σx, L = √γ σ−: the upper-level population
    is (Ω²/4) / (Δ² + Ω²/2 + γ²/4) (optical Bloch equations, closed form)."""
    det = np.linspace(-2.0, 2.0, 5)
    om, gam = 1.0, 0.5
    h = 0.5 * det[:, None, None] * SZ.full() + 0.5 * om * SX.full()
    res = openlz.steadystate(h, [np.sqrt(gam) * SM.full()], e_ops=[np.diag([1.0, 0.0])])
    closed = (om ** 2 / 4) / (det ** 2 + om ** 2 / 2 + gam ** 2 / 4)
    np.testing.assert_allclose(res.state[:, 0, 0].real, closed, atol=1e-12)
    np.testing.assert_allclose(res.expect[0][:, 0], closed, atol=1e-12)
    for b in range(det.size):
        ref = qt.steadystate(qt.Qobj(h[b]), [np.sqrt(gam) * SM]).full()
        np.testing.assert_allclose(res.state[b], ref, atol=1e-10)


@pytest.mark.parametrize("form", ["qutip_super", "openlz_array"])
def test_liouvillian_input(form):
    h, c = 0.3 * SZ + 0.4 * SX, [np.sqrt(0.3) * SM]
    lq = qt.liouvillian(h, c)
    gen = lq if form == "qutip_super" else openlz.api.as_superoperator(lq, "L")
    np.testing.assert_allclose(openlz.steadystate(gen).state, qt.steadystate(h, c).full(),
                               atol=1e-10)


def test_non_unique_answered_from_rho0_and_flagged():
    """Pure dephasing L = √γ σz: the kernel is the diagonal states (dimension 2); the long-time
    state from rho0 keeps rho0's populations and loses its coherences (closed form)."""
    rho0 = np.array([[0.7, 0.3 - 0.1j], [0.3 + 0.1j, 0.3]])
    with pytest.raises(openlz.ParameterError, match="rho0.*not unique"):
        openlz.steadystate(0.2 * SZ.full(), [np.sqrt(0.5) * SZ.full()])
    with pytest.warns(openlz.ValidityWarning, match="not unique"):
        res = openlz.steadystate(0.2 * SZ.full(), [np.sqrt(0.5) * SZ.full()], rho0=rho0)
    np.testing.assert_allclose(res.state, np.diag([0.7, 0.3]), atol=1e-12)
    assert not res.unique and res.from_initial and res.kernel_dim == 2
    assert res.validity["unique"] is False


def test_unique_case_emits_no_warning_and_rejects_time_dependence():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        openlz.steadystate(SZ, [SM])
    with pytest.raises(openlz.ParameterError, match="'H'.*time-independent"):
        openlz.steadystate([SZ, [SX, np.cos]], [SM])
