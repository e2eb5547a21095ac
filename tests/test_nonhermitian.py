"""Normalised non-Hermitian (no-jump) evolution, ``conditional_evolve``, vs closed forms.

H_eff = H - (i/2) sum_k L_k^dag L_k (the no-jump part of the Lindblad equation in the
library convention, shared/DESIGN.md).
"""

from __future__ import annotations

import numpy as np
import pytest

from openlz.core.measures import concurrence
from openlz.core.operators import (
    STATE_LABELS,
    dag,
    ket2dm,
    on_qubit,
    sigma_minus,
    sigma_z,
    two_qubit_state,
)
from openlz.solve.nonhermitian import conditional_evolve

PLUS = ket2dm(np.array([1, 1]) / np.sqrt(2))


def test_damped_qubit_norm_and_state():
    """H = (w/2) sz, L = sqrt(g) s-, from |+>: tr rho~ = (1 + e^{-g t})/2,
    p_up = e^{-g t}/(1 + e^{-g t}), rho_01 = e^{-(i w + g/2) t} / (1 + e^{-g t})."""
    w, g = 0.9, np.array([0.3, 1.0])
    sm = sigma_minus()
    h_eff = 0.5 * w * sigma_z() - 0.5j * g[:, None, None] * (dag(sm) @ sm)
    times = np.linspace(0, 4, 9)
    rho, norm = conditional_evolve(h_eff, PLUS, times)
    assert rho.shape == (2, 9, 2, 2) and norm.shape == (2, 9)
    e = np.exp(-g[:, None] * times)
    np.testing.assert_allclose(norm, (1 + e) / 2, atol=1e-13)
    np.testing.assert_allclose(rho[..., 0, 0].real, e / (1 + e), atol=1e-13)
    np.testing.assert_allclose(rho[..., 0, 1], np.exp(-(1j * w + g[:, None] / 2) * times) / (1 + e),
                               atol=1e-13)
    np.testing.assert_allclose(np.trace(rho, axis1=-2, axis2=-1), 1.0, atol=1e-13)


def test_collective_decay_postselected_singlet():
    """L = sqrt(g)(s1- + s2-): L^dag L |T0> = 2|T0>, L|S> = 0, so from |ud> = (|T0> + |S>)/sqrt2
    the no-jump norm is (1 + e^{-2 g t})/2 and the concurrence tanh(g t) -> 1 (postselected singlet)."""
    g = 0.5
    lc = np.sqrt(g) * (on_qubit(sigma_minus(), 0) + on_qubit(sigma_minus(), 1))
    times = np.linspace(0, 6, 13)
    rho, norm = conditional_evolve(-0.5j * dag(lc) @ lc, two_qubit_state("ud"), times)
    np.testing.assert_allclose(norm, (1 + np.exp(-2 * g * times)) / 2, atol=1e-13)
    np.testing.assert_allclose(concurrence(rho), np.tanh(g * times), atol=1e-12)
    a = np.exp(-g * times)[:, None]  # amplitude of |T0> relative to |S>
    psi = (a * STATE_LABELS["triplet0"] + STATE_LABELS["singlet"]) / np.sqrt(1 + a**2)
    np.testing.assert_allclose(rho, ket2dm(psi), atol=1e-12)


def test_nonzero_start_time_and_hermitian_limit():
    """Times count from times[0]; a Hermitian H_eff keeps norm 1 (unitary)."""
    h = 0.5 * sigma_z()
    rho, norm = conditional_evolve(h, PLUS, np.array([5.0, 5.0 + np.pi]))
    np.testing.assert_allclose(norm, 1.0, atol=1e-13)
    np.testing.assert_allclose(rho[0], PLUS, atol=1e-14)
    np.testing.assert_allclose(rho[1][0, 1], -0.5, atol=1e-13)  # e^{-i pi} rotation


def test_long_times_stay_finite_when_norm_underflows():
    """H_eff = -(i/2) diag(2, 1) from |+>: tr rho~ = (e^{-2t} + e^{-t})/2 underflows for
    t ~ 1000, the normalised state still tends to |1><1| (slower decay) without 0/0."""
    h = -0.5j * np.diag([2.0, 1.0])
    times = np.array([0.0, 5.0, 10.0, 1000.0, 2000.0])
    rho, norm = conditional_evolve(h, PLUS, times)
    assert np.all(np.isfinite(rho))
    np.testing.assert_allclose(norm[:3], (np.exp(-2 * times[:3]) + np.exp(-times[:3])) / 2, rtol=1e-12)
    p1 = 1 / (1 + np.exp(-times))  # population of |1> after normalisation
    np.testing.assert_allclose(rho[:, 1, 1].real, p1, atol=1e-13)
    assert norm[-1] == 0.0 and rho[-1] == pytest.approx(np.diag([0, 1]), abs=1e-15)


def test_unnormalised_initial_state_norm_is_absolute():
    rho, norm = conditional_evolve(0.5 * sigma_z(), 2 * PLUS, np.array([0.0, 1.0]))
    np.testing.assert_allclose(norm, 2.0)
    np.testing.assert_allclose(np.trace(rho, axis1=-2, axis2=-1), 1.0)
